//! How the statistics pages write numbers: plain functions, tested natively.

use domain::statistics::{Count, SurvivalReport, VolumeRow};

use crate::components::charts::line::LineSeries;

/// 12345 → "12,345".
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A count as published: "12,345", or "1–7" for a small count that is not shown.
pub fn count(value: Count) -> String {
    match value {
        Count::Shown(value) => thousands(value),
        Count::Suppressed { from, to } => format!("{from}–{to}"),
    }
}

/// A count as a number for a chart: a suppressed one is drawn at the middle of its range
/// (the table beside the chart says what it is).
pub fn count_for_chart(value: Count) -> f64 {
    match value {
        Count::Shown(value) => value as f64,
        Count::Suppressed { from, to } => (from + to) as f64 / 2.0,
    }
}

/// A percentage to two decimals, "Not available" where it is withheld or has no base.
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(
        || "Not available".to_string(),
        |value| format!("{value:.2}"),
    )
}

/// "1.23 to 4.56", or "Not available".
pub fn interval(lower: Option<f64>, upper: Option<f64>) -> String {
    match (lower, upper) {
        (Some(lower), Some(upper)) => format!("{lower:.2} to {upper:.2}"),
        _ => "Not available".to_string(),
    }
}

/// A ratio or rate to two decimals; "Not available" without one.
pub fn decimal(value: Option<f64>) -> String {
    value.map_or_else(
        || "Not available".to_string(),
        |value| format!("{value:.2}"),
    )
}

/// A probability: three decimals, or "less than 0.001".
pub fn probability(value: Option<f64>) -> String {
    match value {
        None => "Not available".to_string(),
        Some(value) if value < 0.001 => "less than 0.001".to_string(),
        Some(value) => format!("{value:.3}"),
    }
}

/// Component-years to one decimal, with thousands separated.
pub fn years(value: f64) -> String {
    let tenths = (value * 10.0).round() as u64;
    format!("{}.{}", thousands(tenths / 10), tenths % 10)
}

/// A survival report as a chart line: year 0 at 0 %, then each year until the first whose
/// estimate is withheld; the band from the limits.
pub fn survival_line(label: String, report: &SurvivalReport) -> LineSeries {
    let mut points = vec![(0.0, 0.0)];
    let mut band = vec![(0.0, 0.0, 0.0)];
    for row in &report.table {
        let (Some(estimate), Some(lower), Some(upper)) =
            (row.cumulative_percent_revised, row.lower_95, row.upper_95)
        else {
            break;
        };
        let year = f64::from(row.years);
        points.push((year, estimate));
        band.push((year, lower, upper));
    }
    if points.len() == 1 {
        // No year has an estimate: nothing to draw.
        points.clear();
        band.clear();
    }
    LineSeries {
        label,
        points,
        band,
    }
}

/// The years covered by volume rows, in order, and each site's value per year.
pub fn volumes_by_year(
    rows: &[VolumeRow],
    sites: &[domain::procedure::BodySite],
    pick: fn(&VolumeRow) -> Count,
) -> (Vec<u16>, Vec<Vec<f64>>) {
    let mut years: Vec<u16> = rows.iter().map(|row| row.year).collect();
    years.sort_unstable();
    years.dedup();
    let values = sites
        .iter()
        .map(|site| {
            years
                .iter()
                .map(|year| {
                    rows.iter()
                        .find(|row| row.year == *year && row.body_site == *site)
                        .map_or(0.0, |row| count_for_chart(pick(row)))
                })
                .collect()
        })
        .collect();
    (years, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::procedure::BodySite;
    use domain::statistics::SurvivalRow;

    #[test]
    fn numbers_as_people_read_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(count(Count::Suppressed { from: 1, to: 7 }), "1–7");
        assert_eq!(count(Count::Shown(12_345)), "12,345");
        assert_eq!(count_for_chart(Count::Suppressed { from: 1, to: 7 }), 4.0);
        assert_eq!(percent(Some(4.567)), "4.57");
        assert_eq!(percent(None), "Not available");
        assert_eq!(interval(Some(1.0), Some(2.345)), "1.00 to 2.35");
        assert_eq!(probability(Some(0.0004)), "less than 0.001");
        assert_eq!(probability(Some(0.0166)), "0.017");
        assert_eq!(years(1234.56), "1,234.6");
    }

    fn row(years: u32, estimate: Option<f64>) -> SurvivalRow {
        SurvivalRow {
            years,
            at_risk: Count::Shown(100),
            revisions: Count::Shown(1),
            cumulative_percent_revised: estimate,
            lower_95: estimate.map(|e| e - 1.0),
            upper_95: estimate.map(|e| e + 1.0),
        }
    }

    #[test]
    fn survival_lines_stop_at_the_first_withheld_year() {
        let report = SurvivalReport {
            primaries: Count::Shown(100),
            revisions: Count::Shown(3),
            unlinkable: Count::Shown(0),
            table: vec![
                row(1, Some(1.5)),
                row(2, Some(2.5)),
                row(3, None),
                row(4, Some(9.0)),
            ],
        };
        let line = survival_line("Hip".into(), &report);
        assert_eq!(line.points, vec![(0.0, 0.0), (1.0, 1.5), (2.0, 2.5)]);
        assert_eq!(line.band[2], (2.0, 1.5, 3.5));
        let none = SurvivalReport {
            table: vec![row(1, None)],
            ..report
        };
        assert!(survival_line("Knee".into(), &none).points.is_empty());
    }

    #[test]
    fn volumes_line_up_by_year_with_missing_years_as_zero() {
        let rows = [
            VolumeRow {
                year: 2020,
                body_site: BodySite::Hip,
                primaries: Count::Shown(10),
                revisions: Count::Shown(0),
            },
            VolumeRow {
                year: 2021,
                body_site: BodySite::Knee,
                primaries: Count::Suppressed { from: 1, to: 7 },
                revisions: Count::Shown(0),
            },
        ];
        let (years, values) =
            volumes_by_year(&rows, &[BodySite::Hip, BodySite::Knee], |row| row.primaries);
        assert_eq!(years, vec![2020, 2021]);
        assert_eq!(values, vec![vec![10.0, 0.0], vec![0.0, 4.0]]);
    }
}
