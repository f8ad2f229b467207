use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::layout::set_page_title;

/// Shown for any address the app does not know, in the NHS.UK "page not found" pattern.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_page_title("Page not found");
    view! {
        <h1>"Page not found"</h1>
        <p>"If you typed the web address, check it was correct."</p>
        <p>"If you pasted the web address, check you copied the entire address."</p>
        <p><A href="/">"Go to the Implant Registry home page"</A></p>
    }
}
