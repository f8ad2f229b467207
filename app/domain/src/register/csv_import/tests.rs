use super::*;
use crate::register::RowRejection;
use crate::register::device::{DeviceSide, GudidRecordVersion, RiskClass};

const HEADER: &str = "device_identifier,agency,brand_name,version_model,catalogue_number,manufacturer,duns,srn,gmdn_code,gmdn_term,emdn_code,emdn_term,risk_class,implantable,mri_safety,sterile,single_use,body_site,side,size,status";

fn read(text: &str) -> Vec<Result<DeviceEntry, RowRejection>> {
    read_register_csv(text.as_bytes()).unwrap().collect()
}

#[test]
fn rows_become_entries_through_the_form_rules() {
    let text = format!(
        "{HEADER}\n\
         9506000134352,GS1,Meridian Hip Cup,MHC-52,MHC-52-A,Northgate Orthopaedics,123456789,,35665,Acetabular shell,,,IIb,yes,mr_conditional,yes,yes,hip,,52 mm,\n\
         \n\
         A123BJC51,hibcc,\"Meridian Stem, \"\"long\"\"\",MS-9,,Northgate Orthopaedics,,,,,P0908,Hip prostheses,III,yes,mr_safe,yes,yes,hip,left,,active\n"
    );
    let rows = read(&text);
    assert_eq!(rows.len(), 2);
    let cup = rows[0].as_ref().unwrap();
    assert_eq!(cup.device_identifier.as_str(), "09506000134352");
    assert_eq!(cup.risk_class, Some(RiskClass::IIb));
    assert_eq!(cup.size.as_deref(), Some("52 mm"));
    let stem = rows[1].as_ref().unwrap();
    assert_eq!(stem.brand_name, "Meridian Stem, \"long\"");
    assert_eq!(stem.side, DeviceSide::Left);
}

#[test]
fn columns_may_come_in_any_order_and_optional_ones_may_be_missing() {
    let text = "Brand_Name,agency,device_identifier,version_model,manufacturer,gmdn_code,gmdn_term,risk_class,implantable,mri_safety,sterile,single_use\n\
                Meridian Knee,GS1,09506000134352,MK-1,Northgate Orthopaedics,35665,Knee femoral component,III,yes,mr_conditional,yes,yes\n";
    let rows = read(text);
    assert_eq!(rows[0].as_ref().unwrap().brand_name, "Meridian Knee");
}

#[test]
fn a_rejected_row_names_its_line_every_column_and_the_form_reason() {
    let text = format!(
        "{HEADER}\n\
         09506000134350,GS1,,MHC-52,,Northgate Orthopaedics,,,35665,Acetabular shell,,,IIb,maybe,mr_conditional,yes,yes,hip,,,\n\
         9506000134352,GS1,Meridian Hip Cup,MHC-52\n"
    );
    let rows = read(&text);
    assert_eq!(rows.len(), 2);
    let rejection = rows[0].as_ref().unwrap_err();
    assert_eq!(rejection.line, 2);
    assert!(
        rejection.reason.starts_with(
            "column device_identifier: The last digit (the check digit) should be 2, not 0"
        ),
        "{}",
        rejection.reason
    );
    assert!(
        rejection
            .reason
            .contains("; column brand_name: Enter the brand name; ")
    );
    assert!(
        rejection
            .reason
            .ends_with("column implantable: Implantable must be yes or no, not 'maybe'")
    );
    let short = rows[1].as_ref().unwrap_err();
    assert_eq!(short.line, 3);
    assert_eq!(
        short.reason,
        "this row has 4 values but the header has 21 columns: put a value that contains a comma in double quotes"
    );
}

#[test]
fn a_header_without_a_required_column_is_refused_naming_it() {
    let error = read_register_csv("device_identifier,agency,brand_name\n".as_bytes())
        .err()
        .unwrap();
    let message = error.to_string();
    assert!(
        message.starts_with(
            "The CSV file has no version_model, manufacturer, risk_class, implantable, mri_safety, sterile, single_use column"
        ),
        "{message}"
    );
    assert!(matches!(
        read_register_csv("".as_bytes()).err(),
        Some(ImportError::Empty { .. })
    ));
}

fn entry() -> DeviceEntry {
    DeviceForm {
        device_identifier: "09506000134352".into(),
        agency: "GS1".into(),
        brand_name: "Meridian Hip Cup".into(),
        version_model: "MHC-52".into(),
        manufacturer: "Northgate Orthopaedics".into(),
        gmdn_code: "35665".into(),
        gmdn_term: "Acetabular shell".into(),
        risk_class: "iib".into(),
        implantable: "yes".into(),
        mri_safety: "mr_conditional".into(),
        sterile: "yes".into(),
        single_use: "yes".into(),
        side: "left".into(),
        ..DeviceForm::default()
    }
    .parse()
    .unwrap()
}

fn from_gudid(version: u32, brand: &str) -> DeviceEntry {
    DeviceEntry {
        brand_name: brand.into(),
        gmdn: None,
        risk_class: None,
        implantable: None,
        side: DeviceSide::Either,
        gudid_record: Some(GudidRecordVersion {
            record_key: "key-1".into(),
            version,
        }),
        ..entry()
    }
}

#[test]
fn the_classifier_adds_updates_and_leaves_alone() {
    let held = entry();
    assert_eq!(classify_import(None, &held), ImportOutcome::Added);
    assert_eq!(
        classify_import(Some(&held), &held.clone()),
        ImportOutcome::Unchanged
    );
    let renamed = DeviceEntry {
        brand_name: "Meridian Cup".into(),
        ..held.clone()
    };
    assert_eq!(
        classify_import(Some(&held), &renamed),
        ImportOutcome::Updated
    );
    assert_eq!(merge_import(&held, &renamed), renamed);
}

#[test]
fn gudid_versions_only_move_forward_and_keep_what_administrators_added() {
    // Imported from GUDID version 3, then completed by an administrator.
    let held = DeviceEntry {
        risk_class: Some(RiskClass::III),
        side: DeviceSide::Left,
        ..from_gudid(3, "Meridian Hip Cup")
    };
    let same = from_gudid(3, "Meridian Hip Cup");
    assert_eq!(
        classify_import(Some(&held), &same),
        ImportOutcome::Unchanged
    );
    assert_eq!(
        classify_import(Some(&held), &from_gudid(2, "Old name")),
        ImportOutcome::OlderVersionIgnored {
            held: 3,
            offered: 2
        }
    );
    assert_eq!(merge_import(&held, &from_gudid(2, "Old name")), held);
    let newer = from_gudid(4, "Meridian Cup");
    assert_eq!(classify_import(Some(&held), &newer), ImportOutcome::Updated);
    let stored = merge_import(&held, &newer);
    assert_eq!(stored.brand_name, "Meridian Cup");
    assert_eq!(stored.risk_class, Some(RiskClass::III));
    assert_eq!(stored.side, DeviceSide::Left);
    assert_eq!(stored.gudid_record.as_ref().unwrap().version, 4);
    // Importing the same file again changes nothing.
    assert_eq!(
        classify_import(Some(&stored), &newer),
        ImportOutcome::Unchanged
    );
}

#[test]
fn imports_withdraw_but_never_reactivate() {
    let held = from_gudid(3, "Meridian Hip Cup");
    let deactivated = DeviceEntry {
        status: RegisterStatus::Withdrawn,
        ..from_gudid(4, "Meridian Hip Cup")
    };
    assert_eq!(
        classify_import(Some(&held), &deactivated),
        ImportOutcome::Updated
    );
    let withdrawn = merge_import(&held, &deactivated);
    assert_eq!(withdrawn.status, RegisterStatus::Withdrawn);
    let republished = from_gudid(5, "Meridian Hip Cup");
    assert_eq!(
        merge_import(&withdrawn, &republished).status,
        RegisterStatus::Withdrawn
    );
    // The same version marked deactivated still withdraws.
    let same_version_deactivated = DeviceEntry {
        status: RegisterStatus::Withdrawn,
        ..from_gudid(3, "Meridian Hip Cup")
    };
    assert_eq!(
        classify_import(Some(&held), &same_version_deactivated),
        ImportOutcome::Updated
    );
}
