//! The procedure form, shared by "Record a procedure" and "Correct a record": saves itself as a
//! draft while the person types ([`draft`]), checks everything the registry will check
//! ([`review`]: the whole form checked once per change), shows the warnings to confirm
//! ([`warnings`]), and puts the finished record in the outbox. From the first submit on, the
//! errors follow the fields: each change re-checks the form, clearing or updating messages
//! and the summary. Each component's fields are in [`component_fields`].

mod component_fields;
pub mod draft;
pub mod review;
mod warnings;

use domain::procedure::{
    BodySite, ComponentForm, Consent, FormReview, Laterality, ProcedureForm, ProcedureType,
    ReadComponents, RevisionReason, Sex,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use self::component_fields::ComponentFields;
use self::draft::use_draft;
use self::review::review;
use self::warnings::CheckBeforeSubmit;
use super::label_for;
use crate::api::FieldError;
use crate::api::procedures::{FormOptions, lookup_devices};
use crate::components::form::{
    Binding, Checkboxes, DateInput, ErrorSummary, Radios, SelectField, TextArea, TextField,
    error_for,
};
use crate::components::submit::Submit;
use crate::offline::outbox::{enqueue, today};
use crate::offline::{store, use_online};

/// Binds a text field of the form: `bind!(form, consultant_gmc)`.
macro_rules! bind {
    ($form:expr, $field:ident) => {{
        let form = $form;
        Binding::new(
            move || form.with(|f| f.$field.clone()),
            move |value| form.update(|f| f.$field = value),
        )
    }};
}

fn choices<T: Copy + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter()
        .map(|value| (code(*value), label(*value)))
        .collect()
}

#[derive(Clone)]
pub struct FormSettings {
    /// The draft's name: `new`, or `correct-<id>`.
    pub draft: String,
    pub owner: i64,
    pub corrects: Option<i64>,
    pub submit_label: &'static str,
    /// The outbox item this form fixes: removed once the fixed record is queued.
    pub replaces: Option<String>,
    /// For a correction being fixed: the reason given before.
    pub reason: String,
}

/// What to fix before the record can be queued: the form's problems, and (for a correction)
/// the reason it is corrected.
pub fn problems_with(
    review: &FormReview,
    corrects: Option<i64>,
    correction_reason: &str,
) -> Vec<FieldError> {
    let mut problems = review.problems();
    if corrects.is_some() && correction_reason.trim().is_empty() {
        problems.push(FieldError::new(
            "correction_reason",
            "Say what was wrong and what you corrected",
        ));
    }
    problems
}

#[component]
pub fn ProcedureFormView(settings: FormSettings, initial: ProcedureForm) -> impl IntoView {
    let navigate = use_navigate();
    let form = RwSignal::new(initial);
    let options = LocalResource::new(crate::offline::resume::form_options);
    let problem = RwSignal::new(None::<String>);
    let correction_reason = RwSignal::new(settings.reason.clone());
    let owner = settings.owner;
    let draft = use_draft(form, owner, settings.draft.clone(), problem);
    let online = use_online();
    // How many times the person has pressed submit: errors show from the first.
    let attempts = RwSignal::new(0usize);

    // The components read once per change: for the register's facts about their devices
    // (when online), for what each UDI reads as, and for the rules.
    let entries = Memo::new(move |_| form.with(ProcedureForm::component_entries));
    let components =
        Memo::new(move |_| entries.with(|entries| ReadComponents::read(entries, today().year())));
    let identifiers = Memo::new(move |_| components.with(ReadComponents::device_identifiers));
    let devices = LocalResource::new(move || {
        let identifiers = identifiers.get();
        async move {
            if identifiers.is_empty() {
                Vec::new()
            } else {
                lookup_devices(identifiers).await.unwrap_or_default()
            }
        }
    });
    let known_devices = move || devices.get().unwrap_or_default();
    // The whole form checked once per change; submitting uses the same check.
    let checked = Memo::new(move |_| {
        form.with(|form| {
            components.with(|components| review(form, components, &known_devices(), today()))
        })
    });
    let corrects = settings.corrects;
    let errors = Signal::derive(move || {
        if attempts.get() == 0 {
            return Vec::new();
        }
        checked.with(|checked| {
            correction_reason.with(|reason| problems_with(checked, corrects, reason))
        })
    });
    let findings = Signal::derive(move || checked.with(|checked| checked.findings.clone()));

    let start_again = move |_| {
        draft.start_again();
        attempts.set(0);
    };

    let queue = Submit::new({
        let settings = settings.clone();
        move |(snapshot, reason): (ProcedureForm, String)| {
            let navigate = navigate.clone();
            let settings = settings.clone();
            async move {
                let label = match settings.corrects {
                    Some(record) => {
                        format!("Correction of record {record}: {}", label_for(&snapshot))
                    }
                    None => label_for(&snapshot),
                };
                let corrects = settings.corrects.map(|record| (record, reason));
                match enqueue(owner, &snapshot, label, corrects).await {
                    Ok(queued) => {
                        let _ = draft.discard().await;
                        if let Some(replaced) = &settings.replaces {
                            let _ = store::remove_outbox(replaced).await;
                        }
                        crate::offline::outbox::wake();
                        navigate(
                            &crate::routes::records_after_queueing(&queued),
                            Default::default(),
                        );
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempts.update(|count| *count += 1);
        if errors.with_untracked(|errors| errors.is_empty()) {
            queue.dispatch((form.get_untracked(), correction_reason.get_untracked()));
        }
    };

    let procedure_type = bind!(form, procedure_type);
    let consent = bind!(form, consent);
    let needs_reasons = move || {
        matches!(
            ProcedureType::from_code(&procedure_type.get.get()),
            Some(ProcedureType::Revision | ProcedureType::Removal)
        )
    };
    let consent_given = move || Consent::from_code(&consent.get.get()) == Some(Consent::Given);
    let consent_chosen = move || Consent::from_code(&consent.get.get()).is_some();
    let site_options = Signal::derive(move || {
        options
            .get()
            .and_then(Result::ok)
            .map(|options: FormOptions| {
                options
                    .sites
                    .into_iter()
                    .map(|site| (site.id.to_string(), site.name))
                    .collect()
            })
            .unwrap_or_default()
    });
    let body_sites = Signal::derive(|| {
        BodySite::ALL
            .iter()
            .map(|site| (site.code().to_string(), site.label().to_string()))
            .collect::<Vec<_>>()
    });

    view! {
        <ErrorSummary errors=errors attempts=attempts/>
        {move || problem.get().map(|message| view! {
            <div class="nhsuk-warning-callout" role="alert">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Your work is not being kept"</span></h2>
                <p>{message}</p>
            </div>
        })}
        <Show when=move || draft.restored.get()>
            <div class="nhsuk-inset-text" role="status">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>"We restored the record you had started on this device."</p>
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" on:click=start_again>"Start again with an empty form"</button>
            </div>
        </Show>
        <Show when=move || !online.get()>
            <div class="nhsuk-inset-text app-offline-notice" role="status">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>"This device is offline. You can finish the record: when you submit it, it is kept on this device, encrypted, and sent to the registry as soon as the connection returns."</p>
            </div>
        </Show>
        <p class="nhsuk-body-s app-draft-status" aria-live="polite">
            {move || draft.saved_at.get().map(|time| format!("Draft saved on this device, encrypted, at {time}.")).unwrap_or_default()}
        </p>
        <form novalidate on:submit=submit>
            <h2>"Where and who"</h2>
            {move || options.get().map(|result| match result {
                Err(error) => view! { <p class="nhsuk-error-message">{format!("The sites could not be loaded: {error}")}</p> }.into_any(),
                Ok(options) => view! { <p>{format!("For {}.", options.organisation)}</p> }.into_any(),
            })}
            <SelectField id="site_id" label="Site" options=site_options value=bind!(form, site_id) errors=errors placeholder="Choose the site"/>
            <TextField id="consultant_gmc" label="Responsible consultant's GMC number" hint="7 digits" value=bind!(form, consultant_gmc)
                errors=errors inputmode="numeric" width_class="nhsuk-input--width-10" autocomplete="off"/>

            <h2>"The procedure"</h2>
            <DateInput id="procedure_date" legend="Procedure date" hint="For example, 20 11 2026"
                day=bind!(form, procedure_day) month=bind!(form, procedure_month) year=bind!(form, procedure_year) errors=errors/>
            <Radios id="procedure_type" legend="What was done" options=choices(ProcedureType::ALL, ProcedureType::code, ProcedureType::label) value=procedure_type errors=errors/>
            <Show when=needs_reasons>
                <Checkboxes id="revision_reasons" legend="Reasons for the revision or removal" hint="Select all that apply"
                    options=choices(RevisionReason::ALL, RevisionReason::code, RevisionReason::label)
                    selected=Signal::derive(move || form.with(|f| f.revision_reasons.clone()))
                    on_change=Callback::new(move |chosen| form.update(|f| f.revision_reasons = chosen))
                    errors=errors/>
            </Show>
            <SelectField id="body_site" label="Where the implant is" options=body_sites value=bind!(form, body_site) errors=errors placeholder="Choose where"/>
            <Radios id="laterality" legend="Side" options=choices(Laterality::ALL, Laterality::code, Laterality::label) value=bind!(form, laterality) errors=errors inline=true/>

            <h2>"Components"</h2>
            <p>"Scan each component's UDI barcode, or type the text under it. For a component without a barcode, enter its details from the packaging."</p>
            {move || error_for(&errors.get(), "components").map(|message| view! { <p class="nhsuk-error-message" id="components">{message}</p> })}
            <For each=move || 0..form.with(|f| f.components.len()) key=|index| *index let:index>
                <ComponentFields form=form index=index errors=errors devices=Signal::derive(known_devices)/>
            </For>
            <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| {
                form.update(|f| f.components.push(ComponentForm::default()));
                let index = form.with_untracked(|f| f.components.len() - 1);
                request_animation_frame(move || crate::components::form::focus_by_id(&domain::procedure::component_field(index, "udi")));
            }>"Add another component"</button>

            <h2>"The patient"</h2>
            <Radios id="consent" legend="Did the patient consent to this record being linked to them?"
                hint="Without consent, the record is kept for device statistics only: no identifier is entered and the patient cannot see it online."
                options=choices(Consent::ALL, Consent::code, Consent::label) value=consent errors=errors/>
            <Show when=consent_given>
                <div class="nhsuk-inset-text">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>"The NHS number and date of birth are turned into a pseudonym on this device and never sent to the registry. They are kept here, encrypted, only until the record is sent."</p>
                </div>
                <TextField id="nhs_number" label="NHS number" hint="10 digits, for example 999 123 4578" value=bind!(form, nhs_number)
                    errors=errors inputmode="numeric" width_class="nhsuk-input--width-10" autocomplete="off"/>
                <DateInput id="date_of_birth" legend="Date of birth" hint="For example, 13 5 1960"
                    day=bind!(form, birth_day) month=bind!(form, birth_month) year=bind!(form, birth_year) errors=errors/>
            </Show>
            <Show when=move || consent_chosen() && !consent_given()>
                <TextField id="year_of_birth" label="Year of birth" hint="For example, 1960" value=bind!(form, year_of_birth)
                    errors=errors inputmode="numeric" width_class="nhsuk-input--width-4" autocomplete="off"/>
            </Show>
            <Radios id="sex" legend="Sex" options=choices(Sex::ALL, Sex::code, Sex::label) value=bind!(form, sex) errors=errors inline=true/>
            <TextField id="postcode_district" label="Postcode district (optional)" hint="Only the first part of the postcode, for example LS1. Leave empty if not known."
                value=bind!(form, postcode_district) errors=errors width_class="nhsuk-input--width-5" autocomplete="off"/>

            <CheckBeforeSubmit form=form findings=findings errors=errors/>

            {corrects.map(|_| view! {
                <h2>"Why it is corrected"</h2>
                <TextArea id="correction_reason" label="What was wrong and what you corrected" value=correction_reason errors=errors
                    hint="For example: the lot number of component 2 was mistyped"/>
            })}
            <button class="nhsuk-button" type="submit" disabled=move || queue.pending().get()>{settings.submit_label}</button>
        </form>
    }
}
