//! IndexedDB: the `drafts` and `outbox` stores. Rows carry their owner (a user id) and an
//! encrypted payload; only what the lists need to show (state, a label) is in clear.

use std::future::IntoFuture;

use idb::{
    Database, DatabaseEvent, Factory, KeyPath, ObjectStore, ObjectStoreParams, TransactionMode,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use wasm_bindgen::JsValue;

use super::crypto::Sealed;
use crate::api::FieldError;

const DATABASE: &str = "implant-registry";
const VERSION: u32 = 1;
pub const DRAFTS: &str = "drafts";
pub const OUTBOX: &str = "outbox";

#[derive(Debug, Clone, thiserror::Error)]
#[error("this device's storage failed: {0}")]
pub struct StoreError(String);

fn failed(error: impl std::fmt::Display) -> StoreError {
    StoreError(error.to_string())
}

async fn open() -> Result<Database, StoreError> {
    let factory = Factory::new().map_err(failed)?;
    let mut request = factory.open(DATABASE, Some(VERSION)).map_err(failed)?;
    request.on_upgrade_needed(|event| {
        let Ok(database) = event.database() else {
            return;
        };
        let names = database.store_names();
        for store in [DRAFTS, OUTBOX] {
            if !names.iter().any(|name| name == store) {
                let mut parameters = ObjectStoreParams::new();
                parameters.key_path(Some(KeyPath::new_single("id")));
                let _ = database.create_object_store(store, parameters);
            }
        }
    });
    request.await.map_err(failed)
}

/// A draft: the form, encrypted, of one person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftRow {
    /// `<owner>:<name>`, e.g. `12:new` or `12:correct-40`.
    pub id: String,
    pub owner: i64,
    pub saved_at: f64,
    pub sealed: Sealed,
}

/// Where an outbox item has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Waiting,
    Sending,
    Accepted,
    Rejected,
}

impl OutboxState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "Waiting to send",
            Self::Sending => "Sending",
            Self::Accepted => "Accepted",
            Self::Rejected => "Needs changes",
        }
    }
}

/// A submitted record on its way to the registry. `sealed` holds the form (identifiers
/// included) until the registry accepts it; then it is removed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutboxRow {
    /// The submission's idempotency key.
    pub id: String,
    pub owner: i64,
    pub label: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: f64,
    pub created_at: f64,
    pub problems: Vec<FieldError>,
    pub record_id: Option<i64>,
    /// Set for a correction of an existing record.
    pub corrects: Option<i64>,
    pub sealed: Option<Sealed>,
}

/// Runs one request on `store`, in a transaction of its own, and waits for its result (and
/// for a write to commit).
async fn in_store<R, T>(
    store: &str,
    mode: TransactionMode,
    request: impl FnOnce(&ObjectStore) -> Result<R, idb::Error>,
) -> Result<T, StoreError>
where
    R: IntoFuture<Output = Result<T, idb::Error>>,
{
    let database = open().await?;
    let transaction = database.transaction(&[store], mode).map_err(failed)?;
    let result = request(&transaction.object_store(store).map_err(failed)?)
        .map_err(failed)?
        .await
        .map_err(failed)?;
    if mode == TransactionMode::ReadWrite {
        transaction
            .commit()
            .map_err(failed)?
            .await
            .map_err(failed)?;
    }
    Ok(result)
}

async fn put<T: Serialize>(store: &str, row: &T) -> Result<(), StoreError> {
    let value = row
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(failed)?;
    in_store(store, TransactionMode::ReadWrite, |store| {
        store.put(&value, None)
    })
    .await?;
    Ok(())
}

async fn get<T: DeserializeOwned>(store: &str, id: &str) -> Result<Option<T>, StoreError> {
    let value = in_store(store, TransactionMode::ReadOnly, |store| {
        store.get(JsValue::from_str(id))
    })
    .await?;
    value
        .map(|value| serde_wasm_bindgen::from_value(value).map_err(failed))
        .transpose()
}

async fn all<T: DeserializeOwned>(store: &str) -> Result<Vec<T>, StoreError> {
    let values = in_store(store, TransactionMode::ReadOnly, |store| {
        store.get_all(None, None)
    })
    .await?;
    Ok(values
        .into_iter()
        .filter_map(|value| serde_wasm_bindgen::from_value(value).ok())
        .collect())
}

async fn delete(store: &str, id: &str) -> Result<(), StoreError> {
    in_store(store, TransactionMode::ReadWrite, |store| {
        store.delete(JsValue::from_str(id))
    })
    .await
}

pub fn draft_id(owner: i64, name: &str) -> String {
    format!("{owner}:{name}")
}

pub async fn save_draft(row: &DraftRow) -> Result<(), StoreError> {
    put(DRAFTS, row).await
}

pub async fn load_draft(owner: i64, name: &str) -> Result<Option<DraftRow>, StoreError> {
    get(DRAFTS, &draft_id(owner, name)).await
}

pub async fn discard_draft(owner: i64, name: &str) -> Result<(), StoreError> {
    delete(DRAFTS, &draft_id(owner, name)).await
}

/// Every draft on this device, whoever's (still encrypted), to warn at sign-out.
pub async fn all_drafts() -> Result<Vec<DraftRow>, StoreError> {
    all::<DraftRow>(DRAFTS).await
}

/// Every outbox item on this device, whoever's.
pub async fn all_outbox() -> Result<Vec<OutboxRow>, StoreError> {
    all::<OutboxRow>(OUTBOX).await
}

pub async fn save_outbox(row: &OutboxRow) -> Result<(), StoreError> {
    put(OUTBOX, row).await
}

/// This person's outbox, newest first (what was just submitted is at the top).
pub async fn outbox_of(owner: i64) -> Result<Vec<OutboxRow>, StoreError> {
    let mut rows: Vec<OutboxRow> = all::<OutboxRow>(OUTBOX)
        .await?
        .into_iter()
        .filter(|row| row.owner == owner)
        .collect();
    rows.sort_by(|a, b| b.created_at.total_cmp(&a.created_at));
    Ok(rows)
}

pub async fn outbox_item(id: &str) -> Result<Option<OutboxRow>, StoreError> {
    get(OUTBOX, id).await
}

pub async fn remove_outbox(id: &str) -> Result<(), StoreError> {
    delete(OUTBOX, id).await
}
