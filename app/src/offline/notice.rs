//! Says plainly when the device is offline and the page needs the registry, instead of
//! leaving people to wonder why nothing loads.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// What a page can do without a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offline {
    /// Works from this device alone (reading a UDI, the home page).
    Works,
    /// Keeps what is entered on this device and sends it later (the record form, the outbox
    /// on the records page).
    KeepsWork,
    /// Shows the registry's data: nothing to show without it.
    NeedsConnection,
}

/// Which of these a page is.
pub fn offline_use(pathname: &str) -> Offline {
    match pathname {
        "/" | "/udi" => Offline::Works,
        "/records" | "/records/new" => Offline::KeepsWork,
        path if path.starts_with("/records/outbox/") => Offline::KeepsWork,
        _ => Offline::NeedsConnection,
    }
}

/// The notice for a page while offline (`None`: nothing to say).
pub fn offline_message(pathname: &str) -> Option<&'static str> {
    match offline_use(pathname) {
        Offline::Works => None,
        Offline::KeepsWork => Some(
            "You are offline. What you enter is kept on this device, and records you submit are sent when the connection returns.",
        ),
        Offline::NeedsConnection => Some(
            "You are offline: this page needs a connection to the registry. It will work again when you are connected.",
        ),
    }
}

#[component]
pub fn OfflineNotice() -> impl IntoView {
    let online = RwSignal::new(crate::offline::online());
    for event in ["online", "offline"] {
        let update = Closure::<dyn FnMut()>::new(move || online.set(crate::offline::online()));
        let _ = window().add_event_listener_with_callback(event, update.as_ref().unchecked_ref());
        update.forget();
    }
    let location = use_location();
    move || {
        (!online.get())
            .then(|| offline_message(&location.pathname.get()))
            .flatten()
            .map(|message| {
                view! {
                    <div class="nhsuk-inset-text app-offline-notice" role="status">
                        <span class="nhsuk-u-visually-hidden">"Information: "</span>
                        <p>{message}</p>
                    </div>
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_that_need_the_registry_say_so() {
        assert_eq!(offline_message("/"), None);
        assert!(
            offline_message("/records/new")
                .unwrap()
                .contains("kept on this device")
        );
        assert!(
            offline_message("/records")
                .unwrap()
                .contains("sent when the connection returns")
        );
        assert!(
            offline_message("/account")
                .unwrap()
                .contains("needs a connection")
        );
        assert!(
            offline_message("/my-implants")
                .unwrap()
                .contains("needs a connection")
        );
    }
}
