//! The error summary (NHS.UK pattern: "There is a problem", each message a link to its
//! field, focused when it appears) and the confirmation panel.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{ApiError, FieldError};
use crate::components::title::show_errors_while;

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

/// [`field_errors`], every one said against `field_id`: for a form of one field on a page
/// with several of them, whose id is not the name the server gives the field.
pub fn field_errors_at(error: &ApiError, general_field: &str, field_id: &str) -> Vec<FieldError> {
    field_errors(error, general_field)
        .into_iter()
        .map(|error| FieldError {
            field: field_id.to_string(),
            ..error
        })
        .collect()
}

/// "There is a problem": shown above the form, focused when errors appear so that screen
/// readers read it, each message a link to its field.
///
/// Forms whose errors follow the fields as they change pass `attempts` (counted up at each
/// submit): focus then moves only when the person submits, never while they type.
/// While errors show, the page's title starts with "Error: ".
#[component]
pub fn ErrorSummary(
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional, into)] attempts: Option<Signal<usize>>,
) -> impl IntoView {
    let summary = NodeRef::<html::Div>::new();
    let focus = move || {
        // After the summary is drawn: it may appear in the same change.
        request_animation_frame(move || {
            if let Some(element) = summary.get_untracked() {
                let _ = element.focus();
            }
        });
    };
    match attempts {
        Some(attempts) => Effect::new(move |_| {
            if attempts.get() > 0 && !errors.with_untracked(Vec::is_empty) {
                focus();
            }
        }),
        None => Effect::new(move |_| {
            if !errors.with(Vec::is_empty) {
                focus();
            }
        }),
    };
    show_errors_while(Signal::derive(move || !errors.with(Vec::is_empty)));
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

/// A success panel (NHS.UK "confirmation") with a heading and body.
#[component]
pub fn Panel(title: &'static str, children: Children) -> impl IntoView {
    // A confirmation takes the place of the form whose button had focus: focus moves here, so
    // keyboard and screen-reader users land on what happened instead of the page's top.
    let panel = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(element) = panel.get() {
            let _ = element.focus();
        }
    });
    view! {
        <div class="nhsuk-panel nhsuk-panel--confirmation" tabindex="-1" node_ref=panel>
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
