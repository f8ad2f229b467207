//! Signing in: email and password, then (for staff, and patients who chose it) the code from
//! an authenticator app or a recovery code.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::{landing_page, safe_next};
use crate::api::FieldError;
use crate::api::auth::{sign_in, sign_out, verify_second_factor};
use crate::api::session::SessionState;
use crate::components::form::{ErrorSummary, TextField, field_errors, focus_by_id};
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::session::use_session;

#[derive(Clone, PartialEq)]
enum Step {
    Password,
    SecondFactor { name: String },
}

#[component]
pub fn SignInPage() -> impl IntoView {
    set_page_title("Sign in");
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let step = RwSignal::new(Step::Password);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());

    // Already part-way (e.g. after a reload): continue where the session is.
    Effect::new(move |_| {
        if let Some(SessionState::SecondFactorRequired { display_name }) = session.state() {
            step.set(Step::SecondFactor { name: display_name });
        }
    });

    let finish = {
        let navigate = navigate.clone();
        move |state: SessionState| {
            let next = safe_next(query.with_untracked(|query| query.get("next")));
            match &state {
                SessionState::SignedIn(info) => {
                    let target = next.unwrap_or_else(|| landing_page(info.role).to_string());
                    session.set(state.clone());
                    navigate(&target, Default::default());
                }
                SessionState::SecondFactorRequired { display_name } => {
                    session.set(state.clone());
                    step.set(Step::SecondFactor {
                        name: display_name.clone(),
                    });
                    request_animation_frame(|| focus_by_id("code"));
                }
                SessionState::EnrolmentRequired { .. } => {
                    session.set(state.clone());
                    navigate(crate::routes::AUTHENTICATOR, Default::default());
                }
                SessionState::SignedOut => {}
            }
        }
    };

    // Each step's submit is an action: one at a time, its pending state on the button.
    let password_step = Submit::new({
        let finish = finish.clone();
        move |(address, typed): (String, String)| {
            let finish = finish.clone();
            async move {
                let outcome = sign_in(address, typed).await;
                // Never left in the box: after a failure it is typed again, after a success
                // it is not needed.
                password.set(String::new());
                match outcome {
                    Ok(state) => {
                        errors.set(Vec::new());
                        finish(state);
                    }
                    Err(error) => errors.set(field_errors(&error, "email")),
                }
            }
        }
    });
    let code_step = Submit::new(move |typed: String| {
        let finish = finish.clone();
        async move {
            let outcome = verify_second_factor(typed).await;
            code.set(String::new());
            match outcome {
                Ok(state) => {
                    errors.set(Vec::new());
                    finish(state);
                }
                Err(error) => errors.set(field_errors(&error, "code")),
            }
        }
    });
    // "Not you?": the half-finished sign-in is ended and the page starts again.
    let start_again = Submit::new(move |()| async move {
        let _ = sign_out().await;
        session.set(SessionState::SignedOut);
        errors.set(Vec::new());
        email.set(String::new());
        step.set(Step::Password);
        request_animation_frame(|| focus_by_id("email"));
    });
    let submit_password = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        password_step.dispatch((email.get_untracked(), password.get_untracked()));
    };
    let submit_code = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        code_step.dispatch(code.get_untracked());
    };
    let signing_in = password_step.pending();
    let checking = code_step.pending();

    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                {move || match step.get() {
                    Step::Password => view! {
                        <h1>"Sign in"</h1>
                        <p>"Sign in to record procedures, manage your clinic's accounts, or see your own implant record."</p>
                        <form novalidate on:submit=submit_password>
                            <TextField id="email" label="Email address" value=email errors=errors kind="email" autocomplete="username"/>
                            <TextField id="password" label="Password" value=password errors=errors kind="password" autocomplete="current-password"/>
                            <button class="nhsuk-button" type="submit" disabled=move || signing_in.get()>
                                {move || if signing_in.get() { "Signing in…" } else { "Sign in" }}
                            </button>
                        </form>
                        <p><a href=crate::routes::FORGOT_PASSWORD>"Forgot your password?"</a></p>
                        <h2 class="nhsuk-heading-s">"Patients"</h2>
                        <p>"Have an implant card with a claim code? "<a href=crate::routes::REGISTER>"Create an account"</a>" to see your implant record."</p>
                    }.into_any(),
                    Step::SecondFactor { name } => view! {
                        <h1>"Enter your security code"</h1>
                        <p>{format!("Signing in as {name}: one more step.")}</p>
                        <form novalidate on:submit=submit_code>
                            <TextField
                                id="code"
                                label="Security code"
                                hint="The 6-digit code your authenticator app shows now. If you cannot use the app, enter one of your recovery codes."
                                value=code
                                errors=errors
                                autocomplete="one-time-code"
                                width_class="nhsuk-input--width-10"
                            />
                            <button class="nhsuk-button" type="submit" disabled=move || checking.get()>
                                {move || if checking.get() { "Checking…" } else { "Continue" }}
                            </button>
                        </form>
                        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                            on:click=move |_| start_again.dispatch(())>"Not you? Start again"</button>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}
