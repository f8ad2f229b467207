//! Sessions end: when an account is disabled, after idle and absolute timeouts, everywhere on
//! request, and on other devices when the password changes.

use app::api::ApiError;
use app::api::session::{Role, SessionState};
use reqwest::StatusCode;

use crate::helpers::{Browser, PASSWORD, field_errors, read, refusal, spawn_app};

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once() {
    let app = spawn_app().await;
    let (organisation, manager) = app.clinic_with_manager("Test Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    assert_eq!(nurse.call("session", &[]).await.status(), StatusCode::OK);
    let nurse_id: i64 = app
        .sql_scalar("SELECT id FROM users WHERE email = 'nurse@example.test'")
        .await;

    let response = manager
        .call(
            "accounts/set-disabled",
            &[("user_id", &nurse_id.to_string()), ("disabled", "true")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(nurse.session().await, SessionState::SignedOut);
    let (status, error) =
        refusal(nurse.sign_in_attempt("nurse@example.test", PASSWORD).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let ApiError::Denied { message } = &error else {
        panic!("{error:?}")
    };
    assert!(message.contains("disabled"));
    assert!(app.audited("account.disabled").await);
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_timeouts() {
    let app = spawn_app().await;
    let idle = app
        .signed_in("idle@example.test", Role::Patient, None)
        .await;
    let old = app.signed_in("old@example.test", Role::Patient, None).await;
    app.sql_execute("UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00.000Z' WHERE user_id = (SELECT id FROM users WHERE email = 'idle@example.test')").await;
    app.sql_execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE user_id = (SELECT id FROM users WHERE email = 'old@example.test')").await;
    for browser in [&idle, &old] {
        let response = browser.call("session", &[]).await;
        assert!(
            response.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0"),
            "stale cookie cleared"
        );
        assert_eq!(
            read::<SessionState>(response).await,
            SessionState::SignedOut
        );
    }
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let app = spawn_app().await;
    let laptop = app.signed_in("pat@example.test", Role::Patient, None).await;
    let phone = Browser::new(&app);
    phone.sign_in("pat@example.test").await;
    assert_eq!(
        laptop.call("sign-out/everywhere", &[]).await.status(),
        StatusCode::OK
    );
    for browser in [&laptop, &phone] {
        assert_eq!(browser.session().await, SessionState::SignedOut);
    }
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_the_policy_and_ends_other_sessions() {
    let app = spawn_app().await;
    let laptop = app.signed_in("pat@example.test", Role::Patient, None).await;
    let phone = Browser::new(&app);
    phone.sign_in("pat@example.test").await;
    let (status, error) =
        refusal(change_password(&laptop, "wrong one here", "harbour lantern quiet seven").await)
            .await;
    assert_eq!(
        (status, field_errors(&error)[0].field.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "current_password")
    );
    let (status, error) = refusal(change_password(&laptop, PASSWORD, "password123456").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_errors(&error)[0].message.contains("commonly used"));
    let response = change_password(&laptop, PASSWORD, "harbour lantern quiet seven").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(laptop.session().await.signed_in().is_some());
    assert_eq!(phone.session().await, SessionState::SignedOut);
}

async fn change_password(browser: &Browser<'_>, current: &str, new: &str) -> reqwest::Response {
    browser
        .call(
            "password/change",
            &[("current_password", current), ("new_password", new)],
        )
        .await
}
