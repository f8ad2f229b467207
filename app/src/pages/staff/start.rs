//! The start page staff land on after signing in: what their role does first. Clinic staff:
//! record a procedure, the records on this device still waiting to be sent, and the safety
//! notices concerning their records when there are any; managers also their accounts;
//! administrators the registry's accounts, organisations and audit trail.

use leptos::prelude::*;

use crate::api::notices::clinic::{ClinicNotice, clinic_notices};
use crate::api::session::{Role, SessionInfo, roles};
use crate::api::status::service_status;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::offline::store::{self, OutboxRow, OutboxState};
use crate::pages::records::outbox::use_outbox_version;
use crate::routes;
use crate::session::use_session;

#[component]
pub fn StartPage() -> impl IntoView {
    set_page_title("Your start page");
    view! {
        <RequireRole roles=roles::STAFF>
            {move || use_session().info().map(|info| view! { <Start info=info/> })}
        </RequireRole>
    }
}

/// A task on the start page: (heading and link text, what it is for, where).
pub type Task = (&'static str, &'static str, &'static str);

/// The tasks a role starts from, most frequent first.
pub fn tasks_for(role: Role) -> Vec<Task> {
    let mut tasks = Vec::new();
    if roles::CLINIC.contains(&role) {
        tasks.push((
            "Records",
            "Find a record your clinic sent, correct it, or print its implant card again.",
            routes::RECORDS,
        ));
    }
    if roles::ACCOUNT_MANAGERS.contains(&role) {
        tasks.push((
            "Accounts",
            "Invite people, reset an authenticator app, unlock or disable an account.",
            routes::USERS,
        ));
        tasks.push((
            "Organisations",
            "Clinics, their sites and the contact details printed on implant cards.",
            routes::ORGANISATIONS,
        ));
    }
    if role == Role::RegistryAdmin {
        tasks.push((
            "Audit trail",
            "Who did what, and when: check the trail and download it.",
            routes::AUDIT,
        ));
        tasks.push((
            "Claims to review",
            "Patients' claims set aside for a person to look at.",
            routes::CLAIM_REVIEWS,
        ));
        tasks.push((
            "Records",
            "Procedure records across every clinic.",
            routes::RECORDS,
        ));
    }
    tasks
}

/// The outbox items still on their way (not yet accepted), newest first.
pub fn still_to_send(mut rows: Vec<OutboxRow>) -> Vec<OutboxRow> {
    rows.retain(|row| row.state != OutboxState::Accepted);
    rows.sort_by(|a, b| b.created_at.total_cmp(&a.created_at));
    rows
}

#[component]
fn Start(info: SessionInfo) -> impl IntoView {
    let clinic = roles::CLINIC.contains(&info.role);
    let heading = match &info.organisation {
        Some(organisation) => format!("{}, {}", info.display_name, organisation.name),
        None => info.display_name.clone(),
    };
    view! {
        <h1>"Your start page"</h1>
        <p class="nhsuk-lede-text">{heading}</p>
        {clinic.then(|| view! {
            <p><a class="nhsuk-button" href=routes::NEW_RECORD>"Record a procedure"</a></p>
            <WaitingToSend owner=info.user_id/>
            <SafetyNotices/>
        })}
        <ul class="nhsuk-grid-row nhsuk-card-group">
            {tasks_for(info.role).into_iter().map(|(title, description, path)| view! {
                <li class="nhsuk-grid-column-one-half nhsuk-card-group__item">
                    <div class="nhsuk-card nhsuk-card--clickable">
                        <div class="nhsuk-card__content">
                            <h2 class="nhsuk-card__heading nhsuk-heading-m">
                                <a class="nhsuk-card__link" href=path>{title}</a>
                            </h2>
                            <p class="nhsuk-card__description">{description}</p>
                        </div>
                    </div>
                </li>
            }).collect_view()}
        </ul>
        {(info.role == Role::RegistryAdmin).then(|| view! { <ServiceDetails/> })}
    }
}

/// Records on this device not yet accepted by the registry.
#[component]
fn WaitingToSend(owner: i64) -> impl IntoView {
    let version = use_outbox_version();
    let rows = LocalResource::new(move || {
        version.get();
        async move { still_to_send(store::outbox_of(owner).await.unwrap_or_default()) }
    });
    view! {
        <h2>"Records waiting to send"</h2>
        {move || rows.get().map(|rows| match rows.len() {
            0 => view! { <p>"Every record made on this device has reached the registry."</p> }.into_any(),
            count => view! {
                <p>{match count {
                    1 => "1 record made on this device has not reached the registry yet.".to_string(),
                    n => format!("{n} records made on this device have not reached the registry yet."),
                }}</p>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    {rows.into_iter().map(|row| view! {
                        <li>{format!("{}: {}", row.label, row.state.label().to_lowercase())}</li>
                    }).collect_view()}
                </ul>
                <p><a href=routes::RECORDS>"See where each one has got to"</a></p>
            }.into_any(),
        })}
    }
}

/// What the start page says about the safety notices concerning the clinic's records, if any.
pub fn notices_summary(notices: &[ClinicNotice]) -> Option<String> {
    let to_do: u64 = notices.iter().map(|notice| notice.outstanding).sum();
    let count = match notices.len() {
        0 => return None,
        1 => "1 safety notice concerns".to_string(),
        n => format!("{n} safety notices concern"),
    };
    Some(match to_do {
        0 => format!("{count} your clinic's records. Every record has been dealt with."),
        1 => {
            format!("{count} your clinic's records: 1 record still needs you to say what was done.")
        }
        n => format!(
            "{count} your clinic's records: {n} records still need you to say what was done."
        ),
    })
}

/// The safety notices concerning the clinic's records, shown only when there are some.
#[component]
fn SafetyNotices() -> impl IntoView {
    let notices = LocalResource::new(clinic_notices);
    move || {
        notices
            .get()
            .and_then(Result::ok)
            .and_then(|notices| notices_summary(&notices))
            .map(|summary| {
                view! {
                    <h2>"Safety notices"</h2>
                    <p>{summary}</p>
                    <p><a href=routes::CLINIC_NOTICES>"See the safety notices"</a></p>
                }
            })
    }
}

/// What the registry runs on, for the helpdesk (not in the footer, where it would help an
/// attacker).
#[component]
fn ServiceDetails() -> impl IntoView {
    let status = LocalResource::new(service_status);
    view! {
        {move || status.get().and_then(Result::ok).and_then(|status| status.details.map(|details| view! {
            <h2>"This registry"</h2>
            <dl class="nhsuk-summary-list">
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Version"</dt>
                    <dd class="nhsuk-summary-list__value">{status.version.clone()}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Database"</dt>
                    <dd class="nhsuk-summary-list__value">{format!("{}, schema {}", details.storage, details.schema_version)}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Instance"</dt>
                    <dd class="nhsuk-summary-list__value">{details.instance_id}</dd>
                </div>
            </dl>
        }))}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(role: Role) -> Vec<&'static str> {
        tasks_for(role).into_iter().map(|task| task.0).collect()
    }

    fn notice(outstanding: u64) -> ClinicNotice {
        ClinicNotice {
            id: 1,
            reference: "FSN-1".into(),
            title: "Heads may chip".into(),
            status: domain::register::NoticeStatus::Published { version: 1 },
            published_at: "2026-11-20T10:00:00Z".into(),
            affected: 2,
            possibly_affected: 0,
            outstanding,
        }
    }

    #[test]
    fn the_notices_are_summarised_only_when_there_are_some() {
        assert_eq!(notices_summary(&[]), None);
        assert_eq!(
            notices_summary(&[notice(1)]).as_deref(),
            Some(
                "1 safety notice concerns your clinic's records: 1 record still needs you to say what was done."
            )
        );
        assert_eq!(
            notices_summary(&[notice(2), notice(0)]).as_deref(),
            Some(
                "2 safety notices concern your clinic's records: 2 records still need you to say what was done."
            )
        );
        assert_eq!(
            notices_summary(&[notice(0)]).as_deref(),
            Some(
                "1 safety notice concerns your clinic's records. Every record has been dealt with."
            )
        );
    }

    #[test]
    fn each_role_starts_from_its_own_tasks() {
        assert_eq!(headings(Role::ClinicUser), ["Records"]);
        assert_eq!(
            headings(Role::ClinicManager),
            ["Records", "Accounts", "Organisations"]
        );
        assert_eq!(
            headings(Role::RegistryAdmin),
            [
                "Accounts",
                "Organisations",
                "Audit trail",
                "Claims to review",
                "Records"
            ]
        );
        assert!(tasks_for(Role::Patient).is_empty());
    }
}
