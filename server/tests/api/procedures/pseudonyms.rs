//! Pseudonym evaluations, limited per person and counted across restarts, and the key each
//! clinic user's browser encrypts drafts with.

use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::json;
use server::services::procedures::pseudonyms::PER_USER;

use crate::helpers::records::pseudonymise;
use crate::helpers::{Browser, spawn_app};

#[tokio::test]
async fn pseudonym_evaluations_are_limited_per_person() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    for _ in 0..PER_USER.max {
        pseudonymise(&nurse, "999 123 4578", (1960, 5, 13)).await;
    }
    let response = nurse
        .call_json("pseudonym/evaluate", &json!({ "blinded": vec![0u8; 32] }))
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.audit_count("pseudonym.evaluated").await,
        PER_USER.max as usize
    );
    assert_eq!(
        app.audit_count("rate_limit.refused").await,
        1,
        "the refusal is audited once per window"
    );
    // Kept in the database: a new server process (a restart) counts on.
    let counted: i64 = app
        .sql_scalar(
            "SELECT CAST(SUM(count) AS BIGINT) FROM rate_counters WHERE bucket = 'pseudonym.user'",
        )
        .await;
    assert_eq!(counted, i64::from(PER_USER.max));
}

#[tokio::test]
async fn each_clinic_user_gets_their_own_stable_draft_key() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let first = app
        .signed_in("a@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let second = app
        .signed_in("b@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let one = draft_key(&first).await;
    assert_eq!(one.len(), 32);
    assert_eq!(draft_key(&first).await, one);
    assert_ne!(draft_key(&second).await, one);
}

async fn draft_key(browser: &Browser<'_>) -> Vec<u8> {
    browser.read("procedures/draft-key", &[]).await
}
