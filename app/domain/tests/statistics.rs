//! Registry statistics through the public API: linkage cases, an end-to-end outlier screen,
//! the published shapes after disclosure control, and a 30-subject cross-check against
//! lifelines.

use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality, ProcedureType};
use domain::statistics::{
    AnalysisSet, Audience, ClinicKey, ComponentTally, Count, DAYS_PER_YEAR, DeviceKey,
    DisclosureControl, NjrLevel, Observation, PatientKey, ProcedureEvent, SurvivalOptions,
    completeness_by_year, kaplan_meier, survival_report, tally_activity,
};

use BodySite::{Hip, Knee};
use Laterality::{Bilateral, Left, Right};
use ProcedureType::{Primary, Removal, Revision};

fn date(iso: &str) -> CalendarDate {
    CalendarDate::from_iso(iso).unwrap()
}

struct Record {
    id: i64,
    patient: Option<u64>,
    on: &'static str,
    kind: ProcedureType,
    site: BodySite,
    side: Laterality,
    devices: Vec<u32>,
}

fn procedure(record: Record) -> ProcedureEvent {
    ProcedureEvent {
        procedure_id: record.id,
        patient: record.patient.map(PatientKey),
        date: date(record.on),
        kind: record.kind,
        body_site: record.site,
        laterality: record.side,
        clinic: ClinicKey(1),
        devices: record.devices.into_iter().map(DeviceKey).collect(),
        components: ComponentTally::default(),
    }
}

/// Patient 1's procedure; each primary gets its own device so its follow-up can be read
/// back through `follow_up`.
fn of_patient_1(
    id: i64,
    on: &'static str,
    kind: ProcedureType,
    site: BodySite,
    side: Laterality,
) -> ProcedureEvent {
    procedure(Record {
        id,
        patient: Some(1),
        on,
        kind,
        site,
        side,
        devices: if kind == Primary {
            vec![id as u32]
        } else {
            vec![]
        },
    })
}

/// (days followed, revised) of the primary carrying `device`.
fn follow_up(set: &AnalysisSet, device: u32) -> (i32, bool) {
    let rate = set.revision_rate_for_device(DeviceKey(device));
    let followed = (rate.component_years * DAYS_PER_YEAR).round() as i32;
    (followed, rate.revisions == Count::Shown(1))
}

#[test]
fn left_and_right_are_followed_apart() {
    let events = [
        of_patient_1(1, "2020-01-01", Primary, Hip, Left),
        of_patient_1(2, "2020-06-01", Primary, Hip, Right),
        of_patient_1(3, "2021-01-01", Revision, Hip, Right),
    ];
    let set = AnalysisSet::build(&events, date("2022-01-01"));
    assert_eq!(
        follow_up(&set, 1),
        (731, false),
        "left: censored at the analysis date"
    );
    assert_eq!(
        follow_up(&set, 2),
        (214, true),
        "right: revised after 214 days"
    );
    assert_eq!(set.linkage().linked_revisions, Count::Shown(1));
}

#[test]
fn laterality_and_body_site_must_match_exactly() {
    let events = [
        of_patient_1(1, "2020-01-01", Primary, Hip, Bilateral),
        of_patient_1(2, "2020-03-01", Revision, Hip, Left),
        of_patient_1(3, "2020-04-01", Revision, Knee, Bilateral),
    ];
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    assert_eq!(follow_up(&set, 1), (366, false));
    assert_eq!(set.linkage().revisions_without_primary, Count::Shown(2));
}

#[test]
fn a_second_primary_on_one_side_supersedes_the_first() {
    let events = [
        of_patient_1(1, "2018-01-01", Primary, Hip, Left),
        of_patient_1(2, "2019-01-01", Primary, Hip, Left),
        of_patient_1(3, "2020-01-01", Revision, Hip, Left),
    ];
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    assert_eq!(follow_up(&set, 1), (365, false), "censored when replaced");
    assert_eq!(
        follow_up(&set, 2),
        (365, true),
        "the revision is of the later one"
    );
    assert_eq!(set.linkage().superseded_primaries, Count::Shown(1));
}

#[test]
fn a_revision_before_any_primary_is_not_linked() {
    let events = [
        of_patient_1(1, "2017-06-01", Revision, Hip, Left),
        of_patient_1(2, "2018-01-01", Primary, Hip, Left),
    ];
    let set = AnalysisSet::build(&events, date("2019-01-01"));
    assert_eq!(follow_up(&set, 2), (365, false));
    let linkage = set.linkage();
    assert_eq!(linkage.revisions_without_primary, Count::Shown(1));
    assert_eq!(linkage.linked_revisions, Count::Shown(0));
}

#[test]
fn only_the_first_revision_counts_and_a_new_primary_starts_afresh() {
    let events = [
        of_patient_1(1, "2015-01-01", Primary, Knee, Right),
        of_patient_1(2, "2016-01-01", Revision, Knee, Right),
        of_patient_1(3, "2016-02-01", Removal, Knee, Right),
        of_patient_1(4, "2017-01-01", Primary, Knee, Right),
        of_patient_1(5, "2018-01-01", Removal, Knee, Right),
    ];
    let set = AnalysisSet::build(&events, date("2020-01-01"));
    assert_eq!(follow_up(&set, 1), (365, true));
    assert_eq!(follow_up(&set, 4), (365, true));
    let linkage = set.linkage();
    assert_eq!(linkage.linked_revisions, Count::Shown(2));
    assert_eq!(linkage.later_revisions, Count::Shown(1));
    assert_eq!(linkage.superseded_primaries, Count::Shown(0));
}

#[test]
fn same_day_revisions_follow_primaries_by_procedure_id() {
    // Recorded after the primary (higher id): a revision at time 0.
    let after = [
        of_patient_1(10, "2020-01-01", Primary, Hip, Left),
        of_patient_1(11, "2020-01-01", Revision, Hip, Left),
    ];
    let set = AnalysisSet::build(&after, date("2021-01-01"));
    assert_eq!(follow_up(&set, 10), (0, true));
    // Recorded before it (lower id): not a revision of it.
    let before = [
        of_patient_1(10, "2020-01-01", Primary, Hip, Left),
        of_patient_1(9, "2020-01-01", Revision, Hip, Left),
    ];
    let set = AnalysisSet::build(&before, date("2021-01-01"));
    assert_eq!(follow_up(&set, 10), (366, false));
    assert_eq!(set.linkage().revisions_without_primary, Count::Shown(1));
}

#[test]
fn procedures_without_a_pseudonym_count_in_volumes_only() {
    let mut events = vec![
        of_patient_1(1, "2020-01-01", Primary, Hip, Left),
        of_patient_1(2, "2020-01-01", Primary, Hip, Right),
        of_patient_1(3, "2020-05-01", Revision, Hip, Right),
    ];
    events[1].patient = None;
    events[2].patient = None;
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    let linkage = set.linkage();
    assert_eq!(linkage.unlinkable_primaries, Count::Shown(1));
    assert_eq!(linkage.revisions_without_pseudonym, Count::Shown(1));
    let hips = set.survival_for_body_site(Hip);
    assert_eq!(
        (hips.primaries, hips.unlinkable, hips.revisions),
        (Count::Shown(1), Count::Shown(1), Count::Shown(0))
    );
    assert_eq!(
        set.revision_rate_for_device(DeviceKey(2)).component_years,
        0.0
    );
    let volume = set.volumes()[0];
    assert_eq!((volume.year, volume.body_site), (2020, Hip));
    assert_eq!(
        (volume.primaries, volume.revisions),
        (Count::Shown(2), Count::Shown(1))
    );
}

#[test]
fn nothing_after_the_analysis_date_counts() {
    let events = [
        of_patient_1(1, "2020-01-01", Primary, Hip, Left),
        of_patient_1(2, "2021-06-01", Revision, Hip, Left),
        of_patient_1(3, "2021-06-01", Primary, Hip, Right),
    ];
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    assert_eq!(follow_up(&set, 1), (366, false));
    assert_eq!(set.linkage().primaries, Count::Shown(1));
    assert_eq!(set.linkage().revisions, Count::Shown(0));
    assert_eq!(set.devices(), &[DeviceKey(1)]);
}

#[test]
fn a_primary_counts_once_for_every_device_in_it() {
    let events = [procedure(Record {
        id: 1,
        patient: Some(1),
        on: "2020-01-01",
        kind: Primary,
        site: Hip,
        side: Left,
        devices: vec![5, 6, 6],
    })];
    let set = AnalysisSet::build(&events, date("2021-01-01"));
    for device in [5, 6] {
        let report = set.survival_for_device(DeviceKey(device));
        assert_eq!(report.primaries, Count::Shown(1), "device {device}");
    }
    assert_eq!(
        set.survival_for_device(DeviceKey(99)).primaries,
        Count::Shown(0)
    );
}

/// Ten primaries with device 1 (five revised after two years) and forty with device 2 (one
/// revised after two years), all on 2000-01-01, analysed on 2004-01-01 (1461 days = 4 years).
fn two_hip_devices() -> Vec<ProcedureEvent> {
    let mut events = Vec::new();
    for index in 0..50u32 {
        let patient = u64::from(index);
        let device = if index < 10 { 1 } else { 2 };
        events.push(procedure(Record {
            id: i64::from(index),
            patient: Some(patient),
            on: "2000-01-01",
            kind: Primary,
            site: Hip,
            side: Left,
            devices: vec![device],
        }));
        if index < 5 || index == 10 {
            events.push(procedure(Record {
                id: 100 + i64::from(index),
                patient: Some(patient),
                on: "2002-01-01",
                kind: Revision,
                site: Hip,
                side: Left,
                devices: vec![],
            }));
        }
    }
    events
}

#[test]
fn outlier_screen_end_to_end_by_hand() {
    let set = AnalysisSet::build(&two_hip_devices(), date("2004-01-01"));
    // Device 1: 5 × 4 years + 5 × 731/365.25 = 30.0068446 years, 5 revisions: 16.6629 per 100.
    // Rest (device 2): 39 × 4 + 731/365.25 = 158.0013689 years, 1 revision: 0.6329059 per 100.
    // Ratio 26.3276; μ = 0.006329059 × 30.0068446 = 0.1899151; P(X ≥ 5 | μ) = 1.758e−6.
    let rows = set.outlier_screen();
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert_eq!(first.device_identifier, DeviceKey(1));
    let years = 20.0 + 5.0 * 731.0 / 365.25;
    let rest_years = 156.0 + 731.0 / 365.25;
    assert!((first.component_years - years).abs() < 1e-9);
    assert!((first.rate_per_100.unwrap() - 500.0 / years).abs() < 1e-9);
    assert!((first.group_rate_per_100.unwrap() - 100.0 / rest_years).abs() < 1e-9);
    let ratio = (5.0 / years) / (1.0 / rest_years);
    assert!((first.ratio.unwrap() - ratio).abs() < 1e-9);
    let mean = years / rest_years;
    let below_five: f64 = (0..5)
        .map(|k| mean.powi(k) / (1..=k).product::<i32>() as f64)
        .sum::<f64>()
        * (-mean).exp();
    assert!((first.p_value.unwrap() - (1.0 - below_five)).abs() < 1e-12);
    assert!(first.flagged);
    assert_eq!(first.njr_level, Some(NjrLevel::Level2));
    assert!(!rows[1].flagged, "device 2 is far below device 1's rate");
    assert_eq!(set.outliers().len(), 1);

    let funnel = set.funnel_for_body_site(Hip, 20);
    assert_eq!(funnel.limits.len(), 20);
    assert_eq!(funnel.devices.len(), 2);
    let site_rate = 6.0 / (years + rest_years);
    assert!((funnel.group_rate_per_100.unwrap() - 100.0 * site_rate).abs() < 1e-9);
    let point = funnel.devices[0];
    assert!((point.ratio.unwrap() - 5.0 / (site_rate * years)).abs() < 1e-9);
    assert!(point.ratio.unwrap() > funnel.limits[3].upper_998);
}

#[test]
fn published_shapes_after_disclosure_control() {
    let set = AnalysisSet::build(&two_hip_devices(), date("2004-01-01"));
    let control = DisclosureControl::default();
    let survival = control.apply(set.survival_for_device(DeviceKey(1)), Audience::Public);
    let json = serde_json::to_value(&survival).unwrap();
    // 10 primaries → 10; 5 revisions → "1–7"; at year 1 ten at risk, at year 3 five
    // (withheld: fewer than 10).
    assert_eq!(json["primaries"], 10);
    assert_eq!(json["revisions"], "1–7");
    assert_eq!(json["unlinkable"], 0);
    let table = json["table"].as_array().unwrap();
    assert_eq!(table.len(), 20);
    assert_eq!(table[0]["years"], 1);
    assert_eq!(table[0]["at_risk"], 10);
    assert_eq!(table[0]["cumulative_percent_revised"], 0.0);
    assert_eq!(table[2]["at_risk"], "1–7");
    assert!(table[2]["cumulative_percent_revised"].is_null());
    assert!(table[2]["lower_95"].is_null() && table[2]["upper_95"].is_null());

    let exact = control.apply(
        set.survival_for_device(DeviceKey(1)),
        Audience::RegistryAdministrator,
    );
    assert_eq!(exact.get().revisions, Count::Shown(5));

    let outliers = control.apply(set.outliers(), Audience::Public);
    let json = serde_json::to_value(&outliers).unwrap();
    assert_eq!(json[0]["device_identifier"], 1);
    assert_eq!(json[0]["primaries"], 10);
    assert_eq!(json[0]["revisions"], "1–7");
    assert_eq!(json[0]["njr_level"], 2);
}

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
            id: index as i64,
            patient: consented.then_some(index as u64),
            on,
            kind: Primary,
            site: Knee,
            side: Right,
            devices: vec![],
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
        (march.clinic, march.year, march.month),
        (ClinicKey(1), 2024, 3)
    );
    // 2 procedures, 1 linkable: 50 %; 5 components, 3 matched (60 %), 4 with lot or serial (80 %).
    assert_eq!(march.procedures, Count::Shown(2));
    assert_eq!(march.linkable_percent, Some(50.0));
    assert_eq!(march.matched_percent, Some(60.0));
    assert_eq!(march.lot_or_serial_percent, Some(80.0));
    assert_eq!((rows[1].year, rows[1].month), (2024, 4));
    assert_eq!(rows[2].clinic, ClinicKey(2));
    assert_eq!(rows[2].matched_percent, None, "no components: no share");

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

/// Thirty subjects with ties (an event and a censoring on day 437, two events on day 1011)
/// and an event at day 0.
const THIRTY: [(i32, bool); 30] = [
    (0, true),
    (286, true),
    (297, false),
    (366, true),
    (386, false),
    (387, false),
    (419, true),
    (437, false),
    (437, true),
    (484, true),
    (613, true),
    (675, true),
    (793, true),
    (1011, true),
    (1011, true),
    (1066, true),
    (1122, true),
    (1152, false),
    (1292, true),
    (1380, true),
    (1564, false),
    (1624, true),
    (1796, false),
    (1993, false),
    (2370, false),
    (2556, true),
    (2591, false),
    (2595, true),
    (2725, false),
    (2813, false),
];

// Reference figures from lifelines 0.30.3 (exponential Greenwood is its default):
//
// from lifelines import KaplanMeierFitter
// data = [(0, 1), (286, 1), (297, 0), (366, 1), (386, 0), (387, 0), (419, 1), (437, 0),
//         (437, 1), (484, 1), (613, 1), (675, 1), (793, 1), (1011, 1), (1011, 1), (1066, 1),
//         (1122, 1), (1152, 0), (1292, 1), (1380, 1), (1564, 0), (1624, 1), (1796, 0),
//         (1993, 0), (2370, 0), (2556, 1), (2591, 0), (2595, 1), (2725, 0), (2813, 0)]
// kmf = KaplanMeierFitter().fit([d for d, _ in data], [e for _, e in data])
// table = kmf.survival_function_.join(kmf.confidence_interval_)
// for days, row in table.iterrows():
//     print(f"({int(days)}, {row.iloc[0]:.9f}, {row.iloc[1]:.9f}, {row.iloc[2]:.9f}),")
// for year in range(1, 9):
//     t = year * 365.25
//     s, lower, upper = table[table.index <= t].iloc[-1]
//     n = sum(1 for d, _ in data if d >= t)
//     # Percent revised: 100 (1 - S); the upper limit on S gives the lower one.
//     print(f"({year}, {n}, {100 * (1 - s):.7f}, {100 * (1 - upper):.7f}, "
//           f"{100 * (1 - lower):.7f}),")
//
// (lifelines' first row, time 0, is its own; its "lower" column is printed first.)
const LIFELINES_STEPS: [(i32, f64, f64, f64); 28] = [
    (0, 0.966666667, 0.786083604, 0.995236340),
    (286, 0.933333333, 0.758858786, 0.982897720),
    (297, 0.933333333, 0.758858786, 0.982897720),
    (366, 0.898765432, 0.717964961, 0.966202250),
    (386, 0.898765432, 0.717964961, 0.966202250),
    (387, 0.898765432, 0.717964961, 0.966202250),
    (419, 0.861316872, 0.670756110, 0.945717293),
    (437, 0.823868313, 0.626371445, 0.922895321),
    (484, 0.784636488, 0.580651488, 0.897439689),
    (613, 0.745404664, 0.537208673, 0.870277511),
    (675, 0.706172840, 0.495578391, 0.841641030),
    (793, 0.666941015, 0.455490542, 0.811689368),
    (1011, 0.588477366, 0.379325675, 0.748251659),
    (1066, 0.549245542, 0.343070303, 0.714895185),
    (1122, 0.510013717, 0.307969887, 0.680495900),
    (1152, 0.510013717, 0.307969887, 0.680495900),
    (1292, 0.467512574, 0.269965438, 0.643084321),
    (1380, 0.425011431, 0.233661273, 0.604374726),
    (1564, 0.425011431, 0.233661273, 0.604374726),
    (1624, 0.377787939, 0.193566392, 0.561567197),
    (1796, 0.377787939, 0.193566392, 0.561567197),
    (1993, 0.377787939, 0.193566392, 0.561567197),
    (2370, 0.377787939, 0.193566392, 0.561567197),
    (2556, 0.302230351, 0.122744419, 0.505322419),
    (2591, 0.302230351, 0.122744419, 0.505322419),
    (2595, 0.201486901, 0.046177182, 0.434064565),
    (2725, 0.201486901, 0.046177182, 0.434064565),
    (2813, 0.201486901, 0.046177182, 0.434064565),
];

/// (year, at risk, percent revised, lower, upper) from the same script.
const LIFELINES_YEARS: [(u32, u64, f64, f64, f64); 8] = [
    (1, 27, 6.6666667, 1.7102280, 24.1141214),
    (2, 18, 29.3827160, 15.8358970, 50.4421609),
    (3, 14, 45.0754458, 28.5104815, 65.6929697),
    (4, 10, 57.4988569, 39.5625274, 76.6338727),
    (5, 7, 62.2212061, 43.8432803, 80.6433608),
    (6, 6, 62.2212061, 43.8432803, 80.6433608),
    (7, 4, 69.7769649, 49.4677581, 87.7255581),
    (8, 0, 79.8513099, 56.5935435, 95.3822818),
];

fn thirty_observations() -> Vec<Observation> {
    THIRTY
        .iter()
        .map(|&(days, revised)| Observation { days, revised })
        .collect()
}

#[test]
fn kaplan_meier_matches_lifelines_on_thirty_subjects() {
    let steps = kaplan_meier(&mut thirty_observations());
    assert_eq!(steps.len(), LIFELINES_STEPS.len());
    for (step, &(days, survival, lower, upper)) in steps.iter().zip(&LIFELINES_STEPS) {
        assert_eq!(step.days, days);
        let (our_lower, our_upper) = step.survival_limits();
        for (ours, theirs) in [
            (step.survival, survival),
            (our_lower, lower),
            (our_upper, upper),
        ] {
            assert!(
                (ours - theirs).abs() < 1e-8,
                "day {days}: {ours} vs {theirs}"
            );
        }
    }
}

#[test]
fn survival_table_matches_lifelines_and_withholds_below_ten() {
    let report = survival_report(&mut thirty_observations(), 0, &SurvivalOptions::default());
    assert_eq!(report.revisions, Count::Shown(18));
    for (row, &(years, at_risk, percent, lower, upper)) in report.table.iter().zip(&LIFELINES_YEARS)
    {
        assert_eq!((row.years, row.at_risk), (years, Count::Shown(at_risk)));
        if at_risk < 10 {
            assert_eq!(row.cumulative_percent_revised, None, "year {years}");
            continue;
        }
        for (ours, theirs) in [
            (row.cumulative_percent_revised, percent),
            (row.lower_95, lower),
            (row.upper_95, upper),
        ] {
            assert!((ours.unwrap() - theirs).abs() < 1e-6, "year {years}");
        }
    }
}

#[test]
fn the_same_thirty_through_linkage_give_the_same_table() {
    // Each subject a patient with one hip primary: a censored one placed `days` before the
    // analysis date, a revised one revised `days` after its primary, a year before it.
    let as_of = date("2030-01-01").days_since_epoch();
    let mut events = Vec::new();
    for (index, &(days, revised)) in THIRTY.iter().enumerate() {
        let end = if revised { as_of - 365 } else { as_of };
        let on = |day: i32| CalendarDate::from_days_since_epoch(day).unwrap();
        let mut primary = procedure(Record {
            id: index as i64,
            patient: Some(index as u64),
            on: "2000-01-01",
            kind: Primary,
            site: Hip,
            side: Right,
            devices: vec![7],
        });
        primary.date = on(end - days);
        events.push(primary.clone());
        if revised {
            events.push(ProcedureEvent {
                procedure_id: 1000 + index as i64,
                date: on(end),
                kind: Revision,
                devices: vec![],
                ..primary
            });
        }
    }
    let set = AnalysisSet::build(&events, date("2030-01-01"));
    let direct = survival_report(&mut thirty_observations(), 0, &SurvivalOptions::default());
    assert_eq!(set.survival_for_device(DeviceKey(7)), direct);
    assert_eq!(set.survival_for_body_site(Hip), direct);
}
