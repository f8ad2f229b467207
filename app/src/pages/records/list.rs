//! The clinic's records: the confirmation of a record just submitted, what is on its way from
//! this device, and what the registry holds, searchable by device or lot and by procedure
//! date (three boxes, as on the form), page by page. The table stacks its rows on a phone.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use domain::calendar::CalendarDate;

use super::outbox::{OutboxPanel, use_outbox_version};
use super::queued::QueuedConfirmation;
use crate::api::FieldError;
use crate::api::procedures::{ProcedureQuery, ProcedureSummary, list_procedures};
use crate::api::session::{Role, roles};
use crate::components::form::{DateInput, ErrorSummary, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::table::{PagedTable, stacked_heading};
use crate::session::use_session;

#[component]
pub fn RecordsPage() -> impl IntoView {
    set_page_title("Procedure records");
    view! {
        <RequireRole roles=roles::STAFF>
            <Records/>
        </RequireRole>
    }
}

/// The devices column: the first two, and how many more ("A; B and 3 more"), so that a
/// record with many screws does not push the other columns off the screen.
pub fn bounded_devices(devices: &[String]) -> String {
    const SHOWN: usize = 2;
    let first = devices
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    match devices.len().saturating_sub(SHOWN) {
        0 => first,
        more => format!("{first} and {more} more"),
    }
}

/// A date from its three boxes as the search sends it (`YYYY-MM-DD`), empty when all three
/// are, or the problem against `field`.
pub fn search_date(
    (day, month, year): (&str, &str, &str),
    field: &str,
    what: &'static str,
) -> Result<String, FieldError> {
    if day.trim().is_empty() && month.trim().is_empty() && year.trim().is_empty() {
        return Ok(String::new());
    }
    CalendarDate::from_parts(day, month, year, what)
        .map(|date| date.to_iso())
        .map_err(|problem| FieldError::new(field, problem.to_string()))
}

/// The dates a search's "from" and "to" boxes say (each `YYYY-MM-DD`, or empty), or the
/// problems with them against the fields `from` and `to`; `what` names the two dates.
pub fn search_range(
    from: &[String; 3],
    to: &[String; 3],
    what: (&'static str, &'static str),
) -> Result<(String, String), Vec<FieldError>> {
    let date = |[day, month, year]: &[String; 3], field: &str, what: &'static str| {
        search_date((day.as_str(), month.as_str(), year.as_str()), field, what)
    };
    match (date(from, "from", what.0), date(to, "to", what.1)) {
        (Ok(from), Ok(to)) => Ok((from, to)),
        (from, to) => Err(from.err().into_iter().chain(to.err()).collect()),
    }
}

/// What a date input's three boxes hold now.
pub fn boxes(parts: [RwSignal<String>; 3]) -> [String; 3] {
    parts.map(|part| part.get_untracked())
}

#[component]
fn Records() -> impl IntoView {
    let session = use_session();
    let query_string = use_query_map();
    let just_queued = move || query_string.with(|query| query.get("queued"));
    let device = RwSignal::new(String::new());
    let from = [(); 3].map(|()| RwSignal::new(String::new()));
    let to = [(); 3].map(|()| RwSignal::new(String::new()));
    let date_errors = RwSignal::new(Vec::<FieldError>::new());
    let query = RwSignal::new(ProcedureQuery {
        page: 1,
        ..ProcedureQuery::default()
    });
    let outbox_version = use_outbox_version();
    let records = LocalResource::new(move || {
        outbox_version.get();
        list_procedures(query.get())
    });
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| match records.get() {
        Some(Err(crate::api::ApiError::Invalid { errors: problems })) => {
            server_errors.set(problems)
        }
        // Offline: said next to the list, not as a form error.
        Some(Err(crate::api::ApiError::Transport { .. })) => server_errors.set(Vec::new()),
        Some(Err(error)) => server_errors.set(field_errors(&error, "device")),
        Some(Ok(_)) => server_errors.set(Vec::new()),
        None => {}
    });
    let errors = Signal::derive(move || {
        let mut all = date_errors.get();
        all.extend(server_errors.get());
        all
    });
    let is_clinic = move || matches!(session.role(), Some(Role::ClinicUser | Role::ClinicManager));
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let dates = ("The first procedure date", "The last procedure date");
        match search_range(&boxes(from), &boxes(to), dates) {
            Ok((from, to)) => {
                date_errors.set(Vec::new());
                query.set(ProcedureQuery {
                    device: device.get_untracked(),
                    from,
                    to,
                    page: 1,
                });
            }
            Err(problems) => date_errors.set(problems),
        }
    };
    view! {
        <h1>"Procedure records"</h1>
        <Show when=is_clinic>
            <p><a class="nhsuk-button" href=crate::routes::NEW_RECORD>"Record a procedure"</a></p>
        </Show>
        {move || just_queued().map(|outbox_id| view! { <QueuedConfirmation outbox_id=outbox_id/> })}
        {move || session.info().filter(|info| matches!(info.role, Role::ClinicUser | Role::ClinicManager)).map(|info| view! { <OutboxPanel owner=info.user_id/> })}

        <h2>"Submitted records"</h2>
        <ErrorSummary errors=errors/>
        <form class="app-search-form" novalidate on:submit=search role="search" aria-label="Find records">
            <TextField id="device" label="Device, lot or manufacturer" value=device errors=errors autocomplete="off"/>
            <DateInput id="from" legend="Procedure date from" hint="For example, 1 11 2026"
                day=from[0] month=from[1] year=from[2] errors=errors/>
            <DateInput id="to" legend="Procedure date to" hint="For example, 30 11 2026"
                day=to[0] month=to[1] year=to[2] errors=errors/>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Search"</button>
        </form>
        {move || match records.get() {
            None => view! { <p role="status">"Loading records…"</p> }.into_any(),
            Some(Err(crate::api::ApiError::Transport { .. })) => view! {
                <p role="status">"The registry cannot be reached, so submitted records cannot be listed now. Records on this device are shown above and are sent when the connection returns."</p>
            }.into_any(),
            Some(Err(_)) => ().into_any(),
            Some(Ok(page)) if page.items.is_empty() => view! { <p>"No records match."</p> }.into_any(),
            Some(Ok(page)) => {
                let page_count = page.page_count();
                let current = page.page;
                view! {
                    <PagedTable class="nhsuk-table-responsive app-records-table" caption=format!("{} record{}, latest procedure first", page.total, if page.total == 1 { "" } else { "s" })
                        columns=&["Record", "Date", "Procedure", "Devices", "Status"]
                        page=current page_count=page_count go=move |page| query.update(|query| query.page = page)>
                        {page.items.into_iter().map(record_row).collect_view()}
                    </PagedTable>
                }.into_any()
            }
        }}
    }
}

/// A record in the list: its link, when, what, with which devices, and how it stands.
fn record_row(record: ProcedureSummary) -> impl IntoView {
    view! {
        <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell">{stacked_heading("Record")}<a href=crate::routes::record(record.id)>{format!("Record {}", record.id)}</a></td>
            <td class="nhsuk-table__cell">{stacked_heading("Date")}{record.procedure_date.to_string()}</td>
            <td class="nhsuk-table__cell">{stacked_heading("Procedure")}{format!("{}, {} ({})", record.procedure_type.label(), record.body_site.label(), record.laterality.label().to_lowercase())}<br/><span class="nhsuk-body-s">{record.site.clone()}</span></td>
            <td class="nhsuk-table__cell app-records-table__devices">{stacked_heading("Devices")}{bounded_devices(&record.devices)}</td>
            <td class="nhsuk-table__cell">
                {stacked_heading("Status")}
                {if record.linked_to_patient { "Linked to patient" } else { "Statistics only" }}
                {record.needs_review.then(|| view! { <br/><strong class="nhsuk-tag nhsuk-tag--yellow">"Device under review"</strong> })}
                {(record.version > 1).then(|| view! { <br/><span class="nhsuk-body-s">{format!("Corrected (version {})", record.version)}</span> })}
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_devices_column_shows_two_and_counts_the_rest() {
        let devices: Vec<String> = ["Stem", "Cup", "Head", "Liner", "Screw"]
            .iter()
            .map(|name| name.to_string())
            .collect();
        assert_eq!(bounded_devices(&devices[..1]), "Stem");
        assert_eq!(bounded_devices(&devices[..2]), "Stem; Cup");
        assert_eq!(bounded_devices(&devices), "Stem; Cup and 3 more");
        assert_eq!(bounded_devices(&[]), "");
    }

    #[test]
    fn search_dates_come_from_three_boxes() {
        assert_eq!(
            search_date(("", " ", ""), "from", "The date"),
            Ok(String::new())
        );
        assert_eq!(
            search_date(("2", "11", "2026"), "from", "The date"),
            Ok("2026-11-02".into())
        );
        let problem =
            search_date(("31", "2", "2026"), "to", "The last procedure date").unwrap_err();
        let boxes = |parts: [&str; 3]| parts.map(String::from);
        assert_eq!(
            search_range(
                &boxes(["", "", ""]),
                &boxes(["2", "11", "2026"]),
                ("A", "B")
            ),
            Ok((String::new(), "2026-11-02".into()))
        );
        let both = search_range(
            &boxes(["32", "1", "2026"]),
            &boxes(["1", "", "2026"]),
            ("A", "B"),
        );
        let fields: Vec<_> = both
            .unwrap_err()
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(fields, ["from", "to"]);
        assert_eq!(problem.field, "to");
        assert_eq!(
            problem.message,
            "The last procedure date must be a real date"
        );
    }
}
