//! The match of a safety notice as indexed queries. Each version's criteria are stored one row
//! per device (and its listed lots or serials as range keys); the candidates for a criterion
//! are the components of records' current versions with that device whose lot/serial key is
//! in the list or range, or missing (possibly affected), and whose dates are in the windows
//! or missing. Each lookup is an index range scan on (device_id, lot_key) or
//! (device_id, serial_key); the domain then decides each candidate (`match_component`).

use domain::calendar::CalendarDate;
use domain::register::{NoticeScope, Selection, range_key};
use sqlx::FromRow;

use super::types::{Day, Timestamp};
use super::{Connection, on_engine};

/// Writes a version's criteria (replacing any), for devices `device_ids` in the scope's order.
pub async fn write_criteria(
    db: &mut impl Connection,
    version_id: i64,
    scope: &NoticeScope,
    device_ids: &[i64],
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
        sqlx::query("DELETE FROM safety_notice_codes WHERE criterion_id IN (SELECT id FROM safety_notice_criteria WHERE version_id = $1)")
            .bind(version_id)
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM safety_notice_criteria WHERE version_id = $1")
            .bind(version_id)
            .execute(&mut *c)
            .await?;
    });
    for (position, (device, device_id)) in scope.devices.iter().zip(device_ids).enumerate() {
        let (kind, first, last, codes): (&str, Option<String>, Option<String>, &[String]) =
            match &device.selection {
                Selection::AllUnits => ("all", None, None, &[]),
                Selection::Lots { lots } => ("lots", None, None, lots.as_slice()),
                Selection::Serials { serials } => ("serials", None, None, serials.as_slice()),
                Selection::LotRange { range } => {
                    let (first, last) = range.keys();
                    ("lot_range", Some(first), Some(last), &[])
                }
                Selection::SerialRange { range } => {
                    let (first, last) = range.keys();
                    ("serial_range", Some(first), Some(last), &[])
                }
            };
        let window = |window: &Option<domain::register::DateWindow>| {
            window.map_or((None, None), |w| (w.from.map(Day), w.to.map(Day)))
        };
        let (made_from, made_to) = window(&device.manufactured);
        let (expiry_from, expiry_to) = window(&device.expiry);
        let mut keys: Vec<String> = codes.iter().map(|code| range_key(code)).collect();
        keys.sort();
        keys.dedup();
        on_engine!(db, c => {
            let criterion: i64 = sqlx::query_scalar(
                "INSERT INTO safety_notice_criteria (version_id, position, device_id, selection, first_key, last_key, \
                 manufactured_from, manufactured_to, expiry_from, expiry_to) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(version_id)
            .bind(position as i64)
            .bind(device_id)
            .bind(kind)
            .bind(&first)
            .bind(&last)
            .bind(made_from)
            .bind(made_to)
            .bind(expiry_from)
            .bind(expiry_to)
            .fetch_one(&mut *c)
            .await?;
            for batch in keys.chunks(500) {
                let values: Vec<String> = (0..batch.len()).map(|n| format!("($1, ${})", n + 2)).collect();
                let sql = format!("INSERT INTO safety_notice_codes (criterion_id, code_key) VALUES {}", values.join(", "));
                let mut query = sqlx::query(&sql).bind(criterion);
                for key in batch {
                    query = query.bind(key);
                }
                query.execute(&mut *c).await?;
            }
        });
    }
    on_engine!(db, c => sqlx::query("UPDATE safety_notice_versions SET criteria_indexed = TRUE WHERE id = $1")
        .bind(version_id)
        .execute(c)
        .await
        .map(drop))
}

/// One stored criterion.
#[derive(Debug, Clone, FromRow)]
pub struct Criterion {
    pub id: i64,
    pub version_id: i64,
    pub device_id: i64,
    pub selection: String,
    pub first_key: Option<String>,
    pub last_key: Option<String>,
    pub manufactured_from: Option<Day>,
    pub manufactured_to: Option<Day>,
    pub expiry_from: Option<Day>,
    pub expiry_to: Option<Day>,
}

const CRITERION_COLUMNS: &str = "k.id, k.version_id, k.device_id, k.selection, k.first_key, k.last_key, \
     k.manufactured_from, k.manufactured_to, k.expiry_from, k.expiry_to";

pub async fn criteria_of(
    db: &mut impl Connection,
    version_id: i64,
) -> Result<Vec<Criterion>, sqlx::Error> {
    let sql = format!(
        "SELECT {CRITERION_COLUMNS} FROM safety_notice_criteria k WHERE k.version_id = $1 ORDER BY k.position"
    );
    on_engine!(db, c => sqlx::query_as(&sql).bind(version_id).fetch_all(c).await)
}

/// The criteria, on these devices, of the versions in force of notices in these states
/// (`published`, `closed`): what a new component or a patient's implant is checked against.
pub async fn criteria_in_force(
    db: &mut impl Connection,
    device_ids: &[i64],
    include_closed: bool,
) -> Result<Vec<(i64, Criterion)>, sqlx::Error> {
    if device_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (2..device_ids.len() + 2).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT n.id AS notice_id, {CRITERION_COLUMNS} FROM safety_notice_criteria k \
         JOIN safety_notice_versions v ON v.id = k.version_id \
         JOIN safety_notices n ON n.id = v.notice_id AND v.version = n.published_version \
         WHERE (n.status = 'published' OR ($1 AND n.status = 'closed')) AND k.device_id IN ({}) ORDER BY n.id, k.position",
        placeholders.join(", ")
    );
    #[derive(FromRow)]
    struct Row {
        notice_id: i64,
        #[sqlx(flatten)]
        criterion: Criterion,
    }
    let rows: Vec<Row> = on_engine!(db, c => {
        let mut query = sqlx::query_as(&sql).bind(include_closed);
        for id in device_ids {
            query = query.bind(id);
        }
        query.fetch_all(c).await?
    });
    Ok(rows
        .into_iter()
        .map(|row| (row.notice_id, row.criterion))
        .collect())
}

/// A component that may be one a criterion concerns, with its record.
#[derive(Debug, Clone, FromRow)]
pub struct Candidate {
    pub component_id: i64,
    pub position: i64,
    pub procedure_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub site: String,
    #[sqlx(try_from = "Day")]
    pub procedure_date: CalendarDate,
    pub patient_pseudonym: Option<String>,
    pub primary_identifier: String,
    pub device_name: String,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<Day>,
    pub manufactured: Option<Day>,
    pub recorded_at: Timestamp,
}

enum Param {
    Int(i64),
    Text(String),
    Day(Day),
}

/// The candidates for `criterion`, of one organisation's records or of every one's.
pub async fn candidates(
    db: &mut impl Connection,
    criterion: &Criterion,
    organisation: Option<i64>,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let mut params: Vec<Param> = Vec::new();
    let branch = |condition: Option<&str>, params: &mut Vec<Param>| -> String {
        let next = |param: Param, params: &mut Vec<Param>| {
            params.push(param);
            format!("${}", params.len())
        };
        let mut sql = format!(
            "SELECT c.id AS component_id, c.position, p.id AS procedure_id, p.organisation_id, o.name AS organisation, \
             s.name AS site, v.procedure_date, p.patient_pseudonym, d.device_identifier AS primary_identifier, \
             d.name AS device_name, c.lot, c.serial, c.expiry, c.manufactured, v.created_at AS recorded_at \
             FROM procedure_components c JOIN procedure_versions v ON v.id = c.version_id \
             JOIN procedures p ON p.id = v.procedure_id AND p.current_version = v.version \
             JOIN devices d ON d.id = c.device_id JOIN organisations o ON o.id = p.organisation_id \
             JOIN sites s ON s.id = v.site_id WHERE c.device_id = {}",
            next(Param::Int(criterion.device_id), params)
        );
        let key = if criterion.selection.starts_with("serial") {
            "c.serial_key"
        } else {
            "c.lot_key"
        };
        match condition {
            Some("missing") => sql.push_str(&format!(" AND {key} IS NULL")),
            Some("range") => {
                let first = next(
                    Param::Text(criterion.first_key.clone().unwrap_or_default()),
                    params,
                );
                let last = next(
                    Param::Text(criterion.last_key.clone().unwrap_or_default()),
                    params,
                );
                sql.push_str(&format!(" AND {key} BETWEEN {first} AND {last}"));
            }
            Some("listed") => {
                let id = next(Param::Int(criterion.id), params);
                sql.push_str(&format!(
                    " AND {key} IN (SELECT code_key FROM safety_notice_codes WHERE criterion_id = {id})"
                ));
            }
            _ => {}
        }
        for (column, bound, from) in [
            ("c.manufactured", criterion.manufactured_from, true),
            ("c.manufactured", criterion.manufactured_to, false),
            ("c.expiry", criterion.expiry_from, true),
            ("c.expiry", criterion.expiry_to, false),
        ] {
            if let Some(day) = bound {
                let placeholder = next(Param::Day(day), params);
                let operator = if from { ">=" } else { "<=" };
                sql.push_str(&format!(
                    " AND ({column} IS NULL OR {column} {operator} {placeholder})"
                ));
            }
        }
        if let Some(organisation) = organisation {
            let placeholder = next(Param::Int(organisation), params);
            sql.push_str(&format!(" AND p.organisation_id = {placeholder}"));
        }
        sql
    };
    let sql = match criterion.selection.as_str() {
        "all" => branch(None, &mut params),
        selection => {
            let held = if selection.ends_with("range") {
                "range"
            } else {
                "listed"
            };
            // Two index range scans rather than one OR, which planners may not split.
            let held = branch(Some(held), &mut params);
            let missing = branch(Some("missing"), &mut params);
            format!("{held} UNION ALL {missing}")
        }
    };
    on_engine!(db, c => {
        let mut query = sqlx::query_as(&sql);
        for param in &params {
            query = match param {
                Param::Int(value) => query.bind(*value),
                Param::Text(value) => query.bind(value),
                Param::Day(value) => query.bind(*value),
            };
        }
        query.fetch_all(c).await
    })
}

/// The same query, explained by the engine (for the benchmark and tests: it must use the
/// range-key indexes).
pub async fn explain_candidates(
    db: &mut impl Connection,
    criterion: &Criterion,
) -> Result<String, sqlx::Error> {
    // Only for the explanation's text: the real query is `candidates`.
    let key = if criterion.selection.starts_with("serial") {
        "serial_key"
    } else {
        "lot_key"
    };
    let sql = format!(
        "SELECT c.id FROM procedure_components c WHERE c.device_id = {} AND c.{key} BETWEEN '{}' AND '{}'",
        criterion.device_id,
        criterion
            .first_key
            .clone()
            .unwrap_or_default()
            .replace('\'', "''"),
        criterion
            .last_key
            .clone()
            .unwrap_or_default()
            .replace('\'', "''")
    );
    let plan: Vec<String> = match db.conn() {
        super::Conn::Sqlite(c) => {
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .fetch_all(c)
                    .await?;
            rows.into_iter().map(|row| row.3).collect()
        }
        super::Conn::Postgres(c) => {
            sqlx::query_scalar(&format!("EXPLAIN {sql}"))
                .fetch_all(c)
                .await?
        }
    };
    Ok(plan.join("\n"))
}
