//! "Who has looked at your record": every entry of the audit trail about the patient's
//! records, in plain words (Caldicott principle 8: no surprises for patients).

use leptos::prelude::*;

use domain::uk_time::uk_time;

use crate::api::patients::{AccessEntry, my_access_log};
use crate::api::session::roles;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::table::{PagedTable, stacked_heading};

#[component]
pub fn AccessLogPage() -> impl IntoView {
    set_page_title("Who has looked at your record");
    view! { <RequireRole roles=roles::PATIENTS><AccessLog/></RequireRole> }
}

fn who_in_words(entry: &AccessEntry) -> String {
    if entry.role.is_empty() {
        entry.who.clone()
    } else {
        format!("{} ({})", entry.who, entry.role.to_lowercase())
    }
}

#[component]
fn AccessLog() -> impl IntoView {
    let page = RwSignal::new(1u32);
    let entries = LocalResource::new(move || my_access_log(page.get()));
    view! {
        <h1>"Who has looked at your record"</h1>
        <p>"Every time someone records, looks at, corrects or prints your implant record, the registry writes it down, and the entries cannot be changed afterwards. If you see something you do not expect, contact the registry helpdesk."</p>
        {move || match entries.get() {
            None => view! { <p role="status">"Loading…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(log)) if log.items.is_empty() => view! {
                <p>"There is nothing to show yet: no record is linked to your account."</p>
            }.into_any(),
            Some(Ok(log)) => {
                let page_count = log.page_count();
                let current = log.page;
                view! {
                    <PagedTable caption=format!("{} entries, newest first (UK time)", log.total)
                        columns=&["When", "Who", "What"]
                        page=current page_count=page_count go=move |next| page.set(next)>
                        {log.items.into_iter().map(entry_row).collect_view()}
                    </PagedTable>
                }.into_any()
            }
        }}
    }
}

/// When, who and what, in words.
fn entry_row(entry: AccessEntry) -> impl IntoView {
    view! {
        <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell">{stacked_heading("When")}{uk_time(&entry.at)}</td>
            <td class="nhsuk-table__cell">{stacked_heading("Who")}{who_in_words(&entry)}</td>
            <td class="nhsuk-table__cell">{stacked_heading("What")}{entry.what.clone()}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_is_named_with_their_role() {
        let entry = AccessEntry {
            at: "2026-11-23T10:04:05.123Z".into(),
            who: "Riverside".into(),
            role: "Clinic user".into(),
            what: "Looked at your procedure record".into(),
        };
        assert_eq!(who_in_words(&entry), "Riverside (clinic user)");
        assert_eq!(uk_time(&entry.at), "23 November 2026 at 10:04am");
    }
}
