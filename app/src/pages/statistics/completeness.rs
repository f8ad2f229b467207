//! Completeness: how many records can be linked to their patient (consent), how many
//! components matched the device register, and how many have a lot or serial number.

use domain::statistics::CompletenessTotal;
use leptos::prelude::*;

use super::format::percent;
use super::{Column, CountText, CsvDownload, FiguresTable, NumberCell};
use crate::api::statistics::{StatisticsFigure, StatisticsQuery};
use crate::components::charts::line::{LineChart, LineSeries, every};

pub const SUBTITLE: &str = "Linkable: procedures whose patient consented, so a later revision can be linked to them. Matched: components whose device identifier is in the device register. Traceable: components with a lot or serial number, which a recall needs.";

/// The three completeness percentages as lines over the years.
pub fn completeness_lines(rows: &[CompletenessTotal], prefix: &str) -> Vec<LineSeries> {
    let line = |label: &str, pick: fn(&CompletenessTotal) -> Option<f64>| LineSeries {
        label: format!("{prefix}{label}"),
        points: rows
            .iter()
            .filter_map(|row| pick(row).map(|value| (f64::from(row.year), value)))
            .collect(),
        band: Vec::new(),
    };
    vec![
        line("linkable (consent)", |row| row.linkable_percent),
        line("matched to the register", |row| row.matched_percent),
        line("with lot or serial number", |row| row.lot_or_serial_percent),
    ]
}

/// The x axis of a chart over these years: from the first to the last, labelled sparsely.
pub fn year_axis(years: &[u16]) -> (f64, f64, Vec<(f64, String)>) {
    let first = years.iter().copied().min().map_or(2000.0, f64::from);
    let last = years
        .iter()
        .copied()
        .max()
        .map_or(first + 1.0, f64::from)
        .max(first + 1.0);
    let step = if last - first > 10.0 {
        5.0
    } else if last - first > 5.0 {
        2.0
    } else {
        1.0
    };
    let start = (first / step).ceil() * step;
    (first, last, every(start, last, step))
}

#[component]
pub fn CompletenessTable(
    #[prop(into)] caption: String,
    rows: Vec<(String, CompletenessTotal)>,
) -> impl IntoView {
    view! {
        <FiguresTable
            caption=caption
            columns=&[
                Column::Words("Year"),
                Column::Words("Who"),
                Column::Numbers("Procedures"),
                Column::Numbers("Linkable %"),
                Column::Numbers("Components"),
                Column::Numbers("Matched %"),
                Column::Numbers("With lot or serial %"),
            ]
        >
            {rows.into_iter().map(|(who, row)| view! {
                <tr class="nhsuk-table__row">
                    <th scope="row" class="nhsuk-table__header">{row.year}</th>
                    <td class="nhsuk-table__cell">{who}</td>
                    <NumberCell><CountText value=row.procedures/></NumberCell>
                    <NumberCell>{percent(row.linkable_percent)}</NumberCell>
                    <NumberCell><CountText value=row.components/></NumberCell>
                    <NumberCell>{percent(row.matched_percent)}</NumberCell>
                    <NumberCell>{percent(row.lot_or_serial_percent)}</NumberCell>
                </tr>
            }).collect_view()}
        </FiguresTable>
    }
}

#[component]
pub fn NationalCompleteness(
    rows: Vec<CompletenessTotal>,
    #[prop(into)] query: Signal<StatisticsQuery>,
) -> impl IntoView {
    let years: Vec<u16> = rows.iter().map(|row| row.year).collect();
    let (x_min, x_max, x_labels) = year_axis(&years);
    let lines = completeness_lines(&rows, "");
    let table_rows: Vec<(String, CompletenessTotal)> = rows
        .iter()
        .map(|row| ("Every clinic".to_string(), *row))
        .collect();
    view! {
        <section aria-labelledby="completeness" class="app-statistics-section">
            <h2 id="completeness">"Completeness"</h2>
            {if rows.is_empty() {
                view! { <p>"No procedures in this date range."</p> }.into_any()
            } else {
                view! {
                    <LineChart
                        title="How complete the national records are, by year"
                        subtitle=SUBTITLE
                        x_label="Year of procedure"
                        y_label="% of procedures or components"
                        series_list=lines
                        x_min=x_min
                        x_max=x_max
                        x_labels=x_labels
                        y_max=100.0
                    />
                    <CompletenessTable caption="Completeness by year, every clinic" rows=table_rows/>
                }.into_any()
            }}
            <CsvDownload figure=StatisticsFigure::Completeness query=query label="completeness"/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_axes_label_sparsely_and_never_collapse() {
        let (first, last, labels) = year_axis(&[2011, 2026]);
        assert_eq!((first, last), (2011.0, 2026.0));
        assert_eq!(
            labels
                .iter()
                .map(|(_, text)| text.as_str())
                .collect::<Vec<_>>(),
            ["2015", "2020", "2025"]
        );
        let (first, last, labels) = year_axis(&[2026]);
        assert_eq!((first, last), (2026.0, 2027.0));
        assert_eq!(labels.len(), 2);
    }
}
