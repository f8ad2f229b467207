//! The service worker (`public/sw.js`) keeps the portal's files on this device, so that it
//! opens without a connection. It is registered once the page has loaded (never competing
//! with the first load). A new version is fetched in the background; when it is ready, the
//! banner says so, and "Reload" switches to it. Each version is kept whole, so a page never
//! mixes one version's `index.html` with another's files.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// Where the service worker is served (made by `scripts/build-shell.mjs` at each build).
pub const SCRIPT: &str = "/sw.js";
/// How often an open page asks whether there is a new version.
const CHECK_EVERY_MS: i32 = 15 * 60 * 1000;

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    // Browsers without service workers (or with them turned off) simply go without.
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// "A new version is ready — reload", in the NHS.UK notification banner's style.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ready = RwSignal::new(false);
    // Development builds (`trunk serve`) change all the time: no service worker there.
    if cfg!(not(debug_assertions)) {
        leptos::task::spawn_local(register(ready));
    }
    view! {
        <Show when=move || ready.get()>
            <div class="nhsuk-notification-banner app-update-banner" role="region" aria-labelledby="app-update-title">
                <div class="nhsuk-notification-banner__header">
                    <h2 class="nhsuk-notification-banner__title" id="app-update-title">"Update"</h2>
                </div>
                <div class="nhsuk-notification-banner__content">
                    <p class="nhsuk-notification-banner__heading">"A new version is ready — reload"</p>
                    <p>"What you have typed is kept on this device."</p>
                    <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="button" on:click=|_| take_new_version()>
                        "Reload"
                    </button>
                </div>
            </div>
        </Show>
    }
}

async fn register(ready: RwSignal<bool>) {
    let Some(container) = container() else {
        return;
    };
    loaded().await;
    let Ok(registration) = JsFuture::from(container.register(SCRIPT)).await else {
        return;
    };
    let registration: ServiceWorkerRegistration = registration.unchecked_into();
    REGISTRATION.with(|cell| *cell.borrow_mut() = Some(registration.clone()));
    // A version that is already waiting (fetched during an earlier visit).
    if registration.waiting().is_some() && container.controller().is_some() {
        ready.set(true);
    }
    // A version found while this page is open: ready once installed. The very first install
    // (no controller yet) is not an update.
    let on_update_found = Closure::<dyn FnMut()>::new({
        let registration = registration.clone();
        move || {
            let Some(installing) = registration.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if worker.state() == ServiceWorkerState::Installed && container_has_controller() {
                    ready.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        }
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
    // Look again now and then, and when the connection comes back.
    let check = Closure::<dyn FnMut()>::new(move || {
        REGISTRATION.with(|cell| {
            if let Some(registration) = cell.borrow().as_ref() {
                let _ = registration.update();
            }
        });
    });
    let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
        check.as_ref().unchecked_ref(),
        CHECK_EVERY_MS,
    );
    let _ = window().add_event_listener_with_callback("online", check.as_ref().unchecked_ref());
    check.forget();
}

fn container_has_controller() -> bool {
    container().is_some_and(|container| container.controller().is_some())
}

/// Resolves once the page's `load` event has happened.
async fn loaded() {
    if document().ready_state() == "complete" {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
            "load", &resolve, &options,
        );
    });
    let _ = JsFuture::from(promise).await;
}

/// Lets the waiting version take over, then reloads into it.
fn take_new_version() {
    let waiting = REGISTRATION.with(|cell| cell.borrow().as_ref().and_then(|r| r.waiting()));
    match (waiting, container()) {
        (Some(waiting), Some(container)) => {
            let on_change = Closure::<dyn FnMut()>::new(|| {
                let _ = window().location().reload();
            });
            container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
            on_change.forget();
            let _ = waiting.post_message(&JsValue::from_str("take-over"));
        }
        _ => {
            let _ = window().location().reload();
        }
    }
}
