//! Adding a record: the claim code from the implant card, and the patient's NHS number and
//! date of birth, pseudonymised on this device exactly as the clinic's browser did.

use domain::patient::ClaimForm;
use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::patients::{ClaimOutcome, claim_record};
use crate::api::session::roles;
use crate::components::form::{DateInput, ErrorSummary, Panel, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::offline::outbox::today;
use crate::pseudonymise::pseudonymise_for_claim;
use crate::routes::MY_IMPLANTS;

#[component]
pub fn AddRecordPage() -> impl IntoView {
    set_page_title("Add your implant record");
    view! { <RequireRole roles=roles::PATIENTS><AddRecord/></RequireRole> }
}

/// What the patient is told after a claim worked.
pub fn describe_outcome(outcome: &ClaimOutcome) -> String {
    match outcome.records_linked {
        1 => "Your record is now linked to your account.".to_string(),
        many => format!(
            "Your record is now linked to your account. You can see {many} procedure records: the clinic has other records with your details."
        ),
    }
}

#[component]
fn AddRecord() -> impl IntoView {
    let code = RwSignal::new(String::new());
    let nhs_number = RwSignal::new(String::new());
    let day = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let pending = RwSignal::new(false);
    let done = RwSignal::new(None::<ClaimOutcome>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let form = ClaimForm {
            claim_code: code.get_untracked(),
            nhs_number: nhs_number.get_untracked(),
            birth_day: day.get_untracked(),
            birth_month: month.get_untracked(),
            birth_year: year.get_untracked(),
        };
        let claim = match form.parse(today()) {
            Ok(claim) => claim,
            Err(problems) => {
                errors.set(problems);
                return;
            }
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let outcome =
                match pseudonymise_for_claim(claim.identifiers, claim.code.to_string()).await {
                    Ok(pseudonym) => claim_record(claim.code.to_string(), pseudonym).await,
                    Err(error) => Err(error),
                };
            pending.set(false);
            match outcome {
                Ok(outcome) => {
                    errors.set(Vec::new());
                    done.set(Some(outcome));
                }
                Err(error) => errors.set(field_errors(&error, "claim_code")),
            }
        });
    };
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Add your implant record"</h1>
                {move || match done.get() {
                    Some(outcome) => view! {
                        <Panel title="Record added">
                            <p>{describe_outcome(&outcome)}</p>
                        </Panel>
                        <p>"Records from another clinic appear when you add the claim code from that clinic's implant card too."</p>
                        <p><a class="nhsuk-button" href=MY_IMPLANTS>"See your implants"</a></p>
                    }.into_any(),
                    None => view! {
                        <p>"Enter the claim code printed on the implant card the clinic gave you, with your own NHS number and date of birth."</p>
                        <div class="nhsuk-inset-text">
                            <span class="nhsuk-u-visually-hidden">"Information: "</span>
                            <p>"Your NHS number and date of birth are turned into a code on this device and are never sent to the registry. The registry links the record to you only if that code matches the one the clinic made."</p>
                        </div>
                        <ErrorSummary errors=errors/>
                        <form novalidate on:submit=submit>
                            <TextField id="claim_code" label="Claim code" hint="12 letters and numbers, for example ABCD-EFGH-JKLM"
                                value=code errors=errors autocomplete="off" width_class="nhsuk-input--width-10"/>
                            <TextField id="nhs_number" label="NHS number" hint="10 digits, for example 999 123 4578"
                                value=nhs_number errors=errors inputmode="numeric" width_class="nhsuk-input--width-10" autocomplete="off"/>
                            <DateInput id="date_of_birth" legend="Date of birth" hint="For example, 13 5 1960"
                                day=day month=month year=year errors=errors birth_date=true/>
                            <button class="nhsuk-button" type="submit" disabled=move || pending.get()>
                                {move || if pending.get() { "Checking…" } else { "Add record" }}
                            </button>
                        </form>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}
