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
//!
//! Here: what a row is read into, and the readers. The files' columns and reading one row of
//! each are in `rows`.

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::delimited::{DelimitedRows, ImportError, RowRejection};
use super::device::{
    DeviceEntry, DeviceSide, GudidRecordVersion, Manufacturer, MriSafety, RegisterStatus,
};
use super::identifier::{DeviceIdentifier, DeviceIdentifierError};
use crate::udi::IssuingAgency;

mod rows;

pub use rows::{DEVICE_COLUMNS, IDENTIFIER_COLUMNS};
use rows::{device, identifier};

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

#[cfg(test)]
mod tests;
