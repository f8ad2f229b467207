//! The audit trail for registry administrators: filter, page through, and check the chain.

use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::audit::{AuditQuery, ChainReport, list_audit, verify_audit_chain};
use crate::api::session::roles;
use crate::components::form::{ErrorSummary, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::pagination::Pagination;

#[component]
pub fn AuditPage() -> impl IntoView {
    set_page_title("Audit trail");
    view! { <RequireRole roles=roles::ADMINISTRATORS><AuditTrail/></RequireRole> }
}

/// How the verifier's finding reads.
pub fn describe_report(report: &ChainReport) -> String {
    match &report.first_broken {
        None if report.anchors_checked == 0 => format!(
            "The audit trail is intact: all {} entries check out.",
            report.entries_checked
        ),
        None => format!(
            "The audit trail is intact: all {} entries check out, and it matches the {} copies of its latest entry kept outside the database.",
            report.entries_checked, report.anchors_checked
        ),
        Some(broken) => format!(
            "The audit trail is broken at entry {}: {}. The {} entries before it are intact.",
            broken.entry_id, broken.reason, report.entries_checked
        ),
    }
}

#[component]
fn AuditTrail() -> impl IntoView {
    let action = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let query = RwSignal::new(AuditQuery {
        page: 1,
        ..AuditQuery::default()
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let entries = LocalResource::new(move || list_audit(query.get()));
    let report = RwSignal::new(None::<Result<ChainReport, crate::api::ApiError>>);

    Effect::new(move |_| {
        if let Some(Err(error)) = entries.get() {
            errors.set(field_errors(&error, "action"));
        } else if entries.get().is_some() {
            errors.set(Vec::new());
        }
    });

    let filter = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        query.set(AuditQuery {
            action: action.get_untracked(),
            actor: actor.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            page: 1,
        });
    };
    let verify = move |_| {
        leptos::task::spawn_local(async move { report.set(Some(verify_audit_chain().await)) });
    };

    view! {
        <h1>"Audit trail"</h1>
        <super::security::RegistrySecurityPanel/>
        <p>"Every sign-in, account change and access to a patient's record, in order. Entries cannot be changed: each is chained to the one before by a keyed hash, and copies of the latest entry are kept outside the database."</p>
        <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=verify>"Check the audit trail"</button>
        {move || report.get().map(|report| match report {
            Ok(report) => {
                let intact = report.first_broken.is_none();
                view! {
                    <div class=if intact { "nhsuk-inset-text" } else { "nhsuk-warning-callout" } role="status">
                        <p>{describe_report(&report)}</p>
                    </div>
                }.into_any()
            }
            Err(error) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
        })}

        <h2>"Find entries"</h2>
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=filter>
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-one-half">
                    <TextField id="action" label="Action starts with" value=action errors=errors hint="For example sign_in or account"/>
                </div>
                <div class="nhsuk-grid-column-one-half">
                    <TextField id="actor" label="Who (part of an email address)" value=actor errors=errors/>
                </div>
            </div>
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-one-half">
                    <TextField id="from" label="From (date)" value=from errors=errors kind="date"/>
                </div>
                <div class="nhsuk-grid-column-one-half">
                    <TextField id="to" label="To (date)" value=to errors=errors kind="date"/>
                </div>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Show entries"</button>
        </form>

        {move || match entries.get() {
            None => view! { <p role="status">"Loading entries…"</p> }.into_any(),
            Some(Err(_)) => ().into_any(),
            Some(Ok(page)) if page.items.is_empty() => view! { <p>"No entries match."</p> }.into_any(),
            Some(Ok(page)) => {
                let page_count = page.page_count();
                let current = page.page;
                view! {
                    <table class="nhsuk-table app-audit-table">
                        <caption class="nhsuk-table__caption">{format!("{} entries, newest first", page.total)}</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th scope="col" class="nhsuk-table__header">"Entry"</th>
                                <th scope="col" class="nhsuk-table__header">"When (UTC)"</th>
                                <th scope="col" class="nhsuk-table__header">"Who"</th>
                                <th scope="col" class="nhsuk-table__header">"Action"</th>
                                <th scope="col" class="nhsuk-table__header">"On"</th>
                                <th scope="col" class="nhsuk-table__header">"Details"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">
                            {page.items.into_iter().map(|entry| view! {
                                <tr class="nhsuk-table__row">
                                    <td class="nhsuk-table__cell">{entry.id}</td>
                                    <td class="nhsuk-table__cell">{entry.at.replace('T', " ").trim_end_matches('Z').to_string()}</td>
                                    <td class="nhsuk-table__cell">
                                        {entry.actor.clone().unwrap_or_else(|| "Not signed in".into())}
                                        {entry.actor_role.clone().map(|role| view! { <br/><span class="nhsuk-body-s">{role}</span> })}
                                    </td>
                                    <td class="nhsuk-table__cell">{entry.action.clone()}</td>
                                    <td class="nhsuk-table__cell">{entry.target.clone().unwrap_or_default()}</td>
                                    <td class="nhsuk-table__cell app-audit-details">
                                        {entry.details.clone()}
                                        {entry.client_ip.clone().map(|ip| view! { <br/><span class="nhsuk-body-s">{format!("from {ip}")}</span> })}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Pagination page=current page_count=page_count go=move |page| query.update(|query| query.page = page)/>
                }.into_any()
            }
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::audit::BrokenLink;

    #[test]
    fn reports_read_plainly() {
        let intact = ChainReport {
            entries_checked: 12,
            anchors_checked: 0,
            first_broken: None,
        };
        assert_eq!(
            describe_report(&intact),
            "The audit trail is intact: all 12 entries check out."
        );
        let anchored = ChainReport {
            entries_checked: 12,
            anchors_checked: 3,
            first_broken: None,
        };
        assert!(describe_report(&anchored).contains("matches the 3 copies"));
        let broken = ChainReport {
            entries_checked: 4,
            anchors_checked: 0,
            first_broken: Some(BrokenLink {
                entry_id: 5,
                reason: "its contents no longer match its hash".into(),
            }),
        };
        assert!(describe_report(&broken).starts_with("The audit trail is broken at entry 5"));
    }
}
