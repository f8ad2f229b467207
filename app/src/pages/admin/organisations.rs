//! Organisations and their sites. Administrators create them and add sites; clinic managers
//! see their own. Both set how patients reach the clinic, printed on its implant cards.

use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::accounts::{
    OrganisationDetail, add_site, create_organisation, list_organisations, set_organisation_contact,
};
use crate::api::session::{Role, roles};
use crate::components::form::{
    ErrorSummary, Panel, TextArea, TextField, error_for, field_errors, field_errors_at,
};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::session::use_session;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    set_page_title("Organisations");
    view! { <RequireRole roles=roles::ACCOUNT_MANAGERS><Organisations/></RequireRole> }
}

/// Sites typed one per line; blank lines ignored.
pub fn sites_from_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(String::from)
        .collect()
}

#[component]
fn Organisations() -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0u32);
    let organisations = LocalResource::new(move || {
        version.get();
        list_organisations()
    });
    let is_admin = move || session.role() == Some(Role::RegistryAdmin);
    view! {
        <h1>"Organisations"</h1>
        {move || match organisations.get() {
            None => view! { <p role="status">"Loading organisations…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message">{error.to_string()}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>"There are no organisations yet."</p> }.into_any(),
            Some(Ok(list)) => list.into_iter().map(|organisation| view! {
                <OrganisationCard organisation=organisation editable=is_admin() on_changed=move || version.update(|v| *v += 1)/>
            }).collect_view().into_any(),
        }}
        <Show when=is_admin>
            <CreateOrganisation on_created=move || version.update(|v| *v += 1)/>
        </Show>
    }
}

#[component]
fn OrganisationCard(
    organisation: OrganisationDetail,
    editable: bool,
    on_changed: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let on_changed = Callback::new(move |()| on_changed());
    let site = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let id = organisation.id;
    let field_id = format!("site-name-{id}");
    let add = Submit::new({
        let field_id = field_id.clone();
        move |name: String| {
            let field_id = field_id.clone();
            async move {
                match add_site(id, name).await {
                    Ok(_) => {
                        errors.set(Vec::new());
                        site.set(String::new());
                        on_changed.run(());
                    }
                    Err(error) => errors.set(field_errors_at(&error, "site_name", &field_id)),
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        add.dispatch(site.get_untracked());
    };
    let label_id = field_id.clone();
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-m">{organisation.name.clone()}</h2>
                <p>{format!("{} account{}", organisation.user_count, if organisation.user_count == 1 { "" } else { "s" })}</p>
                <h3 class="nhsuk-heading-s">"Sites"</h3>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    {organisation.sites.iter().map(|site| view! { <li>{site.name.clone()}</li> }).collect_view()}
                </ul>
                <ClinicContact organisation=organisation.clone() on_changed=on_changed/>
                {editable.then(|| view! {
                    <form novalidate on:submit=submit>
                        <div class=move || if error_for(&errors.get(), &label_id).is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                            <label class="nhsuk-label" for=field_id.clone()>{format!("Add a site to {}", organisation.name)}</label>
                            {
                                let field_id = field_id.clone();
                                move || error_for(&errors.get(), &field_id).map(|message| view! {
                                    <span class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">"Error: "</span>{message}</span>
                                })
                            }
                            <input class="nhsuk-input nhsuk-input--width-20" id=field_id.clone() type="text"
                                prop:value=move || site.get() on:input=move |event| site.set(event_target_value(&event))/>
                        </div>
                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">"Add site"</button>
                    </form>
                })}
            </div>
        </div>
    }
}

/// How patients reach the clinic (printed on its implant cards), and a form to change it.
#[component]
fn ClinicContact(organisation: OrganisationDetail, on_changed: Callback<()>) -> impl IntoView {
    let id = organisation.id;
    let field_id = format!("contact-{id}");
    let contact = RwSignal::new(organisation.contact.clone().unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saved = RwSignal::new(false);
    let save = Submit::new({
        let field_id = field_id.clone();
        move |text: String| {
            let field_id = field_id.clone();
            async move {
                match set_organisation_contact(id, text).await {
                    Ok(_) => {
                        errors.set(Vec::new());
                        saved.set(true);
                        on_changed.run(());
                    }
                    Err(error) => errors.set(field_errors_at(&error, "contact", &field_id)),
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(false);
        save.dispatch(contact.get_untracked());
    };
    view! {
        <h3 class="nhsuk-heading-s">"Contact details for patients"</h3>
        <p>{organisation.contact.clone().unwrap_or_else(|| "None yet: implant cards ask patients to contact the clinic without saying how.".into())}</p>
        <form novalidate on:submit=submit>
            <TextArea id=field_id label=format!("How patients contact {}", organisation.name) value=contact errors=errors rows=2
                hint="Printed on implant cards and shown to patients with their records: a telephone number, an address, or both."/>
            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit" disabled=move || save.pending().get()>"Save contact details"</button>
        </form>
        <Show when=move || saved.get()>
            <p role="status" class="nhsuk-body-s">"Contact details saved."</p>
        </Show>
    }
}

#[component]
fn CreateOrganisation(on_created: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let sites = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let created = RwSignal::new(None::<String>);
    let create = Submit::new(move |(named, listed): (String, Vec<String>)| {
        let on_created = on_created.clone();
        async move {
            match create_organisation(named, listed).await {
                Ok(organisation) => {
                    errors.set(Vec::new());
                    created.set(Some(organisation.name));
                    name.set(String::new());
                    sites.set(String::new());
                    on_created();
                }
                Err(error) => errors.set(field_errors(&error, "name")),
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        create.dispatch((
            name.get_untracked(),
            sites_from_lines(&sites.get_untracked()),
        ));
    };
    view! {
        <h2>"Add an organisation"</h2>
        {move || created.get().map(|name| view! { <Panel title="Organisation added"><p>{format!("{name} can now be given accounts.")}</p></Panel> })}
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <TextField id="name" label="Name" value=name errors=errors hint="For example Riverside Private Hospital"/>
            <TextArea id="sites" label="Sites" value=sites errors=errors rows=3 hint="Where procedures take place: one per line."/>
            <button class="nhsuk-button" type="submit" disabled=move || create.pending().get()>"Add organisation"</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_site_per_line() {
        assert_eq!(
            super::sites_from_lines("Theatre 1\n\n  Day unit \n"),
            vec!["Theatre 1", "Day unit"]
        );
    }
}
