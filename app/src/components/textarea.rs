//! A labelled NHS.UK textarea with hint and error message, wired like `form::TextField`.

use leptos::prelude::*;

use super::form::{Binding, FieldErrorMessage, error_for};
use crate::api::FieldError;

#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Binding,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let error = {
        let id = id.clone();
        move || errors.with(|errors| error_for(errors, &id))
    };
    let has_hint = hint.is_some();
    let describe = {
        let (id, error) = (id.clone(), error.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(format!("{id}-hint"));
            }
            if error().is_some() {
                ids.push(format!("{id}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let group = {
        let error = error.clone();
        move || {
            if error().is_some() {
                "nhsuk-form-group nhsuk-form-group--error"
            } else {
                "nhsuk-form-group"
            }
        }
    };
    let class = {
        let error = error.clone();
        move || {
            if error().is_some() {
                "nhsuk-textarea nhsuk-textarea--error"
            } else {
                "nhsuk-textarea"
            }
        }
    };
    let message = {
        let id = id.clone();
        move || error().map(|message| view! { <FieldErrorMessage id=id.clone() message=message/> })
    };
    view! {
        <div class=group>
            <label class="nhsuk-label" for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <div class="nhsuk-hint" id=format!("{id}-hint")>{hint}</div> })}
            {message}
            <textarea class=class id=id.clone() name=id rows=rows aria-describedby=describe
                prop:value=move || value.get.get()
                on:input=move |event| value.set.run(event_target_value(&event))></textarea>
        </div>
    }
}
