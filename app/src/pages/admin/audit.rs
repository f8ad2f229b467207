//! The audit trail for registry administrators, in plain words: each action as a sentence,
//! people by name, UK time, the raw entry only when opened. Filter, page through, download as
//! CSV, and check the chain.

use domain::uk_time::uk_time;
use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::audit::{
    ACTION_KINDS, AuditEntry, AuditQuery, ChainReport, export_audit, list_audit, verify_audit_chain,
};
use crate::api::session::roles;
use crate::components::download::save_file;
use crate::components::form::{DateInput, ErrorSummary, SelectField, TextField, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::components::table::{PagedTable, stacked_heading};
use crate::pages::records::list::{boxes, search_range};

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
    let kind = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let from = [(); 3].map(|()| RwSignal::new(String::new()));
    let to = [(); 3].map(|()| RwSignal::new(String::new()));
    let query = RwSignal::new(AuditQuery {
        page: 1,
        ..AuditQuery::default()
    });
    let date_errors = RwSignal::new(Vec::<FieldError>::new());
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let entries = LocalResource::new(move || list_audit(query.get()));
    Effect::new(move |_| match entries.get() {
        Some(Err(error)) => server_errors.set(field_errors(&error, "kind")),
        Some(Ok(_)) => server_errors.set(Vec::new()),
        None => {}
    });
    let errors = Signal::derive(move || {
        let mut all = date_errors.get();
        all.extend(server_errors.get());
        all
    });
    let verify = Submit::new(move |()| verify_audit_chain());
    let report = verify.value();
    let download_status = RwSignal::new(String::new());
    let download = Submit::new(move |query: AuditQuery| async move {
        download_status.set("Preparing the file…".into());
        download_status.set(match export_audit(query).await {
            Ok(file) => match save_file(&file) {
                Ok(()) => format!("The file {} has been saved.", file.file_name),
                Err(_) => "Your browser did not save the file. Try again.".into(),
            },
            Err(error) => error.to_string(),
        });
    });

    let filter = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match search_range(&boxes(from), &boxes(to), ("The first day", "The last day")) {
            Ok((from, to)) => {
                date_errors.set(Vec::new());
                query.set(AuditQuery {
                    action: kind.get_untracked(),
                    actor: person.get_untracked(),
                    from,
                    to,
                    page: 1,
                });
            }
            Err(problems) => date_errors.set(problems),
        }
    };
    let kinds = Signal::derive(|| {
        ACTION_KINDS
            .iter()
            .map(|(words, prefix)| (prefix.to_string(), words.to_string()))
            .collect::<Vec<_>>()
    });

    view! {
        <h1>"Audit trail"</h1>
        <super::security::RegistrySecurityPanel/>
        <p>"Every sign-in, account change and access to a patient's record, in order. Entries cannot be changed: each is chained to the one before by a keyed hash, and copies of the latest entry are kept outside the database."</p>
        <button class="nhsuk-button nhsuk-button--secondary" type="button" on:click=move |_| verify.dispatch(())>"Check the audit trail"</button>
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
        <form class="app-search-form" novalidate on:submit=filter role="search" aria-label="Find audit entries">
            <SelectField id="kind" label="What happened" options=kinds value=kind errors=errors placeholder="Anything"/>
            <TextField id="actor" label="Person (part of a name or email address)" value=person errors=errors autocomplete="off"/>
            <DateInput id="from" legend="From" hint="For example, 1 11 2026" day=from[0] month=from[1] year=from[2] errors=errors/>
            <DateInput id="to" legend="To" hint="For example, 30 11 2026" day=to[0] month=to[1] year=to[2] errors=errors/>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Show entries"</button>
        </form>
        <p>
            <button class="nhsuk-button nhsuk-button--secondary" type="button" disabled=move || download.pending().get()
                on:click=move |_| download.dispatch(query.get_untracked())>"Download these entries (CSV)"</button>
        </p>
        <p role="status" class="nhsuk-body-s">{move || download_status.get()}</p>

        {move || match entries.get() {
            None => view! { <p role="status">"Loading entries…"</p> }.into_any(),
            Some(Err(_)) => ().into_any(),
            Some(Ok(page)) if page.items.is_empty() => view! { <p>"No entries match."</p> }.into_any(),
            Some(Ok(page)) => {
                let page_count = page.page_count();
                let current = page.page;
                view! {
                    <PagedTable class="nhsuk-table-responsive app-audit-table" caption=format!("{} entries, newest first (UK time)", page.total)
                        columns=&["When", "Who", "What happened", "Details"]
                        page=current page_count=page_count go=move |page| query.update(|query| query.page = page)>
                        {page.items.into_iter().map(entry_row).collect_view()}
                    </PagedTable>
                }.into_any()
            }
        }}
    }
}

/// An entry in words, with the entry as stored under "Details".
fn entry_row(entry: AuditEntry) -> impl IntoView {
    view! {
        <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell">{stacked_heading("When")}{uk_time(&entry.at)}</td>
            <td class="nhsuk-table__cell">{stacked_heading("Who")}{entry.who()}</td>
            <td class="nhsuk-table__cell">{stacked_heading("What happened")}{entry.sentence()}</td>
            <td class="nhsuk-table__cell app-audit-details">
                {stacked_heading("Details")}
                <details class="nhsuk-details app-audit-raw">
                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("Entry {}", entry.id)}</span></summary>
                    <div class="nhsuk-details__text">
                        <p>{format!("Action: {}", entry.action)}</p>
                        {entry.target.clone().map(|target| view! { <p>{format!("On: {target}")}</p> })}
                        {entry.client_ip.clone().map(|ip| view! { <p>{format!("From: {ip}")}</p> })}
                        <pre><code>{entry.details.clone()}</code></pre>
                    </div>
                </details>
            </td>
        </tr>
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
