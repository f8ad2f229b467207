//! Procedures by year and body site: a grouped bar chart of primaries and a table of
//! primaries and revisions.

use domain::procedure::BodySite;
use domain::statistics::VolumeRow;
use leptos::prelude::*;

use super::format::volumes_by_year;
use super::{Column, CountText, CsvDownload, FiguresTable, NumberCell};
use crate::api::statistics::{StatisticsFigure, StatisticsQuery};
use crate::components::charts::bars::BarChart;

#[component]
pub fn Volumes(
    rows: Vec<VolumeRow>,
    sites: Vec<BodySite>,
    #[prop(into)] query: Signal<StatisticsQuery>,
) -> impl IntoView {
    let PrimariesChart {
        years,
        categories,
        series,
    } = primaries_chart(&rows, &sites);
    let title = match (years.first(), years.last()) {
        (Some(first), Some(last)) if first != last => {
            format!("Primary procedures each year, {first} to {last}")
        }
        (Some(year), _) => format!("Primary procedures in {year}"),
        _ => "Primary procedures each year".to_string(),
    };
    view! {
        <section aria-labelledby="volumes" class="app-statistics-section">
            <h2 id="volumes">"Procedures by year"</h2>
            {if rows.is_empty() {
                view! { <p>"No procedures in this date range."</p> }.into_any()
            } else {
                view! {
                    <BarChart
                        id="volumes-chart"
                        title=title
                        subtitle="Every primary procedure recorded, with or without the patient's consent to linkage, by calendar year and body site. Counts are controlled for publication."
                        x_label="Year of procedure"
                        y_label="Primary procedures"
                        categories=categories
                        series_list=series
                    />
                    <VolumesTable label="Procedures by year, table" caption="Procedures by year and body site" rows=rows/>
                }.into_any()
            }}
            <CsvDownload figure=StatisticsFigure::Volumes query=query label="procedures by year"/>
        </section>
    }
}

/// A bar chart's data: primaries each year, one series per body site.
pub struct PrimariesChart {
    pub years: Vec<u16>,
    pub categories: Vec<String>,
    pub series: Vec<(String, Vec<f64>)>,
}

pub fn primaries_chart(rows: &[VolumeRow], sites: &[BodySite]) -> PrimariesChart {
    let (years, values) = volumes_by_year(rows, sites, |row| row.primaries);
    PrimariesChart {
        categories: years.iter().map(|year| year.to_string()).collect(),
        series: sites
            .iter()
            .zip(values)
            .map(|(site, values)| (site.label().to_string(), values))
            .collect(),
        years,
    }
}

/// Primaries and revisions by year and body site: the table beside a volumes chart.
#[component]
pub fn VolumesTable(
    #[prop(into)] label: String,
    caption: &'static str,
    rows: Vec<VolumeRow>,
) -> impl IntoView {
    view! {
        <FiguresTable
            caption=caption
            region=label
            columns=&[
                Column::Words("Year"),
                Column::Words("Body site"),
                Column::Numbers("Primaries"),
                Column::Numbers("Revisions and removals"),
            ]
        >
            {rows.into_iter().map(|row| view! {
                <tr class="nhsuk-table__row">
                    <th scope="row" class="nhsuk-table__header">{row.year}</th>
                    <td class="nhsuk-table__cell">{row.body_site.label()}</td>
                    <NumberCell><CountText value=row.primaries/></NumberCell>
                    <NumberCell><CountText value=row.revisions/></NumberCell>
                </tr>
            }).collect_view()}
        </FiguresTable>
    }
}
