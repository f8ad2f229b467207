//! Patients: the account-to-pseudonym link, claim codes, the records and notices a patient
//! sees, and the audit entries about them.

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

/// Records that the account claimed a record at this organisation (once per organisation).
pub async fn add_claim(
    db: &mut impl Connection,
    user_id: i64,
    organisation_id: i64,
    procedure_id: i64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query(
        "INSERT INTO patient_claims (user_id, organisation_id, procedure_id, claimed_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, organisation_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(organisation_id)
    .bind(procedure_id)
    .bind(now)
    .execute(c)
    .await
    .map(drop)
    })
}

/// Removes the account's claim at an organisation (and its link, if that was its last).
pub async fn remove_claim(
    db: &mut impl Connection,
    user_id: i64,
    organisation_id: i64,
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("DELETE FROM patient_claims WHERE user_id = $1 AND organisation_id = $2")
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "DELETE FROM patient_links WHERE user_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM patient_claims WHERE user_id = $1)",
    )
    .bind(user_id)
    .execute(c)
    .await
    .map(drop)
    })
}

/// Allows `user_id` one pseudonym evaluation's worth of claim on this record.
pub async fn grant_claim_evaluation(
    db: &mut impl Connection,
    user_id: i64,
    procedure_id: i64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query(
        "INSERT INTO claim_evaluations (user_id, procedure_id, granted_at) VALUES ($1, $2, $3)",
    )
    .bind(user_id)
    .bind(procedure_id)
    .bind(now)
    .execute(c)
    .await
    .map(drop)
    })
}

/// Uses up the newest unused evaluation granted to `user_id` for this record since `since`;
/// false if there is none.
pub async fn use_claim_evaluation(
    db: &mut impl Connection,
    user_id: i64,
    procedure_id: i64,
    since: Timestamp,
) -> Result<bool, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let used = sqlx::query(
        "UPDATE claim_evaluations SET used_at = $1 WHERE id = (SELECT id FROM claim_evaluations \
         WHERE user_id = $2 AND procedure_id = $3 AND used_at IS NULL AND granted_at >= $4 \
         ORDER BY id DESC LIMIT 1)",
    )
    .bind(now)
    .bind(user_id)
    .bind(procedure_id)
    .bind(since)
    .execute(c)
    .await?;
    Ok(used.rows_affected() == 1)
    })
}

/// Whether staff of the organisation used this client address since `since` (any audited
/// action by them from it).
pub async fn staff_used_address(
    db: &mut impl Connection,
    organisation_id: i64,
    client_ip: &str,
    since: Timestamp,
) -> Result<bool, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM audit_log WHERE client_ip = $1 AND at >= $2 \
         AND actor_organisation_id = $3)",
    )
    .bind(client_ip)
    .bind(since)
    .bind(organisation_id)
    .fetch_one(c)
    .await
    })
}

/// Flags a claim for the registry to review; `reasons` are codes separated by spaces.
pub async fn flag_claim(
    db: &mut impl Connection,
    user_id: i64,
    organisation_id: i64,
    procedure_id: i64,
    reasons: &str,
) -> Result<i64, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query_scalar(
        "INSERT INTO claim_reviews (user_id, organisation_id, procedure_id, reasons, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(organisation_id)
    .bind(procedure_id)
    .bind(reasons)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

/// A flagged claim, as the registry's review list shows it.
#[derive(Debug, Clone, FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub organisation_id: i64,
    pub organisation: String,
    pub procedure_id: i64,
    pub reasons: String,
    pub created_at: Timestamp,
    /// Other accounts claiming the same person.
    pub other_accounts: i64,
}

/// Flagged claims not yet reviewed, oldest first, and how many there are.
pub async fn open_reviews(
    db: &mut impl Connection,
    limit: u32,
    offset: u32,
) -> Result<(Vec<ReviewRow>, u64), sqlx::Error> {
    on_engine!(db, c => {
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM claim_reviews WHERE reviewed_at IS NULL")
            .fetch_one(&mut *c)
            .await?;
    let rows = sqlx::query_as(
        "SELECT r.id, r.user_id, u.email, u.display_name, r.organisation_id, o.name AS organisation, \
         r.procedure_id, r.reasons, r.created_at, \
         (SELECT COUNT(*) FROM patient_links other JOIN patient_links mine ON mine.user_id = r.user_id \
          WHERE other.patient_pseudonym = mine.patient_pseudonym AND other.user_id <> r.user_id) AS other_accounts \
         FROM claim_reviews r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = r.organisation_id \
         WHERE r.reviewed_at IS NULL ORDER BY r.id LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(c)
    .await?;
    Ok((rows, total as u64))
    })
}

pub async fn review(
    db: &mut impl Connection,
    review_id: i64,
) -> Result<Option<ReviewRow>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(
        "SELECT r.id, r.user_id, u.email, u.display_name, r.organisation_id, o.name AS organisation, \
         r.procedure_id, r.reasons, r.created_at, CAST(0 AS BIGINT) AS other_accounts \
         FROM claim_reviews r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = r.organisation_id \
         WHERE r.id = $1 AND r.reviewed_at IS NULL",
    )
    .bind(review_id)
    .fetch_optional(c)
    .await
    })
}

/// Closes a review with its outcome (`kept` or `removed`).
pub async fn close_review(
    db: &mut impl Connection,
    review_id: i64,
    reviewer: i64,
    outcome: &str,
) -> Result<bool, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let closed = sqlx::query(
        "UPDATE claim_reviews SET reviewed_at = $1, reviewed_by = $2, outcome = $3 \
         WHERE id = $4 AND reviewed_at IS NULL",
    )
    .bind(now)
    .bind(reviewer)
    .bind(outcome)
    .bind(review_id)
    .execute(c)
    .await?;
    Ok(closed.rows_affected() == 1)
    })
}

/// The record a claim code belongs to.
#[derive(Debug, Clone, FromRow)]
pub struct ClaimTarget {
    pub id: i64,
    pub organisation_id: i64,
    pub created_at: Timestamp,
    pub patient_pseudonym: Option<String>,
    pub claim_code_expires_at: Option<Timestamp>,
    pub claimed_at: Option<Timestamp>,
    pub claimed_by: Option<i64>,
    pub claim_failures: i64,
}

pub async fn claim_target(
    db: &mut impl Connection,
    code_hash: &str,
) -> Result<Option<ClaimTarget>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(
        "SELECT id, organisation_id, created_at, patient_pseudonym, claim_code_expires_at, claimed_at, \
         claimed_by, claim_failures FROM procedures WHERE claim_code_hash = $1",
    )
    .bind(code_hash)
    .fetch_optional(c)
    .await
    })
}

pub async fn count_claim_failure(
    db: &mut impl Connection,
    record_id: i64,
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("UPDATE procedures SET claim_failures = claim_failures + 1 WHERE id = $1")
        .bind(record_id)
        .execute(c)
        .await?;
    Ok(())
    })
}

pub async fn mark_claimed(
    db: &mut impl Connection,
    record_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query(
        "UPDATE procedures SET claimed_at = $1, claimed_by = $2 WHERE id = $3 AND claimed_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(record_id)
    .execute(c)
    .await?;
    Ok(())
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
