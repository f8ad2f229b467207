//! Signing in: the session cookie, the authenticator staff must set up and then use every
//! time, recovery codes, and how wrong passwords are answered and limited.

use app::api::ApiError;
use app::api::auth::EnrolmentDetails;
use app::api::session::{Role, SessionState};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Browser, PASSWORD, field_errors, read, refusal, spawn_app};

#[tokio::test]
async fn a_patient_signs_in_with_a_password_and_gets_a_strict_host_only_cookie() {
    let app = spawn_app().await;
    app.user("pat@example.test", Role::Patient, None).await;
    let response = app
        .client
        .post(app.url("/api/sign-in"))
        .form(&[("email", " PAT@example.test "), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("__Host-mdis_session="), "{cookie}");
    for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert_eq!(response.headers()["cache-control"], "no-store");
    let state: SessionState = read(response).await;
    assert_eq!(state.signed_in().map(|info| info.role), Some(Role::Patient));
    assert!(app.audited("sign_in.succeeded").await);
}

#[tokio::test]
async fn staff_must_set_up_an_authenticator_before_anything_else() {
    let app = spawn_app().await;
    let organisation = app.organisation("Test Clinic").await;
    app.user(
        "nurse@example.test",
        Role::ClinicManager,
        Some(organisation),
    )
    .await;
    let browser = Browser::new(&app);
    let state = browser.password_step("nurse@example.test").await;
    assert!(
        matches!(state, SessionState::EnrolmentRequired { .. }),
        "{state:?}"
    );
    let first_cookie = browser.session_cookie().unwrap();

    // Half signed in: nothing else is open.
    let list = json!({ "query": {} });
    let (status, error) = refusal(browser.call_json("accounts/list", &list).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{error:?}");

    let details: EnrolmentDetails = browser.read("second-factor/enrolment", &[]).await;
    assert!(details.qr_svg.contains("<svg"));
    assert!(
        details
            .otpauth_uri
            .starts_with("otpauth://totp/Implant%20Registry:nurse%40example.test?secret=")
    );
    let (status, error) = refusal(
        browser
            .call("second-factor/enrolment/confirm", &[("code", "000000")])
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error:?}");
    assert_eq!(field_errors(&error)[0].field, "code");

    let codes = browser.enrol().await;
    assert_eq!(codes.len(), 10);
    assert_ne!(
        browser.session_cookie().unwrap(),
        first_cookie,
        "a new session id once fully signed in"
    );
    let response = browser.call_json("accounts/list", &list).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.audited("second_factor.enrolled").await);
}

#[tokio::test]
async fn a_code_is_needed_at_every_staff_sign_in_and_works_once() {
    let app = spawn_app().await;
    let first = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let second = Browser::new(&app);
    *second.secret.lock().unwrap() = first.secret.lock().unwrap().clone();
    let state = second.password_step("admin@example.test").await;
    assert!(
        matches!(state, SessionState::SecondFactorRequired { .. }),
        "{state:?}"
    );
    let (status, error) = refusal(
        second
            .call("sign-in/second-factor", &[("code", "123456")])
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error:?}");
    let code = second.code(1);
    assert_eq!(
        second
            .call("sign-in/second-factor", &[("code", &code)])
            .await
            .status(),
        StatusCode::OK
    );

    // The same code cannot sign in a third browser.
    let third = Browser::new(&app);
    third.password_step("admin@example.test").await;
    let response = third
        .call("sign-in/second-factor", &[("code", &code)])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_recovery_code_replaces_the_authenticator_once() {
    let app = spawn_app().await;
    app.user("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let browser = Browser::new(&app);
    browser.password_step("admin@example.test").await;
    let codes = browser.enrol().await;
    let recovery = codes[3].to_lowercase().replace('-', " ");
    for (attempt, expected) in [(1, StatusCode::OK), (2, StatusCode::UNPROCESSABLE_ENTITY)] {
        let other = Browser::new(&app);
        other.password_step("admin@example.test").await;
        let response = other
            .call("sign-in/second-factor", &[("code", &recovery)])
            .await;
        assert_eq!(response.status(), expected, "attempt {attempt}");
    }
}

#[tokio::test]
async fn wrong_and_unknown_credentials_get_the_same_answer() {
    let app = spawn_app().await;
    app.user("pat@example.test", Role::Patient, None).await;
    let browser = Browser::new(&app);
    let (status, wrong) = refusal(
        browser
            .sign_in_attempt("pat@example.test", "not my password")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, unknown) = refusal(
        browser
            .sign_in_attempt("nobody@example.test", "not my password")
            .await,
    )
    .await;
    assert_eq!(wrong, unknown);
    assert_eq!(
        field_errors(&wrong)[0].message,
        "Enter a correct email address and password"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    app.user("pat@example.test", Role::Patient, None).await;
    let browser = Browser::new(&app);
    for attempt in 1..=5 {
        let (status, error) = refusal(
            browser
                .sign_in_attempt("pat@example.test", "wrong password!")
                .await,
        )
        .await;
        let expected = if attempt < 5 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, expected, "attempt {attempt}: {error:?}");
    }
    let response = browser.sign_in_attempt("pat@example.test", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&wait), "{wait}");
    let (_, error) = refusal(response).await;
    let ApiError::RateLimited {
        retry_after_seconds,
    } = error
    else {
        panic!("{error:?}")
    };
    assert!(retry_after_seconds > 0);
    assert_eq!(app.audit_count("sign_in.failed").await, 5);
}

#[tokio::test]
async fn many_failures_from_one_address_slow_it_down_across_accounts() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    for attempt in 0..20 {
        let email = format!("guess{attempt}@example.test");
        let response = browser.sign_in_attempt(&email, "guessing-password").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, error) = refusal(
        browser
            .sign_in_attempt("another@example.test", "guessing-password")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{error:?}");
}
