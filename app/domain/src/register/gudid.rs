//! AccessGUDID's delimited release: `device.txt` (one row per device record) and
//! `identifiers.txt` (every DI of a record: primary, package, unit of use, previous…), both
//! pipe-delimited with a header row, read row by row.
//!
//! Column names: the release's headers are camelCase (`PrimaryDI`, `publicDeviceRecordKey`,
//! `brandName`, `MRISafetyStatus`, `deviceId`, `pkgQuantity`…), as several independent
//! loaders of the files spell them. Headers are compared ignoring case and underscores, so
//! snake_case spellings (`primary_di`, `brand_name`) are accepted too, and where other names
//! have been seen for a column (`device_count_in_base_package` for `deviceCount`,
//! `contains_di_package` for `containsDINumber`) they are accepted as aliases.
//!
//! `device.txt` does not say who issued the primary DI: a DI of digits only is a GS1 GTIN
//! (and is checked as one); for others the agency comes from the record's `Primary` row in
//! `identifiers.txt` (`GudidDevice::agency` is then `None`), unless the file has a
//! `deviceIdIssuingAgency` column.

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::delimited::{Column, DelimitedRows, ImportError, Row, RowReader, RowRejection};
use super::device::{
    BRAND_NAME_MAX, CATALOGUE_NUMBER_MAX, DESCRIPTION_MAX, DeviceEntry, DeviceSide,
    GudidRecordVersion, MANUFACTURER_MAX, Manufacturer, MriSafety, RegisterStatus,
    VERSION_MODEL_MAX,
};
use super::fields::{TextKind, shortened};
use super::identifier::{DeviceIdentifier, DeviceIdentifierError};
use crate::udi::IssuingAgency;

/// GUDID's record status: only published and deactivated records are public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GudidRecordStatus {
    Published,
    Deactivated,
}

/// A row of `device.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GudidDevice {
    pub line: u64,
    pub primary_di: DeviceIdentifier,
    /// Known when the DI is all digits (GS1) or the file has an agency column.
    pub agency: Option<IssuingAgency>,
    pub record: GudidRecordVersion,
    /// As GUDID wrote it (the register orders versions by number, not date).
    pub version_date: Option<String>,
    pub record_status: GudidRecordStatus,
    pub brand_name: String,
    pub version_model: Option<String>,
    pub catalogue_number: Option<String>,
    pub company_name: String,
    pub duns: Option<String>,
    pub description: Option<String>,
    pub mri_safety: Option<MriSafety>,
    pub sterile: Option<bool>,
    pub sterilisation_before_use: Option<bool>,
    pub single_use: Option<bool>,
    /// Devices in the base package.
    pub device_count: Option<u32>,
    /// "In Commercial Distribution" or "Not in Commercial Distribution", as GUDID wrote it.
    pub commercial_distribution: Option<String>,
    pub commercial_distribution_end: Option<String>,
}

impl GudidDevice {
    /// Deactivated GUDID records are withdrawn from the register.
    pub fn register_status(&self) -> RegisterStatus {
        match self.record_status {
            GudidRecordStatus::Published => RegisterStatus::Active,
            GudidRecordStatus::Deactivated => RegisterStatus::Withdrawn,
        }
    }

    /// The register entry, with `agency` from the record's `Primary` identifier (pass
    /// `self.agency` when it is known). What GUDID does not give is left unknown.
    pub fn into_entry(self, agency: IssuingAgency) -> Result<DeviceEntry, DeviceIdentifierError> {
        let device_identifier = DeviceIdentifier::parse(agency, self.primary_di.as_str())?;
        let status = self.register_status();
        Ok(DeviceEntry {
            device_identifier,
            agency,
            brand_name: self.brand_name,
            version_model: self.version_model,
            catalogue_number: self.catalogue_number,
            manufacturer: Manufacturer {
                name: self.company_name,
                duns: self.duns,
                srn: None,
            },
            gmdn: None,
            emdn: None,
            risk_class: None,
            implantable: None,
            mri_safety: self.mri_safety,
            sterile: self.sterile,
            single_use: self.single_use,
            body_site: None,
            side: DeviceSide::Either,
            size: None,
            status,
            gudid_record: Some(self.record),
        })
    }
}

/// What a DI in `identifiers.txt` is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Primary,
    Secondary,
    /// A higher packaging level (a box of 10) of the primary.
    Package,
    UnitOfUse,
    /// A DI the record used before; components labelled with it are the same device.
    Previous,
    DirectMarking,
}

impl IdentifierKind {
    const GUDID_NAMES: [(&'static str, Self); 6] = [
        ("Primary", Self::Primary),
        ("Secondary", Self::Secondary),
        ("Package", Self::Package),
        ("Unit of Use", Self::UnitOfUse),
        ("Previous", Self::Previous),
        ("Direct Marking", Self::DirectMarking),
    ];

    /// From GUDID's `deviceIdType`, ignoring case.
    pub fn from_gudid(text: &str) -> Option<Self> {
        Self::GUDID_NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
            .map(|(_, kind)| *kind)
    }
}

/// A row of `identifiers.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GudidIdentifier {
    pub line: u64,
    /// The record's primary DI, which `device.txt` is keyed by.
    pub primary_di: DeviceIdentifier,
    pub device_identifier: DeviceIdentifier,
    pub agency: IssuingAgency,
    pub kind: IdentifierKind,
    /// For a package: the DI of what the package holds.
    pub contains: Option<DeviceIdentifier>,
    pub package_quantity: Option<u32>,
    pub package_discontinue_date: Option<String>,
    pub package_status: Option<String>,
    pub package_type: Option<String>,
}

// The columns of device.txt, in the order of `DEVICE_COLUMNS`.
const PRIMARY_DI: usize = 0;
const RECORD_KEY: usize = 1;
const VERSION_NUMBER: usize = 2;
const VERSION_DATE: usize = 3;
const RECORD_STATUS: usize = 4;
const BRAND_NAME: usize = 5;
const VERSION_MODEL: usize = 6;
const CATALOG_NUMBER: usize = 7;
const COMPANY_NAME: usize = 8;
const DUNS: usize = 9;
const DESCRIPTION: usize = 10;
const MRI_SAFETY: usize = 11;
const STERILE: usize = 12;
const STERILISATION_BEFORE_USE: usize = 13;
const SINGLE_USE: usize = 14;
const DEVICE_COUNT: usize = 15;
const DISTRIBUTION_STATUS: usize = 16;
const DISTRIBUTION_END: usize = 17;
const DEVICE_AGENCY: usize = 18;

pub const DEVICE_COLUMNS: [Column; 19] = [
    Column::required("PrimaryDI", &[]),
    Column::required("publicDeviceRecordKey", &[]),
    Column::required("publicVersionNumber", &[]),
    Column::optional("publicVersionDate", &[]),
    Column::required("deviceRecordStatus", &[]),
    Column::required("brandName", &[]),
    Column::required("versionModelNumber", &[]),
    Column::optional("catalogNumber", &[]),
    Column::required("companyName", &[]),
    Column::optional("dunsNumber", &[]),
    Column::optional("deviceDescription", &[]),
    Column::optional("MRISafetyStatus", &[]),
    Column::optional("deviceSterile", &[]),
    Column::optional("sterilizationPriorToUse", &["sterilization_prior_use"]),
    Column::optional("singleUse", &[]),
    Column::optional("deviceCount", &["device_count_in_base_package"]),
    Column::optional(
        "deviceCommDistributionStatus",
        &["commercial_distribution_status"],
    ),
    Column::optional(
        "deviceCommDistributionEndDate",
        &["commercial_distribution_end_date"],
    ),
    Column::optional("deviceIdIssuingAgency", &[]),
];

// The columns of identifiers.txt, in the order of `IDENTIFIER_COLUMNS`.
const ID_PRIMARY_DI: usize = 0;
const ID_DEVICE_ID: usize = 1;
const ID_TYPE: usize = 2;
const ID_AGENCY: usize = 3;
const ID_CONTAINS: usize = 4;
const ID_QUANTITY: usize = 5;
const ID_DISCONTINUED: usize = 6;
const ID_STATUS: usize = 7;
const ID_PACKAGE_TYPE: usize = 8;

pub const IDENTIFIER_COLUMNS: [Column; 9] = [
    Column::required("PrimaryDI", &[]),
    Column::required("deviceId", &[]),
    Column::required("deviceIdType", &[]),
    Column::required("deviceIdIssuingAgency", &[]),
    Column::optional("containsDINumber", &["contains_di_package"]),
    Column::optional("pkgQuantity", &["package_quantity"]),
    Column::optional("pkgDiscontinueDate", &["package_discontinue_date"]),
    Column::optional("pkgStatus", &["package_status"]),
    Column::optional("pkgType", &["package_type"]),
];

/// Reads `device.txt`: fails only if its header lacks a required column.
pub fn read_devices<R: Read>(input: R) -> Result<GudidDevices<R>, ImportError> {
    DelimitedRows::open(input, b'|', "device.txt", &DEVICE_COLUMNS).map(GudidDevices)
}

/// Reads `identifiers.txt`.
pub fn read_identifiers<R: Read>(input: R) -> Result<GudidIdentifiers<R>, ImportError> {
    DelimitedRows::open(input, b'|', "identifiers.txt", &IDENTIFIER_COLUMNS).map(GudidIdentifiers)
}

pub struct GudidDevices<R: Read>(DelimitedRows<R>);

impl<R: Read> Iterator for GudidDevices<R> {
    type Item = Result<GudidDevice, RowRejection>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.0.next_row()?.and_then(|row| device(&row)))
    }
}

pub struct GudidIdentifiers<R: Read>(DelimitedRows<R>);

impl<R: Read> Iterator for GudidIdentifiers<R> {
    type Item = Result<GudidIdentifier, RowRejection>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.0.next_row()?.and_then(|row| identifier(&row)))
    }
}

fn device(row: &Row) -> Result<GudidDevice, RowRejection> {
    let columns = &DEVICE_COLUMNS;
    let mut read = RowReader::new(row);
    let line = TextKind::Line;
    let agency = read.agency(&columns[DEVICE_AGENCY], DEVICE_AGENCY);
    let primary_di = read.di(&columns[PRIMARY_DI], PRIMARY_DI, agency);
    let agency = agency.or_else(|| {
        primary_di
            .as_ref()
            .and_then(DeviceIdentifier::evident_agency)
    });
    let record_key = read.text(&columns[RECORD_KEY], RECORD_KEY, line, 100);
    let version = read.number(&columns[VERSION_NUMBER], VERSION_NUMBER);
    let version_date = read.text(&columns[VERSION_DATE], VERSION_DATE, line, 30);
    let status_text = row.get(RECORD_STATUS);
    let record_status = match status_text.to_ascii_lowercase().as_str() {
        "published" => Some(GudidRecordStatus::Published),
        "deactivated" => Some(GudidRecordStatus::Deactivated),
        _ => {
            read.problem(format!(
                "deviceRecordStatus must be Published or Deactivated, not '{}'",
                shortened(status_text)
            ));
            None
        }
    };
    let brand_name = read.text(&columns[BRAND_NAME], BRAND_NAME, line, BRAND_NAME_MAX);
    let version_model = read.text(
        &columns[VERSION_MODEL],
        VERSION_MODEL,
        line,
        VERSION_MODEL_MAX,
    );
    let catalogue_number = read.text(
        &columns[CATALOG_NUMBER],
        CATALOG_NUMBER,
        line,
        CATALOGUE_NUMBER_MAX,
    );
    let company_name = read.text(&columns[COMPANY_NAME], COMPANY_NAME, line, MANUFACTURER_MAX);
    let duns = Some(row.get(DUNS)).filter(|duns| !duns.is_empty());
    if let Some(duns) = duns
        && !(duns.len() == 9 && duns.bytes().all(|b| b.is_ascii_digit()))
    {
        read.problem(format!(
            "dunsNumber must be 9 digits, not '{}'",
            shortened(duns)
        ));
    }
    let duns = duns.map(str::to_string);
    let description = read.text(
        &columns[DESCRIPTION],
        DESCRIPTION,
        TextKind::Paragraphs,
        DESCRIPTION_MAX,
    );
    let mri_text = row.get(MRI_SAFETY);
    let mri_safety = MriSafety::from_gudid(mri_text);
    if mri_safety.is_none() && !mri_text.is_empty() {
        read.problem(format!(
            "MRISafetyStatus '{}' is not one of MR Safe, MR Conditional, MR Unsafe, Labeling does not contain MRI Safety Information",
            shortened(mri_text)
        ));
    }
    let sterile = read.yes_no(&columns[STERILE], STERILE);
    let sterilisation_before_use =
        read.yes_no(&columns[STERILISATION_BEFORE_USE], STERILISATION_BEFORE_USE);
    let single_use = read.yes_no(&columns[SINGLE_USE], SINGLE_USE);
    let device_count = read.number(&columns[DEVICE_COUNT], DEVICE_COUNT);
    let commercial_distribution = read.text(
        &columns[DISTRIBUTION_STATUS],
        DISTRIBUTION_STATUS,
        line,
        100,
    );
    let commercial_distribution_end =
        read.text(&columns[DISTRIBUTION_END], DISTRIBUTION_END, line, 30);
    read.finish(|| {
        Some(GudidDevice {
            line: row.line,
            primary_di: primary_di?,
            agency,
            record: GudidRecordVersion {
                record_key: record_key?,
                version: version?,
            },
            version_date,
            record_status: record_status?,
            brand_name: brand_name?,
            version_model,
            catalogue_number,
            company_name: company_name?,
            duns,
            description,
            mri_safety,
            sterile,
            sterilisation_before_use,
            single_use,
            device_count,
            commercial_distribution,
            commercial_distribution_end,
        })
    })
}

fn identifier(row: &Row) -> Result<GudidIdentifier, RowRejection> {
    let columns = &IDENTIFIER_COLUMNS;
    let mut read = RowReader::new(row);
    let line = TextKind::Line;
    let agency = read.agency(&columns[ID_AGENCY], ID_AGENCY);
    let primary_di = read.di(&columns[ID_PRIMARY_DI], ID_PRIMARY_DI, None);
    let device_identifier = match agency {
        Some(agency) => read.di(&columns[ID_DEVICE_ID], ID_DEVICE_ID, Some(agency)),
        None => None,
    };
    let kind_text = row.get(ID_TYPE);
    let kind = IdentifierKind::from_gudid(kind_text);
    if kind.is_none() {
        read.problem(format!(
            "deviceIdType must be Primary, Secondary, Package, Unit of Use, Previous or Direct Marking, not '{}'",
            shortened(kind_text)
        ));
    }
    let contains = read.di(&columns[ID_CONTAINS], ID_CONTAINS, None);
    let package_quantity = read.number(&columns[ID_QUANTITY], ID_QUANTITY);
    if kind == Some(IdentifierKind::Package) {
        match package_quantity {
            None if row.get(ID_QUANTITY).is_empty() => read.problem(
                "a Package DI needs pkgQuantity: how many of the contained DI the package holds",
            ),
            Some(0) => read.problem("pkgQuantity of a Package DI must be 1 or more"),
            _ => {}
        }
        if row.get(ID_CONTAINS).is_empty() {
            read.problem("a Package DI needs containsDINumber: the DI of what the package holds");
        }
    }
    let package_discontinue_date = read.text(&columns[ID_DISCONTINUED], ID_DISCONTINUED, line, 30);
    let package_status = read.text(&columns[ID_STATUS], ID_STATUS, line, 100);
    let package_type = read.text(&columns[ID_PACKAGE_TYPE], ID_PACKAGE_TYPE, line, 100);
    read.finish(|| {
        Some(GudidIdentifier {
            line: row.line,
            primary_di: primary_di?,
            device_identifier: device_identifier?,
            agency: agency?,
            kind: kind?,
            contains,
            package_quantity,
            package_discontinue_date,
            package_status,
            package_type,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_lists_are_in_the_order_of_their_indices() {
        assert_eq!(DEVICE_COLUMNS[PRIMARY_DI].name, "PrimaryDI");
        assert_eq!(
            DEVICE_COLUMNS[DISTRIBUTION_END].name,
            "deviceCommDistributionEndDate"
        );
        assert_eq!(DEVICE_COLUMNS[DEVICE_AGENCY].name, "deviceIdIssuingAgency");
        assert_eq!(DEVICE_COLUMNS[SINGLE_USE].name, "singleUse");
        assert_eq!(IDENTIFIER_COLUMNS[ID_PACKAGE_TYPE].name, "pkgType");
        assert_eq!(IDENTIFIER_COLUMNS[ID_CONTAINS].name, "containsDINumber");
    }
}
