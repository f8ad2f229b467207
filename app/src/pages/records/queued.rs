//! The confirmation after submitting a record: where that record has got to, said once and
//! plainly. Sent: "Record 7 sent to the registry", with links to it and its implant card.
//! Not sent yet: saved on this device, and why it waits (offline, or the registry's answer).

use leptos::prelude::*;

use super::outbox::use_outbox_version;
use crate::components::form::Panel;
use crate::offline::store::{self, OutboxRow, OutboxState};
use crate::offline::use_online;
use crate::routes;

/// What the confirmation says about a queued record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Accepted: the record's number in the registry.
    Sent { record_id: i64 },
    /// Waiting on this device, and why.
    Saved { why: String },
    /// Being sent right now.
    Sending,
    /// The registry refused it: it needs changes.
    Refused,
}

/// Where the outbox item `row` has got to, as the confirmation says it.
pub fn progress_of(row: &OutboxRow, online: bool) -> Progress {
    match (row.state, row.record_id) {
        (OutboxState::Accepted, Some(record_id)) => Progress::Sent { record_id },
        (OutboxState::Rejected, _) => Progress::Refused,
        (OutboxState::Sending, _) if online => Progress::Sending,
        _ => Progress::Saved {
            why: waiting_reason(row, online),
        },
    }
}

/// Why a record is still on this device.
pub fn waiting_reason(row: &OutboxRow, online: bool) -> String {
    if !online {
        return "This device is offline: it will be sent when you are back online.".to_string();
    }
    match row.problems.first() {
        Some(problem) => format!(
            "It could not be sent yet ({}): it is tried again automatically.",
            problem.message.trim_end_matches('.')
        ),
        None => "It is on its way to the registry.".to_string(),
    }
}

/// The line under a waiting record in "On this device".
pub fn waiting_line(row: &OutboxRow, online: bool) -> String {
    match (online, row.problems.first()) {
        (false, _) => {
            "Not sent yet: this device is offline. It will be sent when you are back online."
                .to_string()
        }
        (true, Some(problem)) => format!(
            "Not sent yet: {}. It is tried again automatically.",
            problem.message.trim_end_matches('.')
        ),
        (true, None) => "On its way to the registry.".to_string(),
    }
}

#[component]
pub fn QueuedConfirmation(outbox_id: String) -> impl IntoView {
    let version = use_outbox_version();
    let online = use_online();
    let row = LocalResource::new(move || {
        version.get();
        let id = outbox_id.clone();
        async move { store::outbox_item(&id).await.ok().flatten() }
    });
    move || {
        row.get().flatten().map(|row| match progress_of(&row, online.get()) {
            Progress::Sent { record_id } => view! {
                <Panel title="Record sent">
                    <p>{format!("Record {record_id} sent to the registry.")}</p>
                </Panel>
                <p>
                    <a class="nhsuk-button app-button-link" href=routes::record(record_id)>{format!("View record {record_id}")}</a>
                    " "
                    <a class="nhsuk-button nhsuk-button--secondary app-button-link" href=routes::implant_card(record_id)>"Print the implant card"</a>
                </p>
            }.into_any(),
            Progress::Saved { why } => view! {
                <div class="nhsuk-inset-text app-queued" role="status">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <h2 class="nhsuk-heading-s">"Saved on this device"</h2>
                    <p>{format!("Your record is kept on this device, encrypted. {why}")}</p>
                </div>
            }.into_any(),
            Progress::Sending => view! {
                <div class="nhsuk-inset-text app-queued" role="status">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <h2 class="nhsuk-heading-s">"Sending your record"</h2>
                    <p>"Your record is being sent to the registry."</p>
                </div>
            }.into_any(),
            Progress::Refused => view! {
                <div class="nhsuk-warning-callout app-queued" role="alert">
                    <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"The registry could not accept your record"</span></h2>
                    <p>"It is kept on this device. Fix what the registry said and send it again: see it under \"On this device\" below."</p>
                </div>
            }.into_any(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::FieldError;

    fn row(state: OutboxState, record_id: Option<i64>, problem: Option<&str>) -> OutboxRow {
        OutboxRow {
            id: "k".into(),
            owner: 1,
            label: "Hip (left), 2 November 2026".into(),
            state,
            attempts: 0,
            next_attempt_at: 0.0,
            created_at: 0.0,
            problems: problem
                .map(|message| vec![FieldError::new("outbox", message)])
                .unwrap_or_default(),
            record_id,
            corrects: None,
            sealed: None,
        }
    }

    #[test]
    fn sent_only_once_accepted() {
        assert_eq!(
            progress_of(&row(OutboxState::Accepted, Some(7), None), true),
            Progress::Sent { record_id: 7 }
        );
        assert_eq!(
            progress_of(&row(OutboxState::Rejected, None, None), true),
            Progress::Refused
        );
        assert_eq!(
            progress_of(&row(OutboxState::Sending, None, None), true),
            Progress::Sending
        );
    }

    #[test]
    fn each_waiting_item_says_why() {
        let waiting = row(OutboxState::Waiting, None, Some("Sign in again to send it"));
        assert_eq!(
            waiting_line(&waiting, true),
            "Not sent yet: Sign in again to send it. It is tried again automatically."
        );
        assert!(waiting_line(&waiting, false).contains("this device is offline"));
        assert_eq!(
            waiting_line(&row(OutboxState::Sending, None, None), true),
            "On its way to the registry."
        );
    }

    #[test]
    fn a_waiting_record_says_why_it_waits() {
        let Progress::Saved { why } = progress_of(&row(OutboxState::Waiting, None, None), false)
        else {
            panic!("saved");
        };
        assert_eq!(
            why,
            "This device is offline: it will be sent when you are back online."
        );
        let Progress::Saved { why } = progress_of(
            &row(
                OutboxState::Waiting,
                None,
                Some("The registry cannot be reached."),
            ),
            true,
        ) else {
            panic!("saved");
        };
        assert!(why.starts_with("It could not be sent yet (The registry cannot be reached)"));
    }
}
