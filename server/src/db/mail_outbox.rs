//! Emails waiting to be sent: queued in the transaction that causes them, sent afterwards.

use sqlx::FromRow;

use super::types::Timestamp;
use super::{Conn, Connection, on_engine};

/// Adds a message without its body (sealed next, bound to the new row); returns its id.
pub async fn insert(
    db: &mut impl Connection,
    recipient: &str,
    subject: &str,
) -> Result<i64, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => sqlx::query_scalar(
        "INSERT INTO mail_outbox (recipient, subject, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(recipient)
    .bind(subject)
    .bind(now)
    .fetch_one(c)
    .await)
}

pub async fn set_body(db: &mut impl Connection, id: i64, sealed: &[u8]) -> Result<(), sqlx::Error> {
    on_engine!(db, c => sqlx::query("UPDATE mail_outbox SET body_sealed = $1 WHERE id = $2")
        .bind(sealed)
        .bind(id)
        .execute(c)
        .await
        .map(drop))
}

#[derive(Debug, Clone, FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_sealed: Option<Vec<u8>>,
    pub attempts: i64,
}

const DUE: &str = "SELECT id, recipient, subject, body_sealed, attempts FROM mail_outbox \
     WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
     ORDER BY next_attempt_at, id LIMIT $2";

/// Takes up to `limit` messages that are due, leasing each until `lease_until` so that no
/// other sender (another server process) takes them meanwhile.
pub async fn take_due(
    db: &mut impl Connection,
    limit: i64,
    lease_until: Timestamp,
) -> Result<Vec<QueuedMail>, sqlx::Error> {
    let now = db.now();
    let due: Vec<QueuedMail> = match db.conn() {
        // One writer at a time: nobody else can take them between the read and the lease.
        Conn::Sqlite(c) => {
            sqlx::query_as(DUE)
                .bind(now)
                .bind(limit)
                .fetch_all(c)
                .await?
        }
        // Senders in other processes skip the rows this one has locked.
        Conn::Postgres(c) => {
            sqlx::query_as(&format!("{DUE} FOR UPDATE SKIP LOCKED"))
                .bind(now)
                .bind(limit)
                .fetch_all(c)
                .await?
        }
    };
    for mail in &due {
        on_engine!(db, c => sqlx::query("UPDATE mail_outbox SET next_attempt_at = $1 WHERE id = $2")
            .bind(lease_until)
            .bind(mail.id)
            .execute(c)
            .await
            .map(drop))?;
    }
    Ok(due)
}

/// Marks a message sent and forgets its body.
pub async fn mark_sent(db: &mut impl Connection, id: i64) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => sqlx::query(
        "UPDATE mail_outbox SET sent_at = $1, body_sealed = NULL WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(drop))
}

/// Records a failed attempt: tried again from `retry_at`, or given up (and its body
/// forgotten) when `None`.
pub async fn mark_failed(
    db: &mut impl Connection,
    id: i64,
    error: &str,
    retry_at: Option<Timestamp>,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    let (next_attempt, failed_at) = match retry_at {
        Some(retry_at) => (retry_at, None),
        None => (now, Some(now)),
    };
    on_engine!(db, c => sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, \
         failed_at = $3, body_sealed = CASE WHEN $4 THEN NULL ELSE body_sealed END WHERE id = $5",
    )
    .bind(error)
    .bind(next_attempt)
    .bind(failed_at)
    .bind(failed_at.is_some())
    .bind(id)
    .execute(c)
    .await
    .map(drop))
}

/// Messages not yet sent nor given up.
pub async fn waiting(db: &mut impl Connection) -> Result<i64, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(c)
    .await)
}
