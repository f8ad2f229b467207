use leptos::prelude::*;

use crate::components::layout::{SERVICE_NAME, set_page_title};
use crate::routes;

#[component]
pub fn HomePage() -> impl IntoView {
    set_page_title(SERVICE_NAME);
    view! {
        <h1>{SERVICE_NAME}</h1>
        <p class="nhsuk-lede-text">
            "The national register that links higher-risk implanted medical devices, such as hip and knee joints, breast implants, heart valves and pacemakers, to the patients who received them."
        </p>
        <p>
            "When a device fails more often than it should, or a batch is recalled, the registry finds every patient who has it, so that they and their clinicians can be told."
        </p>
        <h2>"If you have an implant"</h2>
        <p>"With the claim code on the implant card your clinic gave you, you can see your implant record, any safety notice about your device, and who has looked at your record."</p>
        <ul class="nhsuk-list">
            <li><a href=routes::REGISTER>"Create an account"</a></li>
            <li><a href=routes::MY_IMPLANTS>"See your implants"</a>" (if you already have an account)"</li>
        </ul>
        <h2>"If you work in a clinic"</h2>
        <p>"Record the devices you implant, find your clinic's records and print implant cards for your patients."</p>
        <p><a class="nhsuk-button nhsuk-button--secondary" href=routes::SIGN_IN>"If you work in a clinic, sign in"</a></p>
    }
}
