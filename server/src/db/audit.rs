//! The audit trail's table and its head row.

use app::api::audit::AuditQuery;
use domain::calendar::CalendarDate;
use sqlx::FromRow;

use super::types::Timestamp;
use super::{Connection, on_engine};

/// An entry as stored: every field its hash covers, in a fixed order, and the hash.
#[derive(Debug, Clone, FromRow)]
pub struct StoredEntry {
    pub id: i64,
    pub at: Timestamp,
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
pub async fn take_head(db: &mut impl Connection) -> Result<(i64, String), sqlx::Error> {
    // A no-op update that returns the row: the portable way to lock it (SQLite's write
    // transaction already holds the database; PostgreSQL locks the row until commit).
    on_engine!(db, c => sqlx::query_as(
        "UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING last_id, last_hash",
    )
    .fetch_one(c)
    .await)
}

pub async fn append(db: &mut impl Connection, entry: &StoredEntry) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_user_id, actor_role, actor_organisation_id, action, \
             target_type, target_id, patient_pseudonym, details, client_ip, previous_hash, hash, mac) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(entry.id)
        .bind(entry.at)
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
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1")
            .bind(entry.id)
            .bind(&entry.hash)
            .execute(&mut *c)
            .await
            .map(drop)
    })
}

const COLUMNS: &str = "id, at, actor_user_id, actor_role, actor_organisation_id, action, target_type, \
     target_id, patient_pseudonym, details, client_ip, previous_hash, hash, mac";

/// Entries with ids from `after + 1` on, oldest first, at most `limit`.
pub async fn entries_after(
    db: &mut impl Connection,
    after: i64,
    limit: i64,
) -> Result<Vec<StoredEntry>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2");
    on_engine!(db, c => sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(c).await)
}

pub async fn entry(db: &mut impl Connection, id: i64) -> Result<Option<StoredEntry>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE id = $1");
    on_engine!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)
}

/// The head row as it stands (without taking it).
pub async fn head(db: &mut impl Connection) -> Result<(i64, String), sqlx::Error> {
    on_engine!(db, c => sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
        .fetch_one(c)
        .await)
}

/// Whether any entry is chained with the keyed hash (then the key is in use).
pub async fn any_keyed(db: &mut impl Connection) -> Result<bool, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM audit_log WHERE mac = 'hmac-sha256')",
    )
    .fetch_one(c)
    .await)
}

/// An entry as the administrators' list shows it, with the actor's name and address.
#[derive(Debug, Clone, FromRow)]
pub struct ListedEntry {
    pub id: i64,
    pub at: Timestamp,
    pub actor_email: Option<String>,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// When the target is an account: its owner's name, address and role.
    pub target_user_name: Option<String>,
    pub target_user_email: Option<String>,
    pub target_user_role: Option<String>,
    /// When the target is an organisation: its name.
    pub target_organisation: Option<String>,
    pub details: String,
    pub client_ip: Option<String>,
}

/// The first moment of a day, and of the day after it.
fn day_bounds(day: CalendarDate) -> (Timestamp, Timestamp) {
    let start = time::Date::from_calendar_date(
        i32::from(day.year()),
        time::Month::try_from(day.month()).expect("a calendar date's month"),
        day.day(),
    )
    .expect("a calendar date")
    .midnight()
    .assume_utc();
    (
        Timestamp::new(start),
        Timestamp::new(start + time::Duration::days(1)),
    )
}

/// A page of entries matching `query` (its dates already checked), newest first, and how many
/// match in all.
pub async fn list(
    db: &mut impl Connection,
    query: &AuditQuery,
    limit: u32,
    offset: u32,
) -> Result<(Vec<ListedEntry>, u64), sqlx::Error> {
    let action = format!("{}%", query.action.trim());
    let actor = format!("%{}%", query.actor.trim().to_lowercase());
    let from = CalendarDate::from_iso(query.from.trim()).map(|day| day_bounds(day).0);
    // Inclusive of the whole last day.
    let until = CalendarDate::from_iso(query.to.trim()).map(|day| day_bounds(day).1);
    // A person is found as the one who acted or the account acted on (a sign-in's person).
    let filter = "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id \
                  LEFT JOIN users t ON a.target_type = 'user' AND CAST(t.id AS TEXT) = a.target_id \
                  LEFT JOIN organisations o ON a.target_type = 'organisation' AND CAST(o.id AS TEXT) = a.target_id \
                  WHERE a.action LIKE $1 AND ($2 = '%%' OR lower(u.email) LIKE $2 OR lower(u.display_name) LIKE $2 \
                  OR lower(t.email) LIKE $2 OR lower(t.display_name) LIKE $2) \
                  AND ($3 IS NULL OR a.at >= $3) AND ($4 IS NULL OR a.at < $4)";
    let count = format!("SELECT COUNT(*) {filter}");
    let select = format!(
        "SELECT a.id, a.at, u.email AS actor_email, u.display_name AS actor_name, a.actor_role, a.action, \
         a.target_type, a.target_id, t.display_name AS target_user_name, t.email AS target_user_email, \
         t.role AS target_user_role, o.name AS target_organisation, a.details, a.client_ip \
         {filter} ORDER BY a.id DESC LIMIT $5 OFFSET $6"
    );
    on_engine!(db, c => {
        let total: i64 = sqlx::query_scalar(&count)
            .bind(&action)
            .bind(&actor)
            .bind(from)
            .bind(until)
            .fetch_one(&mut *c)
            .await?;
        let rows = sqlx::query_as(&select)
            .bind(&action)
            .bind(&actor)
            .bind(from)
            .bind(until)
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&mut *c)
            .await?;
        Ok((rows, total as u64))
    })
}
