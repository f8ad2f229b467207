use super::*;
use crate::procedure::test_support::*;
use crate::procedure::{ComponentEntry, ComponentIdentity, MAX_UDI_LENGTH};

/// What `check` finds, linked as the submission says (as on the server).
fn findings_of(record: &Submission, context: &CheckContext) -> Findings {
    check(record, context, PatientLink::of(record)).findings
}

#[test]
fn every_text_and_list_is_bounded_with_an_error_on_its_field() {
    let mut submission = form().parse("key-limits-0001", today()).unwrap().submission;
    submission.components = vec![manual(&"L".repeat(500_000))];
    let findings = findings_of(&submission, &CheckContext::default());
    let lot = findings
        .errors
        .iter()
        .find(|error| error.field == "component-0-lot")
        .expect("the lot's own field");
    assert!(
        lot.message.contains("20 characters or fewer"),
        "{}",
        lot.message
    );

    submission.components = vec![ComponentEntry {
        identity: ComponentIdentity::Udi {
            text: "0".repeat(MAX_UDI_LENGTH + 1),
        },
    }];
    let findings = findings_of(&submission, &CheckContext::default());
    assert!(fields(&findings.errors).contains(&"component-0-udi"));

    submission.components = (0..3000).map(|n| manual(&format!("LOT{n}"))).collect();
    let findings = findings_of(&submission, &CheckContext::default());
    assert_eq!(fields(&findings.errors), ["components"]);
    assert!(findings.errors[0].message.contains("this one has 3000"));

    submission.components = vec![manual("LOT1")];
    submission.acknowledged_warnings = (0..500).map(|n| format!("side-{n}")).collect();
    let findings = findings_of(&submission, &CheckContext::default());
    assert!(fields(&findings.errors).contains(&"acknowledged_warnings"));
}

#[test]
fn a_good_record_passes_with_unknown_devices_flagged_not_blocked() {
    let findings = findings_of(&submission(), &context());
    assert!(findings.errors.is_empty(), "{:?}", findings.errors);
    assert!(findings.warnings.is_empty());
    assert_eq!(findings.notices.len(), 2);
    assert!(findings.notices[0].contains("not in the device register"));
}

#[test]
fn dates_consultant_reasons_and_consent_rules() {
    let mut record = submission();
    record.procedure_date = CalendarDate::new(2026, 11, 24).unwrap();
    record.consultant_gmc = "12345".into();
    record.procedure_type = ProcedureType::Revision;
    record.consent = Consent::Declined;
    record.postcode_district = "LS1 4AB".into();
    let findings = findings_of(&record, &context());
    assert_eq!(
        fields(&findings.errors),
        [
            "consultant_gmc",
            "procedure_date",
            "revision_reasons",
            "consent",
            "postcode_district"
        ]
    );
}

#[test]
fn the_same_device_twice_is_an_error() {
    let mut record = submission();
    record.components.push(record.components[0].clone());
    let findings = findings_of(&record, &context());
    assert_eq!(fields(&findings.errors), ["component-2-udi"]);
}

#[test]
fn bad_udis_are_errors_at_their_component() {
    let mut record = submission();
    record.components[1] = ComponentEntry {
        identity: ComponentIdentity::Udi {
            text: "(01)09506000134353".into(),
        },
    };
    let findings = findings_of(&record, &context());
    assert_eq!(fields(&findings.errors), ["component-1-udi"]);
    assert!(
        findings.errors[0]
            .message
            .starts_with("Component 2: The GTIN check digit should be 2, not 3")
    );
    record.components[1] = ComponentEntry {
        identity: ComponentIdentity::Udi {
            text: "(17)281231(10)X".into(),
        },
    };
    assert!(
        findings_of(&record, &context()).errors[0]
            .message
            .contains("no device identifier")
    );
}

#[test]
fn an_expired_device_must_be_confirmed() {
    let mut record = submission();
    record.components[0] = ComponentEntry {
        identity: ComponentIdentity::Udi {
            text: udi("0506000134001", "261031", "OLD"),
        },
    };
    let findings = findings_of(&record, &context());
    assert_eq!(findings.warnings.len(), 1);
    assert_eq!(findings.warnings[0].code, "expired-0");
    assert!(
        findings.warnings[0]
            .message
            .contains("expired on 31 October 2026")
    );
    assert_eq!(
        findings.unconfirmed(&record.acknowledged_warnings).count(),
        1
    );
    assert_eq!(findings.unconfirmed(&["expired-0".to_string()]).count(), 0);
}

#[test]
fn register_checks_side_and_mix_and_match() {
    let mut context = context();
    context.devices.extend([
        facts(
            "0506000134001",
            "Acme Orthopaedics",
            Some(Laterality::Right),
        ),
        facts("0506000134002", "Borealis Medical", None),
    ]);
    let findings = findings_of(&submission(), &context);
    let codes: Vec<&str> = findings.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["side-0", "mix-and-match"]);
    assert!(
        findings.warnings[0]
            .message
            .contains("is a right component, but the procedure is on the left side")
    );
    assert_eq!(
        findings.warnings[0].confirmation,
        "I have checked that the right-sided component (Acme Orthopaedics component) is correct for this left hip"
    );
    assert!(
        findings.warnings[1]
            .message
            .contains("Acme Orthopaedics, Borealis Medical")
    );
    assert!(findings.notices.is_empty());
}

#[test]
fn components_without_barcodes_need_maker_reference_and_lot_or_serial() {
    let mut record = submission();
    record.components[1] = ComponentEntry {
        identity: ComponentIdentity::Manual {
            manufacturer: "Acme".into(),
            catalogue_number: "".into(),
            lot: "".into(),
            serial: "".into(),
        },
    };
    let findings = findings_of(&record, &context());
    assert_eq!(
        fields(&findings.errors),
        ["component-1-catalogue", "component-1-lot"]
    );
}

#[test]
fn what_was_read_is_returned_and_not_read_again() {
    let record = submission();
    let read = ReadComponents::read(&record.components, 2026);
    assert_eq!(
        read.device_identifiers(),
        [gtin("0506000134001"), gtin("0506000134002")]
    );
    let checked = check_read(&record, read, &context(), PatientLink::of(&record));
    assert_eq!(
        checked,
        check(&record, &context(), PatientLink::of(&record))
    );
    assert_eq!(checked.components.len(), 2);
    assert_eq!(checked.components[1].lot.as_deref(), Some("CUP1"));

    // Components read for another record are not trusted: this one's are read.
    let other = ReadComponents::read(&[manual("OTHER")], 2026);
    let checked = check_read(&record, other, &context(), PatientLink::of(&record));
    assert_eq!(checked.components[0].lot.as_deref(), Some("STEM1"));
    let other_year = ReadComponents::read(&record.components, 2025);
    assert!(!other_year.are_of(&record.components, 2026));
}

#[test]
fn too_many_components_are_not_read() {
    let entries: Vec<ComponentEntry> = (0..41).map(|n| manual(&format!("LOT{n}"))).collect();
    let read = ReadComponents::read(&entries, 2026);
    assert!(read.readings().is_empty());
    assert!(read.device_identifiers().is_empty());
}

#[test]
fn the_patient_link_is_what_check_is_told() {
    let mut record = submission();
    record.pseudonym = None;
    for link in [
        PatientLink::IdentifiersPending,
        PatientLink::ExistingLinkKept,
    ] {
        assert!(check(&record, &context(), link).findings.errors.is_empty());
    }
    assert_eq!(
        fields(
            &check(&record, &context(), PatientLink::Unlinked)
                .findings
                .errors
        ),
        ["nhs_number"]
    );
    record.consent = Consent::Declined;
    assert_eq!(
        fields(
            &check(&record, &context(), PatientLink::ExistingLinkKept)
                .findings
                .errors
        ),
        ["consent"]
    );
    assert!(
        check(&record, &context(), PatientLink::of(&record))
            .findings
            .errors
            .is_empty()
    );
}

#[test]
fn problems_are_errors_then_unconfirmed_warnings() {
    let findings = Findings {
        errors: vec![FieldError::new("site_id", "Choose the site")],
        warnings: vec![
            Warning {
                code: "expired-0".into(),
                message: "Expired".into(),
                confirmation: String::new(),
            },
            Warning {
                code: "side-1".into(),
                message: "Side".into(),
                confirmation: String::new(),
            },
        ],
        notices: vec!["Not in the register".into()],
    };
    assert_eq!(
        fields(&findings.problems(&["side-1".to_string()])),
        ["site_id", "warning-expired-0"]
    );
}

#[test]
fn register_checks_body_site_and_withdrawn_entries() {
    let mut context = context();
    let (stem, mut knee) = facts("0506000134001", "Acme Orthopaedics", None);
    knee.body_site = Some(BodySite::Knee);
    knee.status = crate::register::RegisterStatus::Withdrawn;
    context.devices.insert(stem, knee);
    let findings = findings_of(&submission(), &context);
    let codes: Vec<&str> = findings.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["site-0", "withdrawn-0"]);
    assert!(
        findings.warnings[0]
            .message
            .contains("is registered as a knee device, but the procedure is on the hip"),
        "{}",
        findings.warnings[0].message
    );
    assert!(
        findings.warnings[1]
            .message
            .contains("withdrawn from the device register")
    );
    // A device for another site is not counted in the joint's makers.
    assert!(!codes.contains(&"mix-and-match"));

    // Confirmed, they no longer hold the record back; "Other" is never compared.
    let mut record = submission();
    record.acknowledged_warnings = vec!["site-0".into(), "withdrawn-0".into()];
    assert_eq!(
        findings_of(&record, &context)
            .unconfirmed(&record.acknowledged_warnings)
            .count(),
        0
    );
    record.body_site = BodySite::Other;
    let codes: Vec<String> = findings_of(&record, &context)
        .warnings
        .into_iter()
        .map(|w| w.code)
        .collect();
    assert_eq!(codes, ["withdrawn-0"]);
}

#[test]
fn every_warning_of_every_component_can_be_confirmed() {
    let mut record = submission();
    record.components = vec![manual("LOT1")];
    record.acknowledged_warnings = [
        "expired-0",
        "side-0",
        "site-0",
        "withdrawn-0",
        "mix-and-match",
    ]
    .map(String::from)
    .to_vec();
    assert!(findings_of(&record, &context()).errors.is_empty());
}
