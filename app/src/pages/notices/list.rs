//! The registry's safety notices, newest first.

use leptos::prelude::*;

use super::{status_tag, when};
use crate::api::notices::{NoticeSummary, list_notices};
use crate::api::session::roles;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::components::table::PagedTable;

#[component]
pub fn NoticesPage() -> impl IntoView {
    set_page_title("Safety notices");
    view! { <RequireRole roles=roles::ADMINISTRATORS><Notices/></RequireRole> }
}

#[component]
fn Notices() -> impl IntoView {
    let page = RwSignal::new(1u32);
    let notices = LocalResource::new(move || list_notices(page.get()));
    view! {
        <h1>"Safety notices"</h1>
        <p>"Field safety notices and recalls: drafted, checked and published here; clinics with affected records and their linked patients are told when a notice is published. Notices are never deleted."</p>
        <p><a class="nhsuk-button" href=crate::routes::NEW_NOTICE>"Create a safety notice"</a></p>
        {move || match notices.get() {
            None => view! { <p role="status">"Loading notices…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(found)) if found.items.is_empty() => view! { <p>"There are no safety notices yet."</p> }.into_any(),
            Some(Ok(found)) => {
                let (page_count, current) = (found.page_count(), found.page);
                view! {
                    <PagedTable caption=format!("{} notice{}, newest first", found.total, if found.total == 1 { "" } else { "s" })
                        columns=&["Notice", "Status", "First published"]
                        page=current page_count=page_count go=move |next| page.set(next)>
                        {found.items.into_iter().map(notice_row).collect_view()}
                    </PagedTable>
                }.into_any()
            }
        }}
    }
}

/// A notice in the list: its link, status and when it was first published.
fn notice_row(notice: NoticeSummary) -> impl IntoView {
    let (status, class) = status_tag(notice.status);
    view! {
        <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Notice "</span>
                <a href=crate::routes::notice(notice.id)>{format!("{}: {}", notice.reference, notice.title)}</a></td>
            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Status "</span>
                <strong class=class>{status}</strong>
                {notice.has_draft.then(|| view! { <br/><span class="nhsuk-body-s">"A new version is being prepared"</span> })}</td>
            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"First published "</span>
                {notice.first_published_at.as_deref().map(when).unwrap_or_else(|| "Not yet".into())}</td>
        </tr>
    }
}
