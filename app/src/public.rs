//! The first bundle: the pages anyone sees before signing in (home, sign in, create an
//! account, forgot password), small enough to be usable quickly on a slow link. Every other
//! page is in the whole portal's bundle (`src/main.rs`), which this one loads when the address
//! is not one of its own: at the start, or after a link or a sign-in leads elsewhere.
//!
//! Trunk builds both from this crate (`app/index.html`): this one as the page's module, the
//! whole portal as a second target fetched on demand, as the barcode decoder is.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::components::layout::{
    Footer, Header, MAIN_ID, SkipLink, move_focus_to_heading_on_navigation,
};
use crate::offline::notice::OfflineNotice;
use crate::offline::update::UpdateBanner;
use crate::pages::account::{forgot_password::ForgotPasswordPage, sign_in::SignInPage};
use crate::pages::home::HomePage;
use crate::pages::patients::register::RegisterPage;

/// The whole portal's glue and WASM (see `app/index.html`).
pub const FULL_APP_SCRIPT: &str = "/app.js";
pub const FULL_APP_WASM: &str = "/app_bg.wasm";

/// The addresses this bundle shows itself.
pub const PAGES: [&str; 4] = ["/", "/sign-in", "/forgot-password", "/register"];

/// Whether this bundle has the page at `pathname`.
pub fn serves(pathname: &str) -> bool {
    let path = match pathname.strip_suffix('/') {
        Some(path) if !path.is_empty() => path,
        _ => pathname,
    };
    PAGES.contains(&path)
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

/// The portal's frame without the outbox (nobody has one before signing in).
#[component]
fn PublicLayout(children: Children) -> impl IntoView {
    move_focus_to_heading_on_navigation();
    view! {
        <SkipLink/>
        <Header/>
        <div class="nhsuk-width-container">
            <UpdateBanner/>
            <OfflineNotice/>
            <main class="nhsuk-main-wrapper" id=MAIN_ID tabindex="-1">
                {children()}
            </main>
        </div>
        <Footer/>
    }
}

/// A link (or a sign-in) led to a page of the whole portal: open it there.
#[component]
fn OpenFullApp() -> impl IntoView {
    let _ = window().location().reload();
    view! { <p role="status">"Opening the page…"</p> }
}

/// Fetches the whole portal's bundle and starts it: it mounts itself (its `main`).
fn load_full_app() {
    let document = document();
    let Ok(script) = document.create_element("script") else {
        return;
    };
    let _ = script.set_attribute("src", FULL_APP_SCRIPT);
    let on_load = Closure::<dyn FnMut()>::new(|| {
        let started = js_sys::Reflect::get(&js_sys::global(), &"wasm_bindgen".into())
            .ok()
            .and_then(|init| init.dyn_into::<js_sys::Function>().ok())
            .and_then(|init| {
                let options = js_sys::Object::new();
                js_sys::Reflect::set(&options, &"module_or_path".into(), &FULL_APP_WASM.into())
                    .ok()?;
                init.call1(&JsValue::NULL, &options).ok()
            })
            .and_then(|promise| promise.dyn_into::<js_sys::Promise>().ok());
        match started {
            Some(promise) => {
                let on_failure = Closure::<dyn FnMut(JsValue)>::new(|_| show_not_loaded());
                let _ = promise.catch(&on_failure);
                on_failure.forget();
            }
            None => show_not_loaded(),
        }
    });
    let on_error = Closure::<dyn FnMut()>::new(show_not_loaded);
    let _ = script.add_event_listener_with_callback("load", on_load.as_ref().unchecked_ref());
    let _ = script.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    on_load.forget();
    on_error.forget();
    if let Some(head) = document.head() {
        let _ = head.append_child(&script);
    }
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
        assert!(serves("/sign-in/"));
        assert!(serves("/register"));
        assert!(!serves("/records/new"));
        assert!(!serves("/my-implants"));
        assert!(!serves("/sign-in-elsewhere"));
        assert!(!serves("/account/set-password"));
    }
}
