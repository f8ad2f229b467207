//! The implant card for the patient (EU MDR article 18): a line for their name, their devices,
//! where in the body and when, the clinic and how to reach it, and the one-time code to see
//! their record online at the portal's public address. Printable (the page's own print layout
//! hides everything else).

use leptos::prelude::*;

use super::detail::{ComponentsTable, record_id_param};
use crate::api::procedures::{ImplantCard, print_implant_card};
use crate::api::session::roles;
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;

/// "Hip, left": where the implant is, as the card says it.
pub fn body_site_and_side(card: &ImplantCard) -> String {
    format!(
        "{}, {}",
        card.body_site.label(),
        card.laterality.label().to_lowercase()
    )
}

/// How to see the record online: at the portal's public address when the server has one
/// (never a loopback address, which works only on the server itself).
pub fn claim_instructions(card: &ImplantCard) -> String {
    let where_to = match &card.portal_address {
        Some(address) => format!("Go to {address}"),
        None => "Go to the Implant Registry website (ask the clinic for its address)".to_string(),
    };
    format!(
        "{where_to}, create an account, and enter this code with your NHS number and date of birth:"
    )
}

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
                    let claim = card.claim_code.clone().map(|code| (code, claim_instructions(&card)));
                    view! {
                        <div class="app-implant-card">
                            <h1>"Implant card"</h1>
                            <dl class="nhsuk-summary-list">
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Patient's name"</dt>
                                    <dd class="nhsuk-summary-list__value app-write-in"><span class="nhsuk-u-visually-hidden">"Left blank, to be written in by hand"</span></dd>
                                </div>
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Implanted on"</dt>
                                    <dd class="nhsuk-summary-list__value">{card.procedure_date.to_string()}</dd>
                                </div>
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Where in the body"</dt>
                                    <dd class="nhsuk-summary-list__value">{body_site_and_side(&card)}</dd>
                                </div>
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Clinic"</dt>
                                    <dd class="nhsuk-summary-list__value">{format!("{}, {}", card.clinic, card.site)}</dd>
                                </div>
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Contact the clinic"</dt>
                                    <dd class="nhsuk-summary-list__value app-contact">{card.clinic_contact.clone().unwrap_or_else(|| format!("Ask {} for its contact details", card.clinic))}</dd>
                                </div>
                            </dl>
                            <ComponentsTable components=card.devices.clone() caption="Your implants".to_string()/>
                            {match claim {
                                Some((code, instructions)) => view! {
                                    <h2>"See your implant record online"</h2>
                                    <p>{instructions}</p>
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

#[cfg(test)]
mod tests {
    use domain::calendar::CalendarDate;
    use domain::procedure::{BodySite, Laterality};

    use super::*;

    fn card(portal_address: Option<&str>) -> ImplantCard {
        ImplantCard {
            record_id: 7,
            clinic: "Riverside".into(),
            clinic_contact: None,
            site: "Main theatre".into(),
            procedure_date: CalendarDate::new(2026, 11, 20).unwrap(),
            body_site: BodySite::Hip,
            laterality: Laterality::Left,
            devices: Vec::new(),
            claim_code: Some("ABCD-EFGH-JKLM".into()),
            claim_code_expires: CalendarDate::new(2027, 2, 18),
            portal_address: portal_address.map(String::from),
        }
    }

    #[test]
    fn the_card_says_where_and_at_which_address() {
        assert_eq!(body_site_and_side(&card(None)), "Hip, left");
        assert!(
            claim_instructions(&card(Some("https://implants.example.org/my-implants")))
                .starts_with("Go to https://implants.example.org/my-implants, create an account")
        );
        assert!(claim_instructions(&card(None)).contains("ask the clinic for its address"));
    }
}
