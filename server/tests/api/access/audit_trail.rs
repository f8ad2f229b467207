//! The audit trail: the database refuses edits, the verifier finds tampering and removed
//! entries, and administrators browse it filtered.

use app::api::audit::{AuditEntry, ChainReport};
use app::api::common::Page;
use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{field_errors, refusal, spawn_app};

#[tokio::test]
async fn the_audit_trail_cannot_be_edited_and_tampering_is_found() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let report: ChainReport = admin.read("audit/verify", &[]).await;
    assert_eq!(report.first_broken, None);
    assert!(report.entries_checked >= 2);

    // The database refuses edits outright.
    let refused = app
        .sql_try_execute("UPDATE audit_log SET action = 'nothing' WHERE id = 1")
        .await;
    assert!(refused.unwrap_err().contains("append-only"));
    assert!(
        app.sql_try_execute("DELETE FROM audit_log WHERE id = 1")
            .await
            .is_err()
    );

    // Someone with raw access removes the guard and changes one entry: the verifier finds it.
    app.allow_audit_tampering().await;
    app.sql_execute("UPDATE audit_log SET client_ip = '10.9.9.9' WHERE id = 2")
        .await;
    let report = server::audit::verify(&app.state.database, None)
        .await
        .unwrap();
    let broken = report.first_broken.expect("tampering detected");
    assert_eq!(broken.entry_id, 2);
    assert!(broken.reason.contains("changed"), "{}", broken.reason);
    assert_eq!(report.entries_checked, 1);

    // The browsable trail shows the entries, newest first, filtered.
    let page: Page<AuditEntry> = admin
        .read_json("audit/list", &json!({ "query": { "action": "sign_in" } }))
        .await;
    let actions: Vec<&str> = page.items.iter().map(|e| e.action.as_str()).collect();
    assert!(
        !actions.is_empty() && actions.iter().all(|a| a.starts_with("sign_in")),
        "{actions:?}"
    );
    let (status, error) = refusal(
        admin
            .call_json("audit/list", &json!({ "query": { "from": "2026-02-30" } }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&error)[0].field, "from");
}

#[tokio::test]
async fn a_removed_audit_entry_is_found() {
    let app = spawn_app().await;
    app.signed_in("pat@example.test", Role::Patient, None).await;
    app.signed_in("pat2@example.test", Role::Patient, None)
        .await;
    app.allow_audit_tampering().await;
    app.sql_execute("DELETE FROM audit_log WHERE id = 1").await;
    let report = server::audit::verify(&app.state.database, None)
        .await
        .unwrap();
    assert_eq!(report.first_broken.unwrap().entry_id, 2);
}
