//! Accounts: search, invite, disable and enable. Clinic managers see their organisation's
//! accounts; registry administrators see everyone's.

use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::accounts::{
    AccountStatus, Invitation, InvitationSent, UserQuery, UserSummary, invite_user,
    list_organisations, list_users, resend_invitation,
};
use crate::api::session::{Role, roles};
use crate::components::form::{ErrorSummary, Panel, TextField, error_for, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::components::table::{PagedTable, stacked_heading};
use crate::routes;
use crate::session::use_session;

#[component]
pub fn UsersPage() -> impl IntoView {
    set_page_title("Accounts");
    view! {
        <RequireRole roles=roles::ACCOUNT_MANAGERS>
            <Accounts/>
        </RequireRole>
    }
}

/// The roles a manager may give: their own organisation's clinic roles; an administrator also
/// registry administrators.
pub fn invitable_roles(inviter: Role) -> Vec<Role> {
    match inviter {
        Role::RegistryAdmin => vec![Role::ClinicUser, Role::ClinicManager, Role::RegistryAdmin],
        Role::ClinicManager => vec![Role::ClinicUser, Role::ClinicManager],
        _ => Vec::new(),
    }
}

pub fn status_tag(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Active => "nhsuk-tag nhsuk-tag--green",
        AccountStatus::Invited => "nhsuk-tag nhsuk-tag--blue",
        AccountStatus::Disabled => "nhsuk-tag nhsuk-tag--grey",
    }
}

#[component]
fn Accounts() -> impl IntoView {
    let session = use_session();
    let search = RwSignal::new(String::new());
    let role_filter = RwSignal::new(String::new());
    let query = RwSignal::new(UserQuery {
        page: 1,
        ..UserQuery::default()
    });
    let version = RwSignal::new(0u32);
    let users = LocalResource::new(move || {
        version.get();
        list_users(query.get())
    });
    let notice = RwSignal::new(None::<String>);
    let action_error = RwSignal::new(None::<String>);

    let apply_search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        query.set(UserQuery {
            search: search.get_untracked(),
            role: Role::parse(&role_filter.get_untracked()),
            organisation_id: None,
            page: 1,
        });
    };

    let reinvite = Submit::new(move |user: UserSummary| async move {
        match resend_invitation(user.id).await {
            Ok(sent) => {
                action_error.set(None);
                notice.set(Some(invitation_notice(&user.email, &sent)));
                version.update(|v| *v += 1);
            }
            Err(error) => action_error.set(Some(error.to_string())),
        }
    });

    view! {
        <h1>"Accounts"</h1>
        {move || session.info().and_then(|info| info.organisation).map(|organisation| view! {
            <p class="nhsuk-body-l">{format!("People at {}.", organisation.name)}</p>
        })}
        {move || notice.get().map(|message| view! {
            <div class="nhsuk-inset-text" role="status"><p>{message}</p></div>
        })}
        {move || action_error.get().map(|message| view! {
            <div class="nhsuk-error-summary" role="alert" tabindex="-1">
                <h2 class="nhsuk-error-summary__title">"There is a problem"</h2>
                <div class="nhsuk-error-summary__body"><p>{message}</p></div>
            </div>
        })}

        <form class="app-search-form" novalidate on:submit=apply_search role="search" aria-label="Find accounts">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="account-search">"Name or email address"</label>
                <input class="nhsuk-input nhsuk-input--width-20" id="account-search" name="search" type="search"
                    prop:value=move || search.get() on:input=move |event| search.set(event_target_value(&event))/>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="account-role">"Role"</label>
                <select class="nhsuk-select" id="account-role" name="role" on:change=move |event| role_filter.set(event_target_value(&event))>
                    <option value="">"All roles"</option>
                    {Role::ALL.into_iter().map(|role| view! { <option value=role.as_str()>{role.label()}</option> }).collect_view()}
                </select>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Search"</button>
        </form>

        {move || match users.get() {
            None => view! { <p role="status">"Loading accounts…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message">{error.to_string()}</p> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => view! { <p>"No accounts match your search."</p> }.into_any(),
            Some(Ok(page)) => {
                let page_count = page.page_count();
                let current = page.page;
                view! {
                    <PagedTable caption=format!("{} account{}", page.total, if page.total == 1 { "" } else { "s" })
                        columns=&["Name", "Role", "Organisation", "Status", "Actions"]
                        page=current page_count=page_count go=move |page| query.update(|query| query.page = page)>
                        {page.items.into_iter().map(|user| view! { <AccountRow user=user reinvite=reinvite/> }).collect_view()}
                    </PagedTable>
                }.into_any()
            }
        }}

        <InviteForm on_invited=move |message| { notice.set(Some(message)); version.update(|v| *v += 1); }/>
    }
}

/// An account in the list: name and email, role, organisation, status, and what can be done.
#[component]
fn AccountRow(user: UserSummary, reinvite: Submit<UserSummary, ()>) -> impl IntoView {
    let name = user.display_name.clone();
    let invite_again = {
        let user = user.clone();
        move |_| reinvite.dispatch(user.clone())
    };
    view! {
        <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell">{stacked_heading("Name")}{user.display_name.clone()}<br/><span class="nhsuk-body-s">{user.email.clone()}</span></td>
            <td class="nhsuk-table__cell">{stacked_heading("Role")}{user.role.label()}</td>
            <td class="nhsuk-table__cell">{stacked_heading("Organisation")}{user.organisation.clone().unwrap_or_else(|| "None".into())}</td>
            <td class="nhsuk-table__cell">{stacked_heading("Status")}<strong class=status_tag(user.status)>{user.status.label()}</strong></td>
            <td class="nhsuk-table__cell">
                <a class="app-table-action" href=routes::user(user.id) aria-label=format!("Manage {name}")>"Manage"</a>
                {(user.status == AccountStatus::Invited).then(|| view! {
                    <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small app-table-action" on:click=invite_again.clone()
                        aria-label=format!("Send the invitation to {} again", user.display_name)>
                        "Invite again"
                    </button>
                })}
            </td>
        </tr>
    }
}

pub fn invitation_notice(email: &str, sent: &InvitationSent) -> String {
    match &sent.link {
        Some(link) => format!(
            "Invitation ready for {email}. This server sends no email (development), so give them this link: {link}"
        ),
        None => format!("Invitation sent to {email}."),
    }
}

#[component]
fn InviteForm(on_invited: impl Fn(String) + Clone + Send + Sync + 'static) -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::ClinicUser.as_str().to_string());
    let organisation = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let invited = RwSignal::new(None::<String>);
    let is_admin = move || session.role() == Some(Role::RegistryAdmin);
    let organisations = LocalResource::new(list_organisations);

    let send = Submit::new(move |invitation: Invitation| {
        let on_invited = on_invited.clone();
        async move {
            match invite_user(invitation.clone()).await {
                Ok(sent) => {
                    errors.set(Vec::new());
                    let message = invitation_notice(&invitation.email, &sent);
                    invited.set(Some(message.clone()));
                    on_invited(message);
                    name.set(String::new());
                    email.set(String::new());
                }
                Err(error) => errors.set(field_errors(&error, "display_name")),
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        send.dispatch(Invitation {
            email: email.get_untracked(),
            display_name: name.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::ClinicUser),
            organisation_id: organisation.get_untracked().parse().ok(),
        });
    };

    view! {
        <h2 id="invite">"Invite someone"</h2>
        <Show when=move || invited.get().is_some()>
            <Panel title="Invitation created"><p>{move || invited.get()}</p></Panel>
        </Show>
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <TextField id="display_name" label="Full name" value=name errors=errors autocomplete="off"/>
            <TextField id="email" label="Email address" value=email errors=errors kind="email" autocomplete="off"
                hint="They will get a link to choose a password, then set up an authenticator app."/>
            <div class=move || if error_for(&errors.get(), "role").is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <fieldset class="nhsuk-fieldset" aria-describedby=move || error_for(&errors.get(), "role").map(|_| "role-error")>
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Role"</legend>
                    {move || error_for(&errors.get(), "role").map(|message| view! {
                        <span class="nhsuk-error-message" id="role-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{message}</span>
                    })}
                    <div class="nhsuk-radios" id="role" tabindex="-1">
                        {move || session.role().map(invitable_roles).unwrap_or_default().into_iter().map(|option| view! {
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id=format!("role-{}", option.as_str()) name="role" type="radio"
                                    value=option.as_str() prop:checked=move || role.get() == option.as_str()
                                    on:change=move |_| role.set(option.as_str().to_string())/>
                                <label class="nhsuk-label nhsuk-radios__label" for=format!("role-{}", option.as_str())>{option.label()}</label>
                            </div>
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <Show when=is_admin>
                <div class=move || if error_for(&errors.get(), "organisation_id").is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                    <label class="nhsuk-label" for="organisation_id">"Organisation"</label>
                    <div class="nhsuk-hint" id="organisation_id-hint">"For clinic roles. Registry administrators belong to no organisation."</div>
                    {move || error_for(&errors.get(), "organisation_id").map(|message| view! {
                        <span class="nhsuk-error-message" id="organisation_id-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{message}</span>
                    })}
                    <select class="nhsuk-select" id="organisation_id" name="organisation_id"
                        aria-describedby=move || if error_for(&errors.get(), "organisation_id").is_some() { "organisation_id-hint organisation_id-error" } else { "organisation_id-hint" }
                        on:change=move |event| organisation.set(event_target_value(&event))>
                        <option value="">"Choose an organisation"</option>
                        {move || organisations.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|organisation| view! {
                            <option value=organisation.id.to_string()>{organisation.name}</option>
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <button class="nhsuk-button" type="submit" disabled=move || send.pending().get()>"Send invitation"</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_cannot_make_administrators() {
        assert_eq!(
            invitable_roles(Role::ClinicManager),
            vec![Role::ClinicUser, Role::ClinicManager]
        );
        assert!(invitable_roles(Role::RegistryAdmin).contains(&Role::RegistryAdmin));
        assert!(invitable_roles(Role::Patient).is_empty());
    }
}
