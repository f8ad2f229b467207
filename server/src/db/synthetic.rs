//! Bulk loading of a synthetic registry into an empty database: procedures, their first
//! versions and components written with multi-row `INSERT … VALUES (…), (…)` statements and
//! explicit ids, thousands of rows per statement, in the caller's (large) transactions.
//!
//! Why explicit ids: a multi-row insert's `RETURNING` order is not promised, and components
//! need their version's id. The loader starts after the highest id in each table; on
//! PostgreSQL the identity sequences are moved past the loaded ids afterwards
//! ([`advance_sequences`]), so that records submitted later get fresh ids. The statement text
//! for a full chunk is always the same, so each engine prepares it once per connection.

use domain::procedure::{BodySite, Laterality, ProcedureType, RevisionReason, Sex};

use super::procedures::range_key;
use super::types::{Day, Timestamp};
use super::{Conn, Connection, on_engine};
use crate::synthetic::SyntheticProcedure;

/// Rows per statement, kept under SQLite's 32,766 bound parameters.
const PROCEDURES_PER_STATEMENT: usize = 4_000;
const VERSIONS_PER_STATEMENT: usize = 1_500;
const COMPONENTS_PER_STATEMENT: usize = 1_900;

/// How many procedure records the database holds.
pub async fn procedure_count(db: &mut impl Connection) -> Result<i64, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM procedures").fetch_one(c).await)
}

/// The first free id of each table the loader writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextIds {
    pub procedure: i64,
    pub version: i64,
    pub component: i64,
}

pub async fn next_ids(db: &mut impl Connection) -> Result<NextIds, sqlx::Error> {
    let (procedure, version, component): (i64, i64, i64) = on_engine!(db, c => sqlx::query_as(
        "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM procedures), \
         (SELECT COALESCE(MAX(id), 0) + 1 FROM procedure_versions), \
         (SELECT COALESCE(MAX(id), 0) + 1 FROM procedure_components)",
    )
    .fetch_one(c)
    .await)?;
    Ok(NextIds {
        procedure,
        version,
        component,
    })
}

/// One synthetic procedure with the ids it is stored under.
pub struct BulkProcedure<'a> {
    pub procedure_id: i64,
    pub version_id: i64,
    pub organisation_id: i64,
    pub site_id: i64,
    pub recorded_by: i64,
    pub recorded_at: Timestamp,
    pub procedure: &'a SyntheticProcedure,
}

/// The placeholders of `rows` groups of `columns`: `($1, …, $k), ($k+1, …)` on PostgreSQL,
/// `(?, …), (?, …)` on SQLite. Why SQLite's are anonymous: SQLite finds a numbered
/// parameter's name by walking the statement's list of names, so binding thousands of `$N`
/// costs time quadratic in their number (it was 85 % of a bulk load's time); anonymous ones
/// are bound in order, as sqlx binds them.
fn values(db: &mut impl Connection, rows: usize, columns: usize) -> String {
    placeholders(rows, columns, matches!(db.conn(), Conn::Sqlite(_)))
}

fn placeholders(rows: usize, columns: usize, anonymous: bool) -> String {
    let mut text = String::with_capacity(rows * columns * 7);
    for row in 0..rows {
        if row > 0 {
            text.push_str(", ");
        }
        text.push('(');
        for column in 0..columns {
            if column > 0 {
                text.push_str(", ");
            }
            if anonymous {
                text.push('?');
            } else {
                text.push('$');
                text.push_str(&(row * columns + column + 1).to_string());
            }
        }
        text.push(')');
    }
    text
}

fn codes(reasons: &[RevisionReason]) -> String {
    let codes: Vec<&str> = reasons.iter().map(|reason| reason.code()).collect();
    serde_json::to_string(&codes).expect("codes serialise")
}

fn consent_code(pseudonym: &Option<String>) -> &'static str {
    match pseudonym {
        Some(_) => "given",
        None => "declined",
    }
}

fn kind(kind: ProcedureType) -> &'static str {
    kind.code()
}

fn text_codes(
    site: BodySite,
    side: Laterality,
    sex: Sex,
) -> (&'static str, &'static str, &'static str) {
    (site.code(), side.code(), sex.code())
}

/// Writes the procedures, their version 1 and their components. `register_ids[i]` is the
/// devices-table id of synthetic register entry `i`; components are numbered from
/// `first_component_id`. Returns the next free component id.
pub async fn insert_batch(
    db: &mut impl Connection,
    rows: &[BulkProcedure<'_>],
    register_ids: &[i64],
    first_component_id: i64,
) -> Result<i64, sqlx::Error> {
    for chunk in rows.chunks(PROCEDURES_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO procedures (id, organisation_id, current_version, patient_pseudonym, created_by, created_at) VALUES {}",
            values(db, chunk.len(), 6)
        );
        on_engine!(db, c => {
            let mut query = sqlx::query(&sql);
            for row in chunk {
                query = query
                    .bind(row.procedure_id)
                    .bind(row.organisation_id)
                    .bind(1i64)
                    .bind(row.procedure.pseudonym.as_deref())
                    .bind(row.recorded_by)
                    .bind(row.recorded_at);
            }
            query.execute(&mut *c).await?;
        });
    }
    for chunk in rows.chunks(VERSIONS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO procedure_versions (id, procedure_id, version, site_id, consultant_gmc, procedure_date, procedure_type, \
             body_site, laterality, revision_reasons, consent, patient_pseudonym, year_of_birth, sex, postcode_district, \
             acknowledged_warnings, correction_reason, created_by, created_at, organisation_id) VALUES {}",
            values(db, chunk.len(), 20)
        );
        on_engine!(db, c => {
            let mut query = sqlx::query(&sql);
            for row in chunk {
                let procedure = row.procedure;
                let (site, side, sex) = text_codes(procedure.body_site, procedure.laterality, procedure.sex);
                query = query
                    .bind(row.version_id)
                    .bind(row.procedure_id)
                    .bind(1i64)
                    .bind(row.site_id)
                    .bind(procedure.consultant_gmc.as_str())
                    .bind(Day(procedure.date))
                    .bind(kind(procedure.kind))
                    .bind(site)
                    .bind(side)
                    .bind(codes(&procedure.revision_reasons))
                    .bind(consent_code(&procedure.pseudonym))
                    .bind(procedure.pseudonym.as_deref())
                    .bind(i64::from(procedure.year_of_birth))
                    .bind(sex)
                    .bind(procedure.postcode_district)
                    .bind("[]")
                    .bind(None::<String>)
                    .bind(row.recorded_by)
                    .bind(row.recorded_at)
                    .bind(row.organisation_id);
            }
            query.execute(&mut *c).await?;
        });
    }
    // Components, flattened: (version id, organisation, position, component).
    let mut components = Vec::new();
    for row in rows {
        for (position, component) in row.procedure.components.iter().enumerate() {
            components.push((
                row.version_id,
                row.organisation_id,
                position as i64,
                component,
            ));
        }
    }
    let mut next_id = first_component_id;
    for chunk in components.chunks(COMPONENTS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO procedure_components (id, version_id, position, device_identifier, agency, udi, manufacturer, \
             catalogue_number, lot, serial, expiry, device_id, needs_review, organisation_id, lot_key, serial_key, \
             manufactured) VALUES {}",
            values(db, chunk.len(), 17)
        );
        let first = next_id;
        next_id += chunk.len() as i64;
        on_engine!(db, c => {
            let mut query = sqlx::query(&sql);
            for (offset, (version_id, organisation_id, position, component)) in chunk.iter().enumerate() {
                let device_id = component.register_entry.map(|entry| register_ids[entry]);
                query = query
                    .bind(first + offset as i64)
                    .bind(*version_id)
                    .bind(*position)
                    .bind(component.device_identifier.as_str())
                    .bind("GS1")
                    .bind(component.udi())
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .bind(component.lot.as_deref())
                    .bind(component.serial.as_deref())
                    .bind(Day(component.expiry))
                    .bind(device_id)
                    .bind(device_id.is_none())
                    .bind(*organisation_id)
                    .bind(range_key(&component.lot))
                    .bind(range_key(&component.serial))
                    .bind(None::<Day>);
            }
            query.execute(&mut *c).await?;
        });
    }
    Ok(next_id)
}

/// On PostgreSQL, moves each identity sequence past the highest id loaded (SQLite's integer
/// keys continue from the highest id by themselves).
pub async fn advance_sequences(db: &mut impl Connection) -> Result<(), sqlx::Error> {
    if let Conn::Postgres(c) = db.conn() {
        for table in ["procedures", "procedure_versions", "procedure_components"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_row_by_row_or_anonymous() {
        assert_eq!(placeholders(2, 3, false), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(1, 1, false), "($1)");
        assert_eq!(placeholders(2, 2, true), "(?, ?), (?, ?)");
    }
}
