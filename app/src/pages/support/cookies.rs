//! Cookies: the portal sets one, essential, cookie (the session), and keeps work in progress in
//! the browser's own storage, encrypted.

use leptos::prelude::*;

use super::ContactLink;
use crate::components::layout::{set_page_title, use_site};

#[component]
pub fn CookiesPage() -> impl IntoView {
    set_page_title("Cookies");
    let site = use_site();
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Cookies"</h1>
                <p>"Cookies are small files saved on your phone, tablet or computer when you visit a website."</p>
                <p>"The Implant Registry uses one cookie, and only when you sign in. It is essential: you could not stay signed in without it, so we do not ask for your consent to it. We do not use cookies to measure how the service is used, and none for advertising."</p>
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption">"The cookie we set"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th scope="col" class="nhsuk-table__header">"Name"</th>
                            <th scope="col" class="nhsuk-table__header">"Purpose"</th>
                            <th scope="col" class="nhsuk-table__header">"Expires"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell"><code>"__Host-mdis_session"</code></td>
                            <td class="nhsuk-table__cell">"Keeps you signed in from page to page. It holds a random code, nothing about you."</td>
                            <td class="nhsuk-table__cell">{move || {
                                let site = site.get();
                                format!("When you sign out, after {} minutes without activity, or {} hours after you signed in", site.session_idle_minutes, site.session_absolute_hours)
                            }}</td>
                        </tr>
                    </tbody>
                </table>
                <h2>"What this device keeps while you work"</h2>
                <p>"Clinic staff recording a procedure: the form is saved in this browser's own storage as you type, and a submitted record waits there until it reaches the registry. Both are encrypted with a key the registry gives only to you while you are signed in; the NHS number and date of birth are deleted once the record is sent. This is not a cookie and is never sent to anyone else."</p>
                <ContactLink/>
            </div>
        </div>
    }
}
