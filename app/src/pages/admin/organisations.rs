//! Organisations and their sites. Administrators create them and add sites; clinic managers
//! see their own.

use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::accounts::{OrganisationDetail, add_site, create_organisation, list_organisations};
use crate::api::session::{Role, roles};
use crate::components::form::{ErrorSummary, Panel, TextField, error_for, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
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
    let site = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let id = organisation.id;
    let field_id = format!("site-name-{id}");
    let submit = {
        let field_id = field_id.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let on_changed = on_changed.clone();
            let field_id = field_id.clone();
            leptos::task::spawn_local(async move {
                match add_site(id, site.get_untracked()).await {
                    Ok(_) => {
                        errors.set(Vec::new());
                        site.set(String::new());
                        on_changed();
                    }
                    Err(error) => errors.set(
                        field_errors(&error, "site_name")
                            .into_iter()
                            .map(|mut error| {
                                error.field = field_id.clone();
                                error
                            })
                            .collect(),
                    ),
                }
            });
        }
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
                {editable.then(|| view! {
                    <form novalidate on:submit=submit.clone()>
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

#[component]
fn CreateOrganisation(on_created: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let sites = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let created = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let on_created = on_created.clone();
        leptos::task::spawn_local(async move {
            match create_organisation(
                name.get_untracked(),
                sites_from_lines(&sites.get_untracked()),
            )
            .await
            {
                Ok(organisation) => {
                    errors.set(Vec::new());
                    created.set(Some(organisation.name));
                    name.set(String::new());
                    sites.set(String::new());
                    on_created();
                }
                Err(error) => errors.set(field_errors(&error, "name")),
            }
        });
    };
    view! {
        <h2>"Add an organisation"</h2>
        {move || created.get().map(|name| view! { <Panel title="Organisation added"><p>{format!("{name} can now be given accounts.")}</p></Panel> })}
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <TextField id="name" label="Name" value=name errors=errors hint="For example Riverside Private Hospital"/>
            <div class=move || if error_for(&errors.get(), "sites").is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <label class="nhsuk-label" for="sites">"Sites"</label>
                <div class="nhsuk-hint" id="sites-hint">"Where procedures take place: one per line."</div>
                {move || error_for(&errors.get(), "sites").map(|message| view! {
                    <span class="nhsuk-error-message" id="sites-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{message}</span>
                })}
                <textarea class="nhsuk-textarea" id="sites" name="sites" rows="3"
                    aria-describedby=move || if error_for(&errors.get(), "sites").is_some() { "sites-hint sites-error" } else { "sites-hint" }
                    prop:value=move || sites.get() on:input=move |event| sites.set(event_target_value(&event))></textarea>
            </div>
            <button class="nhsuk-button" type="submit">"Add organisation"</button>
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
