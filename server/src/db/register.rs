//! The device register's entries: read as the domain's `DeviceEntry`, written from one, and
//! searched. Identifiers (primary, package, previous, matched) are in [`super::identifiers`].

use domain::procedure::BodySite;
use domain::register::{
    DeviceEntry, DeviceIdentifier, DeviceSide, GudidRecordVersion, Manufacturer, MriSafety,
    Nomenclature, RegisterStatus, RiskClass,
};
use sqlx::FromRow;

use super::types::Timestamp;
use super::{Connection, on_engine};

/// The columns an entry is read from (`COALESCE`: entries made before the register had a
/// brand column have their name there).
const ENTRY_COLUMNS: &str = "d.id, d.device_identifier, d.agency, COALESCE(d.brand_name, d.name) AS brand_name, \
     d.version_model, d.catalogue_number, d.manufacturer, d.duns, d.srn, d.gmdn_code, d.gmdn_term, d.emdn_code, \
     d.emdn_term, d.risk_class, d.implantable, d.mri_safety, d.sterile, d.single_use, d.body_site, d.side, d.size, \
     d.status, d.gudid_record_key, d.gudid_version, d.created_at, d.updated_at";

#[derive(Debug, Clone, FromRow)]
struct EntryRow {
    id: i64,
    device_identifier: String,
    agency: String,
    brand_name: String,
    version_model: Option<String>,
    catalogue_number: Option<String>,
    manufacturer: String,
    duns: Option<String>,
    srn: Option<String>,
    gmdn_code: Option<String>,
    gmdn_term: Option<String>,
    emdn_code: Option<String>,
    emdn_term: Option<String>,
    risk_class: Option<String>,
    implantable: Option<bool>,
    mri_safety: Option<String>,
    sterile: Option<bool>,
    single_use: Option<bool>,
    body_site: Option<String>,
    side: Option<String>,
    size: Option<String>,
    status: String,
    gudid_record_key: Option<String>,
    gudid_version: Option<i64>,
    created_at: Timestamp,
    updated_at: Option<Timestamp>,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub id: i64,
    pub entry: DeviceEntry,
    pub created_at: Timestamp,
    pub updated_at: Option<Timestamp>,
}

fn code<T: TryFrom<String, Error = String>>(value: Option<String>) -> Result<Option<T>, String> {
    value.map(T::try_from).transpose()
}

fn nomenclature(code: Option<String>, term: Option<String>) -> Option<Nomenclature> {
    Some(Nomenclature {
        code: code?,
        term: term?,
    })
}

impl TryFrom<EntryRow> for StoredEntry {
    type Error = String;

    fn try_from(row: EntryRow) -> Result<Self, String> {
        let agency = domain::register::device::agency_from_name(&row.agency)
            .ok_or_else(|| format!("{:?} is not an issuing agency", row.agency))?;
        let device_identifier = DeviceIdentifier::parse(agency, &row.device_identifier)
            .map_err(|error| format!("stored DI {:?}: {error}", row.device_identifier))?;
        let side = match row.side.as_deref() {
            None => DeviceSide::Either,
            Some(side) => DeviceSide::try_from(side.to_string())?,
        };
        let gudid_record = match (row.gudid_record_key, row.gudid_version) {
            (Some(record_key), Some(version)) => Some(GudidRecordVersion {
                record_key,
                version: u32::try_from(version).map_err(|error| error.to_string())?,
            }),
            (None, None) => None,
            _ => return Err("a GUDID record key without its version".into()),
        };
        Ok(Self {
            id: row.id,
            entry: DeviceEntry {
                device_identifier,
                agency,
                brand_name: row.brand_name,
                version_model: row.version_model,
                catalogue_number: row.catalogue_number,
                manufacturer: Manufacturer {
                    name: row.manufacturer,
                    duns: row.duns,
                    srn: row.srn,
                },
                gmdn: nomenclature(row.gmdn_code, row.gmdn_term),
                emdn: nomenclature(row.emdn_code, row.emdn_term),
                risk_class: code::<RiskClass>(row.risk_class)?,
                implantable: row.implantable,
                mri_safety: code::<MriSafety>(row.mri_safety)?,
                sterile: row.sterile,
                single_use: row.single_use,
                body_site: code::<BodySite>(row.body_site)?,
                side,
                size: row.size,
                status: RegisterStatus::try_from(row.status)?,
                gudid_record,
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

fn decode(row: EntryRow) -> Result<StoredEntry, sqlx::Error> {
    StoredEntry::try_from(row).map_err(|error| sqlx::Error::Decode(error.into()))
}

/// The name shown for an entry: brand and model.
pub fn display_name(entry: &DeviceEntry) -> String {
    entry.facts().name
}

pub async fn by_id(db: &mut impl Connection, id: i64) -> Result<Option<StoredEntry>, sqlx::Error> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM devices d WHERE d.id = $1");
    let row: Option<EntryRow> =
        on_engine!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?;
    row.map(decode).transpose()
}

/// The entry any of whose identifiers is `identifier` (normalised).
pub async fn by_identifier(
    db: &mut impl Connection,
    identifier: &str,
) -> Result<Option<StoredEntry>, sqlx::Error> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM device_identifiers i JOIN devices d ON d.id = i.device_id WHERE i.identifier = $1"
    );
    let row: Option<EntryRow> =
        on_engine!(db, c => sqlx::query_as(&sql).bind(identifier).fetch_optional(c).await)?;
    row.map(decode).transpose()
}

/// The entry imported from this GUDID record, if any.
pub async fn by_record_key(
    db: &mut impl Connection,
    record_key: &str,
) -> Result<Option<StoredEntry>, sqlx::Error> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM devices d WHERE d.gudid_record_key = $1");
    let row: Option<EntryRow> =
        on_engine!(db, c => sqlx::query_as(&sql).bind(record_key).fetch_optional(c).await)?;
    row.map(decode).transpose()
}

/// Binds an entry's own fields, in the column order `insert` and `update` share (name
/// through GUDID version), after whatever the query bound before them.
macro_rules! bind_entry_fields {
    ($query:expr, $entry:expr, $values:expr) => {
        $query
            .bind(&$values.name)
            .bind(&$entry.brand_name)
            .bind(&$entry.version_model)
            .bind(&$entry.catalogue_number)
            .bind(&$entry.manufacturer.name)
            .bind(&$entry.manufacturer.duns)
            .bind(&$entry.manufacturer.srn)
            .bind(&$values.gmdn.0)
            .bind(&$values.gmdn.1)
            .bind(&$values.emdn.0)
            .bind(&$values.emdn.1)
            .bind($entry.risk_class.map(RiskClass::code))
            .bind($entry.implantable)
            .bind($entry.mri_safety.map(MriSafety::code))
            .bind($entry.sterile)
            .bind($entry.single_use)
            .bind($entry.body_site.map(BodySite::code))
            .bind($values.side)
            .bind(&$entry.size)
            .bind($entry.status.code())
            .bind(&$values.record_key)
            .bind($values.record_version)
    };
}

/// Inserts an entry (its primary DI becomes its first identifier); returns its id.
pub async fn insert(
    db: &mut impl Connection,
    entry: &DeviceEntry,
    import_id: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let now = db.now();
    let values = Values::of(entry);
    on_engine!(db, c => bind_entry_fields!(sqlx::query_scalar(
        "INSERT INTO devices (device_identifier, agency, name, brand_name, version_model, catalogue_number, manufacturer, \
         duns, srn, gmdn_code, gmdn_term, emdn_code, emdn_term, risk_class, implantable, mri_safety, sterile, single_use, \
         body_site, side, size, status, gudid_record_key, gudid_version, created_at, updated_at, import_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
         $23, $24, $25, $25, $26) RETURNING id",
    )
    .bind(entry.device_identifier.as_str())
    .bind(entry.agency.name()), entry, values)
    .bind(now)
    .bind(import_id)
    .fetch_one(c)
    .await)
}

/// Replaces an entry's fields (its DI and agency stay: they identify it).
pub async fn update(
    db: &mut impl Connection,
    id: i64,
    entry: &DeviceEntry,
    import_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    let values = Values::of(entry);
    on_engine!(db, c => bind_entry_fields!(sqlx::query(
        "UPDATE devices SET name = $2, brand_name = $3, version_model = $4, catalogue_number = $5, manufacturer = $6, \
         duns = $7, srn = $8, gmdn_code = $9, gmdn_term = $10, emdn_code = $11, emdn_term = $12, risk_class = $13, \
         implantable = $14, mri_safety = $15, sterile = $16, single_use = $17, body_site = $18, side = $19, size = $20, \
         status = $21, gudid_record_key = $22, gudid_version = $23, updated_at = $24, import_id = $25 WHERE id = $1",
    )
    .bind(id), entry, values)
    .bind(now)
    .bind(import_id)
    .execute(c)
    .await
    .map(drop))
}

/// What an entry stores beyond its own fields.
struct Values {
    name: String,
    gmdn: (Option<String>, Option<String>),
    emdn: (Option<String>, Option<String>),
    side: Option<&'static str>,
    record_key: Option<String>,
    record_version: Option<i64>,
}

impl Values {
    fn of(entry: &DeviceEntry) -> Self {
        let pair = |n: &Option<Nomenclature>| {
            n.as_ref().map_or((None, None), |n| {
                (Some(n.code.clone()), Some(n.term.clone()))
            })
        };
        Self {
            name: display_name(entry),
            gmdn: pair(&entry.gmdn),
            emdn: pair(&entry.emdn),
            side: match entry.side {
                DeviceSide::Either => None,
                side => Some(side.code()),
            },
            record_key: entry.gudid_record.as_ref().map(|r| r.record_key.clone()),
            record_version: entry.gudid_record.as_ref().map(|r| i64::from(r.version)),
        }
    }
}

/// An entry in the register's list.
#[derive(Debug, Clone, FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub device_identifier: String,
    pub agency: String,
    pub brand_name: String,
    pub version_model: Option<String>,
    pub catalogue_number: Option<String>,
    pub manufacturer: String,
    #[sqlx(try_from = "String")]
    pub status: RegisterStatus,
}

/// A page of entries matching `query` (part of a DI, brand, model, catalogue number or
/// maker, ignoring case; or exactly one of a device's identifiers, `identifier`), by brand.
pub async fn search(
    db: &mut impl Connection,
    query: &str,
    identifier: Option<&str>,
    page: u32,
    page_size: u32,
) -> Result<(Vec<SummaryRow>, u64), sqlx::Error> {
    let pattern = format!(
        "%{}%",
        query
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let filter = "FROM devices d WHERE $1 = '%%' OR lower(d.device_identifier) LIKE $1 ESCAPE '\\' \
         OR lower(COALESCE(d.brand_name, d.name)) LIKE $1 ESCAPE '\\' OR lower(d.version_model) LIKE $1 ESCAPE '\\' \
         OR lower(d.catalogue_number) LIKE $1 ESCAPE '\\' OR lower(d.manufacturer) LIKE $1 ESCAPE '\\' \
         OR d.id IN (SELECT i.device_id FROM device_identifiers i WHERE i.identifier = $2)";
    let count = format!("SELECT COUNT(*) {filter}");
    let select = format!(
        "SELECT d.id, d.device_identifier, d.agency, COALESCE(d.brand_name, d.name) AS brand_name, d.version_model, \
         d.catalogue_number, d.manufacturer, d.status {filter} \
         ORDER BY lower(COALESCE(d.brand_name, d.name)), d.id LIMIT $3 OFFSET $4"
    );
    let offset = i64::from(page.max(1) - 1) * i64::from(page_size);
    on_engine!(db, c => {
        let total: i64 = sqlx::query_scalar(&count)
            .bind(&pattern)
            .bind(identifier)
            .fetch_one(&mut *c)
            .await?;
        let rows = sqlx::query_as(&select)
            .bind(&pattern)
            .bind(identifier)
            .bind(i64::from(page_size))
            .bind(offset)
            .fetch_all(&mut *c)
            .await?;
        Ok((rows, total as u64))
    })
}

/// Components recorded with a device, in records' current versions.
pub async fn components_recorded(db: &mut impl Connection, id: i64) -> Result<u64, sqlx::Error> {
    let count: i64 = on_engine!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM procedure_components c JOIN procedure_versions v ON v.id = c.version_id \
         JOIN procedures p ON p.id = v.procedure_id AND p.current_version = v.version WHERE c.device_id = $1",
    )
    .bind(id)
    .fetch_one(c)
    .await)?;
    Ok(count as u64)
}
