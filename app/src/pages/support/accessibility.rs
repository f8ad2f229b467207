//! The accessibility statement, in the shape of the GOV.UK model statement.

use leptos::prelude::*;

use super::ContactLink;
use crate::components::layout::set_page_title;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    set_page_title("Accessibility statement");
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Accessibility statement"</h1>
                <p>"This statement applies to the Implant Registry portal. We want as many people as possible to be able to use it. You should be able to:"</p>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    <li>"change colours, contrast levels and fonts using your browser or device settings"</li>
                    <li>"zoom in up to 400% without the text spilling off the screen"</li>
                    <li>"use every page with a keyboard alone"</li>
                    <li>"use every page with a screen reader (we test with the keyboard and automated checks on every page)"</li>
                    <li>"use the service on a phone, down to a screen 320 pixels wide"</li>
                </ul>
                <h2>"How accessible this service is"</h2>
                <p>"Every page and every state of each form is checked against the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA with automated tests before each release. We know of these limits:"</p>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    <li>"Scanning a barcode with the camera needs you to see the label. You can always type the text printed under the barcode instead, or use a handheld scanner."</li>
                    <li>"The service needs JavaScript and WebAssembly to be turned on in your browser."</li>
                </ul>
                <h2>"Feedback and reporting problems"</h2>
                <p>"If you find a problem not listed here, or need information in a different format, contact the registry helpdesk. We will reply within 5 working days."</p>
                <h2>"Enforcement procedure"</h2>
                <p>"The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS)."</p>
                <h2>"Technical information about this service's accessibility"</h2>
                <p>"We aim to meet the Web Content Accessibility Guidelines version 2.1 at level AA. Each limit listed above has another way to do the same thing. This statement was last reviewed in December 2026."</p>
                <ContactLink/>
            </div>
        </div>
    }
}
