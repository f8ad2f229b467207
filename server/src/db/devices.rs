//! The device register as the procedure rules see it: the facts about each device, found by
//! any of its identifiers (a package's or a previous DI finds the device). The entries
//! themselves are in [`super::register`].

use domain::procedure::{BodySite, DeviceFacts, Laterality};
use domain::register::RegisterStatus;
use sqlx::FromRow;

use super::{Connection, on_engine};

#[derive(Debug, Clone, FromRow)]
struct Row {
    id: i64,
    /// The identifier asked for.
    asked: String,
    device_identifier: String,
    manufacturer: String,
    name: String,
    #[sqlx(try_from = "OptionalCode")]
    side: Option<Laterality>,
    #[sqlx(try_from = "OptionalCode")]
    body_site: Option<BodySite>,
    #[sqlx(try_from = "String")]
    status: RegisterStatus,
}

/// A nullable code column: `NULL` is none, anything else must be one of the codes.
#[derive(Debug, Clone, sqlx::Type)]
#[sqlx(transparent)]
struct OptionalCode(Option<String>);

impl<T: TryFrom<String, Error = String>> TryFrom<OptionalCode> for Option<T>
where
    T: Sized,
{
    type Error = String;

    fn try_from(stored: OptionalCode) -> Result<Self, Self::Error> {
        stored.0.map(T::try_from).transpose()
    }
}

/// A register entry found by one of its identifiers: its id, its primary DI, and the facts
/// the rules use (keyed by the identifier asked for).
#[derive(Debug, Clone)]
pub struct Device {
    pub id: i64,
    pub primary: String,
    pub facts: DeviceFacts,
}

impl From<Row> for Device {
    fn from(row: Row) -> Self {
        Self {
            id: row.id,
            primary: row.device_identifier,
            facts: DeviceFacts {
                device_identifier: row.asked,
                manufacturer: row.manufacturer,
                name: row.name,
                side: row.side,
                body_site: row.body_site,
                status: row.status,
            },
        }
    }
}

/// The register entries for these device identifiers, each found by any of its identifiers
/// (unknown ones are simply absent).
pub async fn find(
    db: &mut impl Connection,
    identifiers: &[String],
) -> Result<Vec<Device>, sqlx::Error> {
    if identifiers.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=identifiers.len()).map(|n| format!("${n}")).collect();
    let placeholders = placeholders.join(", ");
    let sql = format!(
        "SELECT d.id, i.identifier AS asked, d.device_identifier, d.manufacturer, d.name, d.side, d.body_site, d.status \
         FROM device_identifiers i JOIN devices d ON d.id = i.device_id WHERE i.identifier IN ({placeholders})"
    );
    let rows: Vec<Row> = on_engine!(db, c => {
        let mut query = sqlx::query_as(&sql);
        for identifier in identifiers {
            query = query.bind(identifier);
        }
        query.fetch_all(c).await?
    });
    Ok(rows.into_iter().map(Device::from).collect())
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

pub async fn insert(db: &mut impl Connection, device: NewDevice<'_>) -> Result<i64, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar(
        "INSERT INTO devices (device_identifier, agency, manufacturer, name, catalogue_number, body_site, side) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(device.device_identifier)
    .bind(device.agency)
    .bind(device.manufacturer)
    .bind(device.name)
    .bind(device.catalogue_number)
    .bind(device.body_site.map(BodySite::code))
    .bind(device.side.map(Laterality::code))
    .fetch_one(c)
    .await)
}
