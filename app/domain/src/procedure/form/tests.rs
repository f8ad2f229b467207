use super::*;
use crate::procedure::test_support::*;

#[test]
fn a_complete_form_parses_and_keeps_identifiers_apart() {
    let parsed = form().parse("key-1", today()).unwrap();
    let submission = &parsed.submission;
    assert_eq!(submission.site_id, 3);
    assert_eq!(submission.procedure_date.to_iso(), "2026-11-20");
    assert_eq!(submission.year_of_birth, 1960);
    assert_eq!(submission.postcode_district, "LS1");
    assert!(
        submission.pseudonym.is_none(),
        "pseudonymised later, in the browser"
    );
    assert!(parsed.identifiers.is_some());
    let json = serde_json::to_string(submission).unwrap();
    assert!(
        !json.contains("9991234578") && !json.contains("1960-05-13"),
        "{json}"
    );
}

#[test]
fn without_consent_only_the_year_of_birth_is_asked() {
    let mut form = form();
    form.consent = "declined".into();
    form.year_of_birth = "1960".into();
    let parsed = form.parse("k", today()).unwrap();
    assert!(parsed.identifiers.is_none());
    assert_eq!(parsed.submission.year_of_birth, 1960);
    form.year_of_birth = "60".into();
    assert_eq!(
        form.parse("k", today()).unwrap_err()[0].message,
        "Year of birth must include 4 numbers"
    );
}

#[test]
fn an_empty_form_lists_every_problem_in_form_order() {
    let errors = ProcedureForm::new().parse("k", today()).unwrap_err();
    assert_eq!(
        fields(&errors),
        [
            "site_id",
            "consultant_gmc",
            "procedure_date",
            "procedure_type",
            "body_site",
            "laterality",
            "consent",
            "sex",
        ]
    );
    assert_eq!(errors[2].message, "Enter the procedure date");
}

#[test]
fn a_correction_can_keep_the_existing_patient_link() {
    let mut form = form();
    form.keep_patient_link = true;
    form.nhs_number.clear();
    form.birth_day.clear();
    form.birth_month.clear();
    form.birth_year.clear();
    form.year_of_birth = "1960".into();
    let parsed = form.parse("k", today()).unwrap();
    assert!(parsed.identifiers.is_none());
    assert_eq!(parsed.submission.consent, Consent::Given);
    assert_eq!(parsed.submission.year_of_birth, 1960);
}

#[test]
fn identifiers_are_checked() {
    let mut bad = form();
    bad.nhs_number = "999 123 4577".into();
    bad.birth_day = "31".into();
    bad.birth_month = "2".into();
    let errors = bad.parse("k", today()).unwrap_err();
    assert_eq!(fields(&errors), ["nhs_number", "date_of_birth"]);
    assert!(errors[0].message.contains("check digit"));
    assert_eq!(errors[1].message, "Date of birth must be a real date");

    let mut later = form();
    later.birth_year = "2026".into();
    later.birth_month = "11".into();
    later.birth_day = "21".into();
    assert_eq!(
        later.parse("k", today()).unwrap_err()[0].message,
        "Date of birth must be before the procedure date"
    );
}

#[test]
fn the_parsed_form_says_how_the_patient_is_linked() {
    assert_eq!(
        form().parse("k", today()).unwrap().link(),
        PatientLink::IdentifiersPending
    );
    let mut kept = form();
    kept.keep_patient_link = true;
    kept.nhs_number.clear();
    kept.birth_day.clear();
    kept.birth_month.clear();
    kept.birth_year.clear();
    kept.year_of_birth = "1960".into();
    assert_eq!(
        kept.parse("k", today()).unwrap().link(),
        PatientLink::ExistingLinkKept
    );
    let mut declined = form();
    declined.consent = "declined".into();
    declined.year_of_birth = "1960".into();
    assert_eq!(
        declined.parse("k", today()).unwrap().link(),
        PatientLink::Unlinked
    );
}

#[test]
fn component_entries_are_what_is_submitted() {
    let mut form = form();
    form.components[1] = ComponentForm {
        no_barcode: true,
        udi: "ignored".into(),
        manufacturer: " Acme ".into(),
        catalogue_number: "REF-1".into(),
        lot: "L1".into(),
        serial: String::new(),
    };
    let entries = form.component_entries();
    assert_eq!(
        entries,
        form.parse("k", today()).unwrap().submission.components
    );
    assert_eq!(
        entries[1].identity,
        ComponentIdentity::Manual {
            manufacturer: "Acme".into(),
            catalogue_number: "REF-1".into(),
            lot: "L1".into(),
            serial: String::new(),
        }
    );
}
