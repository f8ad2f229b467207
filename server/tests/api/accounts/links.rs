//! Single-use links: a password reset that works once, briefly, and still needs the second
//! factor; an invitation into the manager's own organisation that leads to an authenticator.

use app::api::accounts::{Invitation, InvitationSent};
use app::api::auth::{AccountLink, LinkPurpose};
use app::api::session::{Role, SessionState};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Browser, PASSWORD, link_token, read, refusal, spawn_app, wording};

#[tokio::test]
async fn a_reset_link_works_once_briefly_and_does_not_bypass_the_second_factor() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let stranger = Browser::new(&app);
    assert_eq!(
        stranger
            .call("password/reset-request", &[("email", "admin@example.test")])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        stranger
            .call(
                "password/reset-request",
                &[("email", "nobody@example.test")]
            )
            .await
            .status(),
        StatusCode::OK
    );
    let messages = app.emails_about("Reset your").await;
    assert_eq!(messages.len(), 1, "only real accounts get mail");
    let token = link_token(&messages[0].body);
    let link: AccountLink = stranger.read("account-link", &[("token", &token)]).await;
    assert_eq!(link.purpose, LinkPurpose::PasswordReset);

    let set_password = |password: &'static str| {
        let token = token.clone();
        let stranger = &stranger;
        async move {
            stranger
                .call(
                    "account-link/set-password",
                    &[("token", &token), ("new_password", password)],
                )
                .await
                .status()
        }
    };
    assert_eq!(
        set_password("short").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        set_password("harbour lantern quiet seven").await,
        StatusCode::OK
    );
    assert_eq!(
        set_password("another lantern quiet eight").await,
        StatusCode::CONFLICT,
        "used once"
    );

    // The admin's existing session ended; the new password still needs the authenticator.
    assert_eq!(admin.session().await, SessionState::SignedOut);
    let state: SessionState = read(
        stranger
            .sign_in_attempt("admin@example.test", "harbour lantern quiet seven")
            .await,
    )
    .await;
    assert!(
        matches!(state, SessionState::SecondFactorRequired { .. }),
        "{state:?}"
    );

    // An expired link is refused.
    stranger
        .call("password/reset-request", &[("email", "admin@example.test")])
        .await;
    let token = link_token(&app.emails_about("Reset your").await[1].body);
    app.sql_execute("UPDATE account_tokens SET expires_at = '2000-01-01T00:00:00.000Z'")
        .await;
    let response = stranger.call("account-link", &[("token", &token)]).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_manager_invites_into_their_own_organisation_only() {
    let app = spawn_app().await;
    let (own, manager) = app.clinic_with_manager("Own Clinic").await;
    let other = app.organisation("Other Clinic").await;
    let invite = |email: &str, name: &str, role: Role, organisation_id: Option<i64>| {
        json!({ "invitation": Invitation {
            email: email.into(), display_name: name.into(), role, organisation_id,
        }})
    };
    let invitation = invite(
        "New.Nurse@Example.test",
        "New Nurse",
        Role::ClinicUser,
        Some(other),
    );
    let sent: InvitationSent = manager.read_json("accounts/invite", &invitation).await;
    assert!(
        sent.link
            .as_deref()
            .unwrap()
            .contains("/account/set-password?token=")
    );
    let organisation: i64 = app
        .sql_scalar("SELECT organisation_id FROM users WHERE email = 'new.nurse@example.test'")
        .await;
    assert_eq!(
        organisation, own,
        "the manager's own organisation, whatever was asked"
    );

    let response = manager.call_json("accounts/invite", &invitation).await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "duplicate email"
    );
    let admin_invite = invite("a@example.test", "A", Role::RegistryAdmin, None);
    let response = manager.call_json("accounts/invite", &admin_invite).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // The invited person sets a password and goes straight on to set up an authenticator:
    // the invitation link is the only way to a first one.
    let token = link_token(&app.emails_about("Your Implant Registry account").await[0].body);
    let newcomer = Browser::new(&app);
    let state: SessionState = newcomer
        .read(
            "account-link/set-password",
            &[("token", &token), ("new_password", PASSWORD)],
        )
        .await;
    assert!(
        matches!(state, SessionState::EnrolmentRequired { .. }),
        "{state:?}"
    );
    // Someone else with the password alone (guessed, or read over a shoulder) cannot start
    // setting up an authenticator of their own.
    let (status, error) = refusal(
        Browser::new(&app)
            .sign_in_attempt("new.nurse@example.test", PASSWORD)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error:?}");
    assert!(wording(&error).contains("not set up yet"), "{error:?}");
    // The invited person themselves can: they have the enrolment session.
    newcomer.enrol().await;
    let state = newcomer.session().await;
    assert!(state.signed_in().is_some(), "{state:?}");
}
