//! GUDID's delimited release read from small synthetic files in its format
//! (`tests/fixtures/gudid/`: invented brands and companies), then imported into a register.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};

use domain::register::gudid::{read_devices, read_identifiers};
use domain::register::{
    DeviceEntry, DeviceIdentifier, GudidDevice, GudidIdentifier, GudidRecordStatus, IdentifierKind,
    ImportError, ImportOutcome, MriSafety, RegisterStatus, RowRejection, classify_import,
    merge_import,
};
use domain::udi::IssuingAgency;

fn fixture(name: &str) -> BufReader<File> {
    let path = format!("{}/tests/fixtures/gudid/{name}", env!("CARGO_MANIFEST_DIR"));
    BufReader::new(File::open(&path).unwrap_or_else(|error| panic!("{path}: {error}")))
}

fn devices() -> Vec<Result<GudidDevice, RowRejection>> {
    read_devices(fixture("device.txt")).unwrap().collect()
}

fn identifiers() -> Vec<Result<GudidIdentifier, RowRejection>> {
    read_identifiers(fixture("identifiers.txt"))
        .unwrap()
        .collect()
}

fn rejection(rows: &[Result<impl std::fmt::Debug, RowRejection>], line: u64) -> String {
    rows.iter()
        .find_map(|row| row.as_ref().err().filter(|r| r.line == line))
        .unwrap_or_else(|| panic!("line {line} was not rejected: {rows:#?}"))
        .reason
        .clone()
}

#[test]
fn good_device_rows_are_read_with_their_gudid_values() {
    let rows = devices();
    assert_eq!(rows.len(), 12);
    let good: Vec<&GudidDevice> = rows.iter().filter_map(|row| row.as_ref().ok()).collect();
    assert_eq!(good.len(), 8);
    let cup = good[0];
    assert_eq!(cup.line, 2);
    assert_eq!(cup.primary_di.as_str(), "05060123450019");
    assert_eq!(cup.agency, Some(IssuingAgency::Gs1));
    assert_eq!(cup.record.version, 3);
    assert_eq!(cup.brand_name, "Meridian Hip Cup");
    assert_eq!(cup.catalogue_number.as_deref(), Some("MHC-52-A"));
    assert_eq!(cup.duns.as_deref(), Some("123456789"));
    assert_eq!(cup.mri_safety, Some(MriSafety::MrConditional));
    assert_eq!((cup.sterile, cup.single_use), (Some(true), Some(true)));
    // A GTIN-13 in the file is stored as 14 digits.
    assert_eq!(good[2].primary_di.as_str(), "05060987650013");
}

#[test]
fn a_deactivated_record_is_withdrawn() {
    let rows = devices();
    let tray = rows[3].as_ref().unwrap();
    assert_eq!(tray.brand_name, "Northgate Knee Tibial Tray");
    assert_eq!(tray.record_status, GudidRecordStatus::Deactivated);
    assert_eq!(tray.register_status(), RegisterStatus::Withdrawn);
    assert_eq!(
        tray.commercial_distribution_end.as_deref(),
        Some("2024-06-30")
    );
}

#[test]
fn quoting_is_read_as_gudid_writes_it() {
    let rows = devices();
    let cage = rows[4].as_ref().unwrap();
    // A quote inside a value is an ordinary character…
    assert_eq!(
        cage.description.as_deref(),
        Some("Interbody cage with \"PEEK\" body, 10 mm")
    );
    // …and a quoted value may hold the delimiter.
    let breast = rows[5].as_ref().unwrap();
    assert_eq!(
        breast.description.as_deref(),
        Some("Silicone gel | round, 300 cc")
    );
    assert_eq!(breast.mri_safety, Some(MriSafety::NotLabelled));
}

#[test]
fn an_hibcc_primary_gets_its_agency_from_identifiers() {
    let rows = devices();
    let cage = rows[4].as_ref().unwrap().clone();
    assert_eq!(cage.primary_di.as_str(), "M456SPC3000");
    assert_eq!(cage.agency, None);
    let entry = cage.into_entry(IssuingAgency::Hibcc).unwrap();
    assert_eq!(entry.agency, IssuingAgency::Hibcc);
    assert!(
        rows[0]
            .as_ref()
            .unwrap()
            .clone()
            .into_entry(IssuingAgency::Hibcc)
            .is_err(),
        "a GTIN is not an HIBCC DI"
    );
}

#[test]
fn bad_device_rows_are_rejected_with_their_line_and_reason() {
    let rows = devices();
    let check_digit = rejection(&rows, 10);
    assert!(
        check_digit.starts_with(
            "PrimaryDI '05060123450508': The last digit (the check digit) should be 7, not 8"
        ),
        "{check_digit}"
    );
    assert_eq!(
        rejection(&rows, 11),
        "singleUse must be true or false, not 'maybe'"
    );
    assert_eq!(
        rejection(&rows, 12),
        "this row has 10 values but the header has 34 columns: a value probably contains a '|' without being quoted"
    );
    assert_eq!(
        rejection(&rows, 13),
        "brandName must be 200 characters or fewer (it has 213): shorten it"
    );
}

#[test]
fn identifiers_give_agencies_packages_and_previous_dis() {
    let rows = identifiers();
    assert_eq!(rows.len(), 13);
    let good: Vec<&GudidIdentifier> = rows.iter().filter_map(|row| row.as_ref().ok()).collect();
    assert_eq!(good.len(), 10);
    let previous = good[1];
    assert_eq!(previous.kind, IdentifierKind::Previous);
    assert_eq!(previous.primary_di.as_str(), "05060123450019");
    assert_eq!(previous.device_identifier.as_str(), "05060123450002");
    let femoral = good[7];
    assert_eq!(femoral.device_identifier.as_str(), "05060987650013");
    let cage = good[8];
    assert_eq!(
        (cage.agency, cage.kind),
        (IssuingAgency::Hibcc, IdentifierKind::Primary)
    );
    let box_of_ten = good[9];
    assert_eq!(box_of_ten.kind, IdentifierKind::Package);
    assert_eq!(box_of_ten.package_quantity, Some(10));
    assert_eq!(
        box_of_ten.contains.as_ref().map(DeviceIdentifier::as_str),
        Some("05060123450408")
    );
    assert_eq!(box_of_ten.package_type.as_deref(), Some("Box"));
}

#[test]
fn bad_identifier_rows_are_rejected_with_their_reason() {
    let rows = identifiers();
    assert_eq!(
        rejection(&rows, 12),
        "deviceIdIssuingAgency 'NDC/NHRIC' is not an agency the register takes: GS1, HIBCC or ICCBBA"
    );
    assert!(rejection(&rows, 13).starts_with("deviceId '05060123450508': The last digit"));
    assert_eq!(
        rejection(&rows, 14),
        "a Package DI needs pkgQuantity: how many of the contained DI the package holds"
    );
}

#[test]
fn a_header_without_a_required_column_is_refused_naming_it() {
    let error = read_devices("PrimaryDI|brandName|companyName\n".as_bytes())
        .err()
        .unwrap();
    assert!(matches!(error, ImportError::MissingColumns { .. }));
    assert!(
        error.to_string().starts_with(
            "device.txt has no publicDeviceRecordKey, publicVersionNumber, deviceRecordStatus, versionModelNumber column"
        ),
        "{error}"
    );
    let error = read_identifiers("PrimaryDI|deviceId|deviceIdType\n".as_bytes())
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .starts_with("identifiers.txt has no deviceIdIssuingAgency column")
    );
    assert_eq!(
        read_devices("".as_bytes()).err(),
        Some(ImportError::Empty { file: "device.txt" })
    );
}

#[test]
fn snake_case_headers_in_any_order_are_accepted() {
    let text = "brand_name|primary_di|public_device_record_key|public_version_number|device_record_status|version_model_number|company_name|device_count_in_base_package\n\
                Meridian Hip Cup|05060123450019|key-1|3|Published|MHC-52|Northgate Orthopaedics Ltd|1\n";
    let rows: Vec<_> = read_devices(text.as_bytes()).unwrap().collect();
    let cup = rows[0].as_ref().unwrap();
    assert_eq!(cup.brand_name, "Meridian Hip Cup");
    assert_eq!(cup.device_count, Some(1));
}

/// A file that never ends: rows are read as they are asked for.
struct Endless {
    header: Vec<u8>,
    row: Vec<u8>,
    position: usize,
}

impl Read for Endless {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let source = if self.position < self.header.len() {
            &self.header[self.position..]
        } else {
            let offset = (self.position - self.header.len()) % self.row.len();
            &self.row[offset..]
        };
        let count = source.len().min(buffer.len());
        buffer[..count].copy_from_slice(&source[..count]);
        self.position += count;
        Ok(count)
    }
}

#[test]
fn rows_are_streamed_not_read_whole() {
    let endless = Endless {
        header: b"PrimaryDI|publicDeviceRecordKey|publicVersionNumber|deviceRecordStatus|brandName|versionModelNumber|companyName\n".to_vec(),
        row: b"05060123450019|key-1|3|Published|Meridian Hip Cup|MHC-52|Northgate Orthopaedics Ltd\n"
            .to_vec(),
        position: 0,
    };
    let first: Vec<_> = read_devices(endless).unwrap().take(1000).collect();
    assert_eq!(first.len(), 1000);
    assert!(first.iter().all(Result::is_ok));
    assert_eq!(first[999].as_ref().unwrap().line, 1001);
}

/// Joins the two files as the server does: the agency of each record's primary DI comes from
/// its `Primary` identifier row when `device.txt` does not tell it.
fn entries() -> Vec<DeviceEntry> {
    let agencies: BTreeMap<DeviceIdentifier, IssuingAgency> = identifiers()
        .into_iter()
        .flatten()
        .filter(|identifier| identifier.kind == IdentifierKind::Primary)
        .map(|identifier| (identifier.primary_di, identifier.agency))
        .collect();
    devices()
        .into_iter()
        .flatten()
        .filter_map(|device| {
            let agency = device
                .agency
                .or_else(|| agencies.get(&device.primary_di).copied())?;
            device.into_entry(agency).ok()
        })
        .collect()
}

#[test]
fn importing_the_same_release_twice_changes_nothing() {
    let mut register: BTreeMap<DeviceIdentifier, DeviceEntry> = BTreeMap::new();
    let import = |register: &mut BTreeMap<DeviceIdentifier, DeviceEntry>| {
        let mut outcomes = Vec::new();
        for incoming in entries() {
            let existing = register.get(&incoming.device_identifier);
            let outcome = classify_import(existing, &incoming);
            let stored = existing.map_or_else(|| incoming.clone(), |e| merge_import(e, &incoming));
            register.insert(incoming.device_identifier.clone(), stored);
            outcomes.push(outcome);
        }
        outcomes
    };
    let first = import(&mut register);
    assert_eq!(first, vec![ImportOutcome::Added; 8]);
    assert_eq!(register.len(), 8);
    let withdrawn = register
        .values()
        .filter(|entry| entry.status == RegisterStatus::Withdrawn)
        .count();
    assert_eq!(withdrawn, 1);
    let second = import(&mut register);
    assert_eq!(second, vec![ImportOutcome::Unchanged; 8]);
}
