//! The review queue: components recorded with a device identifier the register did not know
//! (`needs_review`), grouped by identifier, with how often and where they were used.

use sqlx::FromRow;

use super::types::Timestamp;
use super::{Connection, on_engine};

/// Components under review in records' current versions.
const WAITING: &str = "FROM procedure_components c JOIN procedure_versions v ON v.id = c.version_id \
     JOIN procedures p ON p.id = v.procedure_id AND p.current_version = v.version \
     WHERE c.needs_review AND c.device_identifier IS NOT NULL";

/// One identifier waiting for review.
#[derive(Debug, Clone, FromRow)]
pub struct QueueRow {
    pub device_identifier: String,
    pub agency: Option<String>,
    pub components: i64,
    pub records: i64,
    pub first_recorded: Timestamp,
    pub last_recorded: Timestamp,
    pub example_udi: Option<String>,
    pub catalogue_number: Option<String>,
}

/// A page of identifiers waiting, most used first, and how many there are.
pub async fn queue(
    db: &mut impl Connection,
    page: u32,
    page_size: u32,
) -> Result<(Vec<QueueRow>, u64), sqlx::Error> {
    let count = format!("SELECT COUNT(DISTINCT c.device_identifier) {WAITING}");
    let select = format!(
        "SELECT c.device_identifier, MIN(c.agency) AS agency, COUNT(*) AS components, \
         COUNT(DISTINCT v.procedure_id) AS records, MIN(v.created_at) AS first_recorded, \
         MAX(v.created_at) AS last_recorded, MIN(c.udi) AS example_udi, MIN(c.catalogue_number) AS catalogue_number \
         {WAITING} GROUP BY c.device_identifier ORDER BY COUNT(*) DESC, c.device_identifier LIMIT $1 OFFSET $2"
    );
    let offset = i64::from(page.max(1) - 1) * i64::from(page_size);
    on_engine!(db, c => {
        let total: i64 = sqlx::query_scalar(&count).fetch_one(&mut *c).await?;
        let rows = sqlx::query_as(&select)
            .bind(i64::from(page_size))
            .bind(offset)
            .fetch_all(&mut *c)
            .await?;
        Ok((rows, total as u64))
    })
}

/// Where these identifiers were used: (identifier, clinic, components), by identifier.
pub async fn clinics(
    db: &mut impl Connection,
    identifiers: &[String],
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    if identifiers.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=identifiers.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT c.device_identifier, o.name, COUNT(*) {WAITING} AND c.device_identifier IN ({}) \
         GROUP BY c.device_identifier, o.name ORDER BY c.device_identifier, COUNT(*) DESC, o.name",
        placeholders.join(", ")
    )
    .replace(
        "WHERE c.needs_review",
        "JOIN organisations o ON o.id = c.organisation_id WHERE c.needs_review",
    );
    on_engine!(db, c => {
        let mut query = sqlx::query_as(&sql);
        for identifier in identifiers {
            query = query.bind(identifier);
        }
        query.fetch_all(c).await
    })
}

/// A record with components waiting under an identifier (in any of its versions).
#[derive(Debug, Clone, FromRow)]
pub struct WaitingRecord {
    pub procedure_id: i64,
    pub organisation_id: i64,
    pub patient_pseudonym: Option<String>,
}

pub async fn waiting_records(
    db: &mut impl Connection,
    identifier: &str,
) -> Result<Vec<WaitingRecord>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT p.id AS procedure_id, p.organisation_id, p.patient_pseudonym FROM procedures p WHERE p.id IN \
         (SELECT v.procedure_id FROM procedure_components c JOIN procedure_versions v ON v.id = c.version_id \
          WHERE c.needs_review AND c.device_identifier = $1) ORDER BY p.id",
    )
    .bind(identifier)
    .fetch_all(c)
    .await)
}

/// Links every component waiting under `identifier` to `device_id` and clears its flag, in
/// every version of every record; returns how many components.
pub async fn resolve(
    db: &mut impl Connection,
    identifier: &str,
    device_id: i64,
) -> Result<u64, sqlx::Error> {
    Ok(on_engine!(db, c => sqlx::query(
        "UPDATE procedure_components SET device_id = $1, needs_review = FALSE \
         WHERE needs_review AND device_identifier = $2",
    )
    .bind(device_id)
    .bind(identifier)
    .execute(c)
    .await
    .map(|done| done.rows_affected()))?)
}

/// The agency clinics' scans gave an identifier waiting for review.
pub async fn agency_waiting(
    db: &mut impl Connection,
    identifier: &str,
) -> Result<Option<String>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar(
        "SELECT MIN(agency) FROM procedure_components WHERE needs_review AND device_identifier = $1",
    )
    .bind(identifier)
    .fetch_one(c)
    .await)
}
