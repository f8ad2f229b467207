//! What a manager does to someone else's account: reset their authenticator (they enrol again
//! from an emailed link), unlock it, change name, role and organisation; each scoped to the
//! manager's organisation and audited.

use app::api::accounts::{AccountChange, AccountDetail, OrganisationDetail};
use app::api::session::{Role, SessionState};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Browser, PASSWORD, field_errors, link_token, read, refusal, spawn_app};

#[tokio::test]
async fn a_reset_authenticator_must_be_set_up_again_from_the_emailed_link() {
    let app = spawn_app().await;
    let (clinic, manager) = app.clinic_with_manager("Reset Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(clinic))
        .await;
    let nurse_id: i64 = app
        .sql_scalar("SELECT id FROM users WHERE email = 'nurse@example.test'")
        .await;

    let response = manager
        .call(
            "accounts/reset-authenticator",
            &[("user_id", &nurse_id.to_string())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Every session of theirs has ended.
    assert_eq!(nurse.session().await, SessionState::SignedOut);
    let recovery_codes: i64 = app
        .sql_scalar(&format!(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = {nurse_id}"
        ))
        .await;
    assert_eq!(recovery_codes, 0);
    // Their password alone no longer signs them in, not even to set up an authenticator.
    let (status, error) = refusal(
        Browser::new(&app)
            .sign_in_attempt("nurse@example.test", PASSWORD)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error:?}");
    // The emailed link leads to a new password and a new authenticator.
    let email = &app
        .emails_about("Set up your authenticator app again")
        .await[0];
    assert_eq!(email.to, "nurse@example.test");
    let again = Browser::new(&app);
    let state: SessionState = again
        .read(
            "account-link/set-password",
            &[
                ("token", &link_token(&email.body)),
                ("new_password", PASSWORD),
            ],
        )
        .await;
    assert!(
        matches!(state, SessionState::EnrolmentRequired { .. }),
        "{state:?}"
    );
    again.enrol().await;
    let state = again.session().await;
    assert!(state.signed_in().is_some(), "{state:?}");
    let actions = app.audit_actions().await;
    assert!(
        actions.contains(&"account.authenticator_reset".to_string()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn managers_act_only_on_their_own_organisations_accounts() {
    let app = spawn_app().await;
    let own = app.organisation("Own Clinic").await;
    let other = app.organisation("Other Clinic").await;
    let manager = app
        .signed_in("manager@example.test", Role::ClinicManager, Some(own))
        .await;
    let stranger = app
        .user("stranger@example.test", Role::ClinicUser, Some(other))
        .await;
    let id = stranger.to_string();
    for (endpoint, form) in [
        ("accounts/detail", vec![("user_id", id.as_str())]),
        (
            "accounts/reset-authenticator",
            vec![("user_id", id.as_str())],
        ),
        ("accounts/unlock", vec![("user_id", id.as_str())]),
    ] {
        let (status, error) = refusal(manager.call(endpoint, &form).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {error:?}");
    }
    let change = json!({ "change": AccountChange {
        user_id: stranger, display_name: "Renamed".into(), role: Role::ClinicUser, organisation_id: Some(own),
    }});
    let response = manager.call_json("accounts/update", &change).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = manager
        .call(
            "organisations/set-contact",
            &[("organisation_id", &other.to_string()), ("contact", "x")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let name: String = app
        .sql_scalar(&format!(
            "SELECT display_name FROM users WHERE id = {stranger}"
        ))
        .await;
    assert_eq!(name, "Test Person");
}

#[tokio::test]
async fn a_locked_account_is_unlocked_and_says_for_how_long_it_was() {
    let app = spawn_app().await;
    let (clinic, manager) = app.clinic_with_manager("Lock Clinic").await;
    let nurse = app
        .user("nurse@example.test", Role::ClinicUser, Some(clinic))
        .await;
    let guesser = Browser::new(&app);
    let mut last = None;
    for _ in 0..4 {
        let (_, error) = refusal(
            guesser
                .sign_in_attempt("nurse@example.test", "wrong guess!")
                .await,
        )
        .await;
        last = Some(error);
    }
    // Before the lock, the person is warned how many tries are left.
    let warning = &field_errors(last.as_ref().unwrap())[1];
    assert_eq!(warning.field, "password");
    assert_eq!(
        warning.message,
        "You have 1 more try before this account is locked for 15 minutes"
    );
    guesser
        .sign_in_attempt("nurse@example.test", "wrong guess!")
        .await;
    let detail: AccountDetail = manager
        .read("accounts/detail", &[("user_id", &nurse.to_string())])
        .await;
    assert!(
        detail
            .locked_for_minutes
            .is_some_and(|minutes| (14..=15).contains(&minutes))
    );

    let detail: AccountDetail = manager
        .read("accounts/unlock", &[("user_id", &nurse.to_string())])
        .await;
    assert_eq!(detail.locked_for_minutes, None);
    let response = Browser::new(&app)
        .sign_in_attempt("nurse@example.test", PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.audited("account.unlocked").await);
}

#[tokio::test]
async fn names_roles_and_organisations_change_within_what_the_caller_may_give() {
    let app = spawn_app().await;
    let (own, manager) = app.clinic_with_manager("Own Clinic").await;
    let other = app.organisation("Other Clinic").await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let nurse = app
        .user("nurse@example.test", Role::ClinicUser, Some(own))
        .await;

    let change = |name: &str, role: &str, organisation: Option<i64>| json!({ "change": { "user_id": nurse, "display_name": name, "role": role, "organisation_id": organisation } });
    // A manager renames and promotes within the organisation; the organisation stays theirs.
    let detail: AccountDetail = manager
        .read_json(
            "accounts/update",
            &change("Nia Nurse", "clinic_manager", Some(other)),
        )
        .await;
    assert_eq!(detail.summary.display_name, "Nia Nurse");
    assert_eq!(detail.summary.role, Role::ClinicManager);
    assert_eq!(detail.organisation_id, Some(own));
    // But cannot make a registry administrator, nor a patient.
    let response = manager
        .call_json(
            "accounts/update",
            &change("Nia Nurse", "registry_admin", None),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (status, error) = refusal(
        manager
            .call_json("accounts/update", &change("Nia Nurse", "patient", None))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&error)[0].field, "role");
    // An empty name is refused against its field.
    let (_, error) = refusal(
        manager
            .call_json("accounts/update", &change("  ", "clinic_user", None))
            .await,
    )
    .await;
    assert_eq!(field_errors(&error)[0].field, "display_name");
    // An administrator moves the person to another organisation.
    let detail: AccountDetail = admin
        .read_json(
            "accounts/update",
            &change("Nia Nurse", "clinic_user", Some(other)),
        )
        .await;
    assert_eq!(detail.organisation_id, Some(other));
    assert_eq!(detail.summary.organisation.as_deref(), Some("Other Clinic"));
    // Nobody changes their own role.
    let admin_id: i64 = app
        .sql_scalar("SELECT id FROM users WHERE email = 'admin@example.test'")
        .await;
    let own_role = json!({ "change": { "user_id": admin_id, "display_name": "Ada Admin", "role": "clinic_user", "organisation_id": own } });
    let response = admin.call_json("accounts/update", &own_role).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let changes: i64 = app
        .sql_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'account.changed'")
        .await;
    assert_eq!(changes, 2);
}

#[tokio::test]
async fn the_clinic_contact_is_printed_on_its_implant_cards_settings() {
    let app = spawn_app().await;
    let (clinic, manager) = app.clinic_with_manager("Contact Clinic").await;
    let response = manager
        .call(
            "organisations/set-contact",
            &[
                ("organisation_id", &clinic.to_string()),
                ("contact", " Telephone 0113 496 0000 \n\n 1 Clinic Road "),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let organisation: OrganisationDetail = read(response).await;
    assert_eq!(
        organisation.contact.as_deref(),
        Some("Telephone 0113 496 0000\n1 Clinic Road")
    );
    let (status, error) = refusal(
        manager
            .call(
                "organisations/set-contact",
                &[
                    ("organisation_id", &clinic.to_string()),
                    ("contact", &"x".repeat(301)),
                ],
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&error)[0].field, "contact");
    assert!(app.audited("organisation.contact_set").await);
}
