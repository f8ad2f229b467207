//! One account, for the person who manages it: change the name, role and organisation, reset
//! the authenticator app (the person sets up a new one from an emailed link), unlock after
//! too many wrong tries, and disable (asked to confirm, naming the person) or enable again.

use leptos::prelude::*;

use super::users::{invitable_roles, status_tag};
use crate::api::accounts::{
    AccountChange, AccountDetail, AccountStatus, get_account, list_organisations,
    reset_authenticator, set_user_disabled, unlock_account, update_account,
};
use crate::api::session::{Role, roles};
use crate::api::{ApiError, FieldError};
use crate::components::form::{ErrorSummary, Radios, SelectField, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::item::use_id_param;
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::routes;
use crate::session::use_session;

#[component]
pub fn ManageAccountPage() -> impl IntoView {
    set_page_title("Manage an account");
    let id = use_id_param();
    view! {
        <RequireRole roles=roles::ACCOUNT_MANAGERS>
            {move || match id() {
                Some(id) => view! { <ManageAccount id=id/> }.into_any(),
                None => view! { <h1>"Account not found"</h1><p><a href=routes::USERS>"Back to accounts"</a></p> }.into_any(),
            }}
        </RequireRole>
    }
}

/// What was just done to the account, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Done {
    Saved,
    Reset { link: Option<String> },
    Unlocked,
    Disabled,
    Enabled,
}

fn done_message(done: &Done, name: &str, email: &str) -> String {
    match done {
        Done::Saved => format!("{name}'s details are saved."),
        Done::Reset { link } => {
            let sent = format!(
                "{name}'s authenticator app is reset and their sessions have ended. They must set up a new one from the link sent to {email} before they can sign in."
            );
            match link {
                Some(link) => format!(
                    "{sent} This server sends no email (development), so give them this link: {link}"
                ),
                None => sent,
            }
        }
        Done::Unlocked => format!("{name}'s account is unlocked: they can sign in again."),
        Done::Disabled => format!("{name}'s account is disabled and their sessions have ended."),
        Done::Enabled => format!("{name}'s account is enabled again."),
    }
}

#[component]
fn ManageAccount(id: i64) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let account = LocalResource::new(move || {
        version.get();
        get_account(id)
    });
    let done = RwSignal::new(None::<Done>);
    let problem = RwSignal::new(None::<String>);
    let refresh = move |outcome: Result<Done, ApiError>| match outcome {
        Ok(what) => {
            problem.set(None);
            done.set(Some(what));
            version.update(|v| *v += 1);
        }
        Err(error) => problem.set(Some(error.to_string())),
    };
    let reset = Submit::new(move |()| async move {
        refresh(
            reset_authenticator(id)
                .await
                .map(|sent| Done::Reset { link: sent.link }),
        );
    });
    let unlock = Submit::new(move |()| async move {
        refresh(unlock_account(id).await.map(|_| Done::Unlocked));
    });
    let set_disabled = Submit::new(move |disabled: bool| async move {
        refresh(set_user_disabled(id, disabled).await.map(|_| {
            if disabled {
                Done::Disabled
            } else {
                Done::Enabled
            }
        }));
    });
    move || match account.get() {
        None => view! { <h1>"Manage an account"</h1><p role="status">"Loading the account…"</p> }
            .into_any(),
        Some(Err(error)) => view! {
            <h1>"Manage an account"</h1>
            <p>{error.to_string()}</p>
            <p><a href=routes::USERS>"Back to accounts"</a></p>
        }
        .into_any(),
        Some(Ok(detail)) => {
            let name = detail.summary.display_name.clone();
            let email = detail.summary.email.clone();
            view! {
                <span class="nhsuk-caption-l">"Manage an account"</span>
                <h1>{name.clone()}</h1>
                {move || done.get().map(|what| view! {
                    <div class="nhsuk-inset-text" role="status"><p>{done_message(&what, &name, &email)}</p></div>
                })}
                {move || problem.get().map(|message| view! {
                    <div class="nhsuk-error-summary" role="alert" tabindex="-1">
                        <h2 class="nhsuk-error-summary__title">"There is a problem"</h2>
                        <div class="nhsuk-error-summary__body"><p>{message}</p></div>
                    </div>
                })}
                <Facts detail=detail.clone()/>
                <ChangeDetails detail=detail.clone() on_saved=move || refresh(Ok(Done::Saved))/>
                <AuthenticatorSection detail=detail.clone() reset=reset/>
                {detail.locked_for_minutes.map(|minutes| {
                    let name = detail.summary.display_name.clone();
                    view! {
                        <h2>"Locked account"</h2>
                        <p>{format!("After too many wrong tries, this account is locked for {minutes} more minute{}.", if minutes == 1 { "" } else { "s" })}</p>
                        <button type="button" class="nhsuk-button nhsuk-button--secondary" disabled=move || unlock.pending().get()
                            on:click=move |_| unlock.dispatch(())>{format!("Unlock {name}'s account")}</button>
                    }
                })}
                <DisableSection detail=detail set_disabled=set_disabled/>
                <p><a href=routes::USERS>"Back to accounts"</a></p>
            }.into_any()
        }
    }
}

#[component]
fn Facts(detail: AccountDetail) -> impl IntoView {
    let summary = detail.summary;
    let row = |key: &'static str, value: AnyView| {
        view! {
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">{key}</dt>
                <dd class="nhsuk-summary-list__value">{value}</dd>
            </div>
        }
    };
    view! {
        <dl class="nhsuk-summary-list">
            {row("Email address", summary.email.clone().into_any())}
            {row("Role", summary.role.label().into_any())}
            {row("Organisation", summary.organisation.clone().unwrap_or_else(|| "None".into()).into_any())}
            {row("Status", view! { <strong class=status_tag(summary.status)>{summary.status.label()}</strong> }.into_any())}
            {summary.role.requires_second_factor().then(|| row("Authenticator app", if summary.second_factor_enrolled { "Set up" } else { "Not set up yet" }.into_any()))}
        </dl>
    }
}

#[component]
fn ChangeDetails(detail: AccountDetail, on_saved: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let id = detail.summary.id;
    let name = RwSignal::new(detail.summary.display_name.clone());
    let role = RwSignal::new(detail.summary.role.as_str().to_string());
    let organisation = RwSignal::new(
        detail
            .organisation_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let is_admin = move || session.role() == Some(Role::RegistryAdmin);
    let organisations = LocalResource::new(list_organisations);
    let organisation_options = Signal::derive(move || {
        organisations
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|organisation| (organisation.id.to_string(), organisation.name))
            .collect::<Vec<_>>()
    });
    let role_options: Vec<(&'static str, &'static str)> = if detail.summary.role == Role::Patient {
        vec![(Role::Patient.as_str(), Role::Patient.label())]
    } else {
        session
            .role()
            .map(invitable_roles)
            .unwrap_or_default()
            .into_iter()
            .map(|role| (role.as_str(), role.label()))
            .collect()
    };
    let save = Submit::new(move |change: AccountChange| async move {
        match update_account(change).await {
            Ok(_) => {
                errors.set(Vec::new());
                on_saved();
            }
            Err(error) => errors.set(field_errors(&error, "display_name")),
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(AccountChange {
            user_id: id,
            display_name: name.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::ClinicUser),
            organisation_id: organisation.get_untracked().parse().ok(),
        });
    };
    view! {
        <h2>"Change name, role or organisation"</h2>
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <TextField id="display_name" label="Full name" value=name errors=errors autocomplete="off"/>
            <Radios id="role" legend="Role" options=role_options value=role errors=errors/>
            <Show when=is_admin>
                <SelectField id="organisation_id" label="Organisation" options=organisation_options value=organisation errors=errors
                    placeholder="None (registry administrators)"/>
            </Show>
            <button class="nhsuk-button" type="submit" disabled=move || save.pending().get()>"Save changes"</button>
        </form>
    }
}

#[component]
fn AuthenticatorSection(detail: AccountDetail, reset: Submit<(), ()>) -> impl IntoView {
    let summary = detail.summary;
    if !summary.role.requires_second_factor() || summary.status != AccountStatus::Active {
        return ().into_any();
    }
    let name = summary.display_name.clone();
    view! {
        <h2>"Authenticator app"</h2>
        <p>"If they have lost or replaced the phone with their authenticator app, reset it. Every session of theirs ends at once, and they are emailed a link to choose a password and set up a new app. Until then they cannot sign in."</p>
        <AskFirst ask=format!("Reset {name}'s authenticator app") ask_class="nhsuk-button nhsuk-button--secondary"
            question=format!("Reset {name}'s authenticator app?")
            consequence=format!("{name} will be signed out everywhere and must set up a new authenticator app before signing in again.")
            confirm=format!("Yes, reset {name}'s authenticator app")
            pending=reset.pending() on_confirm=Callback::new(move |()| reset.dispatch(()))/>
    }
    .into_any()
}

#[component]
fn DisableSection(detail: AccountDetail, set_disabled: Submit<bool, ()>) -> impl IntoView {
    let session = use_session();
    let summary = detail.summary;
    if session
        .info()
        .is_some_and(|info| info.user_id == summary.id)
    {
        return ().into_any();
    }
    let name = summary.display_name.clone();
    if summary.status == AccountStatus::Disabled {
        return view! {
            <h2>"Disabled account"</h2>
            <p>"They cannot sign in until the account is enabled again."</p>
            <button type="button" class="nhsuk-button nhsuk-button--secondary" disabled=move || set_disabled.pending().get()
                on:click=move |_| set_disabled.dispatch(false)>{format!("Enable {name}")}</button>
        }
        .into_any();
    }
    view! {
        <h2>"Disable the account"</h2>
        <p>"When someone leaves, or their account may be misused, disable it: every session of theirs ends at once and they cannot sign in. Their records and the audit trail are kept."</p>
        <AskFirst ask=format!("Disable {name}") ask_class="nhsuk-button nhsuk-button--warning"
            question=format!("Disable {name}'s account?")
            consequence=format!("{name} will be signed out at once and cannot sign in until the account is enabled again.")
            confirm=format!("Yes, disable {name}'s account")
            pending=set_disabled.pending() on_confirm=Callback::new(move |()| set_disabled.dispatch(true))/>
    }
    .into_any()
}

/// A button (`ask`) that asks before it acts: a warning with the `question` and its
/// `consequence`, then `confirm` (which runs `on_confirm`) or "Cancel".
#[component]
fn AskFirst(
    ask: String,
    ask_class: &'static str,
    question: String,
    consequence: String,
    confirm: String,
    pending: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    move || {
        if asking.get() {
            view! {
                <div class="nhsuk-warning-callout">
                    <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{question.clone()}</span></h3>
                    <p>{consequence.clone()}</p>
                    <div class="app-button-group">
                        <button type="button" class="nhsuk-button nhsuk-button--warning" disabled=move || pending.get()
                            on:click=move |_| { asking.set(false); on_confirm.run(()); }>{confirm.clone()}</button>
                        " "
                        <button type="button" class="nhsuk-button nhsuk-button--secondary" on:click=move |_| asking.set(false)>"Cancel"</button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! { <button type="button" class=ask_class on:click=move |_| asking.set(true)>{ask.clone()}</button> }
                .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_done_names_the_person() {
        assert_eq!(
            done_message(&Done::Disabled, "Dr Demo", "d@example.test"),
            "Dr Demo's account is disabled and their sessions have ended."
        );
        let reset = done_message(
            &Done::Reset {
                link: Some("http://x/account/set-password?token=t".into()),
            },
            "Dr Demo",
            "d@example.test",
        );
        assert!(reset.contains("the link sent to d@example.test"));
        assert!(reset.ends_with("give them this link: http://x/account/set-password?token=t"));
    }
}
