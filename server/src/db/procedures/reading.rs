//! Reading records back: a clinic's list, a record's versions and their components.

use std::collections::HashMap;

use app::api::procedures::ProcedureQuery;
use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Consent, Laterality, ProcedureType, RevisionReason, Sex};
use sqlx::FromRow;

use crate::db::types::{Day, Timestamp};
use crate::db::{Connection, on_engine};

/// What a procedure was, where and when: the facts every read of a version has.
#[derive(Debug, Clone, FromRow)]
pub struct ProcedureFacts {
    #[sqlx(try_from = "Day")]
    pub procedure_date: CalendarDate,
    #[sqlx(try_from = "String")]
    pub procedure_type: ProcedureType,
    #[sqlx(try_from = "String")]
    pub body_site: BodySite,
    #[sqlx(try_from = "String")]
    pub laterality: Laterality,
}

/// A record in a list: its current version's headline facts.
#[derive(Debug, Clone, FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub current_version: i64,
    pub version_id: i64,
    #[sqlx(flatten)]
    pub facts: ProcedureFacts,
    pub site: String,
    #[sqlx(try_from = "String")]
    pub consent: Consent,
}

/// A page of a clinic's records (or all, for the registry), newest procedure first, with each
/// one's components, and how many match in all. The query's dates are already checked.
pub async fn list(
    db: &mut impl Connection,
    organisation: Option<i64>,
    query: &ProcedureQuery,
    page_size: u32,
) -> Result<(Vec<(SummaryRow, Vec<ComponentRow>)>, u64), sqlx::Error> {
    let page = query.page.max(1);
    let device = format!("%{}%", query.device.trim().to_lowercase());
    let from = CalendarDate::from_iso(query.from.trim()).map(Day);
    let to = CalendarDate::from_iso(query.to.trim()).map(Day);
    let filter = "FROM procedures p JOIN procedure_versions v ON v.organisation_id = p.organisation_id \
                  AND v.procedure_id = p.id AND v.version = p.current_version \
                  JOIN sites s ON s.id = v.site_id \
                  WHERE ($1 IS NULL OR p.organisation_id = $1) AND ($2 IS NULL OR v.procedure_date >= $2) \
                  AND ($3 IS NULL OR v.procedure_date <= $3) \
                  AND ($4 = '%%' OR EXISTS (SELECT 1 FROM procedure_components c LEFT JOIN devices d ON d.id = c.device_id \
                       WHERE c.version_id = v.id AND (lower(c.device_identifier) LIKE $4 OR lower(c.lot) LIKE $4 \
                       OR lower(c.manufacturer) LIKE $4 OR lower(c.catalogue_number) LIKE $4 \
                       OR lower(d.manufacturer) LIKE $4 OR lower(d.name) LIKE $4)))";
    let count = format!("SELECT COUNT(*) {filter}");
    let select = format!(
        "SELECT p.id, p.current_version, v.id AS version_id, v.procedure_date, v.procedure_type, v.body_site, v.laterality, \
         s.name AS site, v.consent {filter} ORDER BY v.procedure_date DESC, p.id DESC LIMIT $5 OFFSET $6"
    );
    let (total, rows): (i64, Vec<SummaryRow>) = on_engine!(db, c => {
        let total = sqlx::query_scalar(&count)
            .bind(organisation)
            .bind(from)
            .bind(to)
            .bind(&device)
            .fetch_one(&mut *c)
            .await?;
        let rows = sqlx::query_as(&select)
            .bind(organisation)
            .bind(from)
            .bind(to)
            .bind(&device)
            .bind(i64::from(page_size))
            .bind(i64::from((page - 1) * page_size))
            .fetch_all(&mut *c)
            .await?;
        (total, rows)
    });
    let version_ids: Vec<i64> = rows.iter().map(|row| row.version_id).collect();
    let mut components_by_version = components(db, &version_ids).await?;
    let listed = rows
        .into_iter()
        .map(|row| {
            let components = components_by_version
                .remove(&row.version_id)
                .unwrap_or_default();
            (row, components)
        })
        .collect();
    Ok((listed, total as u64))
}

/// A component as stored, with its register entry's name and maker where it has one.
#[derive(Debug, Clone, FromRow)]
pub struct ComponentRow {
    pub version_id: i64,
    pub device_identifier: Option<String>,
    pub agency: Option<String>,
    pub udi: Option<String>,
    pub name: Option<String>,
    pub manufacturer: Option<String>,
    pub catalogue_number: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<Day>,
    pub device_id: Option<i64>,
    /// The register entry's primary DI (the component may carry a package or previous one).
    pub register_identifier: Option<String>,
    pub manufactured: Option<Day>,
}

/// The components of these versions, by version, in their order (one query for any number of
/// versions).
pub async fn components(
    db: &mut impl Connection,
    version_ids: &[i64],
) -> Result<HashMap<i64, Vec<ComponentRow>>, sqlx::Error> {
    let mut by_version: HashMap<i64, Vec<ComponentRow>> = HashMap::new();
    if version_ids.is_empty() {
        return Ok(by_version);
    }
    let placeholders: Vec<String> = (1..=version_ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT c.version_id, c.device_identifier, c.agency, c.udi, d.name, COALESCE(d.manufacturer, c.manufacturer) AS manufacturer, \
         COALESCE(c.catalogue_number, d.catalogue_number) AS catalogue_number, c.lot, c.serial, c.expiry, c.device_id, \
         d.device_identifier AS register_identifier, c.manufactured \
         FROM procedure_components c LEFT JOIN devices d ON d.id = c.device_id \
         WHERE c.version_id IN ({}) ORDER BY c.version_id, c.position",
        placeholders.join(", ")
    );
    let rows: Vec<ComponentRow> = on_engine!(db, c => {
        let mut query = sqlx::query_as(&sql);
        for id in version_ids {
            query = query.bind(id);
        }
        query.fetch_all(c).await?
    });
    for row in rows {
        by_version.entry(row.version_id).or_default().push(row);
    }
    Ok(by_version)
}

/// A version of a record as stored, with who recorded it and the site's name.
#[derive(Debug, Clone, FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub version: i64,
    pub site_id: i64,
    pub site: String,
    pub consultant_gmc: String,
    #[sqlx(flatten)]
    pub facts: ProcedureFacts,
    #[sqlx(try_from = "String")]
    pub revision_reasons: Codes<RevisionReason>,
    #[sqlx(try_from = "String")]
    pub consent: Consent,
    pub year_of_birth: i64,
    #[sqlx(try_from = "String")]
    pub sex: Sex,
    pub postcode_district: String,
    #[sqlx(try_from = "String")]
    pub acknowledged_warnings: Codes<String>,
    pub recorded_by: String,
    pub created_at: Timestamp,
    pub correction_reason: Option<String>,
}

/// A list stored as a JSON array of codes; one that does not parse is an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codes<T>(pub Vec<T>);

impl<T: serde::de::DeserializeOwned> TryFrom<String> for Codes<T> {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        serde_json::from_str(&text)
            .map(Codes)
            .map_err(|error| format!("{text:?} is not a list of codes: {error}"))
    }
}

/// A version and its components.
pub type StoredVersion = (VersionRow, Vec<ComponentRow>);

/// Every version of a record, newest first.
pub async fn versions(
    db: &mut impl Connection,
    procedure_id: i64,
) -> Result<Vec<StoredVersion>, sqlx::Error> {
    newest_versions(db, procedure_id, i64::MAX).await
}

/// The record's current version only (the card, the patient's view): the older versions and
/// their components are not read.
pub async fn current_version(
    db: &mut impl Connection,
    procedure_id: i64,
) -> Result<Option<StoredVersion>, sqlx::Error> {
    Ok(newest_versions(db, procedure_id, 1)
        .await?
        .into_iter()
        .next())
}

/// Up to `limit` versions of a record, newest first, with their components.
async fn newest_versions(
    db: &mut impl Connection,
    procedure_id: i64,
    limit: i64,
) -> Result<Vec<StoredVersion>, sqlx::Error> {
    let rows: Vec<VersionRow> = on_engine!(db, c => sqlx::query_as(
        "SELECT v.id, v.version, v.site_id, s.name AS site, v.consultant_gmc, v.procedure_date, v.procedure_type, v.body_site, \
         v.laterality, v.revision_reasons, v.consent, v.year_of_birth, v.sex, v.postcode_district, v.acknowledged_warnings, \
         u.display_name AS recorded_by, v.created_at, v.correction_reason \
         FROM procedure_versions v JOIN sites s ON s.id = v.site_id JOIN users u ON u.id = v.created_by \
         WHERE v.procedure_id = $1 ORDER BY v.version DESC LIMIT $2",
    )
    .bind(procedure_id)
    .bind(limit)
    .fetch_all(c)
    .await)?;
    let version_ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut components_by_version = components(db, &version_ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let components = components_by_version.remove(&row.id).unwrap_or_default();
            (row, components)
        })
        .collect())
}
