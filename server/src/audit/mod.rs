//! The audit trail: an append-only table (triggers refuse updates and deletes), each entry
//! chained to the one before by a keyed hash (HMAC-SHA-256 with a key kept outside the
//! database, so that whoever can write to the database cannot re-chain edited entries), and
//! written in the same transaction as the action it records.
//!
//! Deleting the newest entries would still leave a whole chain, so the head (latest id and
//! hash) is also written outside the database at intervals ([`anchors`]); `verify` checks the
//! chain link by link and then against every anchor.

pub mod anchors;
mod verify;

pub use app::api::audit::Action;
use app::api::context::Principal;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub use verify::verify;

use crate::auth::tokens::hex;
use crate::db::audit::{self as stored, StoredEntry};
use crate::db::{Connection, Database, WriteTransaction};
use crate::services::error::{ServiceError, ServiceResult};

/// The `previous_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Entries are keyed-hashed with this scheme; `sha256` marks the entries written before.
pub const KEYED: &str = "hmac-sha256";
pub const UNKEYED: &str = "sha256";

/// The key that chains the audit trail.
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(<key>)")
    }
}

impl AuditKey {
    pub fn new(key: [u8; 32]) -> Self {
        Self(key)
    }

    /// The hash of an entry under its scheme; `None` for a scheme this server does not know.
    fn hash(&self, entry: &StoredEntry) -> Option<String> {
        let canonical = canonical(entry);
        match entry.mac.as_str() {
            KEYED => {
                let mut mac =
                    Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts any key length");
                mac.update(canonical.as_bytes());
                Some(hex(&mac.finalize().into_bytes()))
            }
            UNKEYED => Some(hex(&Sha256::digest(canonical.as_bytes()))),
            _ => None,
        }
    }
}

/// The exact text an entry's hash covers: its fields in a fixed order. Public so that a
/// verifier outside the portal can recompute the chain.
pub fn canonical(entry: &StoredEntry) -> String {
    json!([
        entry.id,
        entry.at.to_iso(),
        entry.actor_user_id,
        entry.actor_role,
        entry.actor_organisation_id,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.patient_pseudonym,
        entry.details,
        entry.client_ip,
        entry.previous_hash,
    ])
    .to_string()
}

/// An action to record.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub action: Action,
    pub actor: Option<&'a Principal>,
    /// The kind and id of what was acted on, e.g. `("user", "42")`.
    pub target: Option<(&'a str, String)>,
    /// Set when the action touches a patient's record, so the patient can see it.
    pub patient_pseudonym: Option<&'a str>,
    pub details: Value,
    pub client_ip: Option<&'a str>,
}

impl<'a> Event<'a> {
    pub fn new(action: Action) -> Self {
        Self {
            action,
            actor: None,
            target: None,
            patient_pseudonym: None,
            details: json!({}),
            client_ip: None,
        }
    }

    pub fn by(mut self, actor: &'a Principal) -> Self {
        self.actor = Some(actor);
        self
    }

    pub fn on(mut self, kind: &'a str, id: impl ToString) -> Self {
        self.target = Some((kind, id.to_string()));
        self
    }

    pub fn with(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    pub fn from_ip(mut self, ip: Option<&'a str>) -> Self {
        self.client_ip = ip;
        self
    }

    pub fn for_patient(mut self, pseudonym: &'a str) -> Self {
        self.patient_pseudonym = Some(pseudonym);
        self
    }
}

/// Appends an entry inside the write transaction of the action it records.
pub async fn record(transaction: &mut WriteTransaction, event: Event<'_>) -> ServiceResult<i64> {
    let key = transaction
        .audit_key()
        .ok_or_else(|| ServiceError::internal("the audit key is not loaded"))?;
    let (last_id, previous_hash) = stored::take_head(transaction).await?;
    let mut entry = StoredEntry {
        id: last_id + 1,
        at: transaction.now(),
        actor_user_id: event.actor.map(|actor| actor.user_id),
        actor_role: event.actor.map(|actor| actor.role.as_str().to_string()),
        actor_organisation_id: event.actor.and_then(|actor| actor.organisation_id),
        action: event.action.code().to_string(),
        target_type: event.target.as_ref().map(|(kind, _)| kind.to_string()),
        target_id: event.target.map(|(_, id)| id),
        patient_pseudonym: event.patient_pseudonym.map(str::to_string),
        details: event.details.to_string(),
        client_ip: event.client_ip.map(str::to_string),
        previous_hash,
        hash: String::new(),
        mac: KEYED.to_string(),
    };
    entry.hash = key.hash(&entry).expect("the keyed scheme is known");
    stored::append(transaction, &entry).await?;
    Ok(entry.id)
}

/// Records an event that has no other write to share a transaction with (a read of a record,
/// a pseudonym evaluation, a chain check): in a write transaction of its own.
pub async fn record_alone(database: &Database, event: Event<'_>) -> ServiceResult<()> {
    let mut transaction = database.write().await?;
    record(&mut transaction, event).await?;
    Ok(transaction.commit().await?)
}

/// Writes the trail's head outside the database (unless unchanged since the last time).
pub async fn anchor(database: &Database, anchors: &anchors::Anchors) -> ServiceResult<bool> {
    let mut connection = database.read().await?;
    let (id, hash) = stored::head(&mut connection).await?;
    drop(connection);
    anchors
        .write(&anchors::Anchor {
            at: database.now().to_iso(),
            id,
            hash,
        })
        .map_err(ServiceError::internal)
}
