//! What the registry statistics read: the data version, and every procedure's current version
//! with its components summed up, in one streaming query (one row per procedure; the
//! components are aggregated by the database, so a million procedures are a million rows).

use domain::procedure::Sex;
use futures::TryStreamExt;
use sqlx::FromRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use super::procedures::ProcedureFacts;
use super::{Conn, Connection, on_engine};

/// The counter every new procedure version moves on (migration 0009 / postgres 0003).
pub async fn data_version(db: &mut impl Connection) -> Result<i64, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar("SELECT version FROM statistics_data_version WHERE id = 1")
        .fetch_one(c)
        .await)
}

/// One procedure's current version, as the analysis needs it.
#[derive(Debug, Clone, FromRow)]
pub struct AnalysisRow {
    pub procedure_id: i64,
    pub patient_pseudonym: Option<String>,
    #[sqlx(flatten)]
    pub facts: ProcedureFacts,
    pub organisation_id: i64,
    /// The components' device identifiers, `;` between them (`None` without any).
    pub device_identifiers: Option<String>,
    pub components: i64,
    pub matched_to_register: i64,
    pub with_lot_or_serial: i64,
}

/// The current version of every procedure, joined on the organisation as well as the id (the
/// distribution column of a sharded PostgreSQL keeps each join on one shard).
const CURRENT: &str = "FROM procedures p \
     JOIN procedure_versions v ON v.organisation_id = p.organisation_id AND v.procedure_id = p.id \
          AND v.version = p.current_version \
     LEFT JOIN procedure_components c ON c.organisation_id = v.organisation_id AND c.version_id = v.id";

/// The device identifiers in component order, `;` between: SQLite's `group_concat` and
/// PostgreSQL's `string_agg` both take an `ORDER BY` (SQLite from 3.44).
fn identifiers(db: &mut impl Connection) -> &'static str {
    match db.conn() {
        Conn::Sqlite(_) => "group_concat(c.device_identifier, ';' ORDER BY c.position)",
        Conn::Postgres(_) => "string_agg(c.device_identifier, ';' ORDER BY c.position)",
    }
}

/// Runs `sql` and calls `each` with its rows as the database streams them (never all in
/// memory at once).
async fn for_each_row<R, E>(
    db: &mut impl Connection,
    sql: &str,
    mut each: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    R: Send + Unpin + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    E: From<sqlx::Error>,
{
    on_engine!(db, c => {
        let mut rows = sqlx::query_as::<_, R>(sql).fetch(c);
        while let Some(row) = rows.try_next().await? {
            each(row)?;
        }
    });
    Ok(())
}

/// Calls `each` with every procedure's current version, as the database streams them.
pub async fn for_each_analysis_row<E: From<sqlx::Error>>(
    db: &mut impl Connection,
    each: impl FnMut(AnalysisRow) -> Result<(), E>,
) -> Result<(), E> {
    let sql = format!(
        "SELECT v.procedure_id, v.patient_pseudonym, v.procedure_date, v.procedure_type, v.body_site, v.laterality, \
         v.organisation_id, {} AS device_identifiers, COUNT(c.id) AS components, COUNT(c.device_id) AS matched_to_register, \
         COUNT(CASE WHEN c.lot IS NOT NULL OR c.serial IS NOT NULL THEN 1 END) AS with_lot_or_serial \
         {CURRENT} GROUP BY v.id, v.procedure_id, v.patient_pseudonym, v.procedure_date, v.procedure_type, v.body_site, \
         v.laterality, v.organisation_id",
        identifiers(db)
    );
    for_each_row(db, &sql, each).await
}

/// One row of the analysts' extract: the analysis row's facts and the patient's generalised
/// attributes and clinic, codes as stored.
#[derive(Debug, Clone, FromRow)]
pub struct ExtractRow {
    pub procedure_id: i64,
    pub patient_pseudonym: Option<String>,
    #[sqlx(flatten)]
    pub facts: ProcedureFacts,
    pub device_identifiers: Option<String>,
    pub year_of_birth: i64,
    #[sqlx(try_from = "String")]
    pub sex: Sex,
    pub clinic: String,
}

/// Calls `each` with every procedure's current version for the extract, in record order.
pub async fn for_each_extract_row<E: From<sqlx::Error>>(
    db: &mut impl Connection,
    each: impl FnMut(ExtractRow) -> Result<(), E>,
) -> Result<(), E> {
    let sql = format!(
        "SELECT v.procedure_id, v.patient_pseudonym, v.procedure_date, v.procedure_type, v.body_site, v.laterality, \
         {} AS device_identifiers, v.year_of_birth, v.sex, o.name AS clinic \
         {CURRENT} JOIN organisations o ON o.id = v.organisation_id \
         GROUP BY v.id, v.procedure_id, v.patient_pseudonym, v.procedure_date, v.procedure_type, v.body_site, v.laterality, \
         v.year_of_birth, v.sex, o.name ORDER BY v.procedure_id",
        identifiers(db)
    );
    for_each_row(db, &sql, each).await
}

/// A register entry as the statistics pages name it.
#[derive(Debug, Clone, FromRow)]
pub struct RegisterName {
    pub device_identifier: String,
    pub name: String,
    pub manufacturer: String,
}

/// The register's names of every device (a few thousand rows at most).
pub async fn register_names(db: &mut impl Connection) -> Result<Vec<RegisterName>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as("SELECT device_identifier, name, manufacturer FROM devices")
        .fetch_all(c)
        .await)
}
