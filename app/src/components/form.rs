//! Form pieces in the NHS.UK pattern: an error summary that takes focus and links to each
//! field, and fields that carry their own error message, hint and ARIA wiring.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{ApiError, FieldError};

/// The error for one field, if any.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|error| error.field == field)
        .map(|error| error.message.clone())
}

/// Turns what the server answered into field errors for the summary; errors that are not
/// about a field are shown against `general_field` (usually the form's first field).
pub fn field_errors(error: &ApiError, general_field: &str) -> Vec<FieldError> {
    match error {
        ApiError::Invalid { errors } => errors.clone(),
        other => vec![FieldError::new(general_field, other.to_string())],
    }
}

/// "There is a problem": shown above the form, focused when errors appear so that screen
/// readers read it, each message a link to its field.
#[component]
pub fn ErrorSummary(#[prop(into)] errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if !errors.with(Vec::is_empty)
            && let Some(element) = summary.get()
        {
            let _ = element.focus();
        }
    });
    view! {
        <Show when=move || !errors.with(Vec::is_empty)>
            <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" node_ref=summary>
                <h2 class="nhsuk-error-summary__title" id="error-summary-title">"There is a problem"</h2>
                <div class="nhsuk-error-summary__body">
                    <ul class="nhsuk-list nhsuk-error-summary__list">
                        <For each=move || errors.get() key=|error| (error.field.clone(), error.message.clone()) let:error>
                            <li>
                                <a href=format!("#{}", error.field) on:click=move |event| {
                                    event.prevent_default();
                                    focus_by_id(&error.field);
                                }>{error.message.clone()}</a>
                            </li>
                        </For>
                    </ul>
                </div>
            </div>
        </Show>
    }
}

pub fn focus_by_id(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// A labelled text input with hint and error message. `id` is also the field's name in errors.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] width_class: Option<&'static str>,
    #[prop(optional)] large_label: bool,
) -> impl IntoView {
    let error = move || errors.with(|errors| error_for(errors, id));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let input_class = move || {
        let mut class = String::from("nhsuk-input");
        if let Some(width) = width_class {
            class.push(' ');
            class.push_str(width);
        }
        if error().is_some() {
            class.push_str(" nhsuk-input--error");
        }
        class
    };
    view! {
        <div class=move || if error().is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class=if large_label { "nhsuk-label nhsuk-label--m" } else { "nhsuk-label" } for=id>{label}</label>
            {hint.map(|hint| view! { <div class="nhsuk-hint" id=hint_id.clone()>{hint}</div> })}
            {move || error().map(|message| view! {
                <span class="nhsuk-error-message" id=error_id.clone()>
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>
                    {message}
                </span>
            })}
            <input
                class=input_class
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck="false"
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
        </div>
    }
}

/// A success panel (NHS.UK "confirmation") with a heading and body.
#[component]
pub fn Panel(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="nhsuk-panel nhsuk-panel--confirmation">
            <h2 class="nhsuk-panel__title">{title}</h2>
            <div class="nhsuk-panel__body">{children()}</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_map_to_fields() {
        let invalid = ApiError::invalid("email", "Enter your email address");
        assert_eq!(
            field_errors(&invalid, "email"),
            vec![FieldError::new("email", "Enter your email address")]
        );
        let limited = ApiError::RateLimited {
            retry_after_seconds: 60,
        };
        let errors = field_errors(&limited, "password");
        assert_eq!(errors[0].field, "password");
        assert!(errors[0].message.contains("Wait 60 seconds"));
        assert_eq!(
            error_for(&errors, "password").as_deref(),
            Some(errors[0].message.as_str())
        );
        assert_eq!(error_for(&errors, "email"), None);
    }
}
