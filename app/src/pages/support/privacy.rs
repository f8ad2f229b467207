//! The privacy notice: what the registry holds about whom, why, who sees it, and people's
//! rights. Plain words first (Caldicott principle 8: no surprises).

use leptos::prelude::*;

use super::ContactLink;
use crate::components::layout::set_page_title;
use crate::routes;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    set_page_title("Privacy notice");
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Privacy notice"</h1>
                <p class="nhsuk-lede-text">"The Implant Registry links implanted medical devices to the people who received them, so that when a device fails more often than it should, or is recalled, they and their clinicians can be told."</p>
                <h2>"What we hold about patients"</h2>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    <li>"The procedure: date, clinic, site, what was done, where in the body and on which side, and each device's identifier, lot and serial number."</li>
                    <li>"Year of birth, sex and the first part of the postcode (for example LS1), for the registry's statistics."</li>
                    <li>"If you agreed to your record being linked to you: a pseudonym, a code made from your NHS number and date of birth. Your NHS number and date of birth themselves never reach the registry: the clinic's computer turns them into the code before anything is sent."</li>
                    <li>"If you create an account: your name and email address, and which records you have added to it."</li>
                </ul>
                <h2>"What we hold about staff"</h2>
                <p>"Name, work email address, role and organisation, and a record of signing in and of what each person did (the audit trail)."</p>
                <h2>"Why we hold it"</h2>
                <p>"To monitor the safety and performance of implanted devices, trace patients when a device is recalled, and publish statistics in which no person can be identified. Without your consent, your record is kept for device statistics only and is never linked to you."</p>
                <h2>"Who can see it"</h2>
                <p>"The clinic that made a record, the registry's administrators, and you, once you add the record to your account. Every time someone looks at, corrects or prints your record, it is written down: you can see this on "<a href=routes::ACCESS_LOG>"who has looked at your record"</a>"."</p>
                <h2>"Your rights"</h2>
                <p>"You can see and download everything the registry holds about you from "<a href=routes::MY_IMPLANTS>"your implants"</a>", and ask the clinic to correct a mistake. You can also ask the helpdesk about your record, and complain to the Information Commissioner's Office (ico.org.uk) if you are unhappy with how your information is used."</p>
                <ContactLink/>
            </div>
        </div>
    }
}
