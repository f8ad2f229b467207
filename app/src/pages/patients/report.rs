//! "Report a mistake in this record": the patient says what is wrong; the clinic that made
//! the record (the only one that can correct it) is emailed, with the patient's address to
//! reply to.

use leptos::prelude::*;

use crate::api::FieldError;
use crate::api::patients::{MAX_MISTAKE_REPORT, report_mistake};
use crate::api::session::roles;
use crate::components::form::{ErrorSummary, Panel, TextArea, field_errors};
use crate::components::guard::RequireRole;
use crate::components::item::use_id_param;
use crate::components::layout::set_page_title;
use crate::components::submit::Submit;
use crate::routes;

#[component]
pub fn ReportMistakePage() -> impl IntoView {
    set_page_title("Report a mistake in your record");
    let id = use_id_param();
    view! {
        <RequireRole roles=roles::PATIENTS>
            {move || id().map(|id| view! { <ReportMistake record_id=id/> })}
        </RequireRole>
    }
}

#[component]
fn ReportMistake(record_id: i64) -> impl IntoView {
    let message = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sent = RwSignal::new(false);
    let send = Submit::new(move |text: String| async move {
        match report_mistake(record_id, text).await {
            Ok(()) => {
                errors.set(Vec::new());
                sent.set(true);
            }
            Err(error) => errors.set(field_errors(&error, "message")),
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        send.dispatch(message.get_untracked());
    };
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Report a mistake in your record"</h1>
                {move || if sent.get() {
                    view! {
                        <Panel title="Your report has been sent">
                            <p>{format!("The clinic that made record {record_id} has been told. They will reply to the email address you sign in with.")}</p>
                        </Panel>
                        <p><a href=routes::MY_IMPLANTS>"Back to your implants"</a></p>
                    }.into_any()
                } else {
                    view! {
                        <p>{format!("Tell the clinic that made record {record_id} what is wrong. Only the clinic can correct its record: it will see your message and the email address you sign in with, so that it can reply.")}</p>
                        <ErrorSummary errors=errors/>
                        <form novalidate on:submit=submit>
                            <TextArea id="message" label="What is wrong in the record?" value=message errors=errors rows=6
                                hint=format!("For example, the side or the date is wrong, or a device is missing. Do not include your NHS number. At most {MAX_MISTAKE_REPORT} characters.")/>
                            <button class="nhsuk-button" type="submit" disabled=move || send.pending().get()>"Send to the clinic"</button>
                        </form>
                        <p><a href=routes::MY_IMPLANTS>"Back to your implants"</a></p>
                    }.into_any()
                }}
            </div>
        </div>
    }
}
