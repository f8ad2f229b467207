//! Creating a patient account: the address is confirmed by the emailed link, where the
//! patient also chooses their password.

use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::patients::register_patient;
use crate::components::form::{ErrorSummary, Panel, TextField, field_errors};
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;

#[component]
pub fn RegisterPage() -> impl IntoView {
    set_page_title("Create an account");
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sent = RwSignal::new(None::<String>);
    let register = Submit::new(move |(address, named): (String, String)| async move {
        match register_patient(address.clone(), named).await {
            Ok(()) => {
                errors.set(Vec::new());
                sent.set(Some(address));
            }
            Err(error) => errors.set(field_errors(&error, "email")),
        }
    });
    let pending = register.pending();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        register.dispatch((email.get_untracked(), name.get_untracked()));
    };
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Create an account"</h1>
                {move || match sent.get() {
                    Some(address) => view! {
                        <Panel title="Check your email">
                            <p>{format!("We have sent a link to {address}. Open it to choose your password; it works once, for 7 days.")}</p>
                        </Panel>
                        <p>"Then sign in and add your record with the claim code from your implant card."</p>
                    }.into_any(),
                    None => view! {
                        <p>"If you have an implant card from a clinic that records implants with us, an account lets you see your implant record, any safety notice about your device, and who has looked at your record."</p>
                        <p>"You will need the claim code on your implant card, your NHS number and your date of birth. Your NHS number and date of birth never leave your device: they are turned into a code there, and only that code is compared."</p>
                        <ErrorSummary errors=errors/>
                        <form novalidate on:submit=submit>
                            <TextField id="display_name" label="Your name" value=name errors=errors autocomplete="name"
                                hint="How we address you in emails"/>
                            <TextField id="email" label="Email address" value=email errors=errors kind="email" autocomplete="email"/>
                            <button class="nhsuk-button" type="submit" disabled=move || pending.get()>"Create account"</button>
                        </form>
                        <p>"Already have an account? "<a href=crate::routes::SIGN_IN>"Sign in"</a>"."</p>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}
