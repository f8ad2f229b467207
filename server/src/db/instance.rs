//! The one row describing this registry instance: its id, and the ids of the keys its data
//! was made with.

use sqlx::{FromRow, SqliteConnection};

#[derive(Debug, Clone, Default, FromRow)]
pub struct RecordedKeys {
    pub account_key_id: Option<String>,
    pub pseudonym_key_id: Option<String>,
    pub audit_key_id: Option<String>,
    pub secrets_bound: bool,
}

pub async fn recorded_keys(connection: &mut SqliteConnection) -> Result<RecordedKeys, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_key_id, pseudonym_key_id, audit_key_id, secrets_bound FROM instance WHERE id = 1",
    )
    .fetch_one(connection)
    .await
}

/// Which key: the column its id is recorded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Account,
    Pseudonym,
    Audit,
}

pub async fn record_key(
    connection: &mut SqliteConnection,
    kind: KeyKind,
    id: &str,
) -> Result<(), sqlx::Error> {
    let sql = match kind {
        KeyKind::Account => "UPDATE instance SET account_key_id = $1 WHERE id = 1",
        KeyKind::Pseudonym => "UPDATE instance SET pseudonym_key_id = $1 WHERE id = 1",
        KeyKind::Audit => "UPDATE instance SET audit_key_id = $1 WHERE id = 1",
    };
    sqlx::query(sql)
        .bind(id)
        .execute(connection)
        .await
        .map(drop)
}

pub async fn mark_secrets_bound(connection: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE instance SET secrets_bound = TRUE WHERE id = 1")
        .execute(connection)
        .await
        .map(drop)
}

/// True while the database holds nothing that depends on the account or pseudonym keys.
pub async fn holds_no_data(connection: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM procedures)",
    )
    .fetch_one(connection)
    .await
}
