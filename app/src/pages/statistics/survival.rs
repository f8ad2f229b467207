//! Survival: Kaplan–Meier cumulative percent revised by year, by body site and for one device,
//! each as a chart with confidence bands and a table of the same figures.

use domain::statistics::SurvivalReport;
use leptos::prelude::*;

use super::format::{count, interval, percent, survival_line};
use super::{Column, CountText, CsvDownload, FiguresTable, NumberCell};
use crate::api::statistics::{DeviceSurvival, SiteSurvival, StatisticsFigure, StatisticsQuery};
use crate::components::charts::line::{LineChart, every};

const SUBTITLE: &str = "Kaplan–Meier estimate of the percentage of primary procedures revised or removed, with 95 % confidence bands (Greenwood's variance, log(−log) scale). Years are counted from the primary; estimates stop where fewer than 10 remain at risk.";

/// The years drawn: up to the last year with an estimate, at least 5.
fn last_year(reports: &[&SurvivalReport]) -> f64 {
    reports
        .iter()
        .flat_map(|report| report.table.iter())
        .filter(|row| row.cumulative_percent_revised.is_some())
        .map(|row| f64::from(row.years))
        .fold(5.0, f64::max)
}

/// "1,234 primaries followed; 56 revised; 78 without consent, not followed."
fn summary(report: &SurvivalReport) -> String {
    format!(
        "{} primaries followed, {} revised or removed; {} more without the patient's consent could not be followed.",
        count(report.primaries),
        count(report.revisions),
        count(report.unlinkable)
    )
}

#[component]
pub fn SurvivalTable(#[prop(into)] caption: String, report: SurvivalReport) -> impl IntoView {
    view! {
        <p class="nhsuk-body-s">{summary(&report)}</p>
        <FiguresTable
            caption=caption
            columns=&[
                Column::Words("Years since primary"),
                Column::Numbers("At risk"),
                Column::Numbers("Revisions so far"),
                Column::Numbers("Cumulative % revised"),
                Column::Words("95 % confidence interval"),
            ]
        >
            {report.table.into_iter().map(|row| view! {
                <tr class="nhsuk-table__row">
                    <th scope="row" class="nhsuk-table__header">{row.years}</th>
                    <NumberCell><CountText value=row.at_risk/></NumberCell>
                    <NumberCell><CountText value=row.revisions/></NumberCell>
                    <NumberCell>{percent(row.cumulative_percent_revised)}</NumberCell>
                    <td class="nhsuk-table__cell">{interval(row.lower_95, row.upper_95)}</td>
                </tr>
            }).collect_view()}
        </FiguresTable>
    }
}

#[component]
pub fn SiteSurvivalSection(
    sites: Vec<SiteSurvival>,
    #[prop(into)] query: Signal<StatisticsQuery>,
) -> impl IntoView {
    let reports: Vec<&SurvivalReport> = sites.iter().map(|site| &site.report).collect();
    let x_max = last_year(&reports);
    let lines = sites
        .iter()
        .map(|site| survival_line(site.body_site.label().to_string(), &site.report))
        .collect();
    let names: Vec<&str> = sites.iter().map(|site| site.body_site.label()).collect();
    let title = format!(
        "Cumulative percent revised by years since the primary: {}",
        names.join(", ").to_lowercase()
    );
    view! {
        <section aria-labelledby="survival-by-site" class="app-statistics-section">
            <h2 id="survival-by-site">"Survival by body site"</h2>
            <LineChart
                title=title
                subtitle=SUBTITLE
                x_label="Years since the primary"
                y_label="Cumulative % revised"
                series_list=lines
                x_min=0.0
                x_max=x_max
                x_labels=every(0.0, x_max, if x_max > 10.0 { 5.0 } else { 1.0 })
                band_label="Shaded: 95 % confidence band"
            />
            {sites.into_iter().map(|site| {
                let caption = format!("Cumulative percent revised, {}", site.body_site.label().to_lowercase());
                view! { <SurvivalTable caption=caption report=site.report/> }
            }).collect_view()}
            <CsvDownload figure=StatisticsFigure::SiteSurvival query=query label="survival by body site"/>
        </section>
    }
}

#[component]
pub fn DeviceSurvivalSection(
    device: Option<DeviceSurvival>,
    sites: Vec<SiteSurvival>,
    #[prop(into)] query: Signal<StatisticsQuery>,
) -> impl IntoView {
    let body = device.map(|device| {
        let site = sites.into_iter().find(|site| site.body_site == device.body_site);
        let name = device.device.label();
        let mut reports = vec![&device.report];
        if let Some(site) = &site {
            reports.push(&site.report);
        }
        let x_max = last_year(&reports);
        let mut lines = vec![survival_line(name.clone(), &device.report)];
        if let Some(site) = &site {
            lines.push(survival_line(format!("Every {} primary", site.body_site.label().to_lowercase()), &site.report));
        }
        let title = format!("Cumulative percent revised: {name}");
        let caption = format!("Cumulative percent revised, {name}");
        view! {
            <p>"Every primary procedure that included this device, against every primary at its body site. Choose another device with the filters above."</p>
            <LineChart
                title=title
                subtitle=SUBTITLE
                x_label="Years since the primary"
                y_label="Cumulative % revised"
                series_list=lines
                x_min=0.0
                x_max=x_max
                x_labels=every(0.0, x_max, if x_max > 10.0 { 5.0 } else { 1.0 })
                band_label="Shaded: 95 % confidence band"
            />
            <SurvivalTable caption=caption report=device.report/>
        }
    });
    view! {
        <section aria-labelledby="survival-of-device" class="app-statistics-section">
            <h2 id="survival-of-device">"Survival of a device"</h2>
            {match body {
                Some(body) => body.into_any(),
                None => view! { <p>"No device has primaries at the body sites shown."</p> }.into_any(),
            }}
            <CsvDownload figure=StatisticsFigure::DeviceSurvival query=query label="survival of this device"/>
        </section>
    }
}
