//! Patients: the account-to-pseudonym link, the records a patient sees, and the audit
//! entries about them. Claiming a record with its card's code is in [`claims`], the
//! registry's review of claims that look wrong in [`reviews`]; both are re-exported here.

mod claims;
mod reviews;

pub use claims::*;
pub use reviews::*;

use super::types::Timestamp;
use super::{Connection, on_engine};
use sqlx::FromRow;

/// The pseudonym linked to a patient account, if it has claimed a record.
pub async fn linked_pseudonym(
    db: &mut impl Connection,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_scalar("SELECT patient_pseudonym FROM patient_links WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(c)
        .await
    })
}

/// Links an account to the pseudonym of the person it belongs to.
pub async fn link(
    db: &mut impl Connection,
    user_id: i64,
    pseudonym: &str,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query(
        "INSERT INTO patient_links (user_id, patient_pseudonym, linked_at) VALUES ($1, $2, $3)",
    )
    .bind(user_id)
    .bind(pseudonym)
    .bind(now)
    .execute(c)
    .await
    .map(drop)
    })
}

/// How many accounts other than `user_id` are linked to this pseudonym.
pub async fn other_accounts_linked(
    db: &mut impl Connection,
    pseudonym: &str,
    user_id: i64,
) -> Result<i64, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM patient_links WHERE patient_pseudonym = $1 AND user_id <> $2",
    )
    .bind(pseudonym)
    .bind(user_id)
    .fetch_one(c)
    .await
    })
}

/// The records an account sees, newest procedure first: `(record id, organisation name)`.
/// Those whose current version carries the account's pseudonym, at the organisations where
/// the account has claimed a record with its card's code, and nowhere else: a pseudonym alone
/// is not proof of who someone is (any clinic can submit any pseudonym).
pub async fn records_of(
    db: &mut impl Connection,
    user_id: i64,
    pseudonym: &str,
) -> Result<Vec<(i64, String, Option<String>)>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(
        "SELECT p.id, o.name, o.contact FROM procedures p JOIN organisations o ON o.id = p.organisation_id \
         JOIN patient_claims c ON c.organisation_id = p.organisation_id AND c.user_id = $1 \
         JOIN procedure_versions v ON v.procedure_id = p.id AND v.version = p.current_version \
         WHERE p.patient_pseudonym = $2 ORDER BY v.procedure_date DESC, p.id DESC",
    )
    .bind(user_id)
    .bind(pseudonym)
    .fetch_all(c)
    .await
    })
}

/// An audit entry about a patient, with the actor's organisation.
#[derive(Debug, Clone, FromRow)]
pub struct AccessRow {
    pub at: Timestamp,
    pub action: String,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub organisation: Option<String>,
}

/// The audit entries an account may see about its pseudonym: its own actions, and actions on
/// the records it sees (not those on the person's records at organisations it has not
/// claimed at, nor another account's views).
const ACCESS_FILTER: &str = "FROM audit_log a LEFT JOIN organisations o ON o.id = a.actor_organisation_id \
     WHERE a.patient_pseudonym = $1 AND (a.actor_user_id = $2 OR (a.target_type = 'procedure' AND a.target_id IN \
     (SELECT CAST(p.id AS TEXT) FROM procedures p JOIN patient_claims c ON c.organisation_id = p.organisation_id \
      AND c.user_id = $2 WHERE p.patient_pseudonym = $1)))";

/// A page of those entries, newest first, and how many there are.
pub async fn access_entries(
    db: &mut impl Connection,
    user_id: i64,
    pseudonym: &str,
    limit: u32,
    offset: u32,
) -> Result<(Vec<AccessRow>, u64), sqlx::Error> {
    on_engine!(db, c => {
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {ACCESS_FILTER}"))
        .bind(pseudonym)
        .bind(user_id)
        .fetch_one(&mut *c)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT a.at, a.action, a.actor_user_id, a.actor_role, o.name AS organisation \
         {ACCESS_FILTER} ORDER BY a.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(pseudonym)
    .bind(user_id)
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(c)
    .await?;
    Ok((rows, total as u64))
    })
}
