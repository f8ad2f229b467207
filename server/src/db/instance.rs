//! The one row describing this registry instance: its id, and the ids of the keys its data
//! was made with.

use super::{Connection, on_engine};
use sqlx::FromRow;

#[derive(Debug, Clone, Default, FromRow)]
pub struct RecordedKeys {
    pub account_key_id: Option<String>,
    pub pseudonym_key_id: Option<String>,
    pub audit_key_id: Option<String>,
    pub secrets_bound: bool,
}

pub async fn recorded_keys(db: &mut impl Connection) -> Result<RecordedKeys, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(
        "SELECT account_key_id, pseudonym_key_id, audit_key_id, secrets_bound FROM instance WHERE id = 1",
    )
    .fetch_one(c)
    .await
    })
}

/// Which key: the column its id is recorded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Account,
    Pseudonym,
    Audit,
}

pub async fn record_key(
    db: &mut impl Connection,
    kind: KeyKind,
    id: &str,
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    let sql = match kind {
        KeyKind::Account => "UPDATE instance SET account_key_id = $1 WHERE id = 1",
        KeyKind::Pseudonym => "UPDATE instance SET pseudonym_key_id = $1 WHERE id = 1",
        KeyKind::Audit => "UPDATE instance SET audit_key_id = $1 WHERE id = 1",
    };
    sqlx::query(sql)
        .bind(id)
        .execute(c)
        .await
        .map(drop)
    })
}

pub async fn mark_secrets_bound(db: &mut impl Connection) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("UPDATE instance SET secrets_bound = TRUE WHERE id = 1")
        .execute(c)
        .await
        .map(drop)
    })
}

/// True while the database holds nothing that depends on the account or pseudonym keys.
pub async fn holds_no_data(db: &mut impl Connection) -> Result<bool, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_scalar(
        "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM procedures)",
    )
    .fetch_one(c)
    .await
    })
}
