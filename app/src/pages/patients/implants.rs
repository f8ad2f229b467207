//! "Your implants": every procedure and device linked to the patient, safety notices first,
//! printable, and downloadable as FHIR or CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::patients::{
    ExportFormat, ImplantRecord, PatientDevice, PatientProcedure, download_my_data, my_implants,
};
use crate::api::session::roles;
use crate::components::download::save_file;
use crate::components::guard::RequireRole;
use crate::components::layout::{SuccessBanner, set_page_title};
use crate::components::submit::Submit;
use crate::routes::{ACCESS_LOG, ADD_RECORD};
use crate::session::use_session;

#[component]
pub fn MyImplantsPage() -> impl IntoView {
    set_page_title("Your implants");
    view! { <RequireRole roles=roles::PATIENTS><MyImplants/></RequireRole> }
}

/// A device's name as the patient reads it: the register's name, or what the clinic typed.
pub fn device_name(device: &PatientDevice) -> String {
    match (&device.name, &device.catalogue_number) {
        (Some(name), _) => name.clone(),
        (None, Some(catalogue)) => format!("Catalogue number {catalogue}"),
        (None, None) => "Device not in the register".to_string(),
    }
}

/// "Primary joint replacement, hip (left)".
pub fn procedure_title(procedure: &PatientProcedure) -> String {
    format!(
        "{}, {} ({})",
        procedure.procedure_type.label(),
        procedure.body_site.label().to_lowercase(),
        procedure.laterality.label().to_lowercase()
    )
}

/// What the success banner says after a claim linked `records` records.
pub fn describe_added(records: usize) -> String {
    match records {
        0 | 1 => "Your record is now linked to your account.".to_string(),
        many => format!(
            "Your record is now linked to your account. You can see {many} procedure records: the clinic has other records with your details."
        ),
    }
}

#[component]
fn MyImplants() -> impl IntoView {
    let record = LocalResource::new(my_implants);
    let query = use_query_map();
    let added = move || {
        query.with(|query| {
            query
                .get("added")
                .and_then(|count| count.parse::<usize>().ok())
        })
    };
    view! {
        {move || added().map(|records| view! {
            <SuccessBanner title="Record added">
                <p>{describe_added(records)}</p>
                <p>"Records from another clinic appear when you add the claim code from that clinic's implant card too."</p>
            </SuccessBanner>
        })}
        <h1>"Your implants"</h1>
        {move || match record.get() {
            None => view! { <p role="status">"Loading your record…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(record)) if !record.linked => view! {
                <p>"There is no implant record linked to your account yet."</p>
                <p>"To add yours, you need the claim code from the implant card your clinic gave you, your NHS number and your date of birth."</p>
                <a class="nhsuk-button" href=ADD_RECORD>"Add your record"</a>
            }.into_any(),
            Some(Ok(record)) => view! { <Record record=record/> }.into_any(),
        }}
    }
}

#[component]
fn Record(record: ImplantRecord) -> impl IntoView {
    let session = use_session();
    let notices: Vec<_> = record
        .notices()
        .into_iter()
        .map(|(procedure, device, notice)| {
            (
                notice.clone(),
                device_name(device),
                procedure.procedure_date,
                procedure.clinic.clone(),
            )
        })
        .collect();
    let count = record.procedures.len();
    view! {
        {notices.into_iter().map(|(notice, device, date, clinic)| view! {
            <div class="nhsuk-warning-callout app-safety-notice">
                <h2 class="nhsuk-warning-callout__label">
                    <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{format!("Safety notice: {}", notice.title)}</span>
                </h2>
                <p>{format!("About your {device}, implanted on {date} at {clinic}.")}</p>
                <p>{notice.problem}</p>
                <h3>"What you should do"</h3>
                <p>{notice.patient_action}</p>
                <p class="nhsuk-body-s">{format!("Notice {}, issued on {}.", notice.reference, notice.issued_on)}</p>
            </div>
        }).collect_view()}
        <p>{match count {
            1 => "The registry holds 1 procedure record about you.".to_string(),
            n => format!("The registry holds {n} procedure records about you."),
        }}</p>
        {record.procedures.into_iter().map(|procedure| view! { <Procedure procedure=procedure/> }).collect_view()}
        <div class="app-no-print">
            <h2>"Your data"</h2>
            <Downloads/>
            <ul class="nhsuk-list">
                <li><a href=ADD_RECORD>"Add another record"</a>" (from another clinic's implant card)"</li>
                <li><a href=ACCESS_LOG>"See who has looked at your record"</a></li>
                {move || (!session.info().is_some_and(|info| info.second_factor_enrolled)).then(|| view! {
                    <li><a href=crate::routes::AUTHENTICATOR>"Set up an authenticator app"</a>" to protect your account with a second step at sign-in (optional)"</li>
                })}
            </ul>
            <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=|_| { let _ = window().print(); }>"Print this page"</button>
        </div>
    }
}

#[component]
fn Procedure(procedure: PatientProcedure) -> impl IntoView {
    let title = procedure_title(&procedure);
    let caption = format!("Devices implanted on {}", procedure.procedure_date);
    view! {
        <section class="app-patient-procedure">
            <h2>{title}</h2>
            <dl class="nhsuk-summary-list">
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Date"</dt>
                    <dd class="nhsuk-summary-list__value">{procedure.procedure_date.to_string()}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Where"</dt>
                    <dd class="nhsuk-summary-list__value">{format!("{}, {}", procedure.clinic, procedure.site)}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Registry record"</dt>
                    <dd class="nhsuk-summary-list__value">{procedure.record_id}</dd>
                </div>
                {procedure.clinic_contact.clone().map(|contact| view! {
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Contact the clinic"</dt>
                        <dd class="nhsuk-summary-list__value app-contact">{contact}</dd>
                    </div>
                })}
            </dl>
            <table class="nhsuk-table-responsive app-patient-devices">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th scope="col" class="nhsuk-table__header">"Device"</th>
                        <th scope="col" class="nhsuk-table__header">"Made by"</th>
                        <th scope="col" class="nhsuk-table__header">"Identifier (UDI)"</th>
                        <th scope="col" class="nhsuk-table__header">"Lot"</th>
                        <th scope="col" class="nhsuk-table__header">"Serial number"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">
                    {procedure.devices.into_iter().map(|device| {
                        let name = device_name(&device);
                        let flagged = !device.notices.is_empty();
                        let cell = |heading: &'static str, value: String| view! {
                            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">{heading}" "</span>{value}</td>
                        };
                        view! {
                            <tr class="nhsuk-table__row">
                                <td class="nhsuk-table__cell">
                                    <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Device "</span>
                                    {name}
                                    {flagged.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red app-notice-tag">"Safety notice"</strong> })}
                                </td>
                                {cell("Made by", device.manufacturer.clone().unwrap_or_else(|| "Not recorded".into()))}
                                {cell("Identifier (UDI)", device.udi.clone().or(device.device_identifier.clone()).unwrap_or_else(|| "No barcode".into()))}
                                {cell("Lot", device.lot.clone().unwrap_or_else(|| "Not recorded".into()))}
                                {cell("Serial number", device.serial.clone().unwrap_or_else(|| "Not recorded".into()))}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="app-no-print"><a href=crate::routes::report_mistake(procedure.record_id)>{format!("Report a mistake in this record (record {})", procedure.record_id)}</a></p>
        </section>
    }
}

#[component]
fn Downloads() -> impl IntoView {
    let status = RwSignal::new(String::new());
    let download = Submit::new(move |format: ExportFormat| async move {
        status.set("Preparing your file…".into());
        let message = match download_my_data(format).await {
            Ok(file) => match save_file(&file) {
                Ok(()) => format!("Your file {} has been saved.", file.file_name),
                Err(_) => {
                    "Your browser did not save the file. Try again, or try another browser.".into()
                }
            },
            Err(error) => error.to_string(),
        };
        status.set(message);
    });
    view! {
        <p>"Download everything the registry holds about you: as HL7 FHIR (a standard health-record format other services can read) or as a spreadsheet."</p>
        <div class="app-button-group">
            <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| download.dispatch(ExportFormat::Fhir)>"Download as FHIR (JSON)"</button>
            " "
            <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| download.dispatch(ExportFormat::Csv)>"Download as a spreadsheet (CSV)"</button>
        </div>
        <p role="status" class="nhsuk-body-s">{move || status.get()}</p>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_banner_counts_the_records_added() {
        assert_eq!(
            super::describe_added(1),
            "Your record is now linked to your account."
        );
        assert!(super::describe_added(3).contains("You can see 3 procedure records"));
    }
}
