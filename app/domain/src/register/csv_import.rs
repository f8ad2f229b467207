//! Importing device register entries, and deciding what an import changes.
//!
//! ## The register's CSV format
//!
//! A UTF-8 text file of comma-separated values. The first line is the header row naming the
//! columns; columns may come in any order and their names are compared ignoring case. Each
//! further line is one device. A value containing a comma, a double quote or a line break is
//! written in double quotes, with each double quote inside doubled (`"Cup, 52 mm ""XL"""`).
//! Spaces around values are ignored; empty lines are skipped.
//!
//! | column | required | what to write |
//! |---|---|---|
//! | `device_identifier` | yes | The UDI-DI. GS1: the GTIN, 8, 12, 13 or 14 digits (stored as 14). HIBCC: labeler code, product number and unit-of-measure digit, without `+` and check character (`A123BJC51`), or the barcode text with its `+` and check character, which is verified and removed. ICCBBA: 10 or 16 characters. |
//! | `agency` | yes | `GS1`, `HIBCC` or `ICCBBA` |
//! | `brand_name` | yes | up to 200 characters |
//! | `version_model` | yes | version or model number, up to 100 characters |
//! | `catalogue_number` | no | up to 60 characters (`catalog_number` is accepted as the column name) |
//! | `manufacturer` | yes | the maker's name, up to 200 characters |
//! | `duns` | no | the maker's DUNS number, 9 digits |
//! | `srn` | no | the maker's EUDAMED SRN, like `DE-MF-000012345` |
//! | `gmdn_code`, `gmdn_term` | one pair of these two… | GMDN code (5 digits) and its term (up to 300 characters) |
//! | `emdn_code`, `emdn_term` | …or of these two, or both | EMDN code (a letter and 2 to 12 digits, like `P0908`) and its term |
//! | `risk_class` | yes | `I`, `IIa`, `IIb`, `III` or `AIMD` (EU/UK MDR classes) |
//! | `implantable` | yes | `yes` or `no` |
//! | `mri_safety` | yes | `mr_safe`, `mr_conditional`, `mr_unsafe` or `not_labelled` |
//! | `sterile` | yes | `yes` or `no` (as supplied) |
//! | `single_use` | yes | `yes` or `no` |
//! | `body_site` | no | `hip`, `knee`, `shoulder`, `elbow`, `ankle`, `spine`, `breast`, `heart_valve`, `cardiac_rhythm` or `other` |
//! | `side` | no | `left`, `right` or `either` (empty: either) |
//! | `size` | no | as labelled, up to 60 characters |
//! | `status` | no | `active` or `withdrawn` (empty: active) |
//!
//! `yes`/`no` may also be written `true`/`false`, `y`/`n` or `1`/`0`. No value may hold
//! control characters. Each row is checked by the same rules as the administrators' form: a
//! row that breaks one is left out and reported with its line number and every reason,
//! naming the columns; the other rows are imported.
//!
//! ## What an import changes
//!
//! `classify_import` compares an incoming entry with the one the register holds for the same
//! DI: `Added` (none held), `Unchanged` (importing it would change nothing, so importing the
//! same file twice changes nothing the second time), `Updated`, or `OlderVersionIgnored` (a
//! GUDID record older than the one held never overwrites it). `merge_import` gives the entry
//! to store: a GUDID import replaces only what GUDID says and keeps what administrators added
//! (risk class, nomenclature, body site, side, size, SRN); a CSV row replaces the entry. An
//! import may withdraw an entry but never re-activates a withdrawn one: that is done in the
//! form.

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::delimited::{Column, DelimitedRows, ImportError, RowRejection};
use super::device::{DeviceEntry, Manufacturer, RegisterStatus};
use super::device_form::DeviceForm;

type FormField = fn(&mut DeviceForm) -> &mut String;

/// The CSV columns and the form field each fills.
const CSV_COLUMNS: [(Column, FormField); 21] = [
    (Column::required("device_identifier", &[]), |f| {
        &mut f.device_identifier
    }),
    (Column::required("agency", &[]), |f| &mut f.agency),
    (Column::required("brand_name", &[]), |f| &mut f.brand_name),
    (Column::required("version_model", &[]), |f| {
        &mut f.version_model
    }),
    (
        Column::optional("catalogue_number", &["catalog_number"]),
        |f| &mut f.catalogue_number,
    ),
    (Column::required("manufacturer", &[]), |f| {
        &mut f.manufacturer
    }),
    (Column::optional("duns", &[]), |f| &mut f.duns),
    (Column::optional("srn", &[]), |f| &mut f.srn),
    (Column::optional("gmdn_code", &[]), |f| &mut f.gmdn_code),
    (Column::optional("gmdn_term", &[]), |f| &mut f.gmdn_term),
    (Column::optional("emdn_code", &[]), |f| &mut f.emdn_code),
    (Column::optional("emdn_term", &[]), |f| &mut f.emdn_term),
    (Column::required("risk_class", &[]), |f| &mut f.risk_class),
    (Column::required("implantable", &[]), |f| &mut f.implantable),
    (Column::required("mri_safety", &[]), |f| &mut f.mri_safety),
    (Column::required("sterile", &[]), |f| &mut f.sterile),
    (Column::required("single_use", &[]), |f| &mut f.single_use),
    (Column::optional("body_site", &[]), |f| &mut f.body_site),
    (Column::optional("side", &[]), |f| &mut f.side),
    (Column::optional("size", &[]), |f| &mut f.size),
    (Column::optional("status", &[]), |f| &mut f.status),
];

/// Reads the register's CSV: fails only if its header lacks a required column.
pub fn read_register_csv<R: Read>(input: R) -> Result<RegisterRows<R>, ImportError> {
    let columns = CSV_COLUMNS.map(|(column, _)| column);
    DelimitedRows::open(input, b',', "The CSV file", &columns).map(RegisterRows)
}

/// The rows of a register CSV, each an entry or the reasons it was left out.
pub struct RegisterRows<R: Read>(DelimitedRows<R>);

impl<R: Read> RegisterRows<R> {
    /// The same rows, each entry with its line number (the header is line 1).
    pub fn numbered(self) -> NumberedRows<R> {
        NumberedRows(self)
    }

    fn next_numbered(&mut self) -> Option<Result<(u64, DeviceEntry), RowRejection>> {
        let row = match self.0.next_row()? {
            Ok(row) => row,
            Err(rejection) => return Some(Err(rejection)),
        };
        let mut form = DeviceForm::default();
        for (index, (_, field)) in CSV_COLUMNS.iter().enumerate() {
            *field(&mut form) = row.get(index).to_string();
        }
        let line = row.line;
        Some(form.parse().map(|entry| (line, entry)).map_err(|errors| {
            RowRejection {
                line,
                reason: errors
                    .iter()
                    .map(|error| format!("column {}: {}", error.field, error.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        }))
    }
}

impl<R: Read> Iterator for RegisterRows<R> {
    type Item = Result<DeviceEntry, RowRejection>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.next_numbered()?.map(|(_, entry)| entry))
    }
}

/// A register CSV's rows with their line numbers.
pub struct NumberedRows<R: Read>(RegisterRows<R>);

impl<R: Read> Iterator for NumberedRows<R> {
    type Item = Result<(u64, DeviceEntry), RowRejection>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next_numbered()
    }
}

/// What importing an entry does to the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum ImportOutcome {
    Added,
    Updated,
    Unchanged,
    /// The register holds a newer version of the same GUDID record.
    OlderVersionIgnored {
        held: u32,
        offered: u32,
    },
}

/// Compares `incoming` with the entry the register holds for its DI (`None` if none).
pub fn classify_import(existing: Option<&DeviceEntry>, incoming: &DeviceEntry) -> ImportOutcome {
    let Some(existing) = existing else {
        return ImportOutcome::Added;
    };
    if let Some((held, offered)) = versions_of_one_record(existing, incoming)
        && offered < held
    {
        return ImportOutcome::OlderVersionIgnored { held, offered };
    }
    if merge_import(existing, incoming) == *existing {
        ImportOutcome::Unchanged
    } else {
        ImportOutcome::Updated
    }
}

/// The held and offered versions, when both entries come from the same GUDID record.
fn versions_of_one_record(existing: &DeviceEntry, incoming: &DeviceEntry) -> Option<(u32, u32)> {
    let (held, offered) = (
        existing.gudid_record.as_ref()?,
        incoming.gudid_record.as_ref()?,
    );
    (held.record_key == offered.record_key).then_some((held.version, offered.version))
}

/// The entry to store when `incoming` is imported over `existing` (see the module's
/// documentation for what is kept).
pub fn merge_import(existing: &DeviceEntry, incoming: &DeviceEntry) -> DeviceEntry {
    // Imports withdraw; only an administrator re-activates.
    let status = match (existing.status, incoming.status) {
        (RegisterStatus::Active, RegisterStatus::Active) => RegisterStatus::Active,
        _ => RegisterStatus::Withdrawn,
    };
    match versions_of_one_record(existing, incoming) {
        Some((held, offered)) if offered < held => return existing.clone(),
        // A GUDID version never changes once published: the same version again is the same
        // data, and any difference is an administrator's correction, which is kept. Only a
        // deactivation (should GUDID not number it as a new version) is taken.
        Some((held, offered)) if offered == held => {
            return DeviceEntry {
                status,
                ..existing.clone()
            };
        }
        _ => {}
    }
    if incoming.gudid_record.is_none() {
        return DeviceEntry {
            status,
            gudid_record: existing.gudid_record.clone(),
            ..incoming.clone()
        };
    }
    let kept = |incoming: &Option<String>, existing: &Option<String>| {
        incoming.clone().or_else(|| existing.clone())
    };
    DeviceEntry {
        device_identifier: incoming.device_identifier.clone(),
        agency: incoming.agency,
        brand_name: incoming.brand_name.clone(),
        version_model: kept(&incoming.version_model, &existing.version_model),
        catalogue_number: kept(&incoming.catalogue_number, &existing.catalogue_number),
        manufacturer: Manufacturer {
            name: incoming.manufacturer.name.clone(),
            duns: kept(&incoming.manufacturer.duns, &existing.manufacturer.duns),
            srn: kept(&incoming.manufacturer.srn, &existing.manufacturer.srn),
        },
        mri_safety: incoming.mri_safety.or(existing.mri_safety),
        sterile: incoming.sterile.or(existing.sterile),
        single_use: incoming.single_use.or(existing.single_use),
        implantable: incoming.implantable.or(existing.implantable),
        risk_class: incoming.risk_class.or(existing.risk_class),
        gmdn: incoming.gmdn.clone().or_else(|| existing.gmdn.clone()),
        emdn: incoming.emdn.clone().or_else(|| existing.emdn.clone()),
        status,
        gudid_record: incoming.gudid_record.clone(),
        // GUDID says nothing of these: what administrators entered stays.
        body_site: existing.body_site,
        side: existing.side,
        size: existing.size.clone(),
    }
}

#[cfg(test)]
mod tests;
