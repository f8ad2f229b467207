//! Registering a patient account: a link by email, and nothing said about existing accounts.

use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Browser, fields, refusal, spawn_app};

#[tokio::test]
async fn registering_sends_a_link_and_does_not_reveal_existing_accounts() {
    let app = spawn_app().await;
    app.user("taken@example.test", Role::Patient, None).await;
    let visitor = Browser::new(&app);
    for email in ["new@example.test", "taken@example.test"] {
        let response = visitor
            .call_json(
                "patients/register",
                &json!({ "email": email, "display_name": "Sam Example" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "same answer for {email}");
    }
    let messages = app.emails().await;
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].to, "new@example.test");
    assert!(messages[0].body.contains("/account/set-password?token="));
    assert_eq!(messages[1].to, "taken@example.test");
    assert!(!messages[1].body.contains("token="));
    let role: String = app
        .sql_scalar("SELECT role FROM users WHERE email = 'new@example.test'")
        .await;
    assert_eq!(role, "patient");

    let (status, error) = refusal(
        visitor
            .call_json(
                "patients/register",
                &json!({ "email": "no-at-sign", "display_name": "" }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&error), ["email", "display_name"]);
}
