//! Single-use links emailed to a person (an invitation, a password reset): `account_tokens`,
//! stored as hashes, each valid for a while and used up once opened.

use crate::db::{Connection, on_engine};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Invitation,
    PasswordReset,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
        }
    }
}

/// Stores a new single-use link token (its hash), invalidating the user's earlier ones.
pub async fn create_link(
    db: &mut impl Connection,
    user_id: i64,
    token_hash: &str,
    purpose: LinkPurpose,
    valid_for: time::Duration,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(now)
    .bind(now + valid_for)
    .execute(&mut *c)
    .await
    .map(drop)
    })
}

/// The user and purpose of a link that is unused and unexpired.
pub async fn open_link(
    db: &mut impl Connection,
    token_hash: &str,
) -> Result<Option<(i64, LinkPurpose)>, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT t.user_id, t.purpose FROM account_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(user, purpose)| {
        let purpose = if purpose == "invitation" {
            LinkPurpose::Invitation
        } else {
            LinkPurpose::PasswordReset
        };
        (user, purpose)
    }))
    })
}

/// Uses up a link; false if it was used meanwhile (two tabs, one link).
pub async fn consume_link(db: &mut impl Connection, token_hash: &str) -> Result<bool, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let result = sqlx::query(
        "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(token_hash)
    .execute(c)
    .await?;
    Ok(result.rows_affected() == 1)
    })
}
