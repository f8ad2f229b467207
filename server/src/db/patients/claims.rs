//! Claiming a record with the claim code from its implant card: the record a code belongs to,
//! failed attempts counted against it, the claim noted (once per organisation, so the same
//! person's other records there are seen too), and the pseudonym evaluation a claim may use.

use sqlx::FromRow;

use crate::db::types::Timestamp;
use crate::db::{Connection, on_engine};

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
