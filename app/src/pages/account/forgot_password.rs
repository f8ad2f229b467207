//! Asking for a password reset link.

use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::auth::request_password_reset;
use crate::components::form::{ErrorSummary, Panel, TextField, field_errors};
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    set_page_title("Reset your password");
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sent = RwSignal::new(None::<String>);
    let request = Submit::new(move |address: String| async move {
        match request_password_reset(address.clone()).await {
            Ok(()) => {
                errors.set(Vec::new());
                sent.set(Some(address));
            }
            Err(error) => errors.set(field_errors(&error, "email")),
        }
    });
    let pending = request.pending();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        request.dispatch(email.get_untracked());
    };
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Reset your password"</h1>
                {move || match sent.get() {
                    Some(address) => view! {
                        <Panel title="Check your email">
                            <p>{format!("If there is an account for {address}, we have sent it a link to choose a new password. The link works once, for 30 minutes.")}</p>
                        </Panel>
                        <p><a href=crate::routes::SIGN_IN>"Back to sign in"</a></p>
                    }.into_any(),
                    None => view! {
                        <p>"Enter the email address you sign in with. We will send you a link to choose a new password. You will still need your authenticator app to sign in."</p>
                        <ErrorSummary errors=errors/>
                        <form novalidate on:submit=submit>
                            <TextField id="email" label="Email address" value=email errors=errors kind="email" autocomplete="email"/>
                            <button class="nhsuk-button" type="submit" disabled=move || pending.get()>"Send the link"</button>
                        </form>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}
