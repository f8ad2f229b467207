//! The audit trail's table and its head row.

use app::api::audit::AuditQuery;
use sqlx::{FromRow, SqliteConnection};

/// An entry as stored: every field its hash covers, in a fixed order, and the hash.
#[derive(Debug, Clone, FromRow)]
pub struct StoredEntry {
    pub id: i64,
    pub at: String,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub actor_organisation_id: Option<i64>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub patient_pseudonym: Option<String>,
    pub details: String,
    pub client_ip: Option<String>,
    pub previous_hash: String,
    pub hash: String,
    /// `sha256` (entries written before keyed hashing) or `hmac-sha256`.
    pub mac: String,
}

/// The last entry's id and hash, taking the head row for this transaction: writers of
/// entries queue on it, so ids and links are given out in one order.
pub async fn take_head(connection: &mut SqliteConnection) -> Result<(i64, String), sqlx::Error> {
    // A no-op update that returns the row: the portable way to lock it (SQLite's write
    // transaction already holds the database; PostgreSQL locks the row until commit).
    sqlx::query_as(
        "UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING last_id, last_hash",
    )
    .fetch_one(connection)
    .await
}

pub async fn append(
    connection: &mut SqliteConnection,
    entry: &StoredEntry,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_user_id, actor_role, actor_organisation_id, action, \
         target_type, target_id, patient_pseudonym, details, client_ip, previous_hash, hash, mac) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(entry.id)
    .bind(&entry.at)
    .bind(entry.actor_user_id)
    .bind(&entry.actor_role)
    .bind(entry.actor_organisation_id)
    .bind(&entry.action)
    .bind(&entry.target_type)
    .bind(&entry.target_id)
    .bind(&entry.patient_pseudonym)
    .bind(&entry.details)
    .bind(&entry.client_ip)
    .bind(&entry.previous_hash)
    .bind(&entry.hash)
    .bind(&entry.mac)
    .execute(&mut *connection)
    .await?;
    sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1")
        .bind(entry.id)
        .bind(&entry.hash)
        .execute(connection)
        .await
        .map(drop)
}

const COLUMNS: &str = "id, at, actor_user_id, actor_role, actor_organisation_id, action, target_type, \
     target_id, patient_pseudonym, details, client_ip, previous_hash, hash, mac";

/// Entries with ids from `after + 1` on, oldest first, at most `limit`.
pub async fn entries_after(
    connection: &mut SqliteConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<StoredEntry>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(connection)
    .await
}

pub async fn entry(
    connection: &mut SqliteConnection,
    id: i64,
) -> Result<Option<StoredEntry>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM audit_log WHERE id = $1"))
        .bind(id)
        .fetch_optional(connection)
        .await
}

/// The head row as it stands (without taking it).
pub async fn head(connection: &mut SqliteConnection) -> Result<(i64, String), sqlx::Error> {
    sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
        .fetch_one(connection)
        .await
}

/// Whether any entry is chained with the keyed hash (then the key is in use).
pub async fn any_keyed(connection: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM audit_log WHERE mac = 'hmac-sha256')")
        .fetch_one(connection)
        .await
}

/// An entry as the administrators' list shows it, with the actor's name and address.
#[derive(Debug, Clone, FromRow)]
pub struct ListedEntry {
    pub id: i64,
    pub at: String,
    pub actor_email: Option<String>,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub details: String,
    pub client_ip: Option<String>,
}

/// A page of entries matching `query`, newest first, and how many match in all.
pub async fn list(
    connection: &mut SqliteConnection,
    query: &AuditQuery,
    limit: u32,
    offset: u32,
) -> Result<(Vec<ListedEntry>, u64), sqlx::Error> {
    let action = format!("{}%", query.action.trim());
    let actor = format!("%{}%", query.actor.trim().to_lowercase());
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
                  WHERE a.action LIKE $1 AND ($2 = '%%' OR lower(u.email) LIKE $2) AND a.at >= $3 AND a.at < $4";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}"))
        .bind(&action)
        .bind(&actor)
        .bind(&from)
        .bind(&to)
        .fetch_one(&mut *connection)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT a.id, a.at, u.email AS actor_email, u.display_name AS actor_name, a.actor_role, a.action, \
         a.target_type, a.target_id, a.details, a.client_ip {filter} ORDER BY a.id DESC LIMIT $5 OFFSET $6"
    ))
    .bind(&action)
    .bind(&actor)
    .bind(&from)
    .bind(&to)
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(connection)
    .await?;
    Ok((rows, total as u64))
}
