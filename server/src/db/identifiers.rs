//! Every identifier of a register entry (primary, package, previous, matched from the review
//! queue): one identifier belongs to one device, so a scanned box or an old label finds it.

use sqlx::FromRow;

use super::{Connection, on_engine};

/// One identifier as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct IdentifierRow {
    pub identifier: String,
    pub device_id: i64,
    pub agency: String,
    pub kind: String,
    pub contains: Option<String>,
    pub quantity: Option<i64>,
}

/// A device's identifiers, primary first.
pub async fn of_device(
    db: &mut impl Connection,
    device_id: i64,
) -> Result<Vec<IdentifierRow>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT identifier, device_id, agency, kind, contains, quantity FROM device_identifiers WHERE device_id = $1 \
         ORDER BY CASE kind WHEN 'primary' THEN 0 ELSE 1 END, identifier",
    )
    .bind(device_id)
    .fetch_all(c)
    .await)
}

pub async fn find(
    db: &mut impl Connection,
    identifier: &str,
) -> Result<Option<IdentifierRow>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT identifier, device_id, agency, kind, contains, quantity FROM device_identifiers WHERE identifier = $1",
    )
    .bind(identifier)
    .fetch_optional(c)
    .await)
}

/// What giving a device an identifier did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    Added,
    Updated,
    Unchanged,
    /// The identifier belongs to another device: nothing was changed.
    TakenBy(i64),
}

/// Gives `row.device_id` the identifier `row.identifier`, or says who has it.
pub async fn give(db: &mut impl Connection, row: &IdentifierRow) -> Result<Given, sqlx::Error> {
    let now = db.now();
    match find(db, &row.identifier).await? {
        Some(existing) if existing.device_id != row.device_id => {
            Ok(Given::TakenBy(existing.device_id))
        }
        Some(existing) if existing == *row => Ok(Given::Unchanged),
        // The primary stays primary, whatever a file calls it.
        Some(existing) if existing.kind == "primary" => Ok(Given::Unchanged),
        Some(_) => {
            on_engine!(db, c => sqlx::query(
                "UPDATE device_identifiers SET agency = $2, kind = $3, contains = $4, quantity = $5 WHERE identifier = $1",
            )
            .bind(&row.identifier)
            .bind(&row.agency)
            .bind(&row.kind)
            .bind(&row.contains)
            .bind(row.quantity)
            .execute(c)
            .await
            .map(drop))?;
            Ok(Given::Updated)
        }
        None => {
            on_engine!(db, c => sqlx::query(
                "INSERT INTO device_identifiers (identifier, device_id, agency, kind, contains, quantity, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&row.identifier)
            .bind(row.device_id)
            .bind(&row.agency)
            .bind(&row.kind)
            .bind(&row.contains)
            .bind(row.quantity)
            .bind(now)
            .execute(c)
            .await
            .map(drop))?;
            Ok(Given::Added)
        }
    }
}

/// Links components recorded with any of `identifiers` before the register knew them to their
/// device, and takes them off the review queue; returns how many were linked.
pub async fn link_waiting_components(
    db: &mut impl Connection,
    identifiers: &[String],
) -> Result<u64, sqlx::Error> {
    if identifiers.is_empty() {
        return Ok(0);
    }
    let placeholders: Vec<String> = (1..=identifiers.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "UPDATE procedure_components SET device_id = (SELECT i.device_id FROM device_identifiers i \
         WHERE i.identifier = procedure_components.device_identifier), needs_review = FALSE \
         WHERE needs_review AND device_identifier IN ({}) \
         AND EXISTS (SELECT 1 FROM device_identifiers i WHERE i.identifier = procedure_components.device_identifier)",
        placeholders.join(", ")
    );
    let done = on_engine!(db, c => {
        let mut query = sqlx::query(&sql);
        for identifier in identifiers {
            query = query.bind(identifier);
        }
        query.execute(c).await?.rows_affected()
    });
    Ok(done)
}
