//! Submitting: idempotent under retries, the rules applied on the server whatever the browser
//! says, unknown devices accepted and flagged.

use app::api::common::Page;
use app::api::procedures::ProcedureSummary;
use reqwest::StatusCode;
use serde_json::json;
use server::seed::demo_gtin;

use crate::helpers::records::{
    accepted, count, pseudonymise, refused, riverside, site_of, submission, udi,
};
use crate::helpers::{fields, spawn_app};

#[tokio::test]
async fn the_same_submission_twice_is_stored_once() {
    let app = spawn_app().await;
    let clinic = riverside(&app).await;
    let pseudonym = pseudonymise(&clinic.nurse, "999 123 4578", (1960, 5, 13)).await;
    let record = submission(
        "key-0001-aaaaaaaaaaaa",
        clinic.site,
        vec![udi(&clinic.stem, "281231", "L1")],
        Some(pseudonym),
    );

    let first = accepted(&clinic.nurse, &record).await;
    assert!(!first.duplicate);
    let again = accepted(&clinic.nurse, &record).await;
    assert!(again.duplicate);
    assert_eq!(again.record_id, first.record_id);
    assert_eq!(count(&app, "procedures").await, 1);
    assert!(app.audited("pseudonym.evaluated").await);
}

#[tokio::test]
async fn concurrent_retries_of_one_submission_make_one_record() {
    let app = spawn_app().await;
    let clinic = riverside(&app).await;
    let record = submission(
        "key-0002-bbbbbbbbbbbb",
        clinic.site,
        vec![udi(&clinic.stem, "281231", "L1")],
        None,
    );
    let attempts = (0..6).map(|_| accepted(&clinic.nurse, &record));
    let receipts = futures::future::join_all(attempts).await;
    assert!(
        receipts
            .windows(2)
            .all(|pair| pair[0].record_id == pair[1].record_id)
    );
    assert_eq!(count(&app, "procedures").await, 1);
    assert_eq!(count(&app, "procedure_versions").await, 1);
}

#[tokio::test]
async fn the_server_applies_the_rules_whatever_the_browser_says() {
    let app = spawn_app().await;
    let clinic = riverside(&app).await;
    let other = app.organisation("Other Clinic").await;

    let mut bad = submission(
        "key-0003-cccccccccccc",
        site_of(&app, other).await,
        vec![udi(&clinic.stem, "281231", "L1")],
        None,
    );
    bad.consultant_gmc = "12".into();
    let (status, error) = refused(&clinic.nurse, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&error), ["site_id", "consultant_gmc"]);

    // Expired device and components from two makers: both must be confirmed.
    let mut warned = submission(
        "key-0004-dddddddddddd",
        clinic.site,
        vec![
            udi(&clinic.stem, "260131", "OLD"),
            udi(&clinic.cup, "281231", "C1"),
        ],
        None,
    );
    let (status, error) = refused(&clinic.nurse, &warned).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&error),
        ["warning-expired-0", "warning-mix-and-match"]
    );
    warned.acknowledged_warnings = vec!["expired-0".into(), "mix-and-match".into()];
    accepted(&clinic.nurse, &warned).await;
    assert_eq!(
        count(&app, "procedures").await,
        1,
        "nothing stored for the refused attempts"
    );
}

#[tokio::test]
async fn unknown_devices_are_accepted_and_flagged_for_review() {
    let app = spawn_app().await;
    let clinic = riverside(&app).await;
    let unknown = demo_gtin("0506000199999");
    let receipt = accepted(
        &clinic.nurse,
        &submission(
            "key-0005-eeeeeeeeeeee",
            clinic.site,
            vec![udi(&unknown, "281231", "X")],
            None,
        ),
    )
    .await;
    assert!(receipt.notices[0].contains("not in the device register"));
    let flagged: i64 = app
        .sql_scalar("SELECT COUNT(*) FROM procedure_components WHERE needs_review")
        .await;
    assert_eq!(flagged, 1);
    let page: Page<ProcedureSummary> = clinic
        .nurse
        .read_json("procedures/list", &json!({ "query": {} }))
        .await;
    assert!(page.items[0].needs_review);
}
