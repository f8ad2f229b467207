//! How to reach the registry helpdesk, as the server is configured (`--helpdesk-email`,
//! `--helpdesk-phone`).

use leptos::prelude::*;

use super::helpdesk_sentence;
use crate::components::layout::{set_page_title, use_site};
use crate::routes;

#[component]
pub fn ContactPage() -> impl IntoView {
    set_page_title("Contact the helpdesk");
    let site = use_site();
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Contact the helpdesk"</h1>
                <p>{move || helpdesk_sentence(&site.get().helpdesk)}</p>
                {move || {
                    let helpdesk = site.get().helpdesk;
                    (helpdesk.email.is_some() || helpdesk.phone.is_some()).then(|| view! {
                        <dl class="nhsuk-summary-list">
                            {helpdesk.email.map(|email| view! {
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Email"</dt>
                                    <dd class="nhsuk-summary-list__value"><a href=format!("mailto:{email}")>{email.clone()}</a></dd>
                                </div>
                            })}
                            {helpdesk.phone.map(|phone| view! {
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Telephone"</dt>
                                    <dd class="nhsuk-summary-list__value">{phone}</dd>
                                </div>
                            })}
                        </dl>
                    })
                }}
                <h2>"Before you contact us"</h2>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    <li>"If something in your implant record is wrong, use \"Report a mistake in this record\" on "<a href=routes::MY_IMPLANTS>"your implants"</a>": it goes to the clinic that made the record, which is the one that can correct it."</li>
                    <li>"If you have lost your claim code or it has expired, ask the clinic that gave you the implant card to print a new one."</li>
                    <li>"If you work in a clinic and cannot sign in, your organisation's manager can reset your authenticator app or unlock your account."</li>
                </ul>
                <p>"Never send an NHS number or a date of birth by email."</p>
            </div>
        </div>
    }
}
