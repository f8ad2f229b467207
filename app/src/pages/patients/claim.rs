//! Adding a record: the claim code from the implant card, and the patient's NHS number and
//! date of birth, pseudonymised on this device exactly as the clinic's browser did. Problems
//! are said to the patient ("your NHS number"); once added, "Your implants" says so.

use domain::patient::{Claim, ClaimForm};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::FieldError;
use crate::api::patients::claim_record;
use crate::api::session::roles;
use crate::components::form::{DateInput, ErrorSummary, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::offline::outbox::today;
use crate::pseudonymise::pseudonymise_for_claim;

#[component]
pub fn AddRecordPage() -> impl IntoView {
    set_page_title("Add your implant record");
    view! { <RequireRole roles=roles::PATIENTS><AddRecord/></RequireRole> }
}

#[component]
fn AddRecord() -> impl IntoView {
    let navigate = use_navigate();
    let code = RwSignal::new(String::new());
    let nhs_number = RwSignal::new(String::new());
    let day = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let claim = Submit::new(move |claim: std::rc::Rc<Claim>| {
        let navigate = navigate.clone();
        async move {
            let code = claim.code.to_string();
            let outcome =
                match pseudonymise_for_claim(claim.identifiers.clone(), code.clone()).await {
                    Ok(pseudonym) => claim_record(code, pseudonym).await,
                    Err(error) => Err(error),
                };
            match outcome {
                Ok(outcome) => {
                    errors.set(Vec::new());
                    navigate(
                        &crate::routes::implants_after_claim(outcome.records_linked),
                        Default::default(),
                    );
                }
                Err(error) => errors.set(field_errors(&error, "claim_code")),
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let form = ClaimForm {
            claim_code: code.get_untracked(),
            nhs_number: nhs_number.get_untracked(),
            birth_day: day.get_untracked(),
            birth_month: month.get_untracked(),
            birth_year: year.get_untracked(),
        };
        match form.parse(today()) {
            Ok(parsed) => claim.dispatch(std::rc::Rc::new(parsed)),
            Err(problems) => errors.set(problems),
        }
    };
    let checking = claim.pending();
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Add your implant record"</h1>
                <p>"Enter the claim code printed on the implant card the clinic gave you, with your own NHS number and date of birth."</p>
                <div class="nhsuk-inset-text">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>"Your NHS number and date of birth are turned into a code on this device and are never sent to the registry. The registry links the record to you only if that code matches the one the clinic made."</p>
                </div>
                <ErrorSummary errors=errors/>
                <form novalidate on:submit=submit>
                    <TextField id="claim_code" label="Claim code" hint="12 letters and numbers, for example ABCD-EFGH-JKLM"
                        value=code errors=errors autocomplete="off" width_class="nhsuk-input--width-10"/>
                    <TextField id="nhs_number" label="Your NHS number" hint="10 digits, for example 999 123 4578"
                        value=nhs_number errors=errors inputmode="numeric" width_class="nhsuk-input--width-10" autocomplete="off"/>
                    <DateInput id="date_of_birth" legend="Your date of birth" hint="For example, 13 5 1960"
                        day=day month=month year=year errors=errors birth_date=true/>
                    <button class="nhsuk-button" type="submit" disabled=move || checking.get()>
                        {move || if checking.get() { "Checking…" } else { "Add record" }}
                    </button>
                </form>
            </div>
        </div>
    }
}
