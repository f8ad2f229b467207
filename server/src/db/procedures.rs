//! Procedure records: procedures, their versions and components, and submission keys.

use domain::calendar::CalendarDate;
use domain::procedure::Submission;
use sqlx::FromRow;

use super::types::{Day, Timestamp};
use super::{Connection, on_engine};

mod reading;

pub use reading::*;

/// A component ready to store: as read from its UDI or typed details, matched to the register.
#[derive(Debug, Clone)]
pub struct StoredComponent {
    pub device_identifier: Option<String>,
    pub agency: Option<String>,
    pub udi: Option<String>,
    pub manufacturer: Option<String>,
    pub catalogue_number: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<CalendarDate>,
    pub manufactured: Option<CalendarDate>,
    pub device_id: Option<i64>,
}

/// A lot or serial as a safety notice's range query compares it (`None` when empty).
pub(crate) fn range_key(code: &Option<String>) -> Option<String> {
    code.as_deref()
        .filter(|code| !code.trim().is_empty())
        .map(domain::register::range_key)
}

/// A claim code as stored: its hash (for claiming) and sealed copy (for reprinting the card),
/// bound to its record.
pub struct StoredClaimCode {
    pub hash: String,
    pub sealed: Vec<u8>,
    pub expires_at: Timestamp,
}

pub async fn find_submission(
    db: &mut impl Connection,
    key: &str,
) -> Result<Option<(i64, i64, i64)>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(
        "SELECT user_id, procedure_id, version FROM submissions WHERE idempotency_key = $1",
    )
    .bind(key)
    .fetch_optional(c)
    .await
    })
}

/// Stores a submission's idempotency key with the record it made; `Ok(false)` when the key
/// is taken (a copy of the same submission committed first: the caller rolls back and answers
/// with that one's receipt). On SQLite writers are serialised and this does not happen; on
/// PostgreSQL the second insert waits for the first to commit, then fails on the key.
pub async fn insert_submission(
    db: &mut impl Connection,
    key: &str,
    user_id: i64,
    procedure_id: i64,
    version: i64,
) -> Result<bool, sqlx::Error> {
    let now = db.now();
    let inserted = on_engine!(db, c => sqlx::query(
        "INSERT INTO submissions (idempotency_key, user_id, procedure_id, version, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(key)
    .bind(user_id)
    .bind(procedure_id)
    .bind(version)
    .bind(now)
    .execute(c)
    .await
    .map(drop));
    match inserted {
        Ok(()) => Ok(true),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(false),
        Err(error) => Err(error),
    }
}

/// Inserts a new record at version 1; returns its id.
pub async fn insert_procedure(
    db: &mut impl Connection,
    organisation_id: i64,
    created_by: i64,
    pseudonym: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query_scalar(
        "INSERT INTO procedures (organisation_id, current_version, patient_pseudonym, created_by, created_at) \
         VALUES ($1, 1, $2, $3, $4) RETURNING id",
    )
    .bind(organisation_id)
    .bind(pseudonym)
    .bind(created_by)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

/// Gives a record its claim code.
pub async fn set_claim_code(
    db: &mut impl Connection,
    procedure_id: i64,
    claim: &StoredClaimCode,
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query(
        "UPDATE procedures SET claim_code_hash = $1, claim_code_sealed = $2, claim_code_expires_at = $3 \
         WHERE id = $4",
    )
    .bind(&claim.hash)
    .bind(&claim.sealed)
    .bind(claim.expires_at)
    .bind(procedure_id)
    .execute(c)
    .await
    .map(drop)
    })
}

/// A version of a record to store.
pub struct NewVersion<'a> {
    pub organisation_id: i64,
    pub procedure_id: i64,
    pub version: i64,
    pub submission: &'a Submission,
    pub components: &'a [StoredComponent],
    pub created_by: i64,
    pub correction_reason: Option<&'a str>,
}

/// Stores a version of a record and its components; returns the version's row id.
pub async fn insert_version(
    db: &mut impl Connection,
    new: NewVersion<'_>,
) -> Result<i64, sqlx::Error> {
    let NewVersion {
        organisation_id,
        procedure_id,
        version,
        submission,
        components,
        created_by,
        correction_reason,
    } = new;
    let now = db.now();
    on_engine!(db, c => {
    let reasons: Vec<&str> = submission
        .revision_reasons
        .iter()
        .map(|reason| reason.code())
        .collect();
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO procedure_versions (procedure_id, version, site_id, consultant_gmc, procedure_date, procedure_type, \
         body_site, laterality, revision_reasons, consent, patient_pseudonym, year_of_birth, sex, postcode_district, \
         acknowledged_warnings, correction_reason, created_by, created_at, organisation_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
    )
    .bind(procedure_id)
    .bind(version)
    .bind(submission.site_id)
    .bind(&submission.consultant_gmc)
    .bind(Day(submission.procedure_date))
    .bind(submission.procedure_type.code())
    .bind(submission.body_site.code())
    .bind(submission.laterality.code())
    .bind(serde_json::to_string(&reasons).expect("codes serialise"))
    .bind(submission.consent.code())
    .bind(submission.pseudonym.as_ref().map(|p| p.as_str().to_string()))
    .bind(i64::from(submission.year_of_birth))
    .bind(submission.sex.code())
    .bind(&submission.postcode_district)
    .bind(serde_json::to_string(&submission.acknowledged_warnings).expect("strings serialise"))
    .bind(correction_reason)
    .bind(created_by)
    .bind(now)
    .bind(organisation_id)
    .fetch_one(&mut *c)
    .await?;
    for (position, component) in components.iter().enumerate() {
        sqlx::query(
            "INSERT INTO procedure_components (version_id, position, device_identifier, agency, udi, manufacturer, \
             catalogue_number, lot, serial, expiry, device_id, needs_review, organisation_id, lot_key, serial_key, \
             manufactured) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(version_id)
        .bind(position as i64)
        .bind(&component.device_identifier)
        .bind(&component.agency)
        .bind(&component.udi)
        .bind(&component.manufacturer)
        .bind(&component.catalogue_number)
        .bind(&component.lot)
        .bind(&component.serial)
        .bind(component.expiry.map(Day))
        .bind(component.device_id)
        .bind(component.device_id.is_none())
        .bind(organisation_id)
        .bind(range_key(&component.lot))
        .bind(range_key(&component.serial))
        .bind(component.manufactured.map(Day))
        .execute(&mut *c)
        .await?;
    }
    Ok(version_id)
    })
}

/// Makes `version` current, with its pseudonym.
pub async fn set_current(
    db: &mut impl Connection,
    procedure_id: i64,
    version: i64,
    pseudonym: Option<&str>,
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("UPDATE procedures SET current_version = $1, patient_pseudonym = $2 WHERE id = $3")
        .bind(version)
        .bind(pseudonym)
        .bind(procedure_id)
        .execute(c)
        .await
        .map(drop)
    })
}

/// The owning organisation, current version and pseudonym of a record.
#[derive(Debug, Clone, FromRow)]
pub struct Header {
    pub organisation_id: i64,
    pub organisation: String,
    pub current_version: i64,
    pub patient_pseudonym: Option<String>,
    pub claim_code_sealed: Option<Vec<u8>>,
    pub claim_code_expires_at: Option<Timestamp>,
    pub claimed_at: Option<Timestamp>,
}

/// Locks the record for this write transaction (a no-op update): two corrections of one
/// record at once take turns, so each gets the next version number.
pub async fn lock(db: &mut impl Connection, id: i64) -> Result<(), sqlx::Error> {
    on_engine!(db, c => sqlx::query("UPDATE procedures SET current_version = current_version WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(drop))
}

pub async fn header(db: &mut impl Connection, id: i64) -> Result<Option<Header>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT p.organisation_id, o.name AS organisation, p.current_version, p.patient_pseudonym, p.claim_code_sealed, \
         p.claim_code_expires_at, p.claimed_at FROM procedures p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// A component whose lot or serial has no range key yet.
#[derive(Debug, FromRow)]
struct UnkeyedComponent {
    id: i64,
    lot: Option<String>,
    serial: Option<String>,
}

/// Gives range keys to the components stored before they were kept (a start-up step), a
/// thousand at a time, until none is left without.
pub async fn fill_missing_range_keys(db: &mut impl Connection) -> Result<(), sqlx::Error> {
    loop {
        let unkeyed: Vec<UnkeyedComponent> = on_engine!(db, c => sqlx::query_as(
            "SELECT id, lot, serial FROM procedure_components WHERE (lot_key IS NULL AND trim(COALESCE(lot, '')) <> '') \
             OR (serial_key IS NULL AND trim(COALESCE(serial, '')) <> '') LIMIT 1000",
        )
        .fetch_all(c)
        .await)?;
        if unkeyed.is_empty() {
            return Ok(());
        }
        for component in unkeyed {
            on_engine!(db, c => sqlx::query(
                "UPDATE procedure_components SET lot_key = $2, serial_key = $3 WHERE id = $1",
            )
            .bind(component.id)
            .bind(range_key(&component.lot))
            .bind(range_key(&component.serial))
            .execute(c)
            .await
            .map(drop))?;
        }
    }
}
