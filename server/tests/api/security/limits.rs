//! Limits that hold under pressure: fifty wrong passwords or codes at once, an address's count
//! of failures, the client address only a trusted proxy may name, and oversized input.

use std::sync::Arc;

use app::api::session::{Role, SessionState};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use server::mailer::RecordingMailer;
use server::services::auth::MAX_ACCOUNT_FAILURES;

use crate::helpers::records::{refused, riverside, submission, udi};
use crate::helpers::{Browser, field_errors, spawn_app, spawn_app_with};

#[tokio::test]
async fn fifty_simultaneous_wrong_passwords_get_at_most_the_limit_checked() {
    let app = spawn_app().await;
    app.user("target@example.test", Role::Patient, None).await;
    let attacker = Browser::new(&app);
    let attempts = (0..50).map(|n| {
        let attacker = &attacker;
        async move {
            let password = format!("wrong password number {n}");
            attacker
                .sign_in_attempt("target@example.test", &password)
                .await
                .status()
        }
    });
    let statuses = join_all(attempts).await;
    let checked = app.audit_count("sign_in.failed").await;
    assert!(
        checked <= MAX_ACCOUNT_FAILURES as usize,
        "{checked} passwords were checked; the limit is {MAX_ACCOUNT_FAILURES}"
    );
    assert!(checked >= 1);
    let told_wrong = statuses
        .iter()
        .filter(|status| **status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let refused = statuses
        .iter()
        .filter(|status| **status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(told_wrong + refused, 50, "{statuses:?}");
    assert!(
        told_wrong <= checked,
        "only checked passwords are called wrong"
    );
}

#[tokio::test]
async fn fifty_simultaneous_wrong_codes_get_at_most_the_limit_checked() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    admin.call("sign-out", &[]).await;
    let state = admin.password_step("admin@example.test").await;
    assert!(
        matches!(state, SessionState::SecondFactorRequired { .. }),
        "{state:?}"
    );
    let attempts = (0..50).map(|n| {
        let admin = &admin;
        async move {
            let code = format!("{:06}", 100_000 + n);
            admin
                .call("sign-in/second-factor", &[("code", &code)])
                .await
                .status()
        }
    });
    join_all(attempts).await;
    let checked = app.audit_count("second_factor.failed").await;
    assert!(
        (1..=MAX_ACCOUNT_FAILURES as usize).contains(&checked),
        "{checked} codes were checked; the limit is {MAX_ACCOUNT_FAILURES}"
    );
}

#[tokio::test]
async fn a_successful_sign_in_does_not_wipe_the_addresses_failures() {
    let app = spawn_app().await;
    app.user("own@example.test", Role::Patient, None).await;
    let attacker = Browser::new(&app);
    let fail = |n: usize| {
        let attacker = &attacker;
        async move {
            attacker
                .sign_in_attempt(
                    &format!("victim{n}@example.test"),
                    "not the password at all",
                )
                .await
                .status()
        }
    };
    for n in 0..19 {
        assert_eq!(fail(n).await, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The attacker signs in to their own account, which used to clear the address's count.
    attacker.sign_in("own@example.test").await;
    assert_eq!(
        fail(19).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the 20th try"
    );
    assert_eq!(fail(20).await, StatusCode::TOO_MANY_REQUESTS, "and no more");
    // Failed sign-ins for addresses without accounts are audited, and the refusal once.
    assert_eq!(app.audit_count("sign_in.failed_unknown_account").await, 20);
    assert_eq!(app.audit_count("rate_limit.refused").await, 1);
}

#[tokio::test]
async fn only_a_trusted_proxy_is_believed_about_the_clients_address() {
    for (trusted, expected) in [(false, "127.0.0.1"), (true, "203.0.113.7")] {
        let extra: &[&str] = if trusted {
            &["--trusted-proxies", "127.0.0.1/32"]
        } else {
            &[]
        };
        let app = spawn_app_with(extra, Arc::new(RecordingMailer::default()), None).await;
        let response = app
            .client
            .post(app.url("/api/sign-in"))
            .header("x-forwarded-for", "198.51.100.1, 203.0.113.7")
            .form(&[
                ("email", "nobody@example.test"),
                ("password", "whatever it is"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let addresses: Vec<Option<String>> = app
            .sql_column(
                "SELECT client_ip FROM audit_log WHERE action = 'sign_in.failed_unknown_account'",
            )
            .await;
        assert_eq!(
            addresses,
            [Some(expected.to_string())],
            "trusted: {trusted}"
        );
    }
}

#[tokio::test]
async fn input_beyond_the_limits_is_refused_on_its_field() {
    let app = spawn_app().await;
    let clinic = riverside(&app).await;
    let components = (0..3000)
        .map(|n| udi(&clinic.stem, "281231", &format!("L{n}")))
        .collect();
    let (status, error) = refused(
        &clinic.nurse,
        &submission("key-limit-0001aaaaaa", clinic.site, components, None),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error:?}");
    assert_eq!(field_errors(&error)[0].field, "components", "{error:?}");

    let huge = submission(
        "key-limit-0002aaaaaa",
        clinic.site,
        vec![udi(&clinic.stem, "281231", &"L".repeat(500_000))],
        None,
    );
    let response = clinic
        .nurse
        .call_json("procedures/submit", &json!({ "submission": huge }))
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let stored: i64 = app.sql_scalar("SELECT COUNT(*) FROM procedures").await;
    assert_eq!(stored, 0);
}
