//! The review queue: device identifiers clinics recorded that the register did not know (their
//! records were accepted all the same). For each, add the device, with the form filled in
//! from what the scanned UDI said, or match it to an entry the register has (a box's DI, an
//! old DI). Either way every record waiting for it is linked and its flag cleared.

use domain::register::DeviceForm;
use leptos::prelude::*;

use super::RegisterSections;
use super::form::DeviceFields;
use crate::api::FieldError;
use crate::api::register::{
    RegisterQuery, ReviewItem, ReviewResolved, review_add_device, review_match_device,
    review_queue, search_register,
};
use crate::api::session::roles;
use crate::components::form::{ErrorSummary, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::pagination::Pagination;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    set_page_title("Review queue");
    view! { <RequireRole roles=roles::ADMINISTRATORS><ReviewQueue/></RequireRole> }
}

/// What the page says once an item is cleared.
pub fn describe_resolved(identifier: &str, resolved: &ReviewResolved) -> String {
    format!(
        "{identifier} is now in the register: {} component{} in {} record{} linked to it.",
        resolved.components,
        if resolved.components == 1 { "" } else { "s" },
        resolved.records,
        if resolved.records == 1 { "" } else { "s" }
    )
}

/// Matches `identifier` to the register entry that `typed` finds (exactly one).
async fn match_to(
    identifier: String,
    typed: String,
) -> Result<ReviewResolved, crate::api::ApiError> {
    let found = search_register(RegisterQuery {
        search: typed.clone(),
        page: 1,
    })
    .await?;
    let exact: Vec<_> = found
        .items
        .iter()
        .filter(|device| device.device_identifier.eq_ignore_ascii_case(typed.trim()))
        .collect();
    let device = match (exact.as_slice(), found.items.as_slice()) {
        ([device], _) => (*device).clone(),
        ([], [device]) => device.clone(),
        ([], []) => {
            return Err(crate::api::ApiError::invalid(
                "match",
                format!(
                    "No register entry matches {}: check it, or add the device",
                    typed.trim()
                ),
            ));
        }
        _ => {
            return Err(crate::api::ApiError::invalid(
                "match",
                "Several register entries match: type the entry's device identifier exactly",
            ));
        }
    };
    review_match_device(identifier, device.id).await
}

#[component]
fn ReviewQueue() -> impl IntoView {
    let page = RwSignal::new(1u32);
    let refresh = RwSignal::new(0u32);
    let queue = LocalResource::new(move || {
        refresh.track();
        review_queue(page.get())
    });
    let done = RwSignal::new(None::<String>);
    let adding = RwSignal::new(None::<String>);
    view! {
        <h1>"Review queue"</h1>
        <RegisterSections/>
        <p>"Clinics' records are never held back by a device the register does not know: they are accepted and the device comes here. Add it to the register, or match it to an entry the register has (a package's identifier, say). Every record with it is then linked."</p>
        {move || done.get().map(|message| view! { <div class="nhsuk-inset-text" role="status"><p>{message}</p></div> })}
        {move || match queue.get() {
            None => view! { <p role="status">"Loading the queue…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(found)) if found.items.is_empty() => view! { <p>"Nothing is waiting for review."</p> }.into_any(),
            Some(Ok(found)) => {
                let (page_count, current) = (found.page_count(), found.page);
                view! {
                    <p>{format!("{} identifier{} waiting, most used first.", found.total, if found.total == 1 { "" } else { "s" })}</p>
                    {found.items.into_iter().map(|item| view! {
                        <QueueItem item=item adding=adding on_resolved=move |message: String| {
                            done.set(Some(message));
                            adding.set(None);
                            refresh.update(|count| *count += 1);
                        }/>
                    }).collect_view()}
                    <Pagination page=current page_count=page_count go=move |next| page.set(next)/>
                }.into_any()
            }
        }}
    }
}

#[component]
fn QueueItem(
    item: ReviewItem,
    adding: RwSignal<Option<String>>,
    on_resolved: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let identifier = item.device_identifier.clone();
    let typed = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let form = RwSignal::new(item.suggested.clone());
    let match_id = format!("match-{identifier}");
    let add = Action::new_local({
        let identifier = identifier.clone();
        move |form: &DeviceForm| review_add_device(identifier.clone(), form.clone())
    });
    let matched = Action::new_local({
        let identifier = identifier.clone();
        move |typed: &String| match_to(identifier.clone(), typed.clone())
    });
    let outcomes = [
        Signal::derive(move || add.value().get()),
        Signal::derive(move || matched.value().get()),
    ];
    for outcome in outcomes {
        let (identifier, on_resolved, match_id) =
            (identifier.clone(), on_resolved.clone(), match_id.clone());
        Effect::new(move |_| match outcome.get() {
            Some(Ok(resolved)) => on_resolved(describe_resolved(&identifier, &resolved)),
            Some(Err(error)) => errors.set(
                field_errors(&error, &match_id)
                    .into_iter()
                    .map(|mut error| {
                        if error.field == "match" {
                            error.field = match_id.clone();
                        }
                        error
                    })
                    .collect(),
            ),
            None => {}
        });
    }
    let open = {
        let identifier = identifier.clone();
        move || adding.get().as_deref() == Some(identifier.as_str())
    };
    let submit_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match form.with_untracked(DeviceForm::parse) {
            Err(problems) => errors.set(problems),
            Ok(_) => {
                add.dispatch(form.get_untracked());
            }
        }
    };
    let submit_match = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        matched.dispatch(typed.get_untracked());
    };
    let heading = format!(
        "{} ({})",
        identifier,
        item.agency
            .clone()
            .unwrap_or_else(|| "agency not known".into())
    );
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-m">{heading}</h2>
                <p>{format!("{} component{} in {} record{}; first recorded {}, last {}.",
                    item.components, if item.components == 1 { "" } else { "s" },
                    item.records, if item.records == 1 { "" } else { "s" },
                    &item.first_recorded[..10], &item.last_recorded[..10])}</p>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    {item.clinics.iter().map(|(clinic, count)| view! { <li>{format!("{clinic}: {count}")}</li> }).collect_view()}
                </ul>
                {item.example_udi.clone().map(|udi| view! { <p class="nhsuk-body-s">{format!("As scanned: {udi}")}</p> })}
                <ErrorSummary errors=errors/>
                <form novalidate on:submit=submit_match>
                    <TextField id=match_id.clone() label=format!("Match {identifier} to the register entry with this device identifier") value=typed errors=errors
                        hint="For example the unit's DI, when this is its box's" autocomplete="off"/>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" disabled=move || matched.pending().get()>"Match"</button>
                </form>
                <Show when=open.clone() fallback={
                    let identifier = identifier.clone();
                    move || {
                        let identifier = identifier.clone();
                        view! {
                            <button class="nhsuk-button" type="button" on:click=move |_| adding.set(Some(identifier.clone()))>
                                {format!("Add {identifier} to the register")}
                            </button>
                        }
                    }
                }>
                    <form novalidate on:submit=submit_add>
                        <DeviceFields form=form errors=errors/>
                        <button class="nhsuk-button" type="submit" disabled=move || add.pending().get()>"Add device and link its records"</button>
                    </form>
                </Show>
            </div>
        </div>
    }
}
