//! Procedure records: procedures, their versions and components, and submission keys.

use app::api::procedures::{ComponentDetail, ProcedureQuery, ProcedureSummary, VersionDetail};
use domain::calendar::CalendarDate;
use domain::procedure::{
    BodySite, Consent, Laterality, ProcedureType, RevisionReason, Sex, Submission,
};
use std::collections::HashMap;

use sqlx::{FromRow, Row, SqliteConnection};

use crate::clock;

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
    pub device_id: Option<i64>,
}

/// A claim code as stored: its hash (for claiming) and sealed copy (for reprinting the card),
/// bound to its record.
pub struct StoredClaimCode {
    pub hash: String,
    pub sealed: Vec<u8>,
    pub expires_at: String,
}

pub async fn find_submission(
    connection: &mut SqliteConnection,
    key: &str,
) -> Result<Option<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, procedure_id, version FROM submissions WHERE idempotency_key = ?",
    )
    .bind(key)
    .fetch_optional(connection)
    .await
}

pub async fn insert_submission(
    connection: &mut SqliteConnection,
    key: &str,
    user_id: i64,
    procedure_id: i64,
    version: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO submissions (idempotency_key, user_id, procedure_id, version, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(key)
        .bind(user_id)
        .bind(procedure_id)
        .bind(version)
        .bind(clock::timestamp(clock::now()))
        .execute(connection)
        .await
        .map(drop)
}

/// Inserts a new record at version 1; returns its id.
pub async fn insert_procedure(
    connection: &mut SqliteConnection,
    organisation_id: i64,
    created_by: i64,
    pseudonym: Option<&str>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO procedures (organisation_id, current_version, patient_pseudonym, created_by, created_at) \
         VALUES ($1, 1, $2, $3, $4) RETURNING id",
    )
    .bind(organisation_id)
    .bind(pseudonym)
    .bind(created_by)
    .bind(clock::timestamp(clock::now()))
    .fetch_one(connection)
    .await
}

/// Gives a record its claim code.
pub async fn set_claim_code(
    connection: &mut SqliteConnection,
    procedure_id: i64,
    claim: &StoredClaimCode,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE procedures SET claim_code_hash = $1, claim_code_sealed = $2, claim_code_expires_at = $3 \
         WHERE id = $4",
    )
    .bind(&claim.hash)
    .bind(&claim.sealed)
    .bind(&claim.expires_at)
    .bind(procedure_id)
    .execute(connection)
    .await
    .map(drop)
}

/// Stores a version of a record and its components; returns the version's row id.
pub async fn insert_version(
    connection: &mut SqliteConnection,
    procedure_id: i64,
    version: i64,
    submission: &Submission,
    components: &[StoredComponent],
    created_by: i64,
    correction_reason: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let reasons: Vec<&str> = submission
        .revision_reasons
        .iter()
        .map(|reason| reason.code())
        .collect();
    let version_id = sqlx::query(
        "INSERT INTO procedure_versions (procedure_id, version, site_id, consultant_gmc, procedure_date, procedure_type, \
         body_site, laterality, revision_reasons, consent, patient_pseudonym, year_of_birth, sex, postcode_district, \
         acknowledged_warnings, correction_reason, created_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(procedure_id)
    .bind(version)
    .bind(submission.site_id)
    .bind(&submission.consultant_gmc)
    .bind(submission.procedure_date.to_iso())
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
    .bind(clock::timestamp(clock::now()))
    .execute(&mut *connection)
    .await?
    .last_insert_rowid();
    for (position, component) in components.iter().enumerate() {
        sqlx::query(
            "INSERT INTO procedure_components (version_id, position, device_identifier, agency, udi, manufacturer, \
             catalogue_number, lot, serial, expiry, device_id, needs_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        .bind(component.expiry.map(|date| date.to_iso()))
        .bind(component.device_id)
        .bind(component.device_id.is_none())
        .execute(&mut *connection)
        .await?;
    }
    Ok(version_id)
}

/// Makes `version` current, with its pseudonym.
pub async fn set_current(
    connection: &mut SqliteConnection,
    procedure_id: i64,
    version: i64,
    pseudonym: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE procedures SET current_version = ?, patient_pseudonym = ? WHERE id = ?")
        .bind(version)
        .bind(pseudonym)
        .bind(procedure_id)
        .execute(connection)
        .await
        .map(drop)
}

/// The owning organisation, current version and pseudonym of a record.
#[derive(Debug, Clone, FromRow)]
pub struct Header {
    pub organisation_id: i64,
    pub organisation: String,
    pub current_version: i64,
    pub patient_pseudonym: Option<String>,
    pub claim_code_sealed: Option<Vec<u8>>,
    pub claim_code_expires_at: Option<String>,
    pub claimed_at: Option<String>,
}

pub async fn header(
    connection: &mut SqliteConnection,
    id: i64,
) -> Result<Option<Header>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.organisation_id, o.name AS organisation, p.current_version, p.patient_pseudonym, p.claim_code_sealed, \
         p.claim_code_expires_at, p.claimed_at FROM procedures p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?",
    )
    .bind(id)
    .fetch_optional(connection)
    .await
}

fn label<T: Copy>(
    code: &str,
    parse: fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
) -> String {
    parse(code).map(label).unwrap_or(code).to_string()
}

/// A page of a clinic's records (or all, for the registry), newest procedure first.
pub async fn list(
    connection: &mut SqliteConnection,
    organisation: Option<i64>,
    query: &ProcedureQuery,
    page_size: u32,
) -> Result<(Vec<ProcedureSummary>, u64), sqlx::Error> {
    let page = query.page.max(1);
    let device = format!("%{}%", query.device.trim());
    let from = if query.from.trim().is_empty() {
        "0000".to_string()
    } else {
        query.from.trim().to_string()
    };
    let to = if query.to.trim().is_empty() {
        "9999".to_string()
    } else {
        query.to.trim().to_string()
    };
    let filter = "FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id AND v.version = p.current_version \
                  JOIN sites s ON s.id = v.site_id \
                  WHERE (?1 IS NULL OR p.organisation_id = ?1) AND v.procedure_date >= ?2 AND v.procedure_date <= ?3 \
                  AND (?4 = '%%' OR EXISTS (SELECT 1 FROM procedure_components c LEFT JOIN devices d ON d.id = c.device_id \
                       WHERE c.version_id = v.id AND (c.device_identifier LIKE ?4 OR c.lot LIKE ?4 OR c.manufacturer LIKE ?4 \
                       OR c.catalogue_number LIKE ?4 OR d.manufacturer LIKE ?4 OR d.name LIKE ?4)))";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}"))
        .bind(organisation)
        .bind(&from)
        .bind(&to)
        .bind(&device)
        .fetch_one(&mut *connection)
        .await?;
    let rows = sqlx::query(&format!(
        "SELECT p.id, p.current_version, v.id AS version_id, v.procedure_date, v.procedure_type, v.body_site, v.laterality, \
         s.name AS site, v.consent {filter} ORDER BY v.procedure_date DESC, p.id DESC LIMIT ?5 OFFSET ?6"
    ))
    .bind(organisation)
    .bind(&from)
    .bind(&to)
    .bind(&device)
    .bind(i64::from(page_size))
    .bind(i64::from((page - 1) * page_size))
    .fetch_all(&mut *connection)
    .await?;
    let version_ids: Vec<i64> = rows.iter().map(|row| row.get("version_id")).collect();
    let mut components_by_version = components(connection, &version_ids).await?;
    let mut summaries = Vec::with_capacity(rows.len());
    for row in rows {
        let version_id: i64 = row.get("version_id");
        let components = components_by_version
            .remove(&version_id)
            .unwrap_or_default();
        let date: String = row.get("procedure_date");
        summaries.push(ProcedureSummary {
            id: row.get("id"),
            version: row.get("current_version"),
            procedure_date: CalendarDate::from_iso(&date)
                .unwrap_or_else(|| CalendarDate::new(1970, 1, 1).expect("valid")),
            procedure_type: label(
                row.get("procedure_type"),
                ProcedureType::from_code,
                ProcedureType::label,
            ),
            body_site: label(row.get("body_site"), BodySite::from_code, BodySite::label),
            laterality: label(
                row.get("laterality"),
                Laterality::from_code,
                Laterality::label,
            ),
            site: row.get("site"),
            devices: components
                .iter()
                .map(|component| {
                    component
                        .name
                        .clone()
                        .or(component.device_identifier.clone())
                        .or(component.catalogue_number.clone())
                        .unwrap_or_default()
                })
                .collect(),
            linked_to_patient: row.get::<String, _>("consent") == Consent::Given.code(),
            needs_review: components.iter().any(|component| !component.in_register),
        });
    }
    Ok((summaries, total as u64))
}

/// The components of these versions, with register names where known, by version (one query
/// for any number of versions).
pub async fn components(
    connection: &mut SqliteConnection,
    version_ids: &[i64],
) -> Result<HashMap<i64, Vec<ComponentDetail>>, sqlx::Error> {
    let mut by_version: HashMap<i64, Vec<ComponentDetail>> = HashMap::new();
    if version_ids.is_empty() {
        return Ok(by_version);
    }
    let placeholders = vec!["?"; version_ids.len()].join(", ");
    let sql = format!(
        "SELECT c.version_id, c.device_identifier, c.agency, c.udi, d.name, COALESCE(d.manufacturer, c.manufacturer) AS manufacturer, \
         COALESCE(c.catalogue_number, d.catalogue_number) AS catalogue_number, c.lot, c.serial, c.expiry, c.device_id \
         FROM procedure_components c LEFT JOIN devices d ON d.id = c.device_id \
         WHERE c.version_id IN ({placeholders}) ORDER BY c.version_id, c.position"
    );
    let mut query = sqlx::query(&sql);
    for id in version_ids {
        query = query.bind(id);
    }
    for row in query.fetch_all(connection).await? {
        let expiry: Option<String> = row.get("expiry");
        let device_id: Option<i64> = row.get("device_id");
        by_version
            .entry(row.get("version_id"))
            .or_default()
            .push(ComponentDetail {
                device_identifier: row.get("device_identifier"),
                agency: row.get("agency"),
                udi: row.get("udi"),
                name: row.get("name"),
                manufacturer: row.get("manufacturer"),
                catalogue_number: row.get("catalogue_number"),
                lot: row.get("lot"),
                serial: row.get("serial"),
                expiry: expiry.as_deref().and_then(CalendarDate::from_iso),
                in_register: device_id.is_some(),
            });
    }
    Ok(by_version)
}

/// Every version of a record, newest first.
pub async fn versions(
    connection: &mut SqliteConnection,
    procedure_id: i64,
) -> Result<Vec<VersionDetail>, sqlx::Error> {
    newest_versions(connection, procedure_id, i64::MAX).await
}

/// The record's current version only (the card, the patient's view): the older versions and
/// their components are not read.
pub async fn current_version(
    connection: &mut SqliteConnection,
    procedure_id: i64,
) -> Result<Option<VersionDetail>, sqlx::Error> {
    Ok(newest_versions(connection, procedure_id, 1)
        .await?
        .into_iter()
        .next())
}

/// Up to `limit` versions of a record, newest first, with their components.
async fn newest_versions(
    connection: &mut SqliteConnection,
    procedure_id: i64,
    limit: i64,
) -> Result<Vec<VersionDetail>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT v.id, v.version, v.site_id, s.name AS site, v.consultant_gmc, v.procedure_date, v.procedure_type, v.body_site, \
         v.laterality, v.revision_reasons, v.consent, v.year_of_birth, v.sex, v.postcode_district, v.acknowledged_warnings, \
         u.display_name, v.created_at, v.correction_reason \
         FROM procedure_versions v JOIN sites s ON s.id = v.site_id JOIN users u ON u.id = v.created_by \
         WHERE v.procedure_id = ? ORDER BY v.version DESC LIMIT ?",
    )
    .bind(procedure_id)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    let version_ids: Vec<i64> = rows.iter().map(|row| row.get("id")).collect();
    let mut components_by_version = components(connection, &version_ids).await?;
    let mut versions = Vec::with_capacity(rows.len());
    for row in rows {
        let reasons: Vec<String> =
            serde_json::from_str(row.get("revision_reasons")).unwrap_or_default();
        let acknowledged: Vec<String> =
            serde_json::from_str(row.get("acknowledged_warnings")).unwrap_or_default();
        let date: String = row.get("procedure_date");
        let consent: String = row.get("consent");
        versions.push(VersionDetail {
            version: row.get("version"),
            site_id: row.get("site_id"),
            site: row.get("site"),
            consultant_gmc: row.get("consultant_gmc"),
            procedure_date: CalendarDate::from_iso(&date)
                .unwrap_or_else(|| CalendarDate::new(1970, 1, 1).expect("valid")),
            procedure_type: label(
                row.get("procedure_type"),
                ProcedureType::from_code,
                ProcedureType::label,
            ),
            body_site: label(row.get("body_site"), BodySite::from_code, BodySite::label),
            laterality: label(
                row.get("laterality"),
                Laterality::from_code,
                Laterality::label,
            ),
            revision_reasons: reasons
                .iter()
                .map(|code| label(code, RevisionReason::from_code, RevisionReason::label))
                .collect(),
            linked_to_patient: consent == Consent::Given.code(),
            consent: label(&consent, Consent::from_code, Consent::label),
            year_of_birth: row.get::<i64, _>("year_of_birth") as u16,
            sex: label(row.get("sex"), Sex::from_code, Sex::label),
            postcode_district: row.get("postcode_district"),
            acknowledged_warnings: acknowledged,
            components: components_by_version
                .remove(&row.get::<i64, _>("id"))
                .unwrap_or_default(),
            recorded_by: row.get("display_name"),
            recorded_at: row.get("created_at"),
            correction_reason: row.get("correction_reason"),
        });
    }
    Ok(versions)
}
