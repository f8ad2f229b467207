//! Signing in with a second factor, sessions, lockout, passwords, invitations, and what each
//! role may do.

use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, PASSWORD, spawn_app};

async fn error(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

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
    let state: Value = response.json().await.unwrap();
    assert_eq!(state["SignedIn"]["role"], "patient");
    assert!(
        app.audit_actions()
            .await
            .contains(&"sign_in.succeeded".to_string())
    );
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
    let state: Value = browser
        .call(
            "sign-in",
            &[("email", "nurse@example.test"), ("password", PASSWORD)],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(state.get("EnrolmentRequired").is_some(), "{state}");
    let first_cookie = browser.session_cookie().unwrap();

    // Half signed in: nothing else is open.
    let (status, body) = error(
        browser
            .call_json("accounts/list", &json!({ "query": {} }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    let details: Value = browser
        .call("second-factor/enrolment", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(details["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(
        details["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Implant%20Registry:nurse%40example.test?secret=")
    );
    let (status, body) = error(
        browser
            .call("second-factor/enrolment/confirm", &[("code", "000000")])
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Invalid"]["errors"][0]["field"], "code");

    let codes = browser.enrol().await;
    assert_eq!(codes.len(), 10);
    assert_ne!(
        browser.session_cookie().unwrap(),
        first_cookie,
        "a new session id once fully signed in"
    );
    let (status, _) = error(
        browser
            .call_json("accounts/list", &json!({ "query": {} }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        app.audit_actions()
            .await
            .contains(&"second_factor.enrolled".to_string())
    );
}

#[tokio::test]
async fn a_code_is_needed_at_every_staff_sign_in_and_works_once() {
    let app = spawn_app().await;
    let first = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let second = Browser::new(&app);
    *second.secret.lock().unwrap() = first.secret.lock().unwrap().clone();
    let state: Value = second
        .call(
            "sign-in",
            &[("email", "admin@example.test"), ("password", PASSWORD)],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(state.get("SecondFactorRequired").is_some(), "{state}");
    let (status, body) = error(
        second
            .call("sign-in/second-factor", &[("code", "123456")])
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
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
    third
        .call(
            "sign-in",
            &[("email", "admin@example.test"), ("password", PASSWORD)],
        )
        .await;
    let (status, _) = error(
        third
            .call("sign-in/second-factor", &[("code", &code)])
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_recovery_code_replaces_the_authenticator_once() {
    let app = spawn_app().await;
    app.user("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let browser = Browser::new(&app);
    browser
        .call(
            "sign-in",
            &[("email", "admin@example.test"), ("password", PASSWORD)],
        )
        .await;
    let codes = browser.enrol().await;
    let recovery = codes[3].to_lowercase().replace('-', " ");
    for (attempt, expected) in [(1, StatusCode::OK), (2, StatusCode::UNPROCESSABLE_ENTITY)] {
        let other = Browser::new(&app);
        other
            .call(
                "sign-in",
                &[("email", "admin@example.test"), ("password", PASSWORD)],
            )
            .await;
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
    let (status, wrong) = error(
        browser
            .call(
                "sign-in",
                &[
                    ("email", "pat@example.test"),
                    ("password", "not my password"),
                ],
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, unknown) = error(
        browser
            .call(
                "sign-in",
                &[
                    ("email", "nobody@example.test"),
                    ("password", "not my password"),
                ],
            )
            .await,
    )
    .await;
    assert_eq!(wrong, unknown);
    assert_eq!(
        wrong["Invalid"]["errors"][0]["message"],
        "Enter a correct email address and password"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    app.user("pat@example.test", Role::Patient, None).await;
    let browser = Browser::new(&app);
    for attempt in 1..=5 {
        let (status, body) = error(
            browser
                .call(
                    "sign-in",
                    &[
                        ("email", "pat@example.test"),
                        ("password", "wrong password!"),
                    ],
                )
                .await,
        )
        .await;
        let expected = if attempt < 5 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, expected, "attempt {attempt}: {body}");
    }
    let response = browser
        .call(
            "sign-in",
            &[("email", "pat@example.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&wait), "{wait}");
    let (_, body) = error(response).await;
    assert!(body["RateLimited"]["retry_after_seconds"].as_u64().unwrap() > 0);
    let failures = app
        .audit_actions()
        .await
        .iter()
        .filter(|a| *a == "sign_in.failed")
        .count();
    assert_eq!(failures, 5);
}

#[tokio::test]
async fn many_failures_from_one_address_slow_it_down_across_accounts() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    for attempt in 0..20 {
        let email = format!("guess{attempt}@example.test");
        let (status, _) = error(
            browser
                .call(
                    "sign-in",
                    &[("email", &email), ("password", "guessing-password")],
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, body) = error(
        browser
            .call(
                "sign-in",
                &[
                    ("email", "another@example.test"),
                    ("password", "guessing-password"),
                ],
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once() {
    let app = spawn_app().await;
    let organisation = app.organisation("Test Clinic").await;
    let manager = app
        .signed_in(
            "manager@example.test",
            Role::ClinicManager,
            Some(organisation),
        )
        .await;
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
    let state: Value = nurse.call("session", &[]).await.json().await.unwrap();
    assert_eq!(state, json!("SignedOut"));
    let (status, body) = error(
        nurse
            .call(
                "sign-in",
                &[("email", "nurse@example.test"), ("password", PASSWORD)],
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["Denied"]["message"]
            .as_str()
            .unwrap()
            .contains("disabled")
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"account.disabled".to_string())
    );
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
        assert_eq!(response.json::<Value>().await.unwrap(), json!("SignedOut"));
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
        let state: Value = browser.call("session", &[]).await.json().await.unwrap();
        assert_eq!(state, json!("SignedOut"));
    }
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_the_policy_and_ends_other_sessions() {
    let app = spawn_app().await;
    let laptop = app.signed_in("pat@example.test", Role::Patient, None).await;
    let phone = Browser::new(&app);
    phone.sign_in("pat@example.test").await;
    let (status, body) = error(
        laptop
            .call(
                "password/change",
                &[
                    ("current_password", "wrong one here"),
                    ("new_password", "harbour lantern quiet seven"),
                ],
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, body["Invalid"]["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("current_password"))
    );
    let (status, body) = error(
        laptop
            .call(
                "password/change",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "password123456"),
                ],
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["Invalid"]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("commonly used")
    );
    let response = laptop
        .call(
            "password/change",
            &[
                ("current_password", PASSWORD),
                ("new_password", "harbour lantern quiet seven"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        laptop
            .call("session", &[])
            .await
            .json::<Value>()
            .await
            .unwrap()
            .get("SignedIn")
            .is_some()
    );
    assert_eq!(
        phone
            .call("session", &[])
            .await
            .json::<Value>()
            .await
            .unwrap(),
        json!("SignedOut")
    );
}

fn link_token(body: &str) -> String {
    body.split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

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
    let link: Value = stranger
        .call("account-link", &[("token", &token)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(link["purpose"], "password_reset");

    let (status, _) = error(
        stranger
            .call(
                "account-link/set-password",
                &[("token", &token), ("new_password", "short")],
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let response = stranger
        .call(
            "account-link/set-password",
            &[
                ("token", &token),
                ("new_password", "harbour lantern quiet seven"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, _) = error(
        stranger
            .call(
                "account-link/set-password",
                &[
                    ("token", &token),
                    ("new_password", "another lantern quiet eight"),
                ],
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "used once");

    // The admin's existing session ended; the new password still needs the authenticator.
    assert_eq!(
        admin
            .call("session", &[])
            .await
            .json::<Value>()
            .await
            .unwrap(),
        json!("SignedOut")
    );
    let state: Value = stranger
        .call(
            "sign-in",
            &[
                ("email", "admin@example.test"),
                ("password", "harbour lantern quiet seven"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(state.get("SecondFactorRequired").is_some(), "{state}");

    // An expired link is refused.
    stranger
        .call("password/reset-request", &[("email", "admin@example.test")])
        .await;
    let token = link_token(&app.emails_about("Reset your").await[1].body);
    app.sql_execute("UPDATE account_tokens SET expires_at = '2000-01-01T00:00:00.000Z'")
        .await;
    let (status, _) = error(stranger.call("account-link", &[("token", &token)]).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_manager_invites_into_their_own_organisation_only() {
    let app = spawn_app().await;
    let own = app.organisation("Own Clinic").await;
    let other = app.organisation("Other Clinic").await;
    let manager = app
        .signed_in("manager@example.test", Role::ClinicManager, Some(own))
        .await;
    let invitation = json!({ "invitation": {
        "email": "New.Nurse@Example.test", "display_name": "New Nurse", "role": "clinic_user", "organisation_id": other,
    }});
    let response = manager.call_json("accounts/invite", &invitation).await;
    assert_eq!(response.status(), StatusCode::OK);
    let sent: Value = response.json().await.unwrap();
    assert!(
        sent["link"]
            .as_str()
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

    let (status, _) = error(manager.call_json("accounts/invite", &invitation).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "duplicate email");
    let admin_invite = json!({ "invitation": { "email": "a@example.test", "display_name": "A", "role": "registry_admin", "organisation_id": null }});
    let (status, _) = error(manager.call_json("accounts/invite", &admin_invite).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The invited person sets a password and goes straight on to set up an authenticator:
    // the invitation link is the only way to a first one.
    let token = link_token(&app.emails_about("Your Implant Registry account").await[0].body);
    let newcomer = Browser::new(&app);
    let response = newcomer
        .call(
            "account-link/set-password",
            &[("token", &token), ("new_password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let state: Value = response.json().await.unwrap();
    assert!(state.get("EnrolmentRequired").is_some(), "{state}");
    // Someone else with the password alone (guessed, or read over a shoulder) cannot start
    // setting up an authenticator of their own.
    let (status, body) = error(
        Browser::new(&app)
            .call(
                "sign-in",
                &[("email", "new.nurse@example.test"), ("password", PASSWORD)],
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.to_string().contains("not set up yet"), "{body}");
    // The invited person themselves can: they have the enrolment session.
    newcomer.enrol().await;
    let state: Value = newcomer.call("session", &[]).await.json().await.unwrap();
    assert!(state.get("SignedIn").is_some(), "{state}");
}

#[tokio::test]
async fn managers_list_only_their_organisation_and_administrators_all_with_pages() {
    let app = spawn_app().await;
    let own = app.organisation("Own Clinic").await;
    let other = app.organisation("Other Clinic").await;
    for index in 0..25 {
        app.user(
            &format!("staff{index:02}@own.test"),
            Role::ClinicUser,
            Some(own),
        )
        .await;
    }
    app.user("someone@other.test", Role::ClinicUser, Some(other))
        .await;
    let manager = app
        .signed_in("manager@own.test", Role::ClinicManager, Some(own))
        .await;
    let page: Value = manager
        .call_json(
            "accounts/list",
            &json!({ "query": { "search": "", "page": 2 } }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 26);
    assert_eq!(page["items"].as_array().unwrap().len(), 6);
    let other_search: Value = manager
        .call_json(
            "accounts/list",
            &json!({ "query": { "search": "other.test" } }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other_search["total"], 0);

    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let all: Value = admin
        .call_json("accounts/list", &json!({ "query": { "search": "" } }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 28);
    let organisations: Value = admin
        .call("organisations/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(organisations.as_array().unwrap().len(), 2);
    let created = admin
        .call_json(
            "organisations/create",
            &json!({ "name": "New Hospital", "sites": ["Theatre 1", " ", "Theatre 2"] }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::OK);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["sites"].as_array().unwrap().len(), 2);
}

mod admin;
