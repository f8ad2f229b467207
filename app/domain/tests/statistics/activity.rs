//! Volumes and completeness by clinic, month and year, and an empty analysis set.

use domain::procedure::{BodySite, Laterality, ProcedureType};
use domain::statistics::{
    AnalysisSet, Audience, ClinicKey, Count, DisclosureControl, completeness_by_year,
    tally_activity,
};

use super::support::{Record, date, procedure};
use BodySite::{Hip, Knee};
use Laterality::Right;
use ProcedureType::Primary;

#[test]
fn completeness_by_clinic_and_month() {
    let mut events = Vec::new();
    for (index, (clinic, on, consented, components)) in [
        (1, "2024-03-05", true, (2, 2, 1)),
        (1, "2024-03-20", false, (3, 1, 3)),
        (1, "2024-04-02", true, (1, 1, 1)),
        (2, "2024-03-09", true, (0, 0, 0)),
    ]
    .into_iter()
    .enumerate()
    {
        let mut event = procedure(Record {
            patient: consented.then_some(index as u64),
            site: Knee,
            side: Right,
            ..Record::left_hip(index as i64, on, Primary)
        });
        event.clinic = ClinicKey(clinic);
        (
            event.components.recorded,
            event.components.matched_to_register,
        ) = (components.0, components.1);
        event.components.with_lot_or_serial = components.2;
        events.push(event);
    }
    let set = AnalysisSet::build(&events, date("2024-12-31"));
    let rows = set.completeness();
    assert_eq!(rows.len(), 3);
    let march = rows[0];
    assert_eq!(
        (march.clinic, march.figures.year, march.month),
        (ClinicKey(1), 2024, 3)
    );
    // 2 procedures, 1 linkable: 50 %; 5 components, 3 matched (60 %), 4 with lot or serial (80 %).
    assert_eq!(march.figures.procedures, Count::Shown(2));
    assert_eq!(march.figures.linkable_percent, Some(50.0));
    assert_eq!(march.figures.matched_percent, Some(60.0));
    assert_eq!(march.figures.lot_or_serial_percent, Some(80.0));
    assert_eq!((rows[1].figures.year, rows[1].month), (2024, 4));
    assert_eq!(rows[2].clinic, ClinicKey(2));
    assert_eq!(
        rows[2].figures.matched_percent, None,
        "no components: no share"
    );

    // By year: clinic 1's two months add up to 3 procedures (2 linkable: 66.7 %), 6
    // components (4 matched, 5 with lot or serial); the nation adds clinic 2's one procedure.
    let as_of = date("2024-12-31");
    let clinic_year =
        completeness_by_year(events.iter().filter(|e| e.clinic == ClinicKey(1)), as_of);
    assert_eq!(clinic_year.len(), 1);
    let year = clinic_year[0];
    assert_eq!(
        (year.year, year.procedures, year.linkable),
        (2024, Count::Shown(3), Count::Shown(2))
    );
    assert_eq!(year.linkable_percent, Some(200.0 / 3.0));
    assert_eq!(year.matched_percent, Some(400.0 / 6.0));
    assert_eq!(year.lot_or_serial_percent, Some(500.0 / 6.0));
    let national = completeness_by_year(&events, as_of);
    assert_eq!(national[0].procedures, Count::Shown(4));
    assert_eq!(national[0].linkable_percent, Some(75.0));
    assert_eq!(
        national[0].matched_percent,
        Some(400.0 / 6.0),
        "clinic 2 had no components"
    );
    // Controlled for the public, the percentages stay as worked out from exact counts.
    let public = DisclosureControl::default()
        .apply(national, Audience::Public)
        .into_inner();
    assert_eq!(public[0].procedures, Count::Suppressed { from: 1, to: 7 });
    assert_eq!(public[0].linkable_percent, Some(75.0));

    // One clinic's own volumes, from its procedures alone.
    let (volumes, completeness) = tally_activity(
        events.iter().filter(|e| e.clinic == ClinicKey(2)),
        date("2024-12-31"),
    );
    assert_eq!(volumes.len(), 1);
    assert_eq!(
        (volumes[0].year, volumes[0].body_site, volumes[0].primaries),
        (2024, Knee, Count::Shown(1))
    );
    assert_eq!(completeness.len(), 1);
}

#[test]
fn an_empty_set_gives_zeros_and_withheld_estimates() {
    let set = AnalysisSet::build(&[], date("2024-01-01"));
    assert_eq!(set.linkage().primaries, Count::Shown(0));
    assert!(set.outlier_screen().is_empty());
    assert!(set.volumes().is_empty() && set.completeness().is_empty());
    let hips = set.survival_for_body_site(Hip);
    assert_eq!(hips.primaries, Count::Shown(0));
    assert!(
        hips.table
            .iter()
            .all(|row| row.cumulative_percent_revised.is_none())
    );
    let funnel = set.funnel_for_body_site(Hip, 10);
    assert!(funnel.limits.is_empty() && funnel.devices.is_empty());
    assert_eq!(set.revision_rate_for_body_site(Hip).rate_per_100, None);
}
