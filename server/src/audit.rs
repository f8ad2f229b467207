//! The audit trail: an append-only table (triggers refuse updates and deletes), each entry
//! hash-chained to the one before (SHA-256), written in the same transaction as the action it
//! records. `verify` finds the first broken link.

use app::api::accounts::Page;
use app::api::audit::{AuditEntry, AuditQuery, BrokenLink, ChainReport};
use app::api::context::Principal;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::auth::tokens::hex;
use crate::clock;
use crate::db::Database;

/// The `previous_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An action to record.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub action: &'a str,
    pub actor: Option<&'a Principal>,
    /// The kind and id of what was acted on, e.g. `("user", "42")`.
    pub target: Option<(&'a str, String)>,
    /// Set when the action touches a patient's record, so the patient can see it.
    pub patient_pseudonym: Option<&'a str>,
    pub details: Value,
    pub client_ip: Option<&'a str>,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str) -> Self {
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

/// The fields an entry's hash covers, in a fixed order.
struct Stored {
    id: i64,
    at: String,
    actor_user_id: Option<i64>,
    actor_role: Option<String>,
    actor_organisation_id: Option<i64>,
    action: String,
    target_type: Option<String>,
    target_id: Option<String>,
    patient_pseudonym: Option<String>,
    details: String,
    client_ip: Option<String>,
    previous_hash: String,
}

impl Stored {
    fn hash(&self) -> String {
        let canonical = json!([
            self.id,
            self.at,
            self.actor_user_id,
            self.actor_role,
            self.actor_organisation_id,
            self.action,
            self.target_type,
            self.target_id,
            self.patient_pseudonym,
            self.details,
            self.client_ip,
            self.previous_hash,
        ]);
        hex(&Sha256::digest(canonical.to_string().as_bytes()))
    }
}

/// Appends an entry. Call inside the write transaction of the action (begun IMMEDIATE, so
/// entries cannot interleave).
/// Records an event that has no other write to share a transaction with (a read of a record,
/// a pseudonym evaluation, a chain check): in a write transaction of its own.
pub async fn record_alone(database: &Database, event: Event<'_>) -> Result<(), sqlx::Error> {
    let mut transaction = database.write().await?;
    record(&mut transaction, event).await?;
    transaction.commit().await
}

pub async fn record(
    connection: &mut SqliteConnection,
    event: Event<'_>,
) -> Result<i64, sqlx::Error> {
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *connection)
            .await?;
    let (last_id, previous_hash) = last.unwrap_or((0, GENESIS.to_string()));
    let stored = Stored {
        id: last_id + 1,
        at: clock::timestamp(clock::now()),
        actor_user_id: event.actor.map(|actor| actor.user_id),
        actor_role: event.actor.map(|actor| actor.role.as_str().to_string()),
        actor_organisation_id: event.actor.and_then(|actor| actor.organisation_id),
        action: event.action.to_string(),
        target_type: event.target.as_ref().map(|(kind, _)| kind.to_string()),
        target_id: event.target.map(|(_, id)| id),
        patient_pseudonym: event.patient_pseudonym.map(str::to_string),
        details: event.details.to_string(),
        client_ip: event.client_ip.map(str::to_string),
        previous_hash,
    };
    let hash = stored.hash();
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_user_id, actor_role, actor_organisation_id, action, \
         target_type, target_id, patient_pseudonym, details, client_ip, previous_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(stored.id)
    .bind(&stored.at)
    .bind(stored.actor_user_id)
    .bind(&stored.actor_role)
    .bind(stored.actor_organisation_id)
    .bind(&stored.action)
    .bind(&stored.target_type)
    .bind(&stored.target_id)
    .bind(&stored.patient_pseudonym)
    .bind(&stored.details)
    .bind(&stored.client_ip)
    .bind(&stored.previous_hash)
    .bind(&hash)
    .execute(&mut *connection)
    .await?;
    Ok(stored.id)
}

/// Walks the chain from the first entry; stops at the first broken link.
pub async fn verify(pool: &SqlitePool) -> Result<ChainReport, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, at, actor_user_id, actor_role, actor_organisation_id, action, target_type, \
         target_id, patient_pseudonym, details, client_ip, previous_hash, hash FROM audit_log ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let mut expected_previous = GENESIS.to_string();
    let mut checked = 0;
    for (expected_id, row) in (1i64..).zip(rows) {
        let stored = Stored {
            id: row.get("id"),
            at: row.get("at"),
            actor_user_id: row.get("actor_user_id"),
            actor_role: row.get("actor_role"),
            actor_organisation_id: row.get("actor_organisation_id"),
            action: row.get("action"),
            target_type: row.get("target_type"),
            target_id: row.get("target_id"),
            patient_pseudonym: row.get("patient_pseudonym"),
            details: row.get("details"),
            client_ip: row.get("client_ip"),
            previous_hash: row.get("previous_hash"),
        };
        let hash: String = row.get("hash");
        let broken = |reason: String| ChainReport {
            entries_checked: checked,
            first_broken: Some(BrokenLink {
                entry_id: stored.id,
                reason,
            }),
        };
        if stored.id != expected_id {
            return Ok(broken(format!(
                "entry {expected_id} is missing: the entries jump from {} to {}",
                expected_id - 1,
                stored.id
            )));
        }
        if stored.previous_hash != expected_previous {
            return Ok(broken(
                "its link to the previous entry does not match that entry's hash (an entry before it was changed or removed)"
                    .to_string(),
            ));
        }
        if stored.hash() != hash {
            return Ok(broken(
                "its contents no longer match its hash (the entry was changed)".to_string(),
            ));
        }
        expected_previous = hash;
        checked += 1;
    }
    Ok(ChainReport {
        entries_checked: checked,
        first_broken: None,
    })
}

/// Entries newest first, filtered, one page.
pub async fn list(
    pool: &SqlitePool,
    query: &AuditQuery,
    page_size: u32,
) -> Result<Page<AuditEntry>, sqlx::Error> {
    let page = query.page.max(1);
    let action = format!("{}%", query.action.trim());
    let actor = format!("%{}%", query.actor.trim());
    let from = if query.from.trim().is_empty() {
        "0000".to_string()
    } else {
        query.from.trim().to_string()
    };
    // Inclusive of the whole last day: every timestamp that day sorts before "YYYY-MM-DDU".
    let to = if query.to.trim().is_empty() {
        "9999".to_string()
    } else {
        format!("{}U", query.to.trim())
    };
    let filter = "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id \
                  WHERE a.action LIKE ?1 AND (?2 = '%%' OR u.email LIKE ?2) AND a.at >= ?3 AND a.at < ?4";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}"))
        .bind(&action)
        .bind(&actor)
        .bind(&from)
        .bind(&to)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.at, u.email, a.actor_role, a.action, a.target_type, a.target_id, a.details, a.client_ip \
         {filter} ORDER BY a.id DESC LIMIT ?5 OFFSET ?6"
    ))
    .bind(&action)
    .bind(&actor)
    .bind(&from)
    .bind(&to)
    .bind(i64::from(page_size))
    .bind(i64::from((page - 1) * page_size))
    .fetch_all(pool)
    .await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let target_type: Option<String> = row.get("target_type");
            let target_id: Option<String> = row.get("target_id");
            AuditEntry {
                id: row.get("id"),
                at: row.get("at"),
                actor: row.get("email"),
                actor_role: row.get("actor_role"),
                action: row.get("action"),
                target: target_type.map(|kind| format!("{kind} {}", target_id.unwrap_or_default())),
                details: row.get("details"),
                client_ip: row.get("client_ip"),
            }
        })
        .collect();
    Ok(Page {
        items,
        page,
        page_size,
        total: total as u64,
    })
}
