//! `/clinic-statistics`: a clinic's own procedure volumes and the completeness of its records,
//! against the national figures. For clinic staff, about their own organisation only.

use domain::statistics::VolumeRow;
use leptos::prelude::*;

use super::completeness::{CompletenessTable, SUBTITLE, completeness_lines, year_axis};
use super::filters::{FilterForm, use_statistics_query};
use super::format::count_for_chart;
use super::volumes::{PrimariesChart, VolumesTable, primaries_chart};
use super::{Column, CsvDownload, FiguresNotice, FiguresTable, NumberCell, RecordsReadAt};
use crate::api::FieldError;
use crate::api::session::roles;
use crate::api::statistics::{
    ClinicStatistics, StatisticsFigure, StatisticsQuery, clinic_statistics_view,
};
use crate::components::charts::bars::BarChart;
use crate::components::charts::line::{LineChart, LineSeries};
use crate::components::form::{ErrorSummary, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::routes;

#[component]
pub fn ClinicStatisticsPage() -> impl IntoView {
    set_page_title("Your clinic's statistics");
    view! { <RequireRole roles=roles::CLINIC><ClinicView/></RequireRole> }
}

#[component]
fn ClinicView() -> impl IntoView {
    let query = use_statistics_query();
    let figures = LocalResource::new(move || clinic_statistics_view(query.get()));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| match figures.get() {
        Some(Err(error)) => errors.set(field_errors(&error, "as_of")),
        Some(Ok(_)) => errors.set(Vec::new()),
        None => {}
    });
    view! {
        <h1>"Your clinic's statistics"</h1>
        <p class="nhsuk-lede-text">"How many procedures your clinic has recorded, and how complete its records are, beside the figures for every clinic."</p>
        <ErrorSummary errors=errors/>
        <FilterForm path=routes::CLINIC_STATISTICS query=query errors=errors/>
        {move || match figures.get() {
            None => view! { <p role="status">"Working out the figures…"</p> }.into_any(),
            Some(Ok(figures)) => view! { <Figures figures=figures query=query/> }.into_any(),
            Some(Err(crate::api::ApiError::Invalid { .. })) => view! {
                <p>"Correct the filters above to see the figures."</p>
            }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
        }}
        <p><a href=routes::STATISTICS>"See the national statistics, device by device"</a></p>
    }
}

/// Each year's primaries, every site added up (exact counts only; a suppressed count is
/// drawn at the middle of its range, as the table beside it says).
fn primaries_by_year(rows: &[VolumeRow], years: &[u16]) -> Vec<f64> {
    years
        .iter()
        .map(|year| {
            rows.iter()
                .filter(|row| row.year == *year)
                .map(|row| count_for_chart(row.primaries))
                .sum()
        })
        .collect()
}

#[component]
fn Figures(figures: ClinicStatistics, query: Memo<StatisticsQuery>) -> impl IntoView {
    let query = Signal::derive(move || query.get());
    let organisation = figures.organisation.clone();
    let mut sites: Vec<_> = figures.volumes.iter().map(|row| row.body_site).collect();
    sites.sort();
    sites.dedup();
    let PrimariesChart {
        years,
        categories,
        series,
    } = primaries_chart(&figures.volumes, &sites);
    let national = primaries_by_year(&figures.national_volumes, &years);
    let own = primaries_by_year(&figures.volumes, &years);
    let share: Vec<String> = own
        .iter()
        .zip(&national)
        .map(|(own, all)| {
            if *all > 0.0 {
                format!("{:.1}", 100.0 * own / all)
            } else {
                "Not available".into()
            }
        })
        .collect();
    let completeness_years: Vec<u16> = figures.completeness.iter().map(|year| year.year).collect();
    let (x_min, x_max, x_labels) = year_axis(&completeness_years);
    let own_rows: Vec<_> = figures
        .completeness
        .iter()
        .filter_map(|year| year.clinic)
        .collect();
    let national_rows: Vec<_> = figures
        .completeness
        .iter()
        .map(|year| year.national)
        .collect();
    let mut lines: Vec<LineSeries> = completeness_lines(&own_rows, "This clinic: ");
    lines.truncate(2);
    lines.extend(
        completeness_lines(&national_rows, "Every clinic: ")
            .into_iter()
            .take(2),
    );
    let table_rows = figures
        .completeness
        .iter()
        .flat_map(|year| {
            year.clinic
                .map(|own| (organisation.clone(), own))
                .into_iter()
                .chain([("Every clinic".to_string(), year.national)])
        })
        .collect::<Vec<_>>();
    view! {
        <p role="status">{format!("Figures for {organisation} as of {}.", figures.as_of)}</p>
        <RecordsReadAt at=figures.records_read_at.clone()/>
        <FiguresNotice exact=figures.exact control=figures.control/>
        <section aria-labelledby="clinic-volumes" class="app-statistics-section">
            <h2 id="clinic-volumes">"Your procedures by year"</h2>
            {if figures.volumes.is_empty() {
                view! { <p>"Your clinic has recorded no procedures in this date range."</p> }.into_any()
            } else {
                view! {
                    <BarChart
                        id="clinic-volumes-chart"
                        title=format!("Primary procedures recorded by {organisation}, each year")
                        subtitle="Every primary procedure your clinic recorded, with or without consent to linkage, by calendar year and body site. Counts are controlled for publication."
                        x_label="Year of procedure"
                        y_label="Primary procedures"
                        categories=categories
                        series_list=series
                    />
                    <VolumesTable
                        label="Your procedures by year, table"
                        caption="Your clinic's procedures by year and body site"
                        rows=figures.volumes.clone()
                    />
                    <FiguresTable
                        caption="Your clinic's share of every clinic's primaries"
                        region="Your share of national primaries, table"
                        columns=&[
                            Column::Words("Year"),
                            Column::Numbers("Share of national primaries (%)"),
                        ]
                    >
                        {years.iter().zip(share).map(|(year, share)| view! {
                            <tr class="nhsuk-table__row">
                                <th scope="row" class="nhsuk-table__header">{*year}</th>
                                <NumberCell>{share}</NumberCell>
                            </tr>
                        }).collect_view()}
                    </FiguresTable>
                }.into_any()
            }}
            <CsvDownload figure=StatisticsFigure::ClinicVolumes query=query label="your procedures by year"/>
        </section>
        <section aria-labelledby="clinic-completeness" class="app-statistics-section">
            <h2 id="clinic-completeness">"How complete your records are"</h2>
            <LineChart
                title=format!("Linkable records and register matches: {organisation} against every clinic")
                subtitle=SUBTITLE
                x_label="Year of procedure"
                y_label="% of procedures or components"
                series_list=lines
                x_min=x_min
                x_max=x_max
                x_labels=x_labels
                y_max=100.0
            />
            <CompletenessTable caption="Completeness by year: your clinic and every clinic" rows=table_rows/>
            <CsvDownload figure=StatisticsFigure::ClinicCompleteness query=query label="your completeness"/>
        </section>
    }
}
