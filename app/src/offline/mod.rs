//! Work kept on this device until the registry has it: drafts saved as the person types, and
//! an outbox of submitted records sent when there is a connection. Everything is encrypted
//! (AES-GCM, WebCrypto) with a key the registry releases only to the signed-in person, held in
//! memory: the next person on the computer cannot read it, and no NHS number or date of birth
//! is ever stored in clear.

pub mod crypto;
pub mod notice;
pub mod outbox;
pub mod resume;
pub mod store;
pub mod update;

/// Generates an idempotency key: 128 random bits, hex. Without the browser's random source
/// this is an error, never a fixed key (two records with one key would be stored as one).
pub fn new_key() -> Result<String, crypto::CryptoError> {
    let bytes: [u8; 16] = crypto::random_bytes()?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Milliseconds since the epoch, as JavaScript counts time.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// What the browser believes about its connection.
pub fn online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}

/// Whether the browser is online, following its `online` and `offline` events: for saying
/// on the form and on each waiting record that they wait for the connection.
pub fn use_online() -> leptos::prelude::Signal<bool> {
    use leptos::prelude::*;
    let online_now = RwSignal::new(online());
    let went_online = window_event_listener(leptos::ev::online, move |_| online_now.set(true));
    let went_offline = window_event_listener(leptos::ev::offline, move |_| online_now.set(false));
    on_cleanup(move || {
        went_online.remove();
        went_offline.remove();
    });
    online_now.into()
}
