//! Setting up an authenticator app: scan the QR code (or type the key), confirm with a code,
//! then keep the recovery codes.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::landing_page;
use crate::api::FieldError;
use crate::api::auth::{EnrolmentDetails, confirm_enrolment, current_session, start_enrolment};
use crate::api::session::SessionState;
use crate::components::form::{ErrorSummary, TextField, field_errors};
use crate::components::layout::set_page_title;
use crate::session::use_session;

/// The secret in groups of four, easier to copy by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn svg_data_url(svg: &str) -> String {
    let encoded = window().btoa(svg).unwrap_or_default();
    format!("data:image/svg+xml;base64,{encoded}")
}

#[component]
pub fn AuthenticatorPage() -> impl IntoView {
    set_page_title("Set up your authenticator app");
    let session = use_session();
    let navigate = use_navigate();
    let details = RwSignal::new(None::<Result<EnrolmentDetails, crate::api::ApiError>>);
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let recovery_codes = RwSignal::new(None::<Vec<String>>);
    let pending = RwSignal::new(false);
    // Someone fully signed in (adding or replacing an app) gives their password first.
    let needs_password = RwSignal::new(false);
    let password = RwSignal::new(String::new());

    // Only once the session is known: a signed-out visitor is sent to sign in.
    Effect::new({
        let navigate = navigate.clone();
        move |started: Option<bool>| {
            if started == Some(true) {
                return true;
            }
            match session.state() {
                None => false,
                Some(SessionState::SignedOut) | Some(SessionState::SecondFactorRequired { .. }) => {
                    navigate(
                        &crate::routes::sign_in_then(crate::routes::AUTHENTICATOR),
                        Default::default(),
                    );
                    true
                }
                Some(SessionState::SignedIn(_)) => {
                    needs_password.set(true);
                    true
                }
                Some(SessionState::EnrolmentRequired { .. }) => {
                    leptos::task::spawn_local(async move {
                        details.set(Some(start_enrolment(None).await))
                    });
                    true
                }
            }
        }
    });

    let confirm_password = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            let outcome = start_enrolment(Some(password.get_untracked())).await;
            pending.set(false);
            match outcome {
                Ok(started) => {
                    errors.set(Vec::new());
                    password.set(String::new());
                    needs_password.set(false);
                    details.set(Some(Ok(started)));
                }
                Err(error) => {
                    password.set(String::new());
                    errors.set(field_errors(&error, "current_password"));
                }
            }
        });
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            let outcome = confirm_enrolment(code.get_untracked()).await;
            pending.set(false);
            match outcome {
                Ok(codes) => {
                    errors.set(Vec::new());
                    recovery_codes.set(Some(codes));
                }
                Err(error) => errors.set(field_errors(&error, "code")),
            }
        });
    };

    // The server has just completed the session: ask it who we are now, then go on.
    let done = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let state = current_session().await.unwrap_or(SessionState::SignedOut);
            let target = state
                .signed_in()
                .map_or("/", |info| landing_page(info.role));
            session.set(state);
            navigate(target, Default::default());
        });
    };

    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                {move || match (recovery_codes.get(), details.get()) {
                    (None, None) if needs_password.get() => view! {
                        <h1>"Set up your authenticator app"</h1>
                        <p>"To set up a new authenticator app, first enter your password. Your other sessions will be signed out, and you will get an email saying the app was changed."</p>
                        <form novalidate on:submit=confirm_password>
                            <TextField id="current_password" label="Your password" value=password errors=errors
                                kind="password" autocomplete="current-password"/>
                            <button class="nhsuk-button" type="submit" disabled=move || pending.get()>"Continue"</button>
                        </form>
                    }.into_any(),
                    (Some(codes), _) => view! {
                        <h1>"Save your recovery codes"</h1>
                        <p>"Your authenticator app is set up. If you lose your phone, each of these codes lets you sign in once instead of a code from the app."</p>
                        <div class="nhsuk-warning-callout">
                            <h2 class="nhsuk-warning-callout__label">
                                <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Keep them safe"</span>
                            </h2>
                            <p>"Print them or store them in a password manager. They will not be shown again."</p>
                        </div>
                        <ul class="nhsuk-list app-recovery-codes" aria-label="Recovery codes">
                            {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                        </ul>
                        <button class="nhsuk-button" type="button" on:click=done.clone()>"I have saved my recovery codes"</button>
                    }.into_any(),
                    (None, None) => view! {
                        <h1>"Set up your authenticator app"</h1>
                        <p role="status">"Preparing your set-up code…"</p>
                    }.into_any(),
                    (None, Some(Err(error))) => view! {
                        <h1>"Set up your authenticator app"</h1>
                        <p class="nhsuk-error-message">{error.to_string()}</p>
                        <p><a href=crate::routes::SIGN_IN>"Sign in again"</a></p>
                    }.into_any(),
                    (None, Some(Ok(details))) => view! {
                        <h1>"Set up your authenticator app"</h1>
                        <p>"Signing in will need a second step: a code from an app on your phone, such as Microsoft Authenticator or Google Authenticator."</p>
                        <ol class="nhsuk-list nhsuk-list--number">
                            <li>"Open your authenticator app and choose to add an account."</li>
                            <li>
                                "Scan this QR code with it."
                                <img class="app-qr-code" src=svg_data_url(&details.qr_svg) width="220" height="220"
                                     alt="QR code that adds your Implant Registry account to an authenticator app"/>
                                <p>"If you cannot scan it, type this key into the app instead:"</p>
                                <p><code class="app-secret" aria-label="Set-up key">{grouped(&details.secret)}</code></p>
                            </li>
                            <li>"Enter the 6-digit code the app now shows."</li>
                        </ol>
                        <form novalidate on:submit=submit>
                            <TextField id="code" label="Code from the app" value=code errors=errors
                                autocomplete="one-time-code" inputmode="numeric" width_class="nhsuk-input--width-10"/>
                            <button class="nhsuk-button" type="submit" disabled=move || pending.get()>"Continue"</button>
                        </form>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_grouped_by_four() {
        assert_eq!(super::grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
