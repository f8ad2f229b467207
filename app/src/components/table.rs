//! A list shown a page at a time: a responsive NHS.UK table (caption, column headers, the
//! rows) with the previous/next controls under it.

use leptos::prelude::*;

use super::pagination::Pagination;

/// Page `page` of `page_count`: the rows (`children`) under `columns`' headers, and the
/// previous/next controls, which call `go` with the page to show.
#[component]
pub fn PagedTable(
    /// The table's classes: NHS.UK's responsive table, and the page's own where it has one.
    #[prop(default = "nhsuk-table-responsive")]
    class: &'static str,
    #[prop(into)] caption: String,
    columns: &'static [&'static str],
    page: u32,
    page_count: u32,
    go: impl Fn(u32) + Clone + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    view! {
        <table class=class>
            <caption class="nhsuk-table__caption">{caption}</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    {columns.iter().map(|column| view! { <th scope="col" class="nhsuk-table__header">{*column}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">{children()}</tbody>
        </table>
        <Pagination page=page page_count=page_count go=go/>
    }
}

/// A cell's column name, shown beside the value when the table stacks its rows on a phone
/// (hidden from screen readers, which announce the column header).
pub fn stacked_heading(text: &'static str) -> impl IntoView {
    view! { <span class="nhsuk-table-responsive__heading" aria-hidden="true">{text}" "</span> }
}
