//! Each figure as a CSV table (RFC 4180, by the `csv` crate), from the same disclosed figures
//! the page shows: a controlled count is written as its range ("1–7"), a withheld estimate as
//! an empty cell. The last column says whether the counts are controlled or exact.

use app::api::patients::DataFile;
use app::api::statistics::{ClinicStatistics, PublicStatistics, StatisticsFigure};
use domain::statistics::{Count, DisclosureControl, SurvivalReport};

use crate::export::defused;

/// What the `figures` column says.
fn figures_note(exact: bool, control: &DisclosureControl) -> String {
    if exact {
        "exact counts: not for publication".to_string()
    } else {
        format!(
            "counts controlled: {}–{} not shown, others rounded to the nearest {}",
            control.suppress_from, control.suppress_to, control.round_to
        )
    }
}

struct Table {
    writer: csv::Writer<Vec<u8>>,
    note: String,
}

impl Table {
    fn new(columns: &[&str], note: String) -> Self {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer
            .write_record(columns.iter().copied().chain(["figures"]))
            .expect("writing to memory cannot fail");
        Self { writer, note }
    }

    fn row(&mut self, cells: Vec<String>) {
        let note = self.note.clone();
        self.writer
            .write_record(cells.iter().map(|cell| defused(cell)).chain([note]))
            .expect("writing to memory cannot fail");
    }

    fn finish(self) -> String {
        String::from_utf8(self.writer.into_inner().expect("memory")).expect("the cells are text")
    }
}

fn number(value: Option<f64>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

fn count(value: Count) -> String {
    value.to_string()
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn survival_rows(table: &mut Table, leading: &[String], report: &SurvivalReport) {
    for row in &report.table {
        let mut cells = leading.to_vec();
        cells.extend([
            row.years.to_string(),
            count(row.at_risk),
            count(row.revisions),
            number(row.cumulative_percent_revised),
            number(row.lower_95),
            number(row.upper_95),
        ]);
        table.row(cells);
    }
}

const SURVIVAL_COLUMNS: [&str; 6] = [
    "years",
    "at_risk",
    "revisions",
    "cumulative_percent_revised",
    "lower_95",
    "upper_95",
];

/// A figure of the national dashboard.
pub fn public_csv(figure: StatisticsFigure, figures: &PublicStatistics) -> Option<String> {
    let note = figures_note(figures.exact, &figures.control);
    let csv = match figure {
        StatisticsFigure::Volumes => {
            let mut table = Table::new(
                &["year", "body_site", "primaries", "revisions_and_removals"],
                note,
            );
            for row in &figures.volumes {
                table.row(vec![
                    row.year.to_string(),
                    row.body_site.code().into(),
                    count(row.primaries),
                    count(row.revisions),
                ]);
            }
            table.finish()
        }
        StatisticsFigure::SiteSurvival => {
            let columns: Vec<&str> = ["body_site"].into_iter().chain(SURVIVAL_COLUMNS).collect();
            let mut table = Table::new(&columns, note);
            for site in &figures.site_survival {
                survival_rows(&mut table, &[site.body_site.code().into()], &site.report);
            }
            table.finish()
        }
        StatisticsFigure::DeviceSurvival => {
            let columns: Vec<&str> = ["device_identifier", "name", "manufacturer"]
                .into_iter()
                .chain(SURVIVAL_COLUMNS)
                .collect();
            let mut table = Table::new(&columns, note);
            if let Some(device) = &figures.device_survival {
                let leading = [
                    device.device.device_identifier.clone(),
                    text(&device.device.name),
                    text(&device.device.manufacturer),
                ];
                survival_rows(&mut table, &leading, &device.report);
            }
            table.finish()
        }
        StatisticsFigure::RevisionRates => {
            let mut table = Table::new(
                &[
                    "device_identifier",
                    "name",
                    "manufacturer",
                    "body_site",
                    "primaries",
                    "revisions",
                    "component_years",
                    "rate_per_100",
                    "rate_lower_95",
                    "rate_upper_95",
                    "group_rate_per_100",
                    "ratio",
                    "p_value",
                    "njr_level",
                    "flagged",
                ],
                note,
            );
            for row in &figures.revision_rates {
                table.row(vec![
                    row.device_identifier.device_identifier.clone(),
                    text(&row.device_identifier.name),
                    text(&row.device_identifier.manufacturer),
                    row.body_site.code().into(),
                    count(row.primaries),
                    count(row.revisions),
                    row.component_years.to_string(),
                    number(row.rate_per_100),
                    number(row.rate_lower_95),
                    number(row.rate_upper_95),
                    number(row.group_rate_per_100),
                    number(row.ratio),
                    number(row.p_value),
                    row.njr_level
                        .map(|level| u8::from(level).to_string())
                        .unwrap_or_default(),
                    row.flagged.to_string(),
                ]);
            }
            table.finish()
        }
        StatisticsFigure::Funnel => {
            let mut table = Table::new(
                &[
                    "body_site",
                    "kind",
                    "device_identifier",
                    "name",
                    "component_years",
                    "ratio",
                    "expected_revisions",
                    "lower_998",
                    "lower_95",
                    "upper_95",
                    "upper_998",
                ],
                note,
            );
            for funnel in &figures.funnels {
                for point in &funnel.devices {
                    table.row(vec![
                        funnel.body_site.code().into(),
                        "device".into(),
                        point.device_identifier.device_identifier.clone(),
                        text(&point.device_identifier.name),
                        point.component_years.to_string(),
                        number(point.ratio),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                }
                for limit in &funnel.limits {
                    table.row(vec![
                        funnel.body_site.code().into(),
                        "limit".into(),
                        String::new(),
                        String::new(),
                        limit.component_years.to_string(),
                        "1".into(),
                        limit.expected_revisions.to_string(),
                        limit.lower_998.to_string(),
                        limit.lower_95.to_string(),
                        limit.upper_95.to_string(),
                        limit.upper_998.to_string(),
                    ]);
                }
            }
            table.finish()
        }
        StatisticsFigure::Completeness => {
            let mut table = Table::new(&COMPLETENESS_COLUMNS, note);
            for year in &figures.completeness {
                table.row(completeness_cells("national", year));
            }
            table.finish()
        }
        StatisticsFigure::ClinicVolumes | StatisticsFigure::ClinicCompleteness => return None,
    };
    Some(csv)
}

const COMPLETENESS_COLUMNS: [&str; 10] = [
    "scope",
    "year",
    "procedures",
    "linkable",
    "linkable_percent",
    "components",
    "matched_to_register",
    "matched_percent",
    "with_lot_or_serial",
    "lot_or_serial_percent",
];

fn completeness_cells(scope: &str, year: &domain::statistics::CompletenessTotal) -> Vec<String> {
    vec![
        scope.to_string(),
        year.year.to_string(),
        count(year.procedures),
        count(year.linkable),
        number(year.linkable_percent),
        count(year.components),
        count(year.matched_to_register),
        number(year.matched_percent),
        count(year.with_lot_or_serial),
        number(year.lot_or_serial_percent),
    ]
}

/// A figure of a clinic's view.
pub fn clinic_csv(figure: StatisticsFigure, figures: &ClinicStatistics) -> Option<String> {
    let note = figures_note(figures.exact, &figures.control);
    let csv = match figure {
        StatisticsFigure::ClinicVolumes => {
            let mut table = Table::new(
                &[
                    "scope",
                    "year",
                    "body_site",
                    "primaries",
                    "revisions_and_removals",
                ],
                note,
            );
            for (scope, rows) in [
                (figures.organisation.as_str(), &figures.volumes),
                ("national", &figures.national_volumes),
            ] {
                for row in rows {
                    table.row(vec![
                        scope.to_string(),
                        row.year.to_string(),
                        row.body_site.code().into(),
                        count(row.primaries),
                        count(row.revisions),
                    ]);
                }
            }
            table.finish()
        }
        StatisticsFigure::ClinicCompleteness => {
            let mut table = Table::new(&COMPLETENESS_COLUMNS, note);
            for year in &figures.completeness {
                if let Some(clinic) = &year.clinic {
                    table.row(completeness_cells(&figures.organisation, clinic));
                }
                table.row(completeness_cells("national", &year.national));
            }
            table.finish()
        }
        _ => return None,
    };
    Some(csv)
}

/// The file for the browser to save.
pub fn file(figure: StatisticsFigure, as_of: &str, exact: bool, content: String) -> DataFile {
    let suffix = if exact {
        "-exact-not-for-publication"
    } else {
        ""
    };
    DataFile {
        file_name: format!("{}-{as_of}{suffix}.csv", figure.file_stem()),
        media_type: "text/csv; charset=utf-8".into(),
        content,
    }
}
