//! "Your account": details, change password, second factor, sign out everywhere.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::FieldError;
use crate::api::auth::{change_password, sign_out_everywhere};
use crate::components::form::{ErrorSummary, Panel, TextField, field_errors};
use crate::components::guard::RequireSignIn;
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::session::use_session;

#[component]
pub fn AccountPage() -> impl IntoView {
    set_page_title("Your account");
    view! { <RequireSignIn><AccountDetails/></RequireSignIn> }
}

#[component]
fn AccountDetails() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let changed = RwSignal::new(false);
    let change = Submit::new(move |(old, chosen): (String, String)| async move {
        match change_password(old, chosen).await {
            Ok(()) => {
                errors.set(Vec::new());
                current.set(String::new());
                new.set(String::new());
                changed.set(true);
            }
            Err(error) => errors.set(field_errors(&error, "current_password")),
        }
    });
    let pending = change.pending();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        changed.set(false);
        change.dispatch((current.get_untracked(), new.get_untracked()));
    };

    let sign_out_all = Submit::new(move |()| {
        let navigate = navigate.clone();
        async move {
            if sign_out_everywhere().await.is_ok() {
                crate::offline::crypto::Cipher::forget();
                session.set(crate::api::session::SessionState::SignedOut);
                navigate(crate::routes::SIGNED_OUT, Default::default());
            }
        }
    });
    let everywhere = move |_| sign_out_all.dispatch(());

    view! {
        <h1>"Your account"</h1>
        {move || session.info().map(|info| view! {
            <dl class="nhsuk-summary-list">
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Name"</dt>
                    <dd class="nhsuk-summary-list__value">{info.display_name.clone()}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Email address"</dt>
                    <dd class="nhsuk-summary-list__value">{info.email.clone()}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Role"</dt>
                    <dd class="nhsuk-summary-list__value">{info.role.label()}</dd>
                </div>
                {info.organisation.clone().map(|organisation| view! {
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Organisation"</dt>
                        <dd class="nhsuk-summary-list__value">{organisation.name}</dd>
                    </div>
                })}
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Authenticator app"</dt>
                    <dd class="nhsuk-summary-list__value">
                        {if info.second_factor_enrolled { "Set up" } else { "Not set up" }}
                        " "
                        <a href="/account/authenticator">
                            {if info.second_factor_enrolled { "Replace it with a new one" } else { "Set one up" }}
                        </a>
                    </dd>
                </div>
            </dl>
        })}

        <h2>"Change your password"</h2>
        <Show when=move || changed.get()>
            <Panel title="Password changed">
                <p>"Your other devices have been signed out."</p>
            </Panel>
        </Show>
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <TextField id="current_password" label="Current password" value=current errors=errors kind="password" autocomplete="current-password"/>
            <TextField id="new_password" label="New password" value=new errors=errors kind="password" autocomplete="new-password"
                hint="At least 12 characters. A few random words are strong and easy to remember. Common passwords are refused."/>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit" disabled=move || pending.get()>"Change password"</button>
        </form>

        <h2>"Sign out everywhere"</h2>
        <p>"If you signed in on a shared or lost device, sign out of every device at once, including this one."</p>
        <button class="nhsuk-button nhsuk-button--warning" type="button" on:click=everywhere>"Sign out of all devices"</button>
    }
}
