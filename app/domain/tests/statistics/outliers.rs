//! An outlier screen and a funnel worked by hand, and what the public sees of them after
//! disclosure control.

use domain::procedure::{BodySite, ProcedureType};
use domain::statistics::{
    AnalysisSet, Audience, Count, DeviceKey, DisclosureControl, NjrLevel, ProcedureEvent,
};

use super::support::{Record, date, procedure};
use BodySite::Hip;
use ProcedureType::{Primary, Revision};

/// Ten primaries with device 1 (five revised after two years) and forty with device 2 (one
/// revised after two years), all on 2000-01-01, analysed on 2004-01-01 (1461 days = 4 years).
fn two_hip_devices() -> Vec<ProcedureEvent> {
    let mut events = Vec::new();
    for index in 0..50u32 {
        let patient = u64::from(index);
        let device = if index < 10 { 1 } else { 2 };
        events.push(procedure(Record {
            patient: Some(patient),
            devices: vec![device],
            ..Record::left_hip(i64::from(index), "2000-01-01", Primary)
        }));
        if index < 5 || index == 10 {
            events.push(procedure(Record {
                patient: Some(patient),
                ..Record::left_hip(100 + i64::from(index), "2002-01-01", Revision)
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
