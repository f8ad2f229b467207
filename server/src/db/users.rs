//! Accounts: queries over `users`. Here: reading and adding accounts, sign-in attempts and
//! locks, passwords, disabling, the administrators' search. The second factor (authenticator
//! secret, recovery codes) is in [`second_factor`], single-use email links (`account_tokens`)
//! in [`links`]; both are re-exported here.

mod links;
mod second_factor;

pub use links::*;
pub use second_factor::*;

use super::types::Timestamp;
use super::{Connection, on_engine};
use app::api::accounts::{AccountStatus, UserQuery, UserSummary};
use app::api::session::Role;
use sqlx::FromRow;

/// An account as the server needs it for signing in. Deliberately not `Serialize`: it holds
/// the password hash and the sealed second-factor secret.
#[derive(Debug, Clone, FromRow)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub password_hash: Option<String>,
    pub totp_secret: Option<Vec<u8>>,
    pub totp_pending_secret: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
    pub mfa_enrolled_at: Option<Timestamp>,
    pub failed_attempts: i64,
    pub locked_until: Option<Timestamp>,
    pub disabled_at: Option<Timestamp>,
    /// Set only by the demo seed (and tests standing in for an invitation): the first
    /// authenticator may be set up after a password sign-in instead of from the invitation.
    pub first_enrolment_by_password: bool,
}

impl Account {
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
            role: self.role,
            organisation: self.organisation_name.clone(),
            status: self.status(),
            second_factor_enrolled: self.mfa_enrolled_at.is_some(),
        }
    }

    /// Seconds a lock from repeated failures is still in force for, if it is.
    pub fn locked(&self, now: Timestamp) -> Option<u64> {
        let wait = self.locked_until? - now;
        (wait.is_positive()).then(|| wait.whole_seconds().max(1) as u64)
    }
}

const SELECT: &str = "SELECT u.id, u.email, u.display_name, u.role, u.organisation_id, o.name AS organisation_name, \
    u.password_hash, u.totp_secret, u.totp_pending_secret, u.totp_last_step, u.mfa_enrolled_at, \
    u.failed_attempts, u.locked_until, u.disabled_at, u.first_enrolment_by_password \
    FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id";

pub async fn by_email(
    db: &mut impl Connection,
    email: &str,
) -> Result<Option<Account>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(&format!("{SELECT} WHERE u.email = $1"))
        .bind(email)
        .fetch_optional(c)
        .await
    })
}

pub async fn by_id(db: &mut impl Connection, id: i64) -> Result<Option<Account>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(&format!("{SELECT} WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub password_hash: Option<&'a str>,
    /// Only the demo seed (and tests standing in for an invitation) set this.
    pub first_enrolment_by_password: bool,
}

pub async fn count(db: &mut impl Connection) -> Result<i64, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(c)
        .await
    })
}

/// Inserts an account; `Ok(None)` when the email address is already taken.
pub async fn insert(
    db: &mut impl Connection,
    user: NewUser<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let result = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, role, organisation_id, password_hash, password_changed_at, \
         first_enrolment_by_password) VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 IS NULL THEN NULL ELSE $6 END, $7) \
         RETURNING id",
    )
    .bind(user.email)
    .bind(user.display_name)
    .bind(user.role.as_str())
    .bind(user.organisation_id)
    .bind(user.password_hash)
    .bind(now)
    .bind(user.first_enrolment_by_password)
    .fetch_one(&mut *c)
    .await;
    match result {
        Ok(id) => Ok(Some(id)),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error),
    }
    })
}

/// An attempt at an account's password or second factor, counted before it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The attempt's number since the last success or lock (1 for the first).
    Counted(i64),
    /// The account is locked until this many seconds from now.
    Locked(u64),
}

/// Counts an attempt against the account, unless it is locked. Counting first, in one
/// statement, is what stops simultaneous attempts all being checked before any is counted.
pub async fn count_attempt(db: &mut impl Connection, id: i64) -> Result<Attempt, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let counted: Option<i64> = sqlx::query_scalar(
        "UPDATE users SET failed_attempts = failed_attempts + 1, locked_until = NULL \
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING failed_attempts",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(&mut *c)
    .await?;
    if let Some(number) = counted {
        return Ok(Attempt::Counted(number));
    }
    let until: Option<Timestamp> =
        sqlx::query_scalar("SELECT locked_until FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await?
            .flatten();
    let seconds = until
        .map(|until| (until - now).whole_seconds().max(1) as u64)
        .unwrap_or(1);
    Ok(Attempt::Locked(seconds))
    })
}

/// Locks the account for `minutes` and starts its count again.
pub async fn lock(db: &mut impl Connection, id: i64, minutes: i64) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query("UPDATE users SET locked_until = $1, failed_attempts = 0 WHERE id = $2")
        .bind(now + time::Duration::minutes(minutes))
        .bind(id)
        .execute(c)
        .await
        .map(drop)
    })
}

pub async fn clear_failures(db: &mut impl Connection, id: i64) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(drop)
    })
}

pub async fn set_password(
    db: &mut impl Connection,
    id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, failed_attempts = 0, locked_until = NULL WHERE id = $3",
    )
    .bind(hash)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(drop)
    })
}

pub async fn set_disabled(
    db: &mut impl Connection,
    id: i64,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query("UPDATE users SET disabled_at = CASE WHEN $1 THEN $2 ELSE NULL END WHERE id = $3")
        .bind(disabled)
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(drop)
    })
}

/// A page of accounts matching `query`, optionally limited to one organisation.
pub async fn search(
    db: &mut impl Connection,
    query: &UserQuery,
    organisation: Option<i64>,
    page_size: u32,
) -> Result<(Vec<Account>, u64), sqlx::Error> {
    on_engine!(db, c => {
    let page = query.page.max(1);
    // Case-insensitive on every engine (PostgreSQL's LIKE is case-sensitive).
    let search = format!("%{}%", query.search.trim().to_lowercase());
    let role = query.role.map(Role::as_str);
    let filter = "WHERE (lower(u.email) LIKE $1 OR lower(u.display_name) LIKE $1) AND ($2 IS NULL OR u.role = $2) \
                  AND ($3 IS NULL OR u.organisation_id = $3)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM users u {filter}"))
        .bind(&search)
        .bind(role)
        .bind(organisation)
        .fetch_one(&mut *c)
        .await?;
    let accounts = sqlx::query_as(&format!(
        "{SELECT} {filter} ORDER BY u.display_name, u.id LIMIT $4 OFFSET $5"
    ))
    .bind(&search)
    .bind(role)
    .bind(organisation)
    .bind(i64::from(page_size))
    .bind(i64::from((page - 1) * page_size))
    .fetch_all(&mut *c)
    .await?;
    Ok((accounts, total as u64))
    })
}
