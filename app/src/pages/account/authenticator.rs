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
use crate::components::submit::Submit;
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

/// Puts the codes on the clipboard and says whether it worked (the clipboard needs a secure
/// page and the person's permission: when it refuses, they print or write the codes).
fn copy_to_clipboard(text: String, said: RwSignal<Option<&'static str>>) {
    let clipboard = window().navigator().clipboard();
    leptos::task::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
            .await
            .is_ok();
        said.set(Some(if copied {
            "The recovery codes are copied. Paste them into your password manager."
        } else {
            "Your browser did not let us copy the codes. Print them, or write them down."
        }));
    });
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
    // Someone fully signed in (adding or replacing an app) gives their password first.
    let needs_password = RwSignal::new(false);
    let password = RwSignal::new(String::new());

    // Half-way through signing in: the server makes the key for the app.
    let start = Submit::new(move |()| async move {
        details.set(Some(start_enrolment(None).await));
    });
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
                    start.dispatch(());
                    true
                }
            }
        }
    });

    let confirm_password_step = Submit::new(move |typed: String| async move {
        let outcome = start_enrolment(Some(typed)).await;
        password.set(String::new());
        match outcome {
            Ok(started) => {
                errors.set(Vec::new());
                needs_password.set(false);
                details.set(Some(Ok(started)));
            }
            Err(error) => errors.set(field_errors(&error, "current_password")),
        }
    });
    let confirm_code = Submit::new(move |typed: String| async move {
        match confirm_enrolment(typed).await {
            Ok(codes) => {
                errors.set(Vec::new());
                recovery_codes.set(Some(codes));
            }
            Err(error) => errors.set(field_errors(&error, "code")),
        }
    });
    let confirm_password = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        confirm_password_step.dispatch(password.get_untracked());
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        confirm_code.dispatch(code.get_untracked());
    };
    let copied = RwSignal::new(None::<&'static str>);

    // The server has just completed the session: ask it who we are now, then go on.
    let go_on = Submit::new(move |()| {
        let navigate = navigate.clone();
        async move {
            let state = current_session().await.unwrap_or(SessionState::SignedOut);
            let target = state
                .signed_in()
                .map_or("/", |info| landing_page(info.role));
            session.set(state);
            navigate(target, Default::default());
        }
    });

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
                            <button class="nhsuk-button" type="submit" disabled=move || confirm_password_step.pending().get()>"Continue"</button>
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
                            {codes.iter().map(|code| view! { <li><code>{code.clone()}</code></li> }).collect_view()}
                        </ul>
                        <div class="app-button-group app-no-print">
                            <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=|_| { let _ = window().print(); }>"Print the codes"</button>
                            " "
                            <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click={
                                let text = codes.join("\n");
                                move |_| copy_to_clipboard(text.clone(), copied)
                            }>"Copy the codes"</button>
                        </div>
                        <p class="nhsuk-body-s" role="status">{move || copied.get().unwrap_or_default()}</p>
                        <button class="nhsuk-button app-no-print" type="button" disabled=move || go_on.pending().get()
                            on:click=move |_| go_on.dispatch(())>"I have saved my recovery codes"</button>
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
                            <button class="nhsuk-button" type="submit" disabled=move || confirm_code.pending().get()>"Continue"</button>
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
