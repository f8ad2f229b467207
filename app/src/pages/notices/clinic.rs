//! A clinic's safety notices: those concerning its records, and for each its records (each
//! opened from here) with what the clinic did for the patient: contacted, review booked, or
//! not affected with the reason. Affected records first; "possibly affected" ones (their lot,
//! serial or dates are missing) are listed too, never left out.

use domain::register::Acknowledgement;
use leptos::prelude::*;

use super::text::NoticeText;
use super::{status_tag, when};
use crate::api::FieldError;
use crate::api::notices::clinic::{
    AcknowledgementRequest, AcknowledgementView, ClinicNoticeDetail, Concern, ConcernedRecord,
    acknowledge_record, clinic_notices, load_clinic_notice,
};
use crate::api::session::roles;
use crate::components::form::TextArea;
use crate::components::form::{ErrorSummary, Radios, field_errors};
use crate::components::guard::RequireRole;
use crate::components::item::{load_by_id, not_shown, use_id_param};
use crate::components::layout::set_page_title;

#[component]
pub fn ClinicNoticesPage() -> impl IntoView {
    set_page_title("Safety notices");
    view! { <RequireRole roles=roles::CLINIC><ClinicNotices/></RequireRole> }
}

#[component]
fn ClinicNotices() -> impl IntoView {
    let notices = LocalResource::new(clinic_notices);
    view! {
        <h1>"Safety notices"</h1>
        <p>"Field safety notices and recalls that concern implants your clinic recorded. Open each to see the records and say what was done for each patient."</p>
        {move || match notices.get() {
            None => view! { <p role="status">"Loading notices…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>"No safety notice concerns your clinic's records."</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table class="nhsuk-table-responsive">
                    <caption class="nhsuk-table__caption">"Notices concerning your records, newest first"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        <th scope="col" class="nhsuk-table__header">"Notice"</th>
                        <th scope="col" class="nhsuk-table__header">"Your records"</th>
                        <th scope="col" class="nhsuk-table__header">"Still to do"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">
                        {list.into_iter().map(|notice| {
                            let (status, class) = status_tag(notice.status);
                            view! {
                                <tr class="nhsuk-table__row">
                                    <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Notice "</span>
                                        <a href=crate::routes::clinic_notice(notice.id)>{format!("{}: {}", notice.reference, notice.title)}</a>
                                        <br/><strong class=class>{status}</strong>
                                        <span class="nhsuk-body-s">{format!(" Published {}", when(&notice.published_at))}</span></td>
                                    <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Your records "</span>
                                        {format!("{} affected, {} possibly affected", notice.affected, notice.possibly_affected)}</td>
                                    <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Still to do "</span>
                                        {format!("{} record{}", notice.outstanding, if notice.outstanding == 1 { "" } else { "s" })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}

#[component]
pub fn ClinicNoticePage() -> impl IntoView {
    set_page_title("Safety notice");
    view! { <RequireRole roles=roles::CLINIC><ClinicNotice/></RequireRole> }
}

#[component]
fn ClinicNotice() -> impl IntoView {
    let id = use_id_param();
    let notice =
        LocalResource::new(move || load_by_id(id(), "That safety notice", load_clinic_notice));
    move || match notice.get() {
        Some(Ok(detail)) => view! { <Detail detail=detail/> }.into_any(),
        other => not_shown(
            "Safety notice",
            "Loading the notice…",
            other.and_then(Result::err),
        ),
    }
}

#[component]
fn Detail(detail: ClinicNoticeDetail) -> impl IntoView {
    let (status, class) = status_tag(detail.status);
    set_page_title(&format!("Safety notice {}", detail.reference));
    let (affected, possibly): (Vec<ConcernedRecord>, Vec<ConcernedRecord>) = detail
        .records
        .into_iter()
        .partition(|record| record.concern == Concern::Affected);
    let notice_id = detail.id;
    view! {
        <h1>{format!("{}: {}", detail.reference, detail.content.title)}</h1>
        <p><strong class=class>{status}</strong>{format!(" Version {} published {}.", detail.version, when(&detail.published_at))}</p>
        <NoticeText content=detail.content/>
        <h2>"Your records it concerns"</h2>
        {if affected.is_empty() {
            view! { <p>"None of your records is known to be affected."</p> }.into_any()
        } else {
            affected.into_iter().map(|record| view! { <RecordCard notice_id=notice_id record=record/> }).collect_view().into_any()
        }}
        <h2>"Records that may be concerned"</h2>
        <p>"These records lack the lot, serial number or date needed to decide. Check the patient's notes or the packaging, correct the record if you can, and say what you did."</p>
        {if possibly.is_empty() {
            view! { <p>"None."</p> }.into_any()
        } else {
            possibly.into_iter().map(|record| view! { <RecordCard notice_id=notice_id record=record/> }).collect_view().into_any()
        }}
    }
}

/// How an acknowledgement reads: "Patient contacted, by Dr Demo on 2026-11-20 10:00 UTC".
pub fn describe(view: &AcknowledgementView) -> String {
    let reason = view
        .reason
        .as_ref()
        .map(|reason| format!(": {reason}"))
        .unwrap_or_default();
    format!(
        "{}{reason}. Recorded by {}, {}.",
        view.label,
        view.by,
        when(&view.at)
    )
}

#[component]
fn RecordCard(notice_id: i64, record: ConcernedRecord) -> impl IntoView {
    let record_id = record.record_id;
    let prefix = format!("ack-{record_id}");
    let kind_field = format!("{prefix}-kind");
    let reason_field = format!("{prefix}-reason");
    let kind = RwSignal::new(
        record
            .acknowledgement
            .as_ref()
            .map(|a| a.kind.clone())
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(
        record
            .acknowledgement
            .as_ref()
            .and_then(|a| a.reason.clone())
            .unwrap_or_default(),
    );
    let saved = RwSignal::new(record.acknowledgement.clone());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save =
        Action::new_local(|request: &AcknowledgementRequest| acknowledge_record(request.clone()));
    {
        let (kind_field, reason_field) = (kind_field.clone(), reason_field.clone());
        Effect::new(move |_| match save.value().get() {
            Some(Ok(view)) => {
                errors.set(Vec::new());
                saved.set(Some(view));
            }
            Some(Err(error)) => errors.set(
                field_errors(&error, &kind_field)
                    .into_iter()
                    .map(|mut error| {
                        error.field = match error.field.as_str() {
                            "reason" => reason_field.clone(),
                            "acknowledgement" => kind_field.clone(),
                            other => other.to_string(),
                        };
                        error
                    })
                    .collect(),
            ),
            None => {}
        });
    }
    let submit = {
        let (kind_field, reason_field) = (kind_field.clone(), reason_field.clone());
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let (chosen, typed) = (kind.get_untracked(), reason.get_untracked());
            if let Err(error) = Acknowledgement::parse(&chosen, &typed) {
                let field = if error.field == "reason" {
                    reason_field.clone()
                } else {
                    kind_field.clone()
                };
                errors.set(vec![FieldError::new(field, error.message)]);
                return;
            }
            save.dispatch(AcknowledgementRequest {
                notice_id,
                record_id,
                kind: chosen,
                reason: typed,
            });
        }
    };
    let options: Vec<(&'static str, &'static str)> = vec![
        ("patient_contacted", "Patient contacted"),
        ("review_booked", "Review appointment booked"),
        ("not_affected", "Not affected: give the reason"),
    ];
    let concern = record.concern.label();
    view! {
        <div class="nhsuk-card app-concerned-record">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">
                    <a href=crate::routes::record(record_id)>{format!("Record {record_id}")}</a>
                    {format!(": {}, {}", record.procedure_date, record.site)}
                </h3>
                <p><strong>{concern}</strong>{if record.linked_to_patient { ". Linked to the patient: they see the notice online." } else { ". Not linked: the patient can only be reached by your clinic." }}</p>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    {record.components.iter().map(|component| view! {
                        <li>{format!("{} ({}){}{}", component.name, component.device_identifier,
                            component.lot.as_ref().map(|lot| format!(", lot {lot}")).unwrap_or_else(|| ", no lot recorded".into()),
                            component.serial.as_ref().map(|serial| format!(", serial {serial}")).unwrap_or_default())}</li>
                    }).collect_view()}
                </ul>
                {move || saved.get().map(|view| view! { <p class="app-acknowledged" role="status">{describe(&view)}</p> })}
                <ErrorSummary errors=errors/>
                <form novalidate on:submit=submit>
                    <Radios id=kind_field.clone() legend=format!("What was done for record {record_id}?") options=options value=kind errors=errors/>
                    <Show when=move || kind.get() == "not_affected">
                        <TextArea id=reason_field.clone() label="Why the patient's implant is not affected" value=reason errors=errors rows=3
                            hint="For example: the label in the notes shows another lot; the device was removed in 2025"/>
                    </Show>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" disabled=move || save.pending().get()>
                        {format!("Save for record {record_id}")}
                    </button>
                </form>
            </div>
        </div>
    }
}
