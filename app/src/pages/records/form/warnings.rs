//! "Check before you submit": the notices the registry will flag, and each warning with a
//! checkbox that names what the person confirms.

use domain::procedure::{Findings, ProcedureForm};
use leptos::prelude::*;

use crate::api::FieldError;
use crate::components::form::error_for;

/// What the checkbox of a warning says: its own confirmation, or a general one for warnings
/// from before confirmations were named.
pub fn confirmation_label(confirmation: &str) -> String {
    if confirmation.is_empty() {
        "I have checked this and confirm it is correct".to_string()
    } else {
        confirmation.to_string()
    }
}

#[component]
pub fn CheckBeforeSubmit(
    form: RwSignal<ProcedureForm>,
    findings: Signal<Findings>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    move || {
        let findings = findings.get();
        (!findings.warnings.is_empty() || !findings.notices.is_empty()).then(|| view! {
            <h2>"Check before you submit"</h2>
            {findings.notices.into_iter().map(|notice| view! {
                <div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{notice}</p></div>
            }).collect_view()}
            {findings.warnings.into_iter().map(|warning| {
                let code = warning.code.clone();
                let id = format!("warning-{}", warning.code);
                let error_id = id.clone();
                let has_error = move || error_for(&errors.get(), &error_id).is_some();
                view! {
                    <div class=move || if has_error() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                        <div class="nhsuk-warning-callout">
                            <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Warning"</span></h3>
                            <p>{warning.message.clone()}</p>
                        </div>
                        <div class="nhsuk-checkboxes">
                            <div class="nhsuk-checkboxes__item">
                                <input class="nhsuk-checkboxes__input" type="checkbox" id=id.clone() name=id.clone()
                                    prop:checked={ let code = code.clone(); move || form.with(|f| f.acknowledged_warnings.contains(&code)) }
                                    on:change=move |event| {
                                        let checked = event_target_checked(&event);
                                        let code = code.clone();
                                        form.update(|f| {
                                            f.acknowledged_warnings.retain(|c| c != &code);
                                            if checked {
                                                f.acknowledged_warnings.push(code);
                                            }
                                        });
                                    }/>
                                <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{confirmation_label(&warning.confirmation)}</label>
                            </div>
                        </div>
                    </div>
                }
            }).collect_view()}
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_warning_without_its_own_words_gets_the_general_ones() {
        assert_eq!(
            super::confirmation_label(""),
            "I have checked this and confirm it is correct"
        );
        assert_eq!(
            super::confirmation_label("I have checked X"),
            "I have checked X"
        );
    }
}
