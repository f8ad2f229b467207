//! Registry statistics pages: the public dashboard (`/statistics`) and a clinic's own view
//! (`/clinic-statistics`). The server sends figures already through disclosure control; these
//! pages draw them (charts in `components::charts`), list them in tables and offer each as CSV.

pub mod clinic;
pub mod completeness;
pub mod filters;
pub mod format;
pub mod method;
pub mod public;
pub mod rates;
pub mod survival;
pub mod volumes;

use leptos::prelude::*;

use crate::api::statistics::{StatisticsFigure, StatisticsQuery, statistics_csv};
use crate::components::download::save_file;

/// A button that downloads one figure as CSV, with the page's filters; says what happened.
#[component]
pub fn CsvDownload(
    figure: StatisticsFigure,
    #[prop(into)] query: Signal<StatisticsQuery>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let download = Action::new_local(move |query: &StatisticsQuery| {
        let query = query.clone();
        async move {
            let file = statistics_csv(figure, query)
                .await
                .map_err(|error| error.to_string())?;
            save_file(&file)
                .map(|()| format!("Saved {}.", file.file_name))
                .map_err(|_| {
                    "Your browser did not save the file. Try again, or try another browser."
                        .to_string()
                })
        }
    });
    let pending = download.pending();
    let status = move || match download.value().get() {
        _ if pending.get() => "Preparing the file…".to_string(),
        None => String::new(),
        Some(Ok(message)) | Some(Err(message)) => message,
    };
    view! {
        <div class="app-chart__download app-no-print">
            <button
                type="button"
                class="nhsuk-button nhsuk-button--secondary"
                on:click=move |_| {
                    download.dispatch_local(query.get_untracked());
                }
                disabled=move || pending.get()
            >
                {format!("Download {label} (CSV)")}
            </button>
            <p class="nhsuk-body-s" role="status">{status}</p>
        </div>
    }
}

/// A published count in a table cell: a suppressed one reads "1 to 7" to a screen reader.
#[component]
pub fn CountText(value: domain::statistics::Count) -> impl IntoView {
    match value {
        domain::statistics::Count::Shown(_) => format::count(value).into_any(),
        domain::statistics::Count::Suppressed { from, to } => view! {
            {from}<span aria-hidden="true">"–"</span><span class="nhsuk-u-visually-hidden">" to "</span>{to}
        }
        .into_any(),
    }
}

/// The notice shown over exact figures, and the note on controlled ones.
#[component]
pub fn FiguresNotice(exact: bool, control: domain::statistics::DisclosureControl) -> impl IntoView {
    if exact {
        view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label">
                    <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Exact figures: not for publication"</span>
                </h2>
                <p>"You are signed in as a registry administrator, so counts are shown exactly, small ones included. Do not publish or share them: the public pages show the same figures with small counts hidden and others rounded."</p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <p class="nhsuk-body-s">
                {format!(
                    "To protect patients' privacy, counts of people or procedures from {} to {} are shown as \"{}–{}\" and other counts are rounded to the nearest {}. Rates, percentages and confidence limits are worked out from the exact counts.",
                    control.suppress_from, control.suppress_to, control.suppress_from, control.suppress_to, control.round_to
                )}
            </p>
        }
        .into_any()
    }
}

/// When the figures' records were read: they come from a snapshot refreshed in the background,
/// so a record sent a moment ago may not be in them yet.
#[component]
pub fn RecordsReadAt(#[prop(into)] at: String) -> impl IntoView {
    view! {
        <p class="nhsuk-body-s">{format!(
            "Worked out from the registry's records as they were on {}. Records sent since then are added at the next refresh, usually within a minute.",
            domain::uk_time::uk_time(&at),
        )}</p>
    }
}

/// A column heading of a figures table: numbers are right-aligned, as the design system does.
#[derive(Debug, Clone, Copy)]
pub enum Column {
    Words(&'static str),
    Numbers(&'static str),
}

impl Column {
    fn class(self) -> &'static str {
        match self {
            Column::Words(_) => "nhsuk-table__header",
            Column::Numbers(_) => "nhsuk-table__header nhsuk-table__header--numeric",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Column::Words(heading) | Column::Numbers(heading) => heading,
        }
    }
}

/// The table of a chart's figures: its caption, column headings and rows (the children), in
/// a region that scrolls sideways on a phone, named "<caption>, table" unless `region` says
/// otherwise.
#[component]
pub fn FiguresTable(
    #[prop(into)] caption: String,
    #[prop(optional, into)] region: Option<String>,
    columns: &'static [Column],
    children: Children,
) -> impl IntoView {
    let region = region.unwrap_or_else(|| format!("{caption}, table"));
    view! {
        <ScrollTable label=region>
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption">{caption}</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        {columns.iter().map(|column| view! {
                            <th scope="col" class=column.class()>{column.heading()}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{children()}</tbody>
            </table>
        </ScrollTable>
    }
}

/// A table cell holding a number, right-aligned.
#[component]
pub fn NumberCell(children: Children) -> impl IntoView {
    view! { <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{children()}</td> }
}

/// A table that scrolls sideways on a narrow screen; focusable so that keyboard users can
/// scroll it too.
#[component]
pub fn ScrollTable(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="app-table-scroll" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}
