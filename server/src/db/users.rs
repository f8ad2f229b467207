//! Accounts: queries over `users`, `recovery_codes` and `account_tokens`.

use app::api::accounts::{AccountStatus, UserQuery, UserSummary};
use app::api::session::Role;
use sqlx::{FromRow, SqliteConnection, SqliteExecutor};

use crate::clock;

/// An account as the server needs it for signing in. Deliberately not `Serialize`: it holds
/// the password hash and the sealed second-factor secret.
#[derive(Debug, Clone, FromRow)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub password_hash: Option<String>,
    pub totp_secret: Option<Vec<u8>>,
    pub totp_pending_secret: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
    pub mfa_enrolled_at: Option<String>,
    pub failed_attempts: i64,
    pub locked_until: Option<String>,
    pub disabled_at: Option<String>,
}

impl Account {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Patient)
    }

    pub fn status(&self) -> AccountStatus {
        if self.disabled_at.is_some() {
            AccountStatus::Disabled
        } else if self.password_hash.is_none() {
            AccountStatus::Invited
        } else {
            AccountStatus::Active
        }
    }

    pub fn summary(&self) -> UserSummary {
        UserSummary {
            id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role(),
            organisation: self.organisation_name.clone(),
            status: self.status(),
            second_factor_enrolled: self.mfa_enrolled_at.is_some(),
        }
    }

    /// Whether a lock from repeated failures is still in force.
    pub fn locked(&self) -> Option<u64> {
        let until = clock::parse(self.locked_until.as_deref()?)?;
        let wait = until - clock::now();
        (wait.is_positive()).then(|| wait.whole_seconds().max(1) as u64)
    }
}

const SELECT: &str = "SELECT u.id, u.email, u.display_name, u.role, u.organisation_id, o.name AS organisation_name, \
    u.password_hash, u.totp_secret, u.totp_pending_secret, u.totp_last_step, u.mfa_enrolled_at, \
    u.failed_attempts, u.locked_until, u.disabled_at \
    FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id";

pub async fn by_email(
    executor: impl SqliteExecutor<'_>,
    email: &str,
) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE u.email = ?"))
        .bind(email)
        .fetch_optional(executor)
        .await
}

pub async fn by_id(
    executor: impl SqliteExecutor<'_>,
    id: i64,
) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE u.id = ?"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub password_hash: Option<&'a str>,
}

/// Inserts an account; `Ok(None)` when the email address is already taken.
pub async fn insert(
    connection: &mut SqliteConnection,
    user: NewUser<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO users (email, display_name, role, organisation_id, password_hash, password_changed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?5 IS NULL THEN NULL ELSE ?6 END)",
    )
    .bind(user.email)
    .bind(user.display_name)
    .bind(user.role.as_str())
    .bind(user.organisation_id)
    .bind(user.password_hash)
    .bind(clock::timestamp(clock::now()))
    .execute(&mut *connection)
    .await;
    match result {
        Ok(done) => Ok(Some(done.last_insert_rowid())),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Records a failed attempt; locks the account for `lock_minutes` once `max_failures` is reached.
/// Returns the seconds locked, if locked now.
pub async fn record_failure(
    connection: &mut SqliteConnection,
    id: i64,
    max_failures: i64,
    lock_minutes: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let failures: i64 = sqlx::query_scalar(
        "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ? RETURNING failed_attempts",
    )
    .bind(id)
    .fetch_one(&mut *connection)
    .await?;
    if failures >= max_failures {
        sqlx::query("UPDATE users SET locked_until = ?, failed_attempts = 0 WHERE id = ?")
            .bind(clock::timestamp_in(time::Duration::minutes(lock_minutes)))
            .bind(id)
            .execute(&mut *connection)
            .await?;
        return Ok(Some((lock_minutes * 60) as u64));
    }
    Ok(None)
}

pub async fn clear_failures(executor: impl SqliteExecutor<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?")
        .bind(id)
        .execute(executor)
        .await
        .map(drop)
}

pub async fn set_password(
    executor: impl SqliteExecutor<'_>,
    id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?",
    )
    .bind(hash)
    .bind(clock::timestamp(clock::now()))
    .bind(id)
    .execute(executor)
    .await
    .map(drop)
}

pub async fn set_pending_secret(
    executor: impl SqliteExecutor<'_>,
    id: i64,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET totp_pending_secret = ? WHERE id = ?")
        .bind(sealed)
        .bind(id)
        .execute(executor)
        .await
        .map(drop)
}

/// Makes the pending secret the active one, after a code from it was confirmed at `step`.
pub async fn activate_pending_secret(
    executor: impl SqliteExecutor<'_>,
    id: i64,
    step: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ?, \
         mfa_enrolled_at = ? WHERE id = ? AND totp_pending_secret IS NOT NULL",
    )
    .bind(step)
    .bind(clock::timestamp(clock::now()))
    .bind(id)
    .execute(executor)
    .await
    .map(drop)
}

/// Records the step of an accepted code, so that the code cannot be used again.
pub async fn set_last_step(
    executor: impl SqliteExecutor<'_>,
    id: i64,
    step: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET totp_last_step = ? WHERE id = ?")
        .bind(step)
        .bind(id)
        .execute(executor)
        .await
        .map(drop)
}

pub async fn replace_recovery_codes(
    connection: &mut SqliteConnection,
    id: i64,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = ?")
        .bind(id)
        .execute(&mut *connection)
        .await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)")
            .bind(id)
            .bind(hash)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Marks an unused recovery code used; true if there was one.
pub async fn use_recovery_code(
    executor: impl SqliteExecutor<'_>,
    id: i64,
    hash: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
    )
    .bind(clock::timestamp(clock::now()))
    .bind(id)
    .bind(hash)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn set_disabled(
    executor: impl SqliteExecutor<'_>,
    id: i64,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET disabled_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?")
        .bind(disabled)
        .bind(clock::timestamp(clock::now()))
        .bind(id)
        .execute(executor)
        .await
        .map(drop)
}

/// A page of accounts matching `query`, optionally limited to one organisation.
pub async fn search(
    connection: &mut SqliteConnection,
    query: &UserQuery,
    organisation: Option<i64>,
    page_size: u32,
) -> Result<(Vec<Account>, u64), sqlx::Error> {
    let page = query.page.max(1);
    let search = format!("%{}%", query.search.trim());
    let role = query.role.map(Role::as_str);
    let filter = "WHERE (u.email LIKE ?1 OR u.display_name LIKE ?1) AND (?2 IS NULL OR u.role = ?2) \
                  AND (?3 IS NULL OR u.organisation_id = ?3)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM users u {filter}"))
        .bind(&search)
        .bind(role)
        .bind(organisation)
        .fetch_one(&mut *connection)
        .await?;
    let accounts = sqlx::query_as(&format!(
        "{SELECT} {filter} ORDER BY u.display_name, u.id LIMIT ?4 OFFSET ?5"
    ))
    .bind(&search)
    .bind(role)
    .bind(organisation)
    .bind(i64::from(page_size))
    .bind(i64::from((page - 1) * page_size))
    .fetch_all(&mut *connection)
    .await?;
    Ok((accounts, total as u64))
}

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
    connection: &mut SqliteConnection,
    user_id: i64,
    token_hash: &str,
    purpose: LinkPurpose,
    valid_for: time::Duration,
) -> Result<(), sqlx::Error> {
    let now = clock::timestamp(clock::now());
    sqlx::query("UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL")
        .bind(&now)
        .bind(user_id)
        .execute(&mut *connection)
        .await?;
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(&now)
    .bind(clock::timestamp_in(valid_for))
    .execute(&mut *connection)
    .await
    .map(drop)
}

/// The user and purpose of a link that is unused and unexpired.
pub async fn open_link(
    executor: impl SqliteExecutor<'_>,
    token_hash: &str,
) -> Result<Option<(i64, LinkPurpose)>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT t.user_id, t.purpose FROM account_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > ? AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(clock::timestamp(clock::now()))
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|(user, purpose)| {
        let purpose = if purpose == "invitation" {
            LinkPurpose::Invitation
        } else {
            LinkPurpose::PasswordReset
        };
        (user, purpose)
    }))
}

/// Uses up a link; false if it was used meanwhile (two tabs, one link).
pub async fn consume_link(
    executor: impl SqliteExecutor<'_>,
    token_hash: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
    )
    .bind(clock::timestamp(clock::now()))
    .bind(token_hash)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}
