//! The NHS.UK form pattern: the error summary takes focus and links to fields; each field
//! carries its own message, wired for screen readers.

use app::api::FieldError;
use app::components::form::{ErrorSummary, TextField};
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

#[wasm_bindgen_test]
async fn errors_appear_at_the_field_and_in_a_focused_summary_linking_to_it() {
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let email = RwSignal::new(String::new());
    let page = mount(move || {
        view! {
            <ErrorSummary errors=errors/>
            <TextField id="email" label="Email address" value=email errors=errors hint="The one you sign in with"/>
        }
    });
    let input = by_label(&page.root, "Email address");
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("email-hint")
    );
    assert!(
        all_by_role(&page.root, "alert").is_empty(),
        "no summary without errors"
    );

    errors.set(vec![FieldError::new("email", "Enter your email address")]);
    wait_until(|| !all_by_role(&page.root, "alert").is_empty()).await;
    let summary = by_role(&page.root, "alert", "There is a problem");
    wait_until(|| active_element().as_ref() == Some(&summary)).await;
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("email-hint email-error")
    );
    let message = page.root.query_selector("#email-error").unwrap().unwrap();
    assert_eq!(text_of(&message), "Error: Enter your email address");

    click(&by_role(&summary, "link", "Enter your email address"));
    assert_eq!(active_element(), Some(input.clone()));

    type_into(&input, "ada@example.test");
    assert_eq!(email.get_untracked(), "ada@example.test");
}
