//! The first bundle: the pages anyone sees before signing in (home, sign in, create an
//! account, forgot password), small enough to be usable quickly on a slow link. Every other
//! page is in the whole portal's bundle (`src/main.rs`), which this one loads when the address
//! is not one of its own: at the start, or after a link or a sign-in leads elsewhere.
//!
//! Trunk builds both from this crate (`app/index.html`): this one as the page's module, the
//! whole portal as a second target fetched on demand, as the barcode decoder is.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::components::layout::{
    MAIN_ID, frame, move_focus_to_heading_on_navigation, provide_site,
};
use crate::pages::account::{forgot_password::ForgotPasswordPage, sign_in::SignInPage};
use crate::pages::home::HomePage;
use crate::pages::patients::register::RegisterPage;

/// The whole portal's glue and WASM (see `app/index.html`).
pub const FULL_APP_SCRIPT: &str = "/app.js";
pub const FULL_APP_START: &str = "/portal-start.js";

/// The addresses this bundle shows itself.
pub const PAGES: [&str; 4] = ["/", "/sign-in", "/forgot-password", "/register"];

/// Whether this bundle has the page at `pathname`: exactly its router's paths, so that its
/// router never lands on its fallback (which opens the whole portal) at the start.
pub fn serves(pathname: &str) -> bool {
    PAGES.contains(&pathname)
}

/// The start: this bundle's pages, or the whole portal for any other address.
pub fn start() {
    console_error_panic_hook::set_once();
    let pathname = window().location().pathname().unwrap_or_default();
    if serves(&pathname) {
        leptos::mount::mount_to_body(PublicApp);
    } else {
        load_full_app();
    }
}

#[component]
pub fn PublicApp() -> impl IntoView {
    crate::session::Session::provide();
    view! {
        <Router>
            <PublicLayout>
                <Routes fallback=OpenFullApp>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                </Routes>
            </PublicLayout>
        </Router>
    }
}

/// The portal's frame without the outbox (nobody has one before signing in), and with the
/// "test data only" banner: the sign-in and create-an-account pages are where real details
/// would first be typed.
#[component]
fn PublicLayout(children: Children) -> impl IntoView {
    move_focus_to_heading_on_navigation();
    provide_site();
    frame(children)
}

/// A link (or a sign-in) led to a page of the whole portal: open it there, with focus on its
/// heading as a link inside the app would leave it.
#[component]
fn OpenFullApp() -> impl IntoView {
    let location = use_location();
    let address = format!(
        "{}{}{}",
        location.pathname.get_untracked(),
        location.search.get_untracked(),
        location.hash.get_untracked()
    );
    if let Ok(Some(storage)) = window().session_storage() {
        let _ = storage.set_item(FOCUS_HEADING, "1");
    }
    let _ = window().location().assign(&address);
    view! { <p role="status">"Opening the page…"</p> }
}

/// Set by the first bundle before it opens a page of the whole portal.
const FOCUS_HEADING: &str = "mdis-focus-heading";

/// At the whole portal's start: if a link in the first bundle led here, focus the page's main
/// heading once it is shown (pages that check the sign-in first show it a moment later).
pub fn focus_heading_if_asked() {
    let Ok(Some(storage)) = window().session_storage() else {
        return;
    };
    if storage.get_item(FOCUS_HEADING).ok().flatten().is_none() {
        return;
    }
    let _ = storage.remove_item(FOCUS_HEADING);
    focus_heading_when_shown(50);
}

fn focus_heading_when_shown(attempts: u32) {
    let heading = document()
        .query_selector(&format!("#{MAIN_ID} h1"))
        .ok()
        .flatten()
        .and_then(|heading| heading.dyn_into::<web_sys::HtmlElement>().ok());
    match heading {
        Some(heading) => {
            let _ = heading.set_attribute("tabindex", "-1");
            let _ = heading.focus();
        }
        None if attempts > 0 => {
            gloo_timers::callback::Timeout::new(100, move || {
                focus_heading_when_shown(attempts - 1)
            })
            .forget();
        }
        None => {}
    }
}

/// Fetches the whole portal's bundle and starts it (`public/portal-start.js`): it mounts
/// itself (its `main`).
fn load_full_app() {
    let document = document();
    let on_failure = Closure::<dyn FnMut()>::new(show_not_loaded);
    let failed = on_failure.as_ref().unchecked_ref();
    let _ = window().add_event_listener_with_callback("mdis-portal-failed", failed);
    for source in [FULL_APP_SCRIPT, FULL_APP_START] {
        let Ok(script) = document.create_element("script") else {
            return;
        };
        let _ = script.set_attribute("src", source);
        // Scripts added by a script run in any order unless told otherwise.
        let _ = js_sys::Reflect::set(&script, &"async".into(), &false.into());
        let _ = script.add_event_listener_with_callback("error", failed);
        if let Some(head) = document.head() {
            let _ = head.append_child(&script);
        }
    }
    on_failure.forget();
}

/// Plain words when the portal could not be fetched (offline before it was ever kept).
fn show_not_loaded() {
    let message = if crate::offline::online() {
        "The Implant Registry could not be loaded. Reload the page to try again."
    } else {
        "You are offline: this page needs a connection to the registry. Reload the page when you are connected."
    };
    if let Some(body) = document().body() {
        body.set_inner_html(&format!(
            "<div class=\"nhsuk-width-container\"><main class=\"nhsuk-main-wrapper\" id=\"{MAIN_ID}\">\
             <h1>Implant Registry</h1><p>{message}</p></main></div>"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_only_the_pages_before_signing_in() {
        assert!(serves("/"));
        assert!(serves("/sign-in"));
        assert!(!serves("/sign-in/"));
        assert!(serves("/register"));
        assert!(!serves("/records/new"));
        assert!(!serves("/my-implants"));
        assert!(!serves("/sign-in-elsewhere"));
        assert!(!serves("/account/set-password"));
    }
}
