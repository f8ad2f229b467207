//! What the server checks at start and keeps private: its key files, a mail server (or being
//! told there is none), file modes, host names, and secrets bound to their rows.

use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;

use app::api::session::Role;
use reqwest::StatusCode;
use server::app::AppState;
use server::mailer::RecordingMailer;

use crate::helpers::{config_for, config_with, fake_dist, spawn_app, spawn_app_with};

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
