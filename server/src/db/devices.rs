//! The device register.

use domain::procedure::{BodySite, DeviceFacts, Laterality};
use sqlx::{FromRow, SqliteExecutor};

#[derive(Debug, Clone, FromRow)]
struct Row {
    id: i64,
    device_identifier: String,
    manufacturer: String,
    name: String,
    side: Option<String>,
    body_site: Option<String>,
}

/// A register entry: its id and the facts the rules use.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: i64,
    pub facts: DeviceFacts,
}

impl From<Row> for Device {
    fn from(row: Row) -> Self {
        Self {
            id: row.id,
            facts: DeviceFacts {
                device_identifier: row.device_identifier,
                manufacturer: row.manufacturer,
                name: row.name,
                side: row.side.as_deref().and_then(Laterality::from_code),
                body_site: row.body_site.as_deref().and_then(BodySite::from_code),
            },
        }
    }
}

/// The register entries for these device identifiers (unknown ones are simply absent).
pub async fn find(
    executor: impl SqliteExecutor<'_>,
    identifiers: &[String],
) -> Result<Vec<Device>, sqlx::Error> {
    if identifiers.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=identifiers.len()).map(|n| format!("${n}")).collect();
    let placeholders = placeholders.join(", ");
    let sql = format!(
        "SELECT id, device_identifier, manufacturer, name, side, body_site FROM devices WHERE device_identifier IN ({placeholders})"
    );
    let mut query = sqlx::query_as::<_, Row>(&sql);
    for identifier in identifiers {
        query = query.bind(identifier);
    }
    Ok(query
        .fetch_all(executor)
        .await?
        .into_iter()
        .map(Device::from)
        .collect())
}

pub struct NewDevice<'a> {
    pub device_identifier: &'a str,
    pub agency: &'a str,
    pub manufacturer: &'a str,
    pub name: &'a str,
    pub catalogue_number: Option<&'a str>,
    pub body_site: Option<BodySite>,
    pub side: Option<Laterality>,
}

pub async fn insert(
    executor: impl SqliteExecutor<'_>,
    device: NewDevice<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO devices (device_identifier, agency, manufacturer, name, catalogue_number, body_site, side) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(device.device_identifier)
    .bind(device.agency)
    .bind(device.manufacturer)
    .bind(device.name)
    .bind(device.catalogue_number)
    .bind(device.body_site.map(BodySite::code))
    .bind(device.side.map(Laterality::code))
    .execute(executor)
    .await
    .map(|done| done.last_insert_rowid())
}
