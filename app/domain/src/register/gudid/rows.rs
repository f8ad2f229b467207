//! The columns of `device.txt` and `identifiers.txt` (each index named, in the order of its
//! list), and one row of each read into a [`GudidDevice`] or a [`GudidIdentifier`], or
//! rejected with the reason.

use crate::register::delimited::{Column, Row, RowReader, RowRejection};
use crate::register::device::{
    BRAND_NAME_MAX, CATALOGUE_NUMBER_MAX, DESCRIPTION_MAX, GudidRecordVersion, MANUFACTURER_MAX,
    MriSafety, VERSION_MODEL_MAX,
};
use crate::register::fields::{TextKind, shortened};
use crate::register::identifier::DeviceIdentifier;

use super::{GudidDevice, GudidIdentifier, GudidRecordStatus, IdentifierKind};

// The columns of device.txt, in the order of `DEVICE_COLUMNS`.
pub(super) const PRIMARY_DI: usize = 0;
pub(super) const RECORD_KEY: usize = 1;
pub(super) const VERSION_NUMBER: usize = 2;
pub(super) const VERSION_DATE: usize = 3;
pub(super) const RECORD_STATUS: usize = 4;
pub(super) const BRAND_NAME: usize = 5;
pub(super) const VERSION_MODEL: usize = 6;
pub(super) const CATALOG_NUMBER: usize = 7;
pub(super) const COMPANY_NAME: usize = 8;
pub(super) const DUNS: usize = 9;
pub(super) const DESCRIPTION: usize = 10;
pub(super) const MRI_SAFETY: usize = 11;
pub(super) const STERILE: usize = 12;
pub(super) const STERILISATION_BEFORE_USE: usize = 13;
pub(super) const SINGLE_USE: usize = 14;
pub(super) const DEVICE_COUNT: usize = 15;
pub(super) const DISTRIBUTION_STATUS: usize = 16;
pub(super) const DISTRIBUTION_END: usize = 17;
pub(super) const DEVICE_AGENCY: usize = 18;

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
pub(super) const ID_PRIMARY_DI: usize = 0;
pub(super) const ID_DEVICE_ID: usize = 1;
pub(super) const ID_TYPE: usize = 2;
pub(super) const ID_AGENCY: usize = 3;
pub(super) const ID_CONTAINS: usize = 4;
pub(super) const ID_QUANTITY: usize = 5;
pub(super) const ID_DISCONTINUED: usize = 6;
pub(super) const ID_STATUS: usize = 7;
pub(super) const ID_PACKAGE_TYPE: usize = 8;

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

pub(super) fn device(row: &Row) -> Result<GudidDevice, RowRejection> {
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

pub(super) fn identifier(row: &Row) -> Result<GudidIdentifier, RowRejection> {
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
