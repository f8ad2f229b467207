//! Emails waiting to be sent: queued in the transaction that causes them, sent afterwards.

use sqlx::{FromRow, SqliteConnection};

use crate::clock;

/// Adds a message without its body (sealed next, bound to the new row); returns its id.
pub async fn insert(
    connection: &mut SqliteConnection,
    recipient: &str,
    subject: &str,
) -> Result<i64, sqlx::Error> {
    let now = clock::timestamp(clock::now());
    sqlx::query_scalar(
        "INSERT INTO mail_outbox (recipient, subject, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(recipient)
    .bind(subject)
    .bind(&now)
    .fetch_one(connection)
    .await
}

pub async fn set_body(
    connection: &mut SqliteConnection,
    id: i64,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_outbox SET body_sealed = $1 WHERE id = $2")
        .bind(sealed)
        .bind(id)
        .execute(connection)
        .await
        .map(drop)
}

#[derive(Debug, Clone, FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_sealed: Option<Vec<u8>>,
    pub attempts: i64,
}

/// Takes up to `limit` messages that are due, leasing each until `lease_until` so that no
/// other sender (another server process) takes them meanwhile.
pub async fn take_due(
    connection: &mut SqliteConnection,
    limit: i64,
    lease_until: &str,
) -> Result<Vec<QueuedMail>, sqlx::Error> {
    let now = clock::timestamp(clock::now());
    let due: Vec<QueuedMail> = sqlx::query_as(
        "SELECT id, recipient, subject, body_sealed, attempts FROM mail_outbox \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(&now)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    for mail in &due {
        sqlx::query("UPDATE mail_outbox SET next_attempt_at = $1 WHERE id = $2")
            .bind(lease_until)
            .bind(mail.id)
            .execute(&mut *connection)
            .await?;
    }
    Ok(due)
}

/// Marks a message sent and forgets its body.
pub async fn mark_sent(connection: &mut SqliteConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_outbox SET sent_at = $1, body_sealed = NULL WHERE id = $2")
        .bind(clock::timestamp(clock::now()))
        .bind(id)
        .execute(connection)
        .await
        .map(drop)
}

/// Records a failed attempt: tried again from `retry_at`, or given up when `None`.
pub async fn mark_failed(
    connection: &mut SqliteConnection,
    id: i64,
    error: &str,
    retry_at: Option<&str>,
) -> Result<(), sqlx::Error> {
    let now = clock::timestamp(clock::now());
    sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, \
         next_attempt_at = COALESCE($2, next_attempt_at), \
         failed_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END, \
         body_sealed = CASE WHEN $2 IS NULL THEN NULL ELSE body_sealed END WHERE id = $4",
    )
    .bind(error)
    .bind(retry_at)
    .bind(&now)
    .bind(id)
    .execute(connection)
    .await
    .map(drop)
}

/// Messages not yet sent nor given up.
pub async fn waiting(connection: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(connection)
    .await
}
