//! The clinic's records: what is on its way from this device, and what the registry holds,
//! searchable by device or lot and by date, page by page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::outbox::{OutboxPanel, use_outbox_version};
use crate::api::FieldError;
use crate::api::procedures::{ProcedureQuery, list_procedures};
use crate::api::session::{Role, roles};
use crate::components::form::{ErrorSummary, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::pagination::Pagination;
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

#[component]
fn Records() -> impl IntoView {
    let session = use_session();
    let query_string = use_query_map();
    let just_queued = move || query_string.with(|query| query.get("queued").is_some());
    let device = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let query = RwSignal::new(ProcedureQuery {
        page: 1,
        ..ProcedureQuery::default()
    });
    let outbox_version = use_outbox_version();
    let records = LocalResource::new(move || {
        outbox_version.get();
        list_procedures(query.get())
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| match records.get() {
        Some(Err(crate::api::ApiError::Invalid { errors: problems })) => errors.set(problems),
        // Offline: said next to the list, not as a form error.
        Some(Err(crate::api::ApiError::Transport { .. })) => errors.set(Vec::new()),
        Some(Err(error)) => errors.set(field_errors(&error, "device")),
        Some(Ok(_)) => errors.set(Vec::new()),
        None => {}
    });
    let is_clinic = move || matches!(session.role(), Some(Role::ClinicUser | Role::ClinicManager));
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        query.set(ProcedureQuery {
            device: device.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            page: 1,
        });
    };
    view! {
        <h1>"Procedure records"</h1>
        <Show when=is_clinic>
            <p><a class="nhsuk-button" href=crate::routes::NEW_RECORD>"Record a procedure"</a></p>
        </Show>
        <Show when=just_queued>
            <div class="nhsuk-inset-text" role="status">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>"Your record is on this device, encrypted, and is sent to the registry as soon as there is a connection. Its progress is shown below."</p>
            </div>
        </Show>
        {move || session.info().filter(|info| matches!(info.role, Role::ClinicUser | Role::ClinicManager)).map(|info| view! { <OutboxPanel owner=info.user_id/> })}

        <h2>"Submitted records"</h2>
        <ErrorSummary errors=errors/>
        <form class="app-search-form" novalidate on:submit=search role="search" aria-label="Find records">
            <TextField id="device" label="Device, lot or manufacturer" value=device errors=errors autocomplete="off"/>
            <TextField id="from" label="Procedure date from" value=from errors=errors kind="date"/>
            <TextField id="to" label="Procedure date to" value=to errors=errors kind="date"/>
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
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption">{format!("{} record{}, latest procedure first", page.total, if page.total == 1 { "" } else { "s" })}</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th scope="col" class="nhsuk-table__header">"Record"</th>
                                <th scope="col" class="nhsuk-table__header">"Date"</th>
                                <th scope="col" class="nhsuk-table__header">"Procedure"</th>
                                <th scope="col" class="nhsuk-table__header">"Devices"</th>
                                <th scope="col" class="nhsuk-table__header">"Status"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">
                            {page.items.into_iter().map(|record| view! {
                                <tr class="nhsuk-table__row">
                                    <td class="nhsuk-table__cell"><a href=crate::routes::record(record.id)>{format!("Record {}", record.id)}</a></td>
                                    <td class="nhsuk-table__cell">{record.procedure_date.to_string()}</td>
                                    <td class="nhsuk-table__cell">{format!("{}, {} ({})", record.procedure_type.label(), record.body_site.label(), record.laterality.label().to_lowercase())}<br/><span class="nhsuk-body-s">{record.site.clone()}</span></td>
                                    <td class="nhsuk-table__cell">{record.devices.join("; ")}</td>
                                    <td class="nhsuk-table__cell">
                                        {if record.linked_to_patient { "Linked to patient" } else { "Statistics only" }}
                                        {record.needs_review.then(|| view! { <br/><strong class="nhsuk-tag nhsuk-tag--yellow">"Device under review"</strong> })}
                                        {(record.version > 1).then(|| view! { <br/><span class="nhsuk-body-s">{format!("Corrected (version {})", record.version)}</span> })}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Pagination page=current page_count=page_count go=move |page| query.update(|query| query.page = page)/>
                }.into_any()
            }
        }}
    }
}
