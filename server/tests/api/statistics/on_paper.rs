//! A registry small enough to work out on paper, and its figures as the pages show them to
//! administrators (exact) and to everyone else (controlled).

use app::api::session::Role;
use app::api::statistics::{PublicStatistics, StatisticsQuery};
use domain::calendar::CalendarDate;
use domain::procedure::BodySite;
use domain::statistics::{Count, SurvivalRow};
use serde_json::{Value, json};
use server::synthetic;

use super::{
    SUPPRESSED, assert_suppressed_as_range, clinician_at, dashboard, dashboard_json, shown,
};
use crate::helpers::{Browser, spawn_app};
use crate::responses::read;

/// A registry small enough to work out on paper (see [`a_small_registry_has_the_figures_worked_out_by_hand`]):
/// twelve followable hip primaries on 1 January 2020 at the first clinic, three of them
/// revised, one primary without consent, one revision of a primary done before the registry,
/// one second revision.
fn registry_on_paper() -> Vec<synthetic::SyntheticProcedure> {
    use domain::procedure::{BodySite, Laterality, ProcedureType, RevisionReason, Sex};
    use synthetic::catalogue::{DEVICES, UNREGISTERED, unregistered_gtin};
    let day = |text: &str| CalendarDate::from_iso(text).unwrap();
    let component =
        |identifier: String, registered: bool, lot: Option<&str>, serial: Option<&str>| {
            synthetic::SyntheticComponent {
                device_identifier: identifier,
                register_entry: registered.then_some(0),
                lot: lot.map(str::to_string),
                serial: serial.map(str::to_string),
                expiry: day("2030-01-01"),
            }
        };
    let stem = || component(DEVICES[0].gtin(), true, Some("LOT1"), None);
    let procedure =
        |date: &str, kind: ProcedureType, patient: Option<u32>| synthetic::SyntheticProcedure {
            clinic: 0,
            site: 0,
            consultant_gmc: "1234567".into(),
            date: day(date),
            kind,
            body_site: BodySite::Hip,
            laterality: Laterality::Left,
            revision_reasons: if kind == ProcedureType::Primary {
                Vec::new()
            } else {
                vec![RevisionReason::Infection]
            },
            // Pseudonyms are keyed-hash output: 64 hex digits that differ from the start.
            pseudonym: patient.map(|patient| {
                format!(
                    "{:016x}",
                    u64::from(patient).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                )
                .repeat(4)
            }),
            year_of_birth: 1950,
            sex: Sex::Female,
            postcode_district: "LS1",
            components: vec![stem()],
        };
    let mut registry: Vec<_> = (1..=12)
        .map(|patient| procedure("2020-01-01", ProcedureType::Primary, Some(patient)))
        .collect();
    // Patient 10: no lot or serial; patient 11: a second, registered, part with a serial only;
    // patient 12: no lot or serial either.
    registry[9].components = vec![component(DEVICES[0].gtin(), true, None, None)];
    registry[10]
        .components
        .push(component(DEVICES[0].gtin(), true, None, Some("SN11")));
    registry[11].components = vec![component(DEVICES[0].gtin(), true, None, None)];
    // No consent: in the volumes, not in the survival; its part is not in the register.
    let mut unconsented = procedure("2020-01-01", ProcedureType::Primary, None);
    unconsented.components = vec![component(
        unregistered_gtin(UNREGISTERED[0].0),
        false,
        Some("LOT9"),
        None,
    )];
    registry.push(unconsented);
    registry.push(procedure("2020-07-01", ProcedureType::Revision, Some(1)));
    registry.push(procedure("2021-07-01", ProcedureType::Revision, Some(2)));
    registry.push(procedure("2022-01-01", ProcedureType::Revision, Some(3)));
    // Patient 3's second revision: not counted again.
    registry.push(procedure("2023-01-01", ProcedureType::Revision, Some(3)));
    // Patient 99 had the primary before the registry began.
    registry.push(procedure("2023-03-01", ProcedureType::Revision, Some(99)));
    registry
}

/// `actual` is there and is `expected` to the second decimal.
fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or_else(|| panic!("no figure where {expected} is expected"));
    assert!(
        (actual - expected).abs() < 0.005,
        "{actual} is {expected} to the second decimal"
    );
}

/// A row's counts: at risk and revised.
fn risk_and_revised(row: &SurvivalRow) -> (Count, Count) {
    (row.at_risk, row.revisions)
}

#[tokio::test]
async fn a_small_registry_has_the_figures_worked_out_by_hand() {
    let app = spawn_app().await;
    synthetic::fill_with(
        &app.state.database,
        registry_on_paper().into_iter(),
        json!("made by hand"),
    )
    .await
    .unwrap();
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let query = StatisticsQuery {
        body_site: "hip".into(),
        ..super::as_of("2026-06-30")
    };
    let exact = dashboard(&admin, &query).await;
    assert!(exact.exact);

    // Linkage: 13 primaries (1 without a pseudonym), 5 revisions, of which 3 first linked,
    // 1 later revision of patient 3, 1 without a primary.
    let linkage = &exact.linkage;
    for (key, actual, expected) in [
        ("primaries", linkage.primaries, 13),
        ("unlinkable_primaries", linkage.unlinkable_primaries, 1),
        ("revisions", linkage.revisions, 5),
        ("linked_revisions", linkage.linked_revisions, 3),
        ("later_revisions", linkage.later_revisions, 1),
        (
            "revisions_without_primary",
            linkage.revisions_without_primary,
            1,
        ),
    ] {
        assert_eq!(actual, shown(expected), "{key}");
    }

    // Follow-up from 2020-01-01: revisions at 182, 547 and 731 days; nine censored at
    // 2026-06-30, 2372 days. Kaplan–Meier: S = 11/12 after 182 days (G = 1/(12·11)),
    // 10/12 after 547 (G += 1/(11·10)), 9/12 after 731 (G += 1/(10·9)).
    let hips = &exact
        .site_survival
        .iter()
        .find(|site| site.body_site == BodySite::Hip)
        .unwrap()
        .report;
    assert_eq!(
        (hips.primaries, hips.revisions, hips.unlinkable),
        (shown(12), shown(3), shown(1))
    );
    let year = |n: usize| &hips.table[n - 1];
    // Year 1 (365.25 days): 11 at risk, 1 revised, 100·(1 − 11/12) = 8.33 %.
    // ln S = −0.08701, √G = 0.08704, spread = 1.95996·0.08704/0.08701 = 1.9606,
    // ln(−ln S) = −2.4417: S between exp(−exp(−2.4417 + 1.9606)) = 0.5390 and
    // exp(−exp(−2.4417 − 1.9606)) = 0.9878, so 1.22 % to 46.10 % revised.
    assert_eq!(risk_and_revised(year(1)), (shown(11), shown(1)));
    close(year(1).cumulative_percent_revised, 8.33);
    close(year(1).lower_95, 1.22);
    close(year(1).upper_95, 46.10);
    // Year 2 (730.5 days): patient 3 (revised at 731 days) is still at risk: 10, 2 revised,
    // 100·(1 − 10/12) = 16.67 %; G = 1/132 + 1/110, limits 4.45 % to 51.83 %.
    assert_eq!(risk_and_revised(year(2)), (shown(10), shown(2)));
    close(year(2).cumulative_percent_revised, 16.67);
    close(year(2).lower_95, 4.45);
    close(year(2).upper_95, 51.83);
    // Year 3: 9 at risk, fewer than 10, so withheld; year 7: nobody followed so long.
    assert_eq!(year(3).at_risk, shown(9));
    assert!(year(3).cumulative_percent_revised.is_none());
    assert!(year(3).lower_95.is_none() && year(3).upper_95.is_none());
    assert_eq!(year(7).at_risk, shown(0));
    assert_eq!(hips.table.len(), 20);

    // Completeness in 2020: 13 primaries and patient 1's revision, 13 of 14 linkable
    // (92.86 %); 15 components, 14 matched to the register (93.33 %), 13 with a lot or serial
    // (86.67 %).
    let in_2020 = exact
        .completeness
        .iter()
        .find(|row| row.year == 2020)
        .unwrap();
    for (key, actual, expected) in [
        ("procedures", in_2020.procedures, 14),
        ("linkable", in_2020.linkable, 13),
        ("components", in_2020.components, 15),
        ("matched_to_register", in_2020.matched_to_register, 14),
        ("with_lot_or_serial", in_2020.with_lot_or_serial, 13),
    ] {
        assert_eq!(actual, shown(expected), "{key}");
    }
    close(in_2020.linkable_percent, 92.86);
    close(in_2020.matched_percent, 93.33);
    close(in_2020.lot_or_serial_percent, 86.67);
    // Volumes: 2020 has 13 primaries and 1 revision; 2023 two revisions, no primary.
    let volume = |year: u16| {
        exact
            .volumes
            .iter()
            .find(|row| row.year == year && row.body_site == BodySite::Hip)
            .map(|row| (row.primaries, row.revisions))
    };
    assert_eq!(volume(2020), Some((shown(13), shown(1))));
    assert_eq!(volume(2023), Some((shown(0), shown(2))));

    // The public, and a clinic's staff on the public page, see the same figures controlled:
    // 1 to 7 as "1–7", the rest to the nearest 5 (13 → 15, 12 → 10, 11 → 10, 14 → 15);
    // rates and percentages as they are.
    let (_, clinic) = clinician_at(&app, 0).await;
    for viewer in [Browser::new(&app), clinic] {
        let public_json = dashboard_json(&viewer, &query).await;
        assert!(
            assert_suppressed_as_range(&public_json) > 0,
            "small counts are sent as \"1–7\""
        );
        let public: PublicStatistics = read(&public_json);
        assert!(!public.exact);
        assert_eq!(public.linkage.primaries, shown(15));
        assert_eq!(public.linkage.unlinkable_primaries, SUPPRESSED);
        assert_eq!(public.linkage.revisions, SUPPRESSED);
        let report = &public.site_survival[0].report;
        assert_eq!(
            (report.primaries, report.revisions, report.unlinkable),
            (shown(10), SUPPRESSED, SUPPRESSED)
        );
        let first = &report.table[0];
        assert_eq!(risk_and_revised(first), (shown(10), SUPPRESSED));
        assert_eq!(
            first.cumulative_percent_revised,
            year(1).cumulative_percent_revised
        );
        assert_eq!(report.table[2].at_risk, shown(10), "9 rounds to 10");
        let completeness = &public.completeness[0];
        assert_eq!(
            (completeness.procedures, completeness.components),
            (shown(15), shown(15))
        );
        assert_eq!(
            completeness.linkable_percent,
            exact.completeness[0].linkable_percent
        );
        // The REST answer is the public page's.
        let rest: Value = app
            .get("/api/v1/statistics/survival?body_site=hip&as_of=2026-06-30")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(rest, serde_json::to_value(report).unwrap());
    }
}
