//! Sessions: stored by the hash of their token, with a stage (password only, enrolling, or
//! fully signed in), an idle clock and an absolute expiry.

use app::api::session::Role;
use sqlx::{FromRow, SqliteExecutor};

use crate::clock;

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
    last_seen_at: String,
}

/// A live session and its account.
#[derive(Debug, Clone)]
pub struct Live {
    pub user_id: i64,
    pub stage: Stage,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub last_seen_at: String,
}

pub async fn create(
    executor: impl SqliteExecutor<'_>,
    token_hash: &str,
    user_id: i64,
    stage: Stage,
    absolute: time::Duration,
) -> Result<(), sqlx::Error> {
    let now = clock::timestamp(clock::now());
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, stage, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(stage.as_str())
    .bind(&now)
    .bind(&now)
    .bind(clock::timestamp_in(absolute))
    .execute(executor)
    .await
    .map(drop)
}

/// The session if it is unexpired, not idle too long, and its account is enabled.
pub async fn find_live(
    executor: impl SqliteExecutor<'_>,
    token_hash: &str,
    idle: time::Duration,
) -> Result<Option<Live>, sqlx::Error> {
    let now = clock::now();
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.user_id, s.stage, u.role, u.organisation_id, s.last_seen_at FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(clock::timestamp(now))
    .bind(clock::timestamp(now - idle))
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|row| Live {
        user_id: row.user_id,
        stage: row.stage,
        role: row.role,
        organisation_id: row.organisation_id,
        last_seen_at: row.last_seen_at,
    }))
}

pub async fn touch(executor: impl SqliteExecutor<'_>, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(clock::timestamp(clock::now()))
        .bind(token_hash)
        .execute(executor)
        .await
        .map(drop)
}

/// Moves a session to a new stage under a new token (a new session id at every privilege
/// change, so a token seen before sign-in completed is worthless after).
pub async fn promote(
    executor: impl SqliteExecutor<'_>,
    old_hash: &str,
    new_hash: &str,
    stage: Stage,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE sessions SET token_hash = $1, stage = $2, last_seen_at = $3 WHERE token_hash = $4",
    )
    .bind(new_hash)
    .bind(stage.as_str())
    .bind(clock::timestamp(clock::now()))
    .bind(old_hash)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn delete(
    executor: impl SqliteExecutor<'_>,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(executor)
        .await
        .map(drop)
}

/// Ends every session of a user (or all but one).
pub async fn delete_all_for_user(
    executor: impl SqliteExecutor<'_>,
    user_id: i64,
    except: Option<&str>,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash IS NOT $2")
        .bind(user_id)
        .bind(except)
        .execute(executor)
        .await
        .map(|result| result.rows_affected())
}

/// Removes expired sessions; run now and then.
pub async fn purge_expired(
    executor: impl SqliteExecutor<'_>,
    idle: time::Duration,
) -> Result<u64, sqlx::Error> {
    let now = clock::now();
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(clock::timestamp(now))
        .bind(clock::timestamp(now - idle))
        .execute(executor)
        .await
        .map(|result| result.rows_affected())
}
