//! What this browser tab needs to carry on offline after a reload: who is signed in, the
//! clinic's form options, and the person's draft key. Online, each comes from the registry as
//! before; a copy is kept for this tab only, and used only when the registry cannot be
//! reached.
//!
//! The session and form options go in `sessionStorage` (this tab, gone when it is closed). The
//! draft key stays a non-extractable WebCrypto key (its bytes cannot be read by any script):
//! IndexedDB keeps the key object under a random token held in this tab's `sessionStorage`,
//! so another tab, or the next person on the computer, has no token to find it with. Signing
//! out, or the registry saying the person is signed out, deletes every copy.

use idb::{Database, DatabaseEvent, Factory, KeyPath, ObjectStoreParams, TransactionMode};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

use crate::api::ApiError;
use crate::api::procedures::{FormOptions, procedure_form_options};
use crate::api::session::SessionState;

const SESSION: &str = "mdis-session";
const FORM_OPTIONS: &str = "mdis-form-options";
const TAB: &str = "mdis-tab";
const DATABASE: &str = "implant-registry-tab-keys";
const KEYS: &str = "keys";
/// A kept key is not used after the longest session the registry allows.
const KEY_LIFETIME_MS: f64 = 12.0 * 60.0 * 60.0 * 1000.0;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn keep<T: Serialize>(name: &str, value: &T) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(name, &json);
    }
}

fn kept<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_str(&storage()?.get_item(name).ok()??).ok()
}

/// This tab's token, made on first use.
fn tab_token() -> Option<String> {
    let storage = storage()?;
    if let Ok(Some(token)) = storage.get_item(TAB) {
        return Some(token);
    }
    // Without randomness there is no token, and the tab simply is not kept.
    let token = super::new_key().ok()?;
    storage.set_item(TAB, &token).ok()?;
    Some(token)
}

/// Keeps the registry's answer about the session; a signed-out answer forgets everything.
pub fn remember_session(state: &SessionState) {
    match state {
        SessionState::SignedIn(_) => keep(SESSION, state),
        SessionState::SignedOut => forget_all(),
        _ => {
            if let Some(storage) = storage() {
                let _ = storage.remove_item(SESSION);
            }
        }
    }
}

/// The session as last seen by this tab, for when the registry cannot be reached.
pub fn remembered_session() -> Option<SessionState> {
    kept(SESSION)
}

/// The clinic's form options; offline, those this tab last had.
pub async fn form_options() -> Result<FormOptions, ApiError> {
    match procedure_form_options().await {
        Ok(options) => {
            keep(FORM_OPTIONS, &options);
            Ok(options)
        }
        Err(error @ ApiError::Transport { .. }) => kept(FORM_OPTIONS).ok_or(error),
        Err(error) => Err(error),
    }
}

/// Deletes the session, the options and every kept key.
pub fn forget_all() {
    if let Some(storage) = storage() {
        for name in [SESSION, FORM_OPTIONS, TAB] {
            let _ = storage.remove_item(name);
        }
    }
    leptos::task::spawn_local(async {
        if let Ok(database) = open().await
            && let Ok(transaction) = database.transaction(&[KEYS], TransactionMode::ReadWrite)
            && let Ok(store) = transaction.object_store(KEYS)
            && let Ok(request) = store.clear()
        {
            let _ = request.await;
            if let Ok(done) = transaction.commit() {
                let _ = done.await;
            }
        }
    });
}

async fn open() -> Result<Database, idb::Error> {
    let mut request = Factory::new()?.open(DATABASE, Some(1))?;
    request.on_upgrade_needed(|event| {
        if let Ok(database) = event.database()
            && !database.store_names().iter().any(|name| name == KEYS)
        {
            let mut parameters = ObjectStoreParams::new();
            parameters.key_path(Some(KeyPath::new_single("tab")));
            let _ = database.create_object_store(KEYS, parameters);
        }
    });
    request.await
}

/// Keeps `key` (the draft key of `user_id`) for this tab.
pub async fn keep_key(user_id: i64, key: &CryptoKey) {
    let Some(tab) = tab_token() else {
        return;
    };
    let row = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&row, &"tab".into(), &tab.into());
    let _ = js_sys::Reflect::set(&row, &"user".into(), &JsValue::from_f64(user_id as f64));
    let _ = js_sys::Reflect::set(&row, &"key".into(), key);
    let _ = js_sys::Reflect::set(&row, &"saved".into(), &super::now_ms().into());
    let Ok(database) = open().await else {
        return;
    };
    if let Ok(transaction) = database.transaction(&[KEYS], TransactionMode::ReadWrite)
        && let Ok(store) = transaction.object_store(KEYS)
        && let Ok(request) = store.put(&row, None)
    {
        let _ = request.await;
        if let Ok(done) = transaction.commit() {
            let _ = done.await;
        }
    }
}

/// The draft key this tab kept for `user_id`, if any and not too old.
pub async fn kept_key(user_id: i64) -> Option<CryptoKey> {
    let tab = storage()?.get_item(TAB).ok()??;
    let database = open().await.ok()?;
    let transaction = database
        .transaction(&[KEYS], TransactionMode::ReadOnly)
        .ok()?;
    let row = transaction
        .object_store(KEYS)
        .ok()?
        .get(JsValue::from_str(&tab))
        .ok()?
        .await
        .ok()??;
    let field = |name: &str| js_sys::Reflect::get(&row, &name.into()).ok();
    let user = field("user")?.as_f64()?;
    let saved = field("saved")?.as_f64()?;
    if user != user_id as f64 || super::now_ms() - saved > KEY_LIFETIME_MS {
        return None;
    }
    field("key")?.dyn_into::<CryptoKey>().ok()
}
