//! The security review's findings, one regression test each: lockouts under concurrency,
//! address counts, proxies, the audit chain's key and anchors, key files, the mail outbox,
//! names in emails, authenticator replacement, mail settings, input limits, file modes,
//! host names and secrets bound to their rows.

use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;

use app::api::session::Role;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::app::AppState;
use server::mailer::{MailError, Mailer, RecordingMailer};
use server::services::auth::MAX_ACCOUNT_FAILURES;

use crate::helpers::{
    Browser, PASSWORD, config_for, config_with, fake_dist, spawn_app, spawn_app_with,
};
use crate::procedures::{register, site_of, submission, submit, udi};

async fn count(app: &crate::helpers::TestApp, action: &str) -> usize {
    app.audit_actions()
        .await
        .iter()
        .filter(|recorded| *recorded == action)
        .count()
}

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
                .call(
                    "sign-in",
                    &[("email", "target@example.test"), ("password", &password)],
                )
                .await
                .status()
        }
    });
    let statuses = join_all(attempts).await;
    let checked = count(&app, "sign_in.failed").await;
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
    let state: Value = admin
        .call(
            "sign-in",
            &[("email", "admin@example.test"), ("password", PASSWORD)],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(state.get("SecondFactorRequired").is_some(), "{state}");
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
    let checked = count(&app, "second_factor.failed").await;
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
                .call(
                    "sign-in",
                    &[
                        ("email", format!("victim{n}@example.test").as_str()),
                        ("password", "not the password at all"),
                    ],
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
    assert_eq!(count(&app, "sign_in.failed_unknown_account").await, 20);
    assert_eq!(count(&app, "rate_limit.refused").await, 1);
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

/// Rewrites every entry from `from` on with `hash_of`, keeping the links consistent and the
/// head row in step: what someone with write access to the database could do.
async fn rechain(app: &crate::helpers::TestApp, from: i64, hash_of: impl Fn(&str) -> String) {
    app.allow_audit_tampering().await;
    let mut connection = app.state.database.read().await.unwrap();
    let entries = server::db::audit::entries_after(&mut connection, 0, 10_000)
        .await
        .unwrap();
    drop(connection);
    let mut previous = server::audit::GENESIS.to_string();
    for mut entry in entries {
        if entry.id >= from {
            entry.previous_hash = previous.clone();
            entry.hash = hash_of(&server::audit::canonical(&entry));
            app.sql_execute(&format!(
                "UPDATE audit_log SET previous_hash = '{}', hash = '{}' WHERE id = {}",
                entry.previous_hash, entry.hash, entry.id
            ))
            .await;
        }
        previous = entry.hash;
    }
    app.sql_execute(&format!("UPDATE audit_head SET last_hash = '{previous}'"))
        .await;
}

#[tokio::test]
async fn the_audit_chain_cannot_be_rechained_without_its_key_nor_cut_at_the_tail() {
    use sha2::{Digest, Sha256};
    let app = spawn_app().await;
    for n in 0..3 {
        app.signed_in(&format!("p{n}@example.test"), Role::Patient, None)
            .await;
    }
    let intact = server::audit::verify(&app.state.database, Some(&app.state.anchors))
        .await
        .unwrap();
    assert!(intact.first_broken.is_none(), "{intact:?}");

    // An edit re-hashed with plain SHA-256 (all anyone without the key can do) is found.
    app.allow_audit_tampering().await;
    app.sql_execute("UPDATE audit_log SET client_ip = '10.9.9.9' WHERE id = 2")
        .await;
    rechain(&app, 2, |text| {
        server::auth::tokens::hex(&Sha256::digest(text.as_bytes()))
    })
    .await;
    let report = server::audit::verify(&app.state.database, None)
        .await
        .unwrap();
    let broken = report.first_broken.expect("a re-chained edit is found");
    assert_eq!(broken.entry_id, 2);

    // The tail: the newest entries removed and the head row set back. The chain alone is
    // whole, but the copy of the head kept outside the database is not in it.
    let app = spawn_app().await;
    for n in 0..3 {
        app.signed_in(&format!("p{n}@example.test"), Role::Patient, None)
            .await;
    }
    assert!(
        server::audit::anchor(&app.state.database, &app.state.anchors)
            .await
            .unwrap()
    );
    let last: i64 = app.sql_scalar("SELECT MAX(id) FROM audit_log").await;
    app.allow_audit_tampering().await;
    app.sql_execute(&format!("DELETE FROM audit_log WHERE id > {}", last - 2))
        .await;
    let (id, hash): (i64, String) = (
        app.sql_scalar("SELECT MAX(id) FROM audit_log").await,
        app.sql_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .await,
    );
    app.sql_execute(&format!(
        "UPDATE audit_head SET last_id = {id}, last_hash = '{hash}'"
    ))
    .await;
    let chain_alone = server::audit::verify(&app.state.database, None)
        .await
        .unwrap();
    assert!(
        chain_alone.first_broken.is_none(),
        "the chain alone cannot tell"
    );
    let report = server::audit::verify(&app.state.database, Some(&app.state.anchors))
        .await
        .unwrap();
    let broken = report.first_broken.expect("the cut tail is found");
    assert!(
        broken.reason.contains("removed from the end"),
        "{}",
        broken.reason
    );
    assert_eq!(broken.entry_id, last);
}

#[tokio::test]
async fn reads_across_the_registry_are_audited() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    admin
        .call_json("procedures/list", &json!({ "query": {} }))
        .await;
    admin
        .call_json("audit/list", &json!({ "query": { "action": "sign_in" } }))
        .await;
    let actions = app.audit_actions().await;
    assert!(
        actions.contains(&"procedures.listed".to_string()),
        "{actions:?}"
    );
    assert!(actions.contains(&"audit.viewed".to_string()), "{actions:?}");
}

#[tokio::test]
async fn a_missing_or_different_key_file_stops_the_server_at_start() {
    let data_dir = tempfile::tempdir().unwrap();
    let dist_dir = fake_dist();
    let config = config_for(data_dir.path(), dist_dir.path()).await;
    let mailer = Arc::new(RecordingMailer::default());
    {
        let state = AppState::open_with_mailer(&config, mailer.clone())
            .await
            .unwrap();
        server::seed::create_admin(&state, "first@example.test", "First Admin")
            .await
            .unwrap();
    }
    let keys = data_dir.path().join("keys");
    let pseudonym = std::fs::read(keys.join("pseudonym.key")).unwrap();
    std::fs::remove_file(keys.join("pseudonym.key")).unwrap();
    let error = AppState::open_with_mailer(&config, mailer.clone())
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        error.contains("pseudonym.key") && error.contains("missing"),
        "{error}"
    );
    assert!(!keys.join("pseudonym.key").exists(), "no new key was made");

    std::fs::write(keys.join("pseudonym.key"), &pseudonym).unwrap();
    std::fs::write(keys.join("account.key"), [7u8; 32]).unwrap();
    let error = AppState::open_with_mailer(&config, mailer)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        error.contains("account.key") && error.contains("holds key"),
        "{error}"
    );
}

#[tokio::test]
async fn without_a_mail_server_the_server_refuses_to_start_unless_told() {
    use clap::Parser;
    let data_dir = tempfile::tempdir().unwrap();
    let dist_dir = fake_dist();
    let config = server::config::Config::try_parse_from([
        "mdis-server",
        "--data-dir",
        data_dir.path().to_str().unwrap(),
        "--dist-dir",
        dist_dir.path().to_str().unwrap(),
    ])
    .unwrap();
    let error = AppState::open(&config).await.err().expect("refused");
    assert!(error.to_string().contains("--smtp-url"), "{error}");
    let told = config_for(data_dir.path(), dist_dir.path()).await;
    assert!(AppState::open(&told).await.is_ok());
}

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
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["Invalid"]["errors"][0]["field"], "display_name");
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

    let no_password = nurse.call("second-factor/enrolment", &[]).await;
    assert_eq!(no_password.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = no_password.json().await.unwrap();
    assert_eq!(body["Invalid"]["errors"][0]["field"], "current_password");
    let wrong = nurse
        .call(
            "second-factor/enrolment",
            &[("current_password", "not my password at all")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["Invalid"]["errors"][0]["field"], "current_password");
    let started = nurse
        .call("second-factor/enrolment", &[("current_password", PASSWORD)])
        .await;
    assert_eq!(started.status(), StatusCode::OK);
    let details: Value = started.json().await.unwrap();
    let secret = server::auth::totp::from_base32(details["secret"].as_str().unwrap()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = server::auth::totp::code_at_step(
        &secret,
        server::auth::totp::step_at(now),
        server::auth::totp::DIGITS,
    );
    let confirmed = nurse
        .call("second-factor/enrolment/confirm", &[("code", &code)])
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let state: Value = other_device
        .call("session", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(state, json!("SignedOut"), "the other session was ended");
    let state: Value = nurse.call("session", &[]).await.json().await.unwrap();
    assert!(state.get("SignedIn").is_some(), "this one stays");
    let told = app.emails_about("An authenticator app was set up").await;
    assert!(
        told.iter().any(|message| message.to == "nurse@example.test"
            && message.body.contains("in place of the old one")),
        "{told:?}"
    );
    assert!(count(&app, "second_factor.replaced").await == 1);
}

#[tokio::test]
async fn input_beyond_the_limits_is_refused_on_its_field() {
    let app = spawn_app().await;
    let (stem, _) = register(&app).await;
    let organisation = app.organisation("Riverside Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let site = site_of(&app, organisation).await;
    let components = (0..3000)
        .map(|n| udi(&stem, "281231", &format!("L{n}")))
        .collect();
    let (status, body) = submit(
        &nurse,
        &submission("key-limit-0001aaaaaa", site, components, None),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["Invalid"]["errors"][0]["field"], "components",
        "{body}"
    );

    let huge = submission(
        "key-limit-0002aaaaaa",
        site,
        vec![udi(&stem, "281231", &"L".repeat(500_000))],
        None,
    );
    let response = nurse
        .call_json("procedures/submit", &json!({ "submission": huge }))
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let stored: i64 = app.sql_scalar("SELECT COUNT(*) FROM procedures").await;
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn the_servers_files_are_private() {
    let app = spawn_app().await;
    app.user("someone@example.test", Role::Patient, None).await;
    let mode =
        |path: std::path::PathBuf| std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    let data = app.data_dir.path();
    assert_eq!(mode(data.to_path_buf()), 0o700);
    assert_eq!(mode(data.join("keys")), 0o700);
    assert_eq!(mode(data.join("keys/audit.key")), 0o600);
    if !crate::helpers::on_postgres() {
        assert_eq!(mode(data.join("mdis.sqlite3")), 0o600);
        assert_eq!(mode(data.join("mdis.sqlite3-wal")), 0o600);
    }
}

#[tokio::test]
async fn requests_naming_another_host_are_refused() {
    let app = spawn_app_with(
        &["--allowed-hosts", "implants.example.org"],
        Arc::new(RecordingMailer::default()),
        None,
    )
    .await;
    let page = app.get("/").await;
    assert_eq!(page.status(), StatusCode::MISDIRECTED_REQUEST);
    let named = app
        .client
        .get(app.url("/"))
        .header("host", "implants.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(named.status(), StatusCode::OK);
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn secrets_sealed_before_binding_are_bound_to_their_rows_at_start() {
    let data_dir = tempfile::tempdir().unwrap();
    let dist_dir = fake_dist();
    let config = config_with(data_dir.path(), dist_dir.path(), &[]).await;
    let mailer = Arc::new(RecordingMailer::default());
    let state = AppState::open_with_mailer(&config, mailer.clone())
        .await
        .unwrap();
    let key: [u8; 32] = std::fs::read(data_dir.path().join("keys/account.key"))
        .unwrap()
        .try_into()
        .unwrap();
    let secrets = server::auth::keys::SecretBox::new(&key);
    let mut connection = state.database.read().await.unwrap();
    for user in [1_i64, 2] {
        let sealed = secrets.seal_unbound(format!("seed {user}").as_bytes());
        server::on_engine!(&mut connection, c => sqlx::query(
            "INSERT INTO users (id, email, display_name, role, totp_secret, created_at) \
             VALUES ($1, $2, 'A', 'patient', $3, '2026-12-01T00:00:00.000Z')",
        )
        .bind(user)
        .bind(format!("u{user}@example.test"))
        .bind(&sealed)
        .execute(c)
        .await
        .map(drop))
        .unwrap();
    }
    server::on_engine!(&mut connection, c => sqlx::query("UPDATE instance SET secrets_bound = FALSE")
        .execute(c)
        .await
        .map(drop))
        .unwrap();
    drop(connection);
    drop(state);
    let state = AppState::open_with_mailer(&config, mailer).await.unwrap();
    let mut connection = state.database.read().await.unwrap();
    let sealed: Vec<Vec<u8>> = server::on_engine!(&mut connection, c => sqlx::query_scalar(
        "SELECT totp_secret FROM users ORDER BY id",
    )
    .fetch_all(c)
    .await)
    .unwrap();
    use server::auth::keys::SealedFor;
    let first = SealedFor::Authenticator { user_id: 1 };
    assert_eq!(
        secrets.open(&sealed[0], first).as_deref(),
        Some(b"seed 1".as_slice())
    );
    assert_eq!(secrets.open_unbound(&sealed[0]), None, "no longer unbound");
    assert_eq!(
        secrets.open(&sealed[1], first),
        None,
        "user 2's secret is not user 1's"
    );
}
