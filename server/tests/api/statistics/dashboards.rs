//! Who sees which figures: the public controlled counts, administrators exact ones, a clinic
//! its own against the nation's; and the figures follow a new submission.

use app::api::session::Role;
use app::api::statistics::{ClinicStatistics, PublicStatistics, StatisticsQuery};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::synthetic;

use super::{
    SUPPRESSED, assert_controlled, clinician_at, counts, dashboard, dashboard_json, registry,
    shown, submit_unlinked,
};
use crate::helpers::Browser;
use crate::procedures::udi;
use crate::responses::read;

#[tokio::test]
async fn the_public_never_sees_a_count_from_one_to_seven_and_administrators_see_exact_ones() {
    let app = registry().await;
    let public = Browser::new(&app);
    let figures_json = dashboard_json(&public, &StatisticsQuery::default()).await;
    let figures: PublicStatistics = read(&figures_json);
    assert!(!figures.exact);
    assert!(
        assert_controlled(&figures_json) > 0,
        "a small registry has small counts"
    );
    for site in ["hip", "knee", "breast"] {
        let query = StatisticsQuery {
            body_site: site.into(),
            ..StatisticsQuery::default()
        };
        assert_controlled(&dashboard_json(&public, &query).await);
    }
    // The REST answers follow the same rule.
    let survival: Value = app
        .get("/api/v1/statistics/survival?body_site=breast")
        .await
        .json()
        .await
        .unwrap();
    let mut found = Vec::new();
    counts(&survival, &mut found);
    assert!(
        found
            .iter()
            .all(|count| count.as_u64().is_none_or(|n| n % 5 == 0))
    );

    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let exact_json = dashboard_json(&admin, &StatisticsQuery::default()).await;
    let exact: PublicStatistics = read(&exact_json);
    assert!(exact.exact);
    let primaries: i64 = app
        .sql_scalar("SELECT COUNT(*) FROM procedure_versions WHERE procedure_type = 'primary'")
        .await;
    assert_eq!(exact.linkage.primaries, shown(primaries as u64));
    // The public's figure is the exact one rounded to 5.
    let rounded = (primaries + 2) / 5 * 5;
    assert_eq!(figures.linkage.primaries, shown(rounded as u64));
    let mut found = Vec::new();
    counts(&exact_json, &mut found);
    assert!(
        found
            .iter()
            .any(|count| count.as_u64().is_some_and(|n| (1..=7).contains(&n)))
    );
    assert!(
        found.iter().all(Value::is_number),
        "administrators see numbers only"
    );
}

#[tokio::test]
async fn a_clinic_sees_its_own_figures_only() {
    let app = registry().await;
    let name = synthetic::catalogue::CLINICS[0].name;
    let (organisation, clinician) = clinician_at(&app, 0).await;
    let response = clinician
        .call_json("statistics/clinic", &json!({ "query": {} }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let figures_json: Value = response.json().await.unwrap();
    let figures: ClinicStatistics = read(&figures_json);
    assert_eq!(figures.organisation, name);
    // Each year and site: this clinic's count, controlled, and never another clinic's.
    for row in &figures.volumes {
        let exact: i64 = app
            .sql_scalar(&format!(
                "SELECT COUNT(*) FROM procedure_versions WHERE organisation_id = {organisation} AND procedure_type = 'primary' \
                 AND body_site = '{}' AND procedure_date >= '{}-01-01' AND procedure_date <= '{}-12-31'",
                row.body_site.code(),
                row.year,
                row.year
            ))
            .await;
        let expected = match exact {
            0 => shown(0),
            1..=7 => SUPPRESSED,
            n => shown(((n + 2) / 5 * 5) as u64),
        };
        assert_eq!(row.primaries, expected, "{row:?}");
    }
    let own = figures.volumes.len();
    let national = figures.national_volumes.len();
    assert!(own > 0 && national >= own);
    assert_controlled(&figures_json);

    // Others may not look: patients, administrators (not a clinic), and nobody signed in.
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let refused = admin
        .call_json("statistics/clinic", &json!({ "query": {} }))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let anonymous = Browser::new(&app);
    let refused = anonymous
        .call_json("statistics/clinic", &json!({ "query": {} }))
        .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let refused = anonymous
        .call_json(
            "statistics/csv",
            &json!({ "figure": "clinic_volumes", "query": {} }),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

/// The primaries in the national figures `viewer` sees (they must be shown, not suppressed).
async fn primaries(viewer: &Browser<'_>) -> u64 {
    dashboard(viewer, &StatisticsQuery::default())
        .await
        .linkage
        .primaries
        .value()
        .expect("a shown count")
}

#[tokio::test]
async fn figures_follow_a_new_submission() {
    let app = registry().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let before = primaries(&admin).await;
    let clinic = clinician_at(&app, 1).await;
    let gtin = synthetic::catalogue::DEVICES[0].gtin();
    submit_unlinked(
        &app,
        &clinic,
        "statistics-0000000001",
        udi(&gtin, "281231", "LOT77"),
    )
    .await;
    // The first request after the write is answered from the figures already worked out (no
    // request waits for the registry to be read) and starts a refresh in the background; the
    // new record is in the figures once it has run.
    let first = primaries(&admin).await;
    assert!(
        first == before || first == before + 1,
        "{first} after {before}"
    );
    let mut after = first;
    for _ in 0..300 {
        if after == before + 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        after = primaries(&admin).await;
    }
    assert_eq!(
        after,
        before + 1,
        "the data version moved and the figures were worked out again in the background"
    );
}
