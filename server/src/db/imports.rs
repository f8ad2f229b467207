//! Register imports: the upload's files and how much has arrived, the import's progress, and
//! its report once finished.

use sqlx::FromRow;

use super::types::Timestamp;
use super::{Connection, on_engine};

#[derive(Debug, Clone, FromRow)]
pub struct ImportRow {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub files: String,
    pub started_by: Option<i64>,
    pub created_at: Timestamp,
    pub rows_read: i64,
    pub bytes_read: i64,
    pub report: Option<String>,
    pub failure: Option<String>,
}

pub async fn insert(
    db: &mut impl Connection,
    id: &str,
    kind: &str,
    files: &str,
    started_by: Option<i64>,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => sqlx::query(
        "INSERT INTO device_imports (id, kind, state, files, started_by, created_at, updated_at) \
         VALUES ($1, $2, 'uploading', $3, $4, $5, $5)",
    )
    .bind(id)
    .bind(kind)
    .bind(files)
    .bind(started_by)
    .bind(now)
    .execute(c)
    .await
    .map(drop))
}

pub async fn get(db: &mut impl Connection, id: &str) -> Result<Option<ImportRow>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT id, kind, state, files, started_by, created_at, rows_read, bytes_read, report, failure \
         FROM device_imports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// Imports of this person still uploading or running.
pub async fn open_of(db: &mut impl Connection, user_id: i64) -> Result<i64, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM device_imports WHERE started_by = $1 AND state IN ('uploading', 'running')",
    )
    .bind(user_id)
    .fetch_one(c)
    .await)
}

/// Uploads nobody finished since `before`: given up (their files are removed by the caller).
pub async fn abandon_older_than(
    db: &mut impl Connection,
    before: Timestamp,
) -> Result<Vec<String>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar(
        "UPDATE device_imports SET state = 'failed', failure = 'The upload was not finished within a day' \
         WHERE state = 'uploading' AND updated_at < $1 RETURNING id",
    )
    .bind(before)
    .fetch_all(c)
    .await)
}

/// Moves an import from `from` to `to`; `false` if it was not in `from`.
pub async fn change_state(
    db: &mut impl Connection,
    id: &str,
    from: &str,
    to: &str,
) -> Result<bool, sqlx::Error> {
    let now = db.now();
    let done = on_engine!(db, c => sqlx::query(
        "UPDATE device_imports SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(now)
    .execute(c)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

pub async fn set_files(db: &mut impl Connection, id: &str, files: &str) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => sqlx::query("UPDATE device_imports SET files = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(files)
        .bind(now)
        .execute(c)
        .await
        .map(drop))
}

pub async fn set_progress(
    db: &mut impl Connection,
    id: &str,
    rows_read: u64,
    bytes_read: u64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => sqlx::query(
        "UPDATE device_imports SET rows_read = $2, bytes_read = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(rows_read as i64)
    .bind(bytes_read as i64)
    .bind(now)
    .execute(c)
    .await
    .map(drop))
}

/// The end of an import: its report, or why it failed.
pub async fn finish(
    db: &mut impl Connection,
    id: &str,
    report: Result<&str, &str>,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    let (state, report, failure) = match report {
        Ok(report) => ("finished", Some(report), None),
        Err(failure) => ("failed", None, Some(failure)),
    };
    on_engine!(db, c => sqlx::query(
        "UPDATE device_imports SET state = $2, report = $3, failure = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(report)
    .bind(failure)
    .bind(now)
    .execute(c)
    .await
    .map(drop))
}
