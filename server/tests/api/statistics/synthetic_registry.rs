//! The synthetic registry: it fills only an empty database, and its seed decides everything
//! it stores.

use server::synthetic::{self, SyntheticError};

use super::{PROCEDURES, plan, registry};
use crate::helpers::{TestApp, spawn_app};

#[tokio::test]
async fn the_synthetic_registry_refuses_a_database_with_records() {
    let app = registry().await;
    let count: i64 = app.sql_scalar("SELECT COUNT(*) FROM procedures").await;
    assert_eq!(count, PROCEDURES as i64);
    let devices: i64 = app.sql_scalar("SELECT COUNT(*) FROM devices").await;
    assert!(devices >= 40);
    match synthetic::fill(&app.state.database, &plan(6)).await {
        Err(error @ SyntheticError::NotEmpty(_)) => {
            assert!(
                error
                    .to_string()
                    .contains(&format!("{PROCEDURES} procedure records")),
                "{error}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        app.sql_scalar::<i64>("SELECT COUNT(*) FROM procedures")
            .await,
        count
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|action| action == "synthetic.filled")
    );
}

/// Everything the synthetic registry stored that its seed decides, in order.
async fn contents(app: &TestApp) -> Vec<String> {
    let mut rows: Vec<String> = app
        .sql_column(
            "SELECT v.procedure_type || ' ' || v.body_site || ' ' || v.laterality || ' ' || v.procedure_date || ' ' \
             || COALESCE(v.patient_pseudonym, '-') || ' ' || o.name || ' ' || v.year_of_birth || ' ' || v.sex \
             FROM procedure_versions v JOIN organisations o ON o.id = v.organisation_id ORDER BY v.procedure_id",
        )
        .await;
    rows.extend(
        app.sql_column::<String>(
            "SELECT c.device_identifier || ' ' || COALESCE(c.lot, '-') || ' ' || COALESCE(c.serial, '-') || ' ' || c.expiry \
             FROM procedure_components c ORDER BY c.id",
        )
        .await,
    );
    rows
}

#[tokio::test]
async fn the_same_seed_makes_the_same_registry() {
    let first = registry().await;
    let again = registry().await;
    let other = spawn_app().await;
    synthetic::fill(&other.state.database, &plan(6))
        .await
        .unwrap();
    let first = contents(&first).await;
    assert!(
        first.len() as u64 > 2 * PROCEDURES,
        "procedures and their components"
    );
    assert_eq!(first, contents(&again).await);
    assert_ne!(first, contents(&other).await);
}
