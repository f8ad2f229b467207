//! The synthetic registry's bulk fill stores what a submission through the portal stores (the
//! statistics and the notices' match read both alike).

use super::{PROCEDURES, clinician_at, registry, submit_unlinked};
use crate::procedures::udi;

#[tokio::test]
async fn the_bulk_fill_writes_components_as_a_submission_does() {
    let app = registry().await;
    // Every lot and serial has the range key a submission stores (notices match on them).
    let codes: Vec<String> = app
        .sql_column(
            "SELECT COALESCE(lot, '') || '|' || COALESCE(lot_key, '') || '|' || COALESCE(serial, '') || '|' \
             || COALESCE(serial_key, '') FROM procedure_components ORDER BY id",
        )
        .await;
    assert!(codes.len() as u64 > PROCEDURES);
    let key = |code: &str| {
        if code.is_empty() {
            String::new()
        } else {
            domain::register::range_key(code)
        }
    };
    let mut serials = 0;
    for row in &codes {
        let parts: Vec<&str> = row.split('|').collect();
        assert_eq!(parts[1], key(parts[0]), "{row}");
        assert_eq!(parts[3], key(parts[2]), "{row}");
        serials += usize::from(!parts[2].is_empty());
    }
    assert!(serials > 0, "breast implants have serial numbers");

    // A synthetic component submitted again through the portal is stored alike.
    let found: String = app
        .sql_scalar(
            "SELECT device_identifier || ' ' || lot FROM procedure_components \
             WHERE lot IS NOT NULL AND serial IS NULL AND device_id IS NOT NULL ORDER BY id LIMIT 1",
        )
        .await;
    let (gtin, lot) = found.split_once(' ').unwrap();
    let clinic = clinician_at(&app, 1).await;
    submit_unlinked(
        &app,
        &clinic,
        "statistics-0000000002",
        udi(gtin, "281231", lot),
    )
    .await;
    let stored = |order: &str| {
        format!(
            "SELECT device_identifier || ' ' || agency || ' ' || lot || ' ' || lot_key || ' ' || COALESCE(serial_key, '-') \
             || ' ' || device_id || ' ' || needs_review || ' ' || COALESCE(manufacturer, '-') || ' ' \
             || COALESCE(catalogue_number, '-') FROM procedure_components \
             WHERE device_identifier = '{gtin}' AND lot = '{lot}' ORDER BY id {order} LIMIT 1"
        )
    };
    let bulk: String = app.sql_scalar(&stored("ASC")).await;
    let submitted: String = app.sql_scalar(&stored("DESC")).await;
    assert_eq!(bulk, submitted);
}
