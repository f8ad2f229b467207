//! Choosing a password from an invitation or reset link.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::FieldError;
use crate::api::auth::{LinkPurpose, describe_account_link, set_password_from_link};
use crate::api::session::SessionState;
use crate::components::form::{ErrorSummary, Panel, TextField, field_errors};
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::session::use_session;

/// Both entries must match: a typo in a new password locks the person out.
pub fn check_confirmation(password: &str, confirmation: &str) -> Vec<FieldError> {
    if password != confirmation {
        vec![FieldError::new(
            "confirm_password",
            "The passwords do not match: type the same password twice",
        )]
    } else {
        Vec::new()
    }
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    set_page_title("Choose your password");
    let query = use_query_map();
    let token = move || query.with(|query| query.get("token").unwrap_or_default());
    let link = LocalResource::new(move || describe_account_link(token()));
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    // What the server made of the link: signed out (a reset), or straight on (an invitation).
    let done = RwSignal::new(None::<SessionState>);
    let session = use_session();
    let navigate = use_navigate();
    let save = Submit::new(move |chosen: String| {
        let navigate = navigate.clone();
        async move {
            match set_password_from_link(token(), chosen).await {
                // Staff go on to set up their authenticator: only an invitation opens that.
                Ok(state @ SessionState::EnrolmentRequired { .. }) => {
                    session.set(state);
                    navigate(crate::routes::AUTHENTICATOR, Default::default());
                }
                Ok(state) => {
                    session.set(state.clone());
                    done.set(Some(state));
                }
                Err(error) => errors.set(field_errors(&error, "new_password")),
            }
        }
    });
    let pending = save.pending();
    // The tab says what the page is: a link that cannot be used, or which link it is.
    Effect::new(move |_| match link.get() {
        Some(Err(_)) => set_page_title("This link cannot be used"),
        Some(Ok(link)) if link.purpose == LinkPurpose::PasswordReset => {
            set_page_title("Reset your password")
        }
        _ => {}
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mismatch = check_confirmation(&password.get_untracked(), &confirmation.get_untracked());
        if !mismatch.is_empty() {
            errors.set(mismatch);
            return;
        }
        save.dispatch(password.get_untracked());
    };

    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                {move || match (done.get(), link.get()) {
                    (Some(SessionState::SignedIn(_)), _) => view! {
                        <h1>"Your account is ready"</h1>
                        <Panel title="Your password is set">
                            <p>"You are signed in."</p>
                        </Panel>
                        <h2>"Protect your account"</h2>
                        <p>"We recommend adding a second step at sign-in: a code from an app on your phone. Then nobody can sign in with your password alone."</p>
                        <p><a class="nhsuk-button nhsuk-button--secondary" href=crate::routes::AUTHENTICATOR>"Set up an authenticator app"</a></p>
                        <h2>"Add your implant record"</h2>
                        <p>"You need the claim code from the implant card your clinic gave you."</p>
                        <p><a class="nhsuk-button" href=crate::routes::ADD_RECORD>"Add your record"</a></p>
                    }.into_any(),
                    (Some(_), _) => view! {
                        <h1>"Choose your password"</h1>
                        <Panel title="Your password is set">
                            <p>"You can now sign in with it."</p>
                        </Panel>
                        <p><a class="nhsuk-button" href=crate::routes::SIGN_IN>"Sign in"</a></p>
                    }.into_any(),
                    (None, None) => view! { <h1>"Choose your password"</h1><p role="status">"Checking your link…"</p> }.into_any(),
                    (None, Some(Err(error))) => view! {
                        <h1>"This link cannot be used"</h1>
                        <p>{error.to_string()}</p>
                        <h2>"What to do"</h2>
                        <ul class="nhsuk-list nhsuk-list--bullet">
                            <li>"If you were resetting your password: "<a href=crate::routes::FORGOT_PASSWORD>"ask for a new link"</a>"."</li>
                            <li>"If you were creating a patient account: "<a href=crate::routes::REGISTER>"start again"</a>" with the same email address, and use the newest email we send you."</li>
                            <li>"If you work in a clinic and were invited: ask your organisation's manager to send your invitation again."</li>
                        </ul>
                        <p><a href=crate::routes::CONTACT>"Contact the registry helpdesk"</a>" if this keeps happening."</p>
                    }.into_any(),
                    (None, Some(Ok(link))) => view! {
                        <h1>{match link.purpose { LinkPurpose::Invitation => "Choose your password", LinkPurpose::PasswordReset => "Reset your password" }}</h1>
                        <p>{format!("For the account {}.", link.email)}</p>
                        <ErrorSummary errors=errors/>
                        <form novalidate on:submit=submit>
                            <TextField id="new_password" label="New password" value=password errors=errors kind="password" autocomplete="new-password"
                                hint="At least 12 characters. A few random words are strong and easy to remember. Common passwords are refused."/>
                            <TextField id="confirm_password" label="Type the password again" value=confirmation errors=errors kind="password" autocomplete="new-password"/>
                            <button class="nhsuk-button" type="submit" disabled=move || pending.get()>"Save password"</button>
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
    fn confirmation_must_match() {
        assert!(super::check_confirmation("a b c d e f", "a b c d e f").is_empty());
        assert_eq!(
            super::check_confirmation("a", "b")[0].field,
            "confirm_password"
        );
    }
}
