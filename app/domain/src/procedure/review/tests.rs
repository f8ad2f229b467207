use super::*;
use crate::procedure::test_support::*;

fn review(form: &ProcedureForm, context: &CheckContext) -> FormReview {
    let components = ReadComponents::read(&form.component_entries(), today().year());
    form.review(components, context, today())
}

#[test]
fn every_problem_at_once_in_page_order() {
    // What the usability test met: the first submit must flag the short GMC number, the full
    // postcode and the UDI's check digit too, not only what stops the form parsing.
    let mut form = form();
    form.consultant_gmc = "12345".into();
    form.procedure_day.clear();
    form.procedure_month.clear();
    form.procedure_year.clear();
    form.components[1].udi = "(01)09506000134353(10)CUP1".into();
    form.nhs_number = "999 123 4577".into();
    form.postcode_district = "LS1 4AB".into();
    let review = review(&form, &context());
    assert!(!review.complete);
    let problems = review.problems();
    assert_eq!(
        fields(&problems),
        [
            "consultant_gmc",
            "procedure_date",
            "component-1-udi",
            "nhs_number",
            "postcode_district"
        ]
    );
    assert_eq!(
        problems[0].message,
        "The GMC number must be 7 digits \u{2014} you entered 5"
    );
    assert_eq!(problems[1].message, "Enter the procedure date");
    assert!(
        problems[2]
            .message
            .starts_with("Component 2: The GTIN check digit should be 2, not 3")
    );
}

#[test]
fn a_field_has_one_message_even_when_two_checks_catch_it() {
    let mut form = ProcedureForm::new();
    form.postcode_district = "LS1 4AB".into();
    let problems = review(&form, &context()).problems();
    assert_eq!(
        fields(&problems)
            .iter()
            .filter(|field| **field == "postcode_district")
            .count(),
        1
    );
}

#[test]
fn fixing_a_field_clears_its_message() {
    let mut form = form();
    form.laterality.clear();
    assert_eq!(
        fields(&review(&form, &context()).problems()),
        ["laterality"]
    );
    form.laterality = "right".into();
    let review = review(&form, &context());
    assert!(review.complete);
    assert_eq!(review.problems(), Vec::new());
}

#[test]
fn warnings_are_found_before_the_form_is_complete() {
    let mut context = context();
    context.devices.extend([facts(
        "0506000134001",
        "Acme Orthopaedics",
        Some(Laterality::Right),
    )]);
    let mut form = form();
    form.sex.clear();
    let review = review(&form, &context);
    assert_eq!(fields(&review.problems()), ["sex", "warning-side-0"]);
    assert!(
        review.findings.warnings[0]
            .confirmation
            .contains("right-sided component")
    );
}

#[test]
fn a_complete_form_is_checked_by_the_rules() {
    let review = review(&form(), &context());
    assert!(review.complete);
    assert!(review.problems().is_empty());
    assert_eq!(review.findings.notices.len(), 2);
}

#[test]
fn an_empty_form_lists_each_field_once_in_page_order() {
    let problems = review(&ProcedureForm::new(), &context()).problems();
    assert_eq!(
        fields(&problems),
        [
            "site_id",
            "consultant_gmc",
            "procedure_date",
            "procedure_type",
            "body_site",
            "laterality",
            "component-0-udi",
            "consent",
            "sex"
        ]
    );
}
