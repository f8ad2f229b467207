//! "Record a procedure".

use domain::procedure::ProcedureForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::form::{FormSettings, ProcedureFormView};
use crate::api::session::roles;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;
use crate::offline::outbox::payload;
use crate::offline::store;
use crate::session::use_session;

#[component]
pub fn NewRecordPage() -> impl IntoView {
    set_page_title("Record a procedure");
    view! {
        <RequireRole roles=roles::CLINIC>
            <h1>"Record a procedure"</h1>
            {move || use_session().info().map(|info| view! {
                <ProcedureFormView
                    settings=FormSettings { draft: "new".into(), owner: info.user_id, corrects: None, submit_label: "Submit record", replaces: None, reason: String::new() }
                    initial=ProcedureForm::new()/>
            })}
        </RequireRole>
    }
}

/// Fixing a record the registry refused: the form as it was queued, to change and send again.
#[component]
pub fn FixQueuedPage() -> impl IntoView {
    set_page_title("Fix a record before sending it again");
    let params = use_params_map();
    view! {
        <RequireRole roles=roles::CLINIC>
            <h1>"Fix a record before sending it again"</h1>
            {move || {
                let id = params.with(|params| params.get("id").unwrap_or_default());
                use_session().info().map(|info| view! { <QueuedForm id=id owner=info.user_id/> })
            }}
        </RequireRole>
    }
}

#[component]
fn QueuedForm(id: String, owner: i64) -> impl IntoView {
    let loaded = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move {
                let row = store::outbox_item(&id).await.ok().flatten()?;
                let problems = row.problems.clone();
                let corrects = row.corrects;
                payload(owner, &row)
                    .await
                    .ok()
                    .flatten()
                    .map(|payload| (payload, problems, corrects))
            }
        }
    });
    move || {
        match loaded.get() {
        None => view! { <p role="status">"Opening the record…"</p> }.into_any(),
        Some(None) => view! { <p>"This record is no longer on this device."</p><p><a href=crate::routes::RECORDS>"Back to records"</a></p> }.into_any(),
        Some(Some((payload, problems, corrects))) => view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"What the registry said"</span></h2>
                <ul class="nhsuk-list nhsuk-list--bullet">{problems.into_iter().map(|p| view! { <li>{p.message}</li> }).collect_view()}</ul>
            </div>
            <ProcedureFormView
                settings=FormSettings {
                    draft: format!("fix-{id}"),
                    owner,
                    corrects,
                    submit_label: "Send again",
                    replaces: Some(id.clone()),
                    reason: payload.correction_reason.clone().unwrap_or_default(),
                }
                initial=payload.form/>
        }
        .into_any(),
    }
    }
}
