//! Sessions: stored by the hash of their token, with a stage (password only, enrolling, or
//! fully signed in), an idle clock and an absolute expiry.

use super::types::Timestamp;
use super::{Connection, on_engine};
use app::api::session::Role;
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Password,
    Enrolment,
    Full,
}

impl Stage {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Enrolment => "enrolment",
            Self::Full => "full",
        }
    }
}

impl TryFrom<String> for Stage {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        match text.as_str() {
            "full" => Ok(Self::Full),
            "enrolment" => Ok(Self::Enrolment),
            "password" => Ok(Self::Password),
            other => Err(format!("unknown session stage {other:?}")),
        }
    }
}

#[derive(Debug, Clone, FromRow)]
struct Row {
    user_id: i64,
    #[sqlx(try_from = "String")]
    stage: Stage,
    #[sqlx(try_from = "String")]
    role: Role,
    organisation_id: Option<i64>,
    last_seen_at: Timestamp,
}

/// A live session and its account.
#[derive(Debug, Clone)]
pub struct Live {
    pub user_id: i64,
    pub stage: Stage,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub last_seen_at: Timestamp,
}

pub async fn create(
    db: &mut impl Connection,
    token_hash: &str,
    user_id: i64,
    stage: Stage,
    absolute: time::Duration,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, stage, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(stage.as_str())
    .bind(now)
    .bind(now)
    .bind(now + absolute)
    .execute(c)
    .await
    .map(drop)
    })
}

/// The session if it is unexpired, not idle too long, and its account is enabled.
pub async fn find_live(
    db: &mut impl Connection,
    token_hash: &str,
    idle: time::Duration,
) -> Result<Option<Live>, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.user_id, s.stage, u.role, u.organisation_id, s.last_seen_at FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .bind(now - idle)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|row| Live {
        user_id: row.user_id,
        stage: row.stage,
        role: row.role,
        organisation_id: row.organisation_id,
        last_seen_at: row.last_seen_at,
    }))
    })
}

pub async fn touch(db: &mut impl Connection, token_hash: &str) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(c)
        .await
        .map(drop)
    })
}

/// Moves a session to a new stage under a new token (a new session id at every privilege
/// change, so a token seen before sign-in completed is worthless after).
pub async fn promote(
    db: &mut impl Connection,
    old_hash: &str,
    new_hash: &str,
    stage: Stage,
) -> Result<bool, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let result = sqlx::query(
        "UPDATE sessions SET token_hash = $1, stage = $2, last_seen_at = $3 WHERE token_hash = $4",
    )
    .bind(new_hash)
    .bind(stage.as_str())
    .bind(now)
    .bind(old_hash)
    .execute(c)
    .await?;
    Ok(result.rows_affected() == 1)
    })
}

pub async fn delete(db: &mut impl Connection, token_hash: &str) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(c)
        .await
        .map(drop)
    })
}

/// Ends every session of a user (or all but one).
pub async fn delete_all_for_user(
    db: &mut impl Connection,
    user_id: i64,
    except: Option<&str>,
) -> Result<u64, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2")
        .bind(user_id)
        .bind(except)
        .execute(c)
        .await
        .map(|result| result.rows_affected())
    })
}

/// Removes expired sessions; run now and then.
pub async fn purge_expired(
    db: &mut impl Connection,
    idle: time::Duration,
) -> Result<u64, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - idle)
        .execute(c)
        .await
        .map(|result| result.rows_affected())
    })
}
