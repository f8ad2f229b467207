//! Mail and what goes into it: a stalled mail server holds up no request, names cannot carry
//! lines or addresses into emails, and the owner is told when their authenticator is replaced.

use std::sync::Arc;

use app::api::auth::EnrolmentDetails;
use app::api::session::{Role, SessionState};
use reqwest::StatusCode;
use serde_json::json;
use server::mailer::{MailError, Mailer, RecordingMailer};

use crate::helpers::{Browser, PASSWORD, field_errors, read, refusal, spawn_app, spawn_app_with};

/// A mail server that answers only when the test lets it.
#[derive(Default)]
struct StalledMailServer {
    released: tokio::sync::Notify,
    delivered: RecordingMailer,
}

#[async_trait::async_trait]
impl Mailer for StalledMailServer {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        self.released.notified().await;
        self.delivered.send(to, subject, body).await
    }

    fn is_local(&self) -> bool {
        true
    }
}

#[tokio::test]
async fn a_stalled_mail_server_stalls_no_request_and_the_mail_goes_later() {
    let server = Arc::new(StalledMailServer::default());
    let app = spawn_app_with(
        &[],
        Arc::new(RecordingMailer::default()),
        Some(server.clone()),
    )
    .await;
    let visitor = Browser::new(&app);
    let registration = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        visitor.call_json(
            "patients/register",
            &json!({ "email": "sam@example.test", "display_name": "Sam Example" }),
        ),
    )
    .await
    .expect("answered while the mail server hangs");
    assert_eq!(registration.status(), StatusCode::OK);
    // Other writes go on too.
    let other = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        visitor.call_json(
            "patients/register",
            &json!({ "email": "kim@example.test", "display_name": "Kim Example" }),
        ),
    )
    .await
    .expect("a second write is not stalled");
    assert_eq!(other.status(), StatusCode::OK);
    assert!(server.delivered.messages().is_empty());
    let waiting: i64 = app
        .sql_scalar("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL")
        .await;
    assert_eq!(waiting, 2);
    // The mail server recovers: the queued messages go.
    for _ in 0..2 {
        server.released.notify_one();
        app.state.mail.wake();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.delivered.messages().len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the queued mail was sent"
        );
        server.released.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let bodies: Vec<Option<Vec<u8>>> = app
        .sql_column("SELECT body_sealed FROM mail_outbox WHERE sent_at IS NOT NULL")
        .await;
    assert!(
        bodies.iter().all(Option::is_none),
        "sent bodies (with their links) are dropped"
    );
}

#[tokio::test]
async fn names_cannot_carry_lines_or_addresses_into_emails() {
    let app = spawn_app().await;
    let visitor = Browser::new(&app);
    for name in [
        "Sam\n\nURGENT: your implant is recalled, call 0800 000 000",
        "Sam visit evil.example",
        "Sam https://evil.example",
    ] {
        let response = visitor
            .call_json(
                "patients/register",
                &json!({ "email": "sam@example.test", "display_name": name }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name:?}"
        );
        let (_, error) = refusal(response).await;
        assert_eq!(field_errors(&error)[0].field, "display_name");
    }
    assert!(app.emails().await.is_empty());
}

#[tokio::test]
async fn replacing_the_authenticator_needs_the_password_ends_other_sessions_and_tells_the_owner() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let other_device = Browser::new(&app);
    *other_device.secret.lock().unwrap() = nurse.secret.lock().unwrap().clone();
    other_device.sign_in("nurse@example.test").await;

    let without_the_password: [&[(&str, &str)]; 2] =
        [&[], &[("current_password", "not my password at all")]];
    for form in without_the_password {
        let (status, error) = refusal(nurse.call("second-factor/enrolment", form).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&error)[0].field, "current_password");
    }
    let started = nurse
        .call("second-factor/enrolment", &[("current_password", PASSWORD)])
        .await;
    assert_eq!(started.status(), StatusCode::OK);
    let details: EnrolmentDetails = read(started).await;
    // The new authenticator, set up on this browser: its code for the current step.
    let secret = server::auth::totp::from_base32(&details.secret).expect("a base32 secret");
    *nurse.secret.lock().unwrap() = Some(secret);
    let confirmed = nurse
        .call(
            "second-factor/enrolment/confirm",
            &[("code", &nurse.code(0))],
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert_eq!(
        other_device.session().await,
        SessionState::SignedOut,
        "the other session was ended"
    );
    assert!(
        nurse.session().await.signed_in().is_some(),
        "this one stays"
    );
    let told = app.emails_about("An authenticator app was set up").await;
    assert!(
        told.iter().any(|message| message.to == "nurse@example.test"
            && message.body.contains("in place of the old one")),
        "{told:?}"
    );
    assert!(app.audit_count("second_factor.replaced").await == 1);
}
