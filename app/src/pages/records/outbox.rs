//! The outbox on screen: each record on this device on its way to the registry, with where it
//! has got to; and the runner that sends them while a clinic user is signed in.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::queued::waiting_line;
use crate::api::session::Role;
use crate::components::submit::Submit;
use crate::offline::outbox::{process, retry_now, set_waker, wake};
use crate::offline::store::{self, OutboxRow, OutboxState};
use crate::offline::use_online;
use crate::session::use_session;

/// Changes whenever the outbox changes, so that lists showing it refresh.
#[derive(Clone, Copy)]
pub struct OutboxVersion(pub RwSignal<u32>);

pub fn use_outbox_version() -> RwSignal<u32> {
    expect_context::<OutboxVersion>().0
}

/// Sends queued records every few seconds, at once when something is queued or the connection
/// returns. Renders nothing.
#[component]
pub fn OutboxRunner() -> impl IntoView {
    let session = use_session();
    let version = use_outbox_version();
    let ticking = StoredValue::new_local(None::<(i64, gloo_timers::callback::Interval)>);
    let pass = move |owner: i64| {
        leptos::task::spawn_local(async move {
            if process(owner).await {
                version.update(|v| *v += 1);
            }
        });
    };
    Effect::new(move |_| {
        let clinic_user = session
            .info()
            .filter(|info| matches!(info.role, Role::ClinicUser | Role::ClinicManager))
            .map(|info| info.user_id);
        match clinic_user {
            Some(owner) if ticking.with_value(|t| t.as_ref().map(|(o, _)| *o)) != Some(owner) => {
                set_waker(move || pass(owner));
                let interval = gloo_timers::callback::Interval::new(3_000, move || pass(owner));
                ticking.set_value(Some((owner, interval)));
                pass(owner);
            }
            Some(_) => {}
            None => ticking.set_value(None),
        }
    });
    let online = window_event_listener(leptos::ev::online, move |_| wake());
    on_cleanup(move || online.remove());
}

fn state_tag(state: OutboxState) -> &'static str {
    match state {
        OutboxState::Waiting => "nhsuk-tag nhsuk-tag--yellow",
        OutboxState::Sending => "nhsuk-tag nhsuk-tag--blue",
        OutboxState::Accepted => "nhsuk-tag nhsuk-tag--green",
        OutboxState::Rejected => "nhsuk-tag nhsuk-tag--red",
    }
}

/// The person's outbox, if it holds anything.
#[component]
pub fn OutboxPanel(owner: i64) -> impl IntoView {
    let version = use_outbox_version();
    let rows = LocalResource::new(move || {
        version.get();
        async move { store::outbox_of(owner).await.unwrap_or_default() }
    });
    let navigate = use_navigate();
    view! {
        {move || rows.get().filter(|rows| !rows.is_empty()).map(|rows| {
            let navigate = navigate.clone();
            view! {
                <h2>"On this device"</h2>
                <p>"Records you submitted here, newest first. Each is sent to the registry as soon as there is a connection; you can keep working meanwhile."</p>
                <ul class="nhsuk-list app-outbox" aria-live="polite">
                    {rows.into_iter().map(|row| view! { <OutboxItem row=row navigate=navigate.clone() version=version/> }).collect_view()}
                </ul>
            }
        })}
    }
}

#[component]
fn OutboxItem(
    row: OutboxRow,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static,
    version: RwSignal<u32>,
) -> impl IntoView {
    let id = row.id.clone();
    let send = Submit::new(move |id: String| async move {
        let _ = retry_now(&id).await;
        version.update(|v| *v += 1);
        wake();
    });
    let remove = Submit::new(move |id: String| async move {
        let _ = store::remove_outbox(&id).await;
        version.update(|v| *v += 1);
    });
    let send_now = {
        let id = id.clone();
        move |_| send.dispatch(id.clone())
    };
    let dismiss = {
        let id = id.clone();
        move |_| remove.dispatch(id.clone())
    };
    let fix = {
        let id = id.clone();
        move |_| navigate(&crate::routes::queued_record(&id), Default::default())
    };
    let label = row.label.clone();
    let online = use_online();
    let waiting = row.clone();
    view! {
        <li class="nhsuk-card app-outbox-item">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">{row.label.clone()}</h3>
                <p><strong class=state_tag(row.state)>{row.state.label()}</strong></p>
                {match row.state {
                    OutboxState::Accepted => view! {
                        <p>{format!("Accepted by the registry as record {}.", row.record_id.unwrap_or_default())}</p>
                        {row.problems.iter().map(|notice| view! { <p class="nhsuk-body-s">{notice.message.clone()}</p> }).collect_view()}
                        <p>
                            <a href=crate::routes::record(row.record_id.unwrap_or_default())>{format!("View record {}", row.record_id.unwrap_or_default())}</a>
                            " · "
                            <a href=crate::routes::implant_card(row.record_id.unwrap_or_default())>"Print the implant card"</a>
                        </p>
                        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" on:click=dismiss
                            disabled=move || remove.pending().get() aria-label=format!("Remove {label} from this list")>"Remove from this list"</button>
                    }.into_any(),
                    OutboxState::Rejected => view! {
                        <p>"The registry could not accept it as it is:"</p>
                        <ul class="nhsuk-list nhsuk-list--bullet">
                            {row.problems.iter().map(|problem| view! { <li>{problem.message.clone()}</li> }).collect_view()}
                        </ul>
                        <button type="button" class="nhsuk-button nhsuk-button--small" on:click=fix
                            aria-label=format!("Fix {label} and send it again")>"Fix and send again"</button>
                    }.into_any(),
                    OutboxState::Waiting | OutboxState::Sending => view! {
                        <p class="nhsuk-body-s">{move || waiting_line(&waiting, online.get())}</p>
                        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" on:click=send_now
                            disabled=move || send.pending().get() aria-label=format!("Send {label} now")>"Send now"</button>
                    }.into_any(),
                }}
            </div>
        </li>
    }
}
