//! One record: its current content, its components, and every earlier version.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::procedures::{ComponentDetail, VersionDetail, record_detail};
use crate::api::session::{Role, roles};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::session::use_session;

pub fn record_id_param() -> impl Fn() -> Option<i64> + Copy {
    let params = use_params_map();
    move || params.with(|params| params.get("id")?.parse().ok())
}

#[component]
pub fn RecordPage() -> impl IntoView {
    set_page_title("Procedure record");
    view! {
        <RequireRole roles=roles::STAFF>
            <Record/>
        </RequireRole>
    }
}

#[component]
fn Record() -> impl IntoView {
    let session = use_session();
    let id = record_id_param();
    let detail = LocalResource::new(move || async move {
        match id() {
            Some(id) => record_detail(id).await,
            None => Err(crate::api::ApiError::not_found("That record")),
        }
    });
    let is_clinic = move || matches!(session.role(), Some(Role::ClinicUser | Role::ClinicManager));
    move || {
        match detail.get() {
        None => view! { <h1>"Procedure record"</h1><p role="status">"Loading the record…"</p> }.into_any(),
        Some(Err(error)) => view! { <h1>"Procedure record"</h1><p>{error.to_string()}</p><p><a href=crate::routes::RECORDS>"Back to records"</a></p> }.into_any(),
        Some(Ok(detail)) => {
            let mut versions = detail.versions.into_iter();
            let current = versions.next();
            let earlier: Vec<VersionDetail> = versions.collect();
            let record_id = detail.id;
            view! {
                <span class="nhsuk-caption-l">{detail.organisation.clone()}</span>
                <h1>{format!("Record {record_id}")}</h1>
                {current.map(|version| view! { <VersionView version=version/> })}
                <Show when=is_clinic>
                    <p>
                        <a class="nhsuk-button nhsuk-button--secondary app-button-link" href=crate::routes::correct_record(record_id)>"Correct this record"</a>
                        " "
                        <a class="nhsuk-button nhsuk-button--secondary app-button-link" href=crate::routes::implant_card(record_id)>"Print the implant card"</a>
                    </p>
                </Show>
                {(!earlier.is_empty()).then(|| view! {
                    <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("Earlier versions ({})", earlier.len())}</span></summary>
                        <div class="nhsuk-details__text">
                            {earlier.into_iter().map(|version| view! { <VersionView version=version/> }).collect_view()}
                        </div>
                    </details>
                })}
                <p><a href=crate::routes::RECORDS>"Back to records"</a></p>
            }
            .into_any()
        }
    }
    }
}

#[component]
fn VersionView(version: VersionDetail) -> impl IntoView {
    let rows = vec![
        ("Procedure date", version.procedure_date.to_string()),
        ("Procedure", version.procedure_type.label().to_string()),
        (
            "Where",
            format!(
                "{} ({})",
                version.body_site.label(),
                version.laterality.label().to_lowercase()
            ),
        ),
        ("Site", version.site.clone()),
        (
            "Responsible consultant (GMC)",
            version.consultant_gmc.clone(),
        ),
        (
            "Reasons",
            if version.revision_reasons.is_empty() {
                "Not applicable".into()
            } else {
                version
                    .revision_reasons
                    .iter()
                    .map(|reason| reason.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (
            "Patient",
            format!(
                "{}; born {}; {}{}",
                version.consent.label(),
                version.year_of_birth,
                version.sex.label().to_lowercase(),
                if version.postcode_district.is_empty() {
                    String::new()
                } else {
                    format!("; {}", version.postcode_district)
                }
            ),
        ),
        (
            "Warnings confirmed",
            if version.acknowledged_warnings.is_empty() {
                "None".into()
            } else {
                version.acknowledged_warnings.join(", ")
            },
        ),
        (
            "Recorded",
            format!(
                "by {} on {} (version {})",
                version.recorded_by,
                domain::uk_time::uk_time(&version.recorded_at),
                version.version
            ),
        ),
    ];
    view! {
        {version.correction_reason.clone().map(|reason| view! {
            <div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{format!("Version {} corrected this record: {reason}", version.version)}</p></div>
        })}
        <dl class="nhsuk-summary-list">
            {rows.into_iter().map(|(key, value)| view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">{key}</dt>
                    <dd class="nhsuk-summary-list__value">{value}</dd>
                </div>
            }).collect_view()}
        </dl>
        <ComponentsTable components=version.components caption=format!("Components (version {})", version.version)/>
    }
}

#[component]
pub fn ComponentsTable(components: Vec<ComponentDetail>, caption: String) -> impl IntoView {
    view! {
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    <th scope="col" class="nhsuk-table__header">"Device"</th>
                    <th scope="col" class="nhsuk-table__header">"UDI"</th>
                    <th scope="col" class="nhsuk-table__header">"Lot / serial"</th>
                    <th scope="col" class="nhsuk-table__header">"Expiry"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {components.into_iter().map(|component| view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">
                            {component.name.clone().or(component.catalogue_number.clone()).unwrap_or_else(|| "Unknown device".into())}
                            {component.manufacturer.clone().map(|maker| view! { <br/><span class="nhsuk-body-s">{maker}</span> })}
                            {(!component.in_register).then(|| view! { <br/><strong class="nhsuk-tag nhsuk-tag--yellow">"Not in the register: under review"</strong> })}
                        </td>
                        <td class="nhsuk-table__cell app-udi-value">{component.udi.clone().unwrap_or_else(|| "No barcode".into())}</td>
                        <td class="nhsuk-table__cell">{[component.lot.clone(), component.serial.clone().map(|s| format!("SN {s}"))].into_iter().flatten().collect::<Vec<_>>().join(", ")}</td>
                        <td class="nhsuk-table__cell">{component.expiry.map(|date| date.to_string()).unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
