//! Correcting a record: the form filled with the current version; sending it adds a version.

use domain::procedure::{ComponentForm, ProcedureForm};
use leptos::prelude::*;

use super::detail::record_id_param;
use super::form::{FormSettings, ProcedureFormView};
use crate::api::procedures::{VersionDetail, record_detail};
use crate::api::session::roles;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::session::use_session;

/// The form for a version, as the person would have typed it. The patient link is kept unless
/// they enter the NHS number and date of birth again.
pub fn form_from(version: &VersionDetail) -> ProcedureForm {
    let date = version.procedure_date;
    ProcedureForm {
        site_id: version.site_id.to_string(),
        consultant_gmc: version.consultant_gmc.clone(),
        procedure_day: date.day().to_string(),
        procedure_month: date.month().to_string(),
        procedure_year: date.year().to_string(),
        procedure_type: version.procedure_type.code().to_string(),
        body_site: version.body_site.code().to_string(),
        laterality: version.laterality.code().to_string(),
        revision_reasons: version
            .revision_reasons
            .iter()
            .map(|reason| reason.code().to_string())
            .collect(),
        components: version
            .components
            .iter()
            .map(|component| match &component.udi {
                Some(udi) => ComponentForm {
                    udi: udi.clone(),
                    ..ComponentForm::default()
                },
                None => ComponentForm {
                    no_barcode: true,
                    manufacturer: component.manufacturer.clone().unwrap_or_default(),
                    catalogue_number: component.catalogue_number.clone().unwrap_or_default(),
                    lot: component.lot.clone().unwrap_or_default(),
                    serial: component.serial.clone().unwrap_or_default(),
                    ..ComponentForm::default()
                },
            })
            .collect(),
        consent: version.consent.code().to_string(),
        year_of_birth: version.year_of_birth.to_string(),
        keep_patient_link: version.linked_to_patient,
        sex: version.sex.code().to_string(),
        postcode_district: version.postcode_district.clone(),
        acknowledged_warnings: version.acknowledged_warnings.clone(),
        ..ProcedureForm::default()
    }
}

#[component]
pub fn CorrectRecordPage() -> impl IntoView {
    set_page_title("Correct a record");
    let id = record_id_param();
    let detail = LocalResource::new(move || async move {
        match id() {
            Some(id) => record_detail(id).await,
            None => Err(crate::api::ApiError::not_found("That record")),
        }
    });
    view! {
        <RequireRole roles=roles::CLINIC>
            {move || match (detail.get(), use_session().info()) {
                (None, _) | (_, None) => view! { <h1>"Correct a record"</h1><p role="status">"Loading the record…"</p> }.into_any(),
                (Some(Err(error)), _) => view! { <h1>"Correct a record"</h1><p>{error.to_string()}</p> }.into_any(),
                (Some(Ok(detail)), Some(info)) => {
                    let current = detail.versions.first().cloned();
                    view! {
                        <span class="nhsuk-caption-l">{format!("Record {}", detail.id)}</span>
                        <h1>"Correct a record"</h1>
                        <p>"Change what was wrong. The registry keeps the current version too, and records who corrected what."</p>
                        {current.map(|version| {
                            let linked = version.linked_to_patient;
                            view! {
                                {linked.then(|| view! {
                                    <div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">"Information: "</span>
                                        <p>"This record is linked to its patient. Leave the NHS number and date of birth empty to keep that link; enter them only if the record is for a different patient."</p>
                                    </div>
                                })}
                                <ProcedureFormView
                                    settings=FormSettings {
                                        draft: format!("correct-{}", detail.id),
                                        owner: info.user_id,
                                        corrects: Some(detail.id),
                                        submit_label: "Submit correction",
                                        replaces: None,
                                        reason: String::new(),
                                    }
                                    initial=form_from(&version)/>
                            }
                        })}
                    }.into_any()
                }
            }}
        </RequireRole>
    }
}
