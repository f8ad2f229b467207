//! The register's list: search by DI (any of a device's identifiers), brand, model,
//! catalogue number or maker, page by page.

use leptos::prelude::*;

use super::{RegisterSections, status_tag};
use crate::api::FieldError;
use crate::api::register::{DeviceSummary, RegisterQuery, search_register};
use crate::api::session::roles;
use crate::components::form::{ErrorSummary, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::table::PagedTable;

#[component]
pub fn DeviceRegisterPage() -> impl IntoView {
    set_page_title("Device register");
    view! { <RequireRole roles=roles::ADMINISTRATORS><DeviceRegister/></RequireRole> }
}

#[component]
fn DeviceRegister() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let query = RwSignal::new(RegisterQuery {
        page: 1,
        ..RegisterQuery::default()
    });
    let devices = LocalResource::new(move || search_register(query.get()));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| match devices.get() {
        Some(Err(error)) => errors.set(field_errors(&error, "search")),
        Some(Ok(_)) => errors.set(Vec::new()),
        None => {}
    });
    let find = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        query.set(RegisterQuery {
            search: search.get_untracked(),
            page: 1,
        });
    };
    view! {
        <h1>"Device register"</h1>
        <RegisterSections/>
        <ErrorSummary errors=errors/>
        <form class="app-search-form" novalidate on:submit=find role="search" aria-label="Search the register">
            <TextField id="search" label="Device identifier, brand, model, catalogue number or maker" value=search errors=errors
                hint="A package's or an old identifier finds its device too. Leave empty to list every device." autocomplete="off"/>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Search"</button>
        </form>
        {move || match devices.get() {
            None => view! { <p role="status">"Loading the register…"</p> }.into_any(),
            Some(Err(_)) => ().into_any(),
            Some(Ok(page)) if page.items.is_empty() => view! { <p role="status">"No devices match."</p> }.into_any(),
            Some(Ok(page)) => {
                let (page_count, current, total) = (page.page_count(), page.page, page.total);
                view! {
                    <PagedTable caption=format!("{total} device{}, by brand", if total == 1 { "" } else { "s" })
                        columns=&["Device", "Device identifier", "Catalogue number", "Maker", "Status"]
                        page=current page_count=page_count go=move |page| query.update(|query| query.page = page)>
                        {page.items.into_iter().map(device_row).collect_view()}
                    </PagedTable>
                }.into_any()
            }
        }}
    }
}

/// A register entry in the list: its link, identifiers, maker and status.
fn device_row(device: DeviceSummary) -> impl IntoView {
    let (status, class) = status_tag(device.status);
    let name = match &device.version_model {
        Some(model) => format!("{} {model}", device.brand_name),
        None => device.brand_name.clone(),
    };
    view! {
        <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Device "</span>
                <a href=crate::routes::device(device.id)>{name}</a></td>
            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Device identifier "</span>
                {device.device_identifier.clone()}<br/><span class="nhsuk-body-s">{device.agency.clone()}</span></td>
            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Catalogue number "</span>
                {device.catalogue_number.clone().unwrap_or_default()}</td>
            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Maker "</span>{device.manufacturer.clone()}</td>
            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Status "</span>
                <strong class=class>{status}</strong></td>
        </tr>
    }
}
