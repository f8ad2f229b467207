use super::*;
use crate::procedure::Laterality;
use crate::udi::IssuingAgency;

fn complete_form() -> DeviceForm {
    DeviceForm {
        device_identifier: "9506000134352".into(),
        agency: "gs1".into(),
        brand_name: "Meridian Hip Cup".into(),
        version_model: "MHC-52".into(),
        catalogue_number: "MHC-52-A".into(),
        manufacturer: "Northgate Orthopaedics".into(),
        duns: "12-345-6789".into(),
        srn: "de-mf-000012345".into(),
        gmdn_code: "35665".into(),
        gmdn_term: "Acetabular shell".into(),
        emdn_code: "p0908".into(),
        emdn_term: "Hip prostheses".into(),
        risk_class: "IIb".into(),
        implantable: "yes".into(),
        mri_safety: "mr_conditional".into(),
        sterile: "Yes".into(),
        single_use: "true".into(),
        body_site: "hip".into(),
        side: "".into(),
        size: "52 mm".into(),
        status: "".into(),
    }
}

#[test]
fn a_complete_form_parses_into_typed_values() {
    let entry = complete_form().parse().unwrap();
    assert_eq!(entry.device_identifier.as_str(), "09506000134352");
    assert_eq!(entry.agency, IssuingAgency::Gs1);
    assert_eq!(entry.manufacturer.duns.as_deref(), Some("123456789"));
    assert_eq!(entry.manufacturer.srn.as_deref(), Some("DE-MF-000012345"));
    assert_eq!(entry.emdn.as_ref().unwrap().code, "P0908");
    assert_eq!(entry.risk_class, Some(RiskClass::IIb));
    assert_eq!(entry.mri_safety, Some(MriSafety::MrConditional));
    assert_eq!(
        (entry.implantable, entry.sterile, entry.single_use),
        (Some(true), Some(true), Some(true))
    );
    assert_eq!(entry.side, DeviceSide::Either);
    assert_eq!(entry.status, RegisterStatus::Active);
    assert_eq!(entry.body_site, Some(BodySite::Hip));
    // The edit form shows the entry as it stands, and saving it unchanged changes nothing.
    assert_eq!(DeviceForm::from_entry(&entry).parse().unwrap(), entry);
}

#[test]
fn an_empty_form_lists_every_required_field_at_once() {
    let errors = DeviceForm::default().parse().unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "agency",
            "device_identifier",
            "brand_name",
            "version_model",
            "manufacturer",
            "gmdn_code",
            "risk_class",
            "implantable",
            "mri_safety",
            "sterile",
            "single_use",
        ]
    );
    assert_eq!(errors[2].message, "Enter the brand name");
    assert_eq!(errors[6].message, "Choose the risk class");
    assert_eq!(errors[7].message, "Choose yes or no for implantable");
}

#[test]
fn wrong_values_are_each_explained() {
    let form = DeviceForm {
        device_identifier: "09506000134350".into(),
        brand_name: "M".repeat(201),
        catalogue_number: "cat\tno".into(),
        duns: "1234".into(),
        srn: "DE-000012345".into(),
        gmdn_code: "3566".into(),
        emdn_code: "P0908".into(),
        emdn_term: "".into(),
        risk_class: "class 2".into(),
        implantable: "perhaps".into(),
        side: "up".into(),
        status: "deleted".into(),
        size: "x".repeat(61),
        ..complete_form()
    };
    let errors = form.parse().unwrap_err();
    let messages: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    let expected = [
        "device_identifier: The last digit (the check digit) should be 2, not 0",
        "brand_name: Brand name must be 200 characters or fewer (it has 201): shorten it",
        "catalogue_number: Catalogue number contains an invisible control character at character 4",
        "duns: DUNS number must be 9 digits",
        "srn: SRN must be the manufacturer's EUDAMED Single Registration Number",
        "gmdn_code: GMDN code must be 5 digits, like 35665",
        "emdn_term: Enter the EMDN term for code P0908",
        "risk_class: Risk class 'class 2' is not one the register knows: use one of i, iia, iib, iii, aimd",
        "implantable: Implantable must be yes or no, not 'perhaps'",
        "side: Side 'up' is not one the register knows: use one of left, right, either",
        "size: Size must be 60 characters or fewer (it has 61)",
        "status: Status 'deleted' is not one the register knows: use one of active, withdrawn",
    ];
    assert_eq!(messages.len(), expected.len(), "{messages:#?}");
    for (message, start) in messages.iter().zip(expected) {
        assert!(
            message.starts_with(start),
            "{message}\n  should start with\n{start}"
        );
    }
}

#[test]
fn nomenclature_needs_code_and_term_together() {
    let only_term = DeviceForm {
        gmdn_code: "".into(),
        emdn_code: "".into(),
        emdn_term: "".into(),
        ..complete_form()
    };
    let errors = only_term.parse().unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "gmdn_code");
    assert_eq!(errors[0].message, "Enter the GMDN code for this term");
    let only_emdn = DeviceForm {
        gmdn_code: "".into(),
        gmdn_term: "".into(),
        ..complete_form()
    };
    let entry = only_emdn.parse().unwrap();
    assert_eq!(entry.gmdn, None);
    assert!(entry.emdn.is_some());
}

#[test]
fn hibcc_entries_and_an_unknown_agency() {
    let hibcc = DeviceForm {
        agency: "HIBCC".into(),
        device_identifier: "+A123BJC51J".into(),
        ..complete_form()
    };
    assert_eq!(
        hibcc.parse().unwrap().device_identifier.as_str(),
        "A123BJC51"
    );
    let unknown = DeviceForm {
        agency: "IFA".into(),
        ..complete_form()
    };
    let errors = unknown.parse().unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "Issuing agency 'IFA' is not one the register knows: use one of GS1, HIBCC, ICCBBA"
    );
}

#[test]
fn entries_give_the_procedure_rules_their_facts_and_are_searchable() {
    let entry = DeviceForm {
        side: "left".into(),
        ..complete_form()
    }
    .parse()
    .unwrap();
    let facts = entry.facts();
    assert_eq!(facts.side, Some(Laterality::Left));
    assert_eq!(facts.name, "Meridian Hip Cup MHC-52");
    assert_eq!(facts.device_identifier, "09506000134352");
    assert!(entry.matches_search("meridian"));
    assert!(entry.matches_search("northgate"));
    assert!(entry.matches_search("mhc-52-a"));
    assert!(entry.matches_search("9506000134352"));
    assert!(entry.matches_search("0134352"));
    assert!(!entry.matches_search("knee"));
}

#[test]
fn gudid_mri_safety_values_are_recognised() {
    assert_eq!(
        MriSafety::from_gudid("MR Conditional"),
        Some(MriSafety::MrConditional)
    );
    assert_eq!(
        MriSafety::from_gudid("Labeling does not contain MRI Safety Information"),
        Some(MriSafety::NotLabelled)
    );
    assert_eq!(
        MriSafety::from_gudid("mr unsafe"),
        Some(MriSafety::MrUnsafe)
    );
    assert_eq!(MriSafety::from_gudid("Safe"), None);
}
