//! One notice, for the registry: its draft to check and publish (or its version in force),
//! starting a new version or closing it, its earlier versions, and its progress by clinic
//! (affected, acknowledged, outstanding, when each clinic was told), downloadable as CSV.

use leptos::prelude::*;

use super::text::NoticeText;
use super::{status_tag, when};
use crate::api::FieldError;
use crate::api::notices::{
    NoticeDetail, NoticeProgress, Published, close_notice, load_notice, load_notice_progress,
    notice_progress_csv, publish_notice, start_notice_version,
};
use crate::api::session::roles;
use crate::components::download::save_file;
use crate::components::form::{ErrorSummary, FieldErrorMessage, Panel, error_for, field_errors};
use crate::components::guard::RequireRole;
use crate::components::item::{load_by_id, not_shown, use_id_param};
use crate::components::layout::set_page_title;
use domain::register::NoticeStatus;

#[component]
pub fn NoticePage() -> impl IntoView {
    set_page_title("Safety notice");
    view! { <RequireRole roles=roles::ADMINISTRATORS><Notice/></RequireRole> }
}

/// What publishing did, as the page says it.
pub fn describe_published(published: &Published) -> String {
    format!(
        "Version {} is published. {} clinic{} told ({} manager{} emailed); {} patient{} emailed.",
        published.version,
        published.clinics_told,
        if published.clinics_told == 1 { "" } else { "s" },
        published.managers_emailed,
        if published.managers_emailed == 1 {
            ""
        } else {
            "s"
        },
        published.patients_emailed,
        if published.patients_emailed == 1 {
            ""
        } else {
            "s"
        },
    )
}

#[component]
fn Notice() -> impl IntoView {
    let id = use_id_param();
    let refresh = RwSignal::new(0u32);
    // What publishing did: kept here, above the detail, which is drawn again when the notice
    // reloads after publishing (a signal of its own would be lost with it).
    let published = RwSignal::new(None::<Published>);
    let notice = LocalResource::new(move || {
        refresh.track();
        load_by_id(id(), "That safety notice", load_notice)
    });
    move || match notice.get() {
        Some(Ok(detail)) => {
            view! { <Detail detail=detail refresh=refresh published=published/> }.into_any()
        }
        other => not_shown(
            "Safety notice",
            "Loading the notice…",
            other.and_then(Result::err),
        ),
    }
}

#[component]
fn Detail(
    detail: NoticeDetail,
    refresh: RwSignal<u32>,
    published: RwSignal<Option<Published>>,
) -> impl IntoView {
    let id = detail.id;
    let (status, class) = status_tag(detail.status);
    set_page_title(&format!("Safety notice {}", detail.reference));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let reviewed = RwSignal::new(false);
    let publish = Action::new_local(move |_: &()| publish_notice(id));
    let new_version = Action::new_local(move |_: &()| start_notice_version(id));
    let close = Action::new_local(move |_: &()| close_notice(id));
    Effect::new(move |_| match publish.value().get() {
        Some(Ok(outcome)) => {
            published.set(Some(outcome));
            refresh.update(|count| *count += 1);
        }
        Some(Err(error)) => errors.set(field_errors(&error, "reviewed")),
        None => {}
    });
    for action in [new_version, close] {
        Effect::new(move |_| match action.value().get() {
            Some(Ok(())) => {
                published.set(None);
                refresh.update(|count| *count += 1);
            }
            Some(Err(error)) => errors.set(field_errors(&error, "reviewed")),
            None => {}
        });
    }
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if !reviewed.get_untracked() {
            errors.set(vec![FieldError::new("reviewed", "Confirm you have checked the notice, including the advice for patients, before publishing it")]);
            return;
        }
        errors.set(Vec::new());
        publish.dispatch(());
    };
    let draft = detail.draft().cloned();
    let in_force = detail.published().cloned();
    let title = draft
        .as_ref()
        .or(in_force.as_ref())
        .map(|v| v.content.title.clone())
        .unwrap_or_default();
    let older: Vec<_> = detail
        .versions
        .iter()
        .filter(|v| v.published_at.is_some())
        .skip(1)
        .cloned()
        .collect();
    let is_published = matches!(detail.status, NoticeStatus::Published { .. });
    let reviewed_error = move || errors.with(|errors| error_for(errors, "reviewed"));
    view! {
        <h1>{format!("{}: {title}", detail.reference)}</h1>
        <p><strong class=class>{status}</strong></p>
        {move || published.get().map(|outcome| view! { <Panel title="Notice published"><p>{describe_published(&outcome)}</p></Panel> })}
        <ErrorSummary errors=errors/>
        {draft.map(|draft| view! {
            <h2>{format!("Check the draft of version {}", draft.version)}</h2>
            <p>"This is how clinics will read the notice, and patients the advice for them. Nothing is sent until you publish."</p>
            <div class="app-notice-review"><NoticeText content=draft.content.clone() level=3/></div>
            <p><a class="nhsuk-button nhsuk-button--secondary" href=crate::routes::edit_notice(id)>"Change the draft"</a></p>
            <form novalidate on:submit=submit>
                <div class=move || if reviewed_error().is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                    {move || reviewed_error().map(|message| view! { <FieldErrorMessage id="reviewed".to_string() message=message/> })}
                    <div class="nhsuk-checkboxes">
                        <div class="nhsuk-checkboxes__item">
                            <input class="nhsuk-checkboxes__input" id="reviewed" name="reviewed" type="checkbox"
                                aria-describedby=move || reviewed_error().map(|_| "reviewed-error")
                                prop:checked=move || reviewed.get() on:change=move |event| reviewed.set(event_target_checked(&event))/>
                            <label class="nhsuk-label nhsuk-checkboxes__label" for="reviewed">
                                "I have checked the notice: the devices and units it names, and the advice for patients, which they read as it is written"
                            </label>
                        </div>
                    </div>
                </div>
                <button class="nhsuk-button" type="submit" disabled=move || publish.pending().get()>
                    {format!("Publish version {}", draft.version)}
                </button>
            </form>
        })}
        {in_force.map(|version| view! {
            <h2>{format!("Version {} in force", version.version)}</h2>
            <p class="nhsuk-body-s">{format!("Published {}{}.", version.published_at.as_deref().map(when).unwrap_or_default(),
                version.published_by.map(|by| format!(" by {by}")).unwrap_or_default())}</p>
            <NoticeText content=version.content level=3/>
        })}
        <Show when=move || is_published>
            <h2>"Change or close the notice"</h2>
            <p>"To correct or add to the notice, start a new version: it is prepared as a draft, and clinics and patients are told again when it is published. Close the notice when every clinic has acted: it is kept as it is."</p>
            <div class="nhsuk-button-group">
                <button class="nhsuk-button nhsuk-button--secondary" type="button" disabled=move || new_version.pending().get()
                    on:click=move |_| { new_version.dispatch(()); }>"Start a new version"</button>
                <button class="nhsuk-button nhsuk-button--warning" type="button" disabled=move || close.pending().get()
                    on:click=move |_| { close.dispatch(()); }>"Close the notice"</button>
            </div>
        </Show>
        <Progress id=id refresh=refresh/>
        {(!older.is_empty()).then(|| view! {
            <h2>"Earlier versions"</h2>
            {older.into_iter().map(|version| view! {
                <details class="nhsuk-details">
                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">
                        {format!("Version {}, published {}", version.version, version.published_at.as_deref().map(when).unwrap_or_default())}
                    </span></summary>
                    <div class="nhsuk-details__text"><NoticeText content=version.content level=3/></div>
                </details>
            }).collect_view()}
        })}
    }
}

#[component]
fn Progress(id: i64, refresh: RwSignal<u32>) -> impl IntoView {
    let progress = LocalResource::new(move || {
        refresh.track();
        load_notice_progress(id)
    });
    let download_problem = RwSignal::new(None::<String>);
    let download = move |_| {
        leptos::task::spawn_local(async move {
            let outcome = match notice_progress_csv(id).await {
                Ok(file) => save_file(&file).map_err(|_| "The file could not be saved".to_string()),
                Err(error) => Err(error.to_string()),
            };
            download_problem.set(outcome.err());
        });
    };
    view! {
        {move || match progress.get() {
            None => view! { <p role="status">"Finding the records it concerns…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(progress)) => view! { <ProgressTable progress=progress/> }.into_any(),
        }}
        <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=download>"Download the progress as CSV"</button>
        {move || download_problem.get().map(|message| view! { <p class="nhsuk-error-message" role="alert">{message}</p> })}
    }
}

#[component]
fn ProgressTable(progress: NoticeProgress) -> impl IntoView {
    let heading = if progress.preview {
        format!(
            "Records version {} would concern if published",
            progress.version
        )
    } else {
        format!("Progress by clinic (version {})", progress.version)
    };
    let totals = (
        progress.total(|c| c.affected),
        progress.total(|c| c.possibly_affected),
        progress.total(|c| c.acknowledged),
        progress.total(|c| c.outstanding),
    );
    view! {
        <h2>{heading}</h2>
        {if progress.clinics.is_empty() {
            view! { <p>"No record in the registry is concerned."</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table-responsive">
                    <caption class="nhsuk-table__caption">"Records concerned, acknowledged and outstanding, by clinic"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        <th scope="col" class="nhsuk-table__header">"Clinic"</th>
                        <th scope="col" class="nhsuk-table__header">"Affected"</th>
                        <th scope="col" class="nhsuk-table__header">"Possibly affected"</th>
                        <th scope="col" class="nhsuk-table__header">"Acknowledged"</th>
                        <th scope="col" class="nhsuk-table__header">"Outstanding"</th>
                        <th scope="col" class="nhsuk-table__header">"Told"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">
                        {progress.clinics.into_iter().map(|clinic| view! {
                            <tr class="nhsuk-table__row">
                                <th scope="row" class="nhsuk-table__header"><span class="nhsuk-table-responsive__heading">"Clinic "</span>{clinic.organisation}</th>
                                <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Affected "</span>{clinic.affected}</td>
                                <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Possibly affected "</span>{clinic.possibly_affected}</td>
                                <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Acknowledged "</span>{clinic.acknowledged}</td>
                                <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Outstanding "</span>{clinic.outstanding}</td>
                                <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Told "</span>
                                    {match (clinic.told_at.as_deref(), clinic.told_how.as_deref()) {
                                        (Some(at), Some("submission")) => format!("{}, warned when recording", when(at)),
                                        (Some(at), _) => format!("{}, by email", when(at)),
                                        _ => "Not yet".to_string(),
                                    }}</td>
                            </tr>
                        }).collect_view()}
                        <tr class="nhsuk-table__row">
                            <th scope="row" class="nhsuk-table__header">"All clinics"</th>
                            <td class="nhsuk-table__cell">{totals.0}</td>
                            <td class="nhsuk-table__cell">{totals.1}</td>
                            <td class="nhsuk-table__cell">{totals.2}</td>
                            <td class="nhsuk-table__cell">{totals.3}</td>
                            <td class="nhsuk-table__cell"></td>
                        </tr>
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
