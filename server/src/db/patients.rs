//! Patients: the account-to-pseudonym link, claim codes, the records and notices a patient
//! sees, and the audit entries about them.

use app::api::patients::SafetyNotice;
use domain::calendar::CalendarDate;
use sqlx::{FromRow, SqliteConnection, SqliteExecutor};

use crate::clock;

/// The pseudonym linked to a patient account, if it has claimed a record.
pub async fn linked_pseudonym(
    executor: impl SqliteExecutor<'_>,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT patient_pseudonym FROM patient_links WHERE user_id = ?")
        .bind(user_id)
        .fetch_optional(executor)
        .await
}

/// Links an account to a pseudonym. `Ok(false)` when the pseudonym is already linked to
/// another account.
pub async fn link(
    connection: &mut SqliteConnection,
    user_id: i64,
    pseudonym: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO patient_links (user_id, patient_pseudonym, linked_at) VALUES (?, ?, ?)",
    )
    .bind(user_id)
    .bind(pseudonym)
    .bind(clock::timestamp(clock::now()))
    .execute(connection)
    .await;
    match result {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(false),
        Err(error) => Err(error),
    }
}

/// The record a claim code belongs to.
#[derive(Debug, Clone, FromRow)]
pub struct ClaimTarget {
    pub id: i64,
    pub patient_pseudonym: Option<String>,
    pub claim_code_expires_at: Option<String>,
    pub claimed_at: Option<String>,
    pub claimed_by: Option<i64>,
    pub claim_failures: i64,
}

pub async fn claim_target(
    connection: &mut SqliteConnection,
    code_hash: &str,
) -> Result<Option<ClaimTarget>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, patient_pseudonym, claim_code_expires_at, claimed_at, claimed_by, claim_failures \
         FROM procedures WHERE claim_code_hash = ?",
    )
    .bind(code_hash)
    .fetch_optional(connection)
    .await
}

pub async fn count_claim_failure(
    connection: &mut SqliteConnection,
    record_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE procedures SET claim_failures = claim_failures + 1 WHERE id = ?")
        .bind(record_id)
        .execute(connection)
        .await?;
    Ok(())
}

pub async fn mark_claimed(
    connection: &mut SqliteConnection,
    record_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE procedures SET claimed_at = ?, claimed_by = ? WHERE id = ? AND claimed_at IS NULL",
    )
    .bind(clock::timestamp(clock::now()))
    .bind(user_id)
    .bind(record_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// The records whose current version carries this pseudonym, newest procedure first:
/// `(record id, organisation name)`.
pub async fn records_of(
    connection: &mut SqliteConnection,
    pseudonym: &str,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, o.name FROM procedures p JOIN organisations o ON o.id = p.organisation_id \
         JOIN procedure_versions v ON v.procedure_id = p.id AND v.version = p.current_version \
         WHERE p.patient_pseudonym = ? ORDER BY v.procedure_date DESC, p.id DESC",
    )
    .bind(pseudonym)
    .fetch_all(connection)
    .await
}

#[derive(FromRow)]
struct NoticeRow {
    reference: String,
    title: String,
    problem: String,
    patient_action: String,
    issued_on: String,
}

/// Safety notices in force for a device (and lot: a notice without a lot covers every lot).
pub async fn notices_for(
    connection: &mut SqliteConnection,
    device_identifier: &str,
    lot: Option<&str>,
) -> Result<Vec<SafetyNotice>, sqlx::Error> {
    let rows: Vec<NoticeRow> = sqlx::query_as(
        "SELECT reference, title, problem, patient_action, issued_on FROM safety_notices \
         WHERE device_identifier = ? AND withdrawn_at IS NULL AND (lot IS NULL OR lot = ?) \
         ORDER BY issued_on DESC",
    )
    .bind(device_identifier)
    .bind(lot)
    .fetch_all(connection)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(SafetyNotice {
                issued_on: CalendarDate::from_iso(&row.issued_on)?,
                reference: row.reference,
                title: row.title,
                problem: row.problem,
                patient_action: row.patient_action,
            })
        })
        .collect())
}

/// An audit entry about a patient, with the actor's organisation.
#[derive(Debug, Clone, FromRow)]
pub struct AccessRow {
    pub at: String,
    pub action: String,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub organisation: Option<String>,
}

/// A page of the audit entries about this pseudonym, newest first, and how many there are.
pub async fn access_entries(
    connection: &mut SqliteConnection,
    pseudonym: &str,
    limit: u32,
    offset: u32,
) -> Result<(Vec<AccessRow>, u64), sqlx::Error> {
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE patient_pseudonym = ?")
            .bind(pseudonym)
            .fetch_one(&mut *connection)
            .await?;
    let rows = sqlx::query_as(
        "SELECT a.at, a.action, a.actor_user_id, a.actor_role, o.name AS organisation \
         FROM audit_log a LEFT JOIN organisations o ON o.id = a.actor_organisation_id \
         WHERE a.patient_pseudonym = ? ORDER BY a.id DESC LIMIT ? OFFSET ?",
    )
    .bind(pseudonym)
    .bind(limit)
    .bind(offset)
    .fetch_all(connection)
    .await?;
    Ok((rows, total as u64))
}
