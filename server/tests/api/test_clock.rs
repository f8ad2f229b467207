//! The end-to-end tests' clock (`--test-clock`): only with `--demo`, only moves on, and absent
//! unless asked for.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use server::app::AppState;
use server::http::test_clock::ClockReading;
use server::mailer::RecordingMailer;

use crate::helpers::{HttpError, TestApp, config_with, fake_dist, spawn_app, spawn_app_with};

async fn move_on(app: &TestApp, seconds: i64) -> reqwest::Response {
    app.client
        .post(app.url("/test/clock/advance"))
        .json(&json!({ "seconds": seconds }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_test_clock_is_refused_without_demo_mode() {
    let data_dir = tempfile::tempdir().unwrap();
    let dist_dir = fake_dist();
    let config = config_with(data_dir.path(), dist_dir.path(), &["--test-clock"]).await;
    let error = AppState::open_with_mailer(&config, Arc::new(RecordingMailer::default()))
        .await
        .err()
        .expect("refused");
    assert!(error.to_string().contains("only with --demo"), "{error}");
}

#[tokio::test]
async fn without_the_flag_there_is_no_way_to_move_the_clock() {
    let app = spawn_app().await;
    let before = app.state.database.now().unix_seconds();
    let response = move_on(&app, 3_600).await;
    assert_ne!(response.status(), StatusCode::OK);
    let after = app.state.database.now().unix_seconds();
    assert!(
        after - before < 60,
        "the clock did not move: {before} → {after}"
    );
}

#[tokio::test]
async fn the_test_clock_moves_on_within_limits_and_never_back() {
    let app = spawn_app_with(
        &["--demo", "--test-clock"],
        Arc::new(RecordingMailer::default()),
        None,
    )
    .await;
    let read: ClockReading = app.get("/test/clock").await.json().await.unwrap();
    let started = read.unix_seconds;

    let moved = move_on(&app, 90).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: ClockReading = moved.json().await.unwrap();
    let now = moved.unix_seconds;
    assert!((90..120).contains(&(now - started)), "{started} → {now}");
    assert!(app.state.database.now().unix_seconds() >= now);

    for refused in [0, -30, 3_601] {
        let response = move_on(&app, refused).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{refused}"
        );
        let body: HttpError = response.json().await.unwrap();
        assert_eq!(body.error, "invalid_move");
    }
    assert!(app.state.database.now().unix_seconds() - now < 30);
}
