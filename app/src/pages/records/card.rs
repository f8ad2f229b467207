//! The implant card for the patient: their devices, the date and clinic, and the one-time code
//! to see their record online. Printable (the page's own print layout hides everything else).

use leptos::prelude::*;

use super::detail::{ComponentsTable, record_id_param};
use crate::api::procedures::print_implant_card;
use crate::api::session::roles;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;

#[component]
pub fn ImplantCardPage() -> impl IntoView {
    set_page_title("Implant card");
    let id = record_id_param();
    let card = LocalResource::new(move || async move {
        match id() {
            Some(id) => print_implant_card(id).await,
            None => Err(crate::api::ApiError::not_found("That record")),
        }
    });
    let print = |_| {
        let _ = window().print();
    };
    view! {
        <RequireRole roles=roles::CLINIC>
            {move || match card.get() {
                None => view! { <h1>"Implant card"</h1><p role="status">"Preparing the card…"</p> }.into_any(),
                Some(Err(error)) => view! { <h1>"Implant card"</h1><p>{error.to_string()}</p> }.into_any(),
                Some(Ok(card)) => {
                    let origin = window().location().origin().unwrap_or_default();
                    view! {
                        <div class="app-implant-card">
                            <h1>"Implant card"</h1>
                            <p class="nhsuk-body-l">{format!("Implanted on {} at {}, {}.", card.procedure_date, card.site, card.clinic)}</p>
                            <ComponentsTable components=card.devices caption="Your implants".to_string()/>
                            {match card.claim_code {
                                Some(code) => view! {
                                    <h2>"See your implant record online"</h2>
                                    <p>{format!("Go to {origin}/my-implants, create an account, and enter this code with your NHS number and date of birth:")}</p>
                                    <p class="app-claim-code" aria-label=format!("Claim code {}", code.chars().map(String::from).collect::<Vec<_>>().join(" "))>{code.clone()}</p>
                                    <p class="nhsuk-body-s">{format!("The code works once{}. Keep this card with your health records.", card.claim_code_expires.map(|until| format!(", until {until}")).unwrap_or_default())}</p>
                                }.into_any(),
                                None => view! {
                                    <p>"This record is not linked to the patient (no consent was recorded, or the code was already used), so there is no code for the patient portal."</p>
                                }.into_any(),
                            }}
                            <p class="nhsuk-body-s">{format!("Registry record {}.", card.record_id)}</p>
                        </div>
                        <button type="button" class="nhsuk-button app-no-print" on:click=print>"Print the card"</button>
                    }.into_any()
                }
            }}
        </RequireRole>
    }
}
