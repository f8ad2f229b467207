//! Correcting a record: the form filled with the current version; sending it adds a version.

use domain::procedure::{
    BodySite, ComponentForm, Consent, Laterality, ProcedureForm, ProcedureType, RevisionReason, Sex,
};
use leptos::prelude::*;

use super::detail::record_id_param;
use super::form::{FormSettings, ProcedureFormView};
use crate::api::procedures::{VersionDetail, record_detail};
use crate::api::session::Role;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::session::use_session;

/// The form for a version, as the person would have typed it. The patient link is kept unless
/// they enter the NHS number and date of birth again.
pub fn form_from(version: &VersionDetail) -> ProcedureForm {
    fn code_of<T: Copy>(
        label: &str,
        all: &[T],
        name: fn(T) -> &'static str,
        code: fn(T) -> &'static str,
    ) -> String {
        all.iter()
            .find(|value| name(**value) == label)
            .map(|value| code(*value).to_string())
            .unwrap_or_default()
    }
    let date = version.procedure_date;
    ProcedureForm {
        site_id: version.site_id.to_string(),
        consultant_gmc: version.consultant_gmc.clone(),
        procedure_day: date.day().to_string(),
        procedure_month: date.month().to_string(),
        procedure_year: date.year().to_string(),
        procedure_type: code_of(
            &version.procedure_type,
            ProcedureType::ALL,
            ProcedureType::label,
            ProcedureType::code,
        ),
        body_site: code_of(
            &version.body_site,
            BodySite::ALL,
            BodySite::label,
            BodySite::code,
        ),
        laterality: code_of(
            &version.laterality,
            Laterality::ALL,
            Laterality::label,
            Laterality::code,
        ),
        revision_reasons: version
            .revision_reasons
            .iter()
            .map(|label| {
                code_of(
                    label,
                    RevisionReason::ALL,
                    RevisionReason::label,
                    RevisionReason::code,
                )
            })
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
        consent: code_of(
            &version.consent,
            Consent::ALL,
            Consent::label,
            Consent::code,
        ),
        year_of_birth: version.year_of_birth.to_string(),
        keep_patient_link: version.linked_to_patient,
        sex: code_of(&version.sex, Sex::ALL, Sex::label, Sex::code),
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
        <RequireRole roles=&[Role::ClinicUser, Role::ClinicManager]>
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
