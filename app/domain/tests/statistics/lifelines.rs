//! A 30-subject Kaplan–Meier cross-check against lifelines: directly, as a survival table,
//! and through linkage.

use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality, ProcedureType};
use domain::statistics::{
    AnalysisSet, Count, DeviceKey, Observation, ProcedureEvent, SurvivalOptions, kaplan_meier,
    survival_report,
};

use super::support::{Record, date, procedure};
use BodySite::Hip;
use Laterality::Right;
use ProcedureType::{Primary, Revision};

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
            patient: Some(index as u64),
            side: Right,
            devices: vec![7],
            ..Record::left_hip(index as i64, "2000-01-01", Primary)
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
