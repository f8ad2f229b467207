//! What the rules say about the form as it stands: the whole form checked at once by the
//! domain (`ProcedureForm::review`: what does not parse yet and what the rules find in the
//! rest, in page order), with the register's facts about its devices. The browser runs it on
//! every change; after the first submit its problems are the errors shown.

use std::collections::BTreeMap;

use domain::calendar::CalendarDate;
use domain::procedure::{CheckContext, DeviceFacts, FormReview, ProcedureForm, ReadComponents};

/// Checks `form` with `components` (its components, read once for the register lookup) and
/// the register's facts about their devices.
pub fn review(
    form: &ProcedureForm,
    components: &ReadComponents,
    devices: &[DeviceFacts],
    today: CalendarDate,
) -> FormReview {
    let context = CheckContext {
        today: Some(today),
        devices: devices
            .iter()
            .map(|facts| (facts.device_identifier.clone(), facts.clone()))
            .collect::<BTreeMap<_, _>>(),
    };
    form.review(components.clone(), &context, today)
}

#[cfg(test)]
mod tests {
    use domain::FieldError;
    use domain::procedure::{ComponentForm, Laterality};

    use super::*;

    fn today() -> CalendarDate {
        CalendarDate::new(2026, 11, 23).unwrap()
    }

    fn form() -> ProcedureForm {
        ProcedureForm {
            site_id: "3".into(),
            consultant_gmc: "1234567".into(),
            procedure_day: "20".into(),
            procedure_month: "11".into(),
            procedure_year: "2026".into(),
            procedure_type: "primary".into(),
            body_site: "hip".into(),
            laterality: "left".into(),
            components: vec![ComponentForm {
                udi: "(01)09506000134352(17)281231(10)STEM1".into(),
                ..ComponentForm::default()
            }],
            consent: "given".into(),
            nhs_number: "999 123 4578".into(),
            birth_day: "13".into(),
            birth_month: "5".into(),
            birth_year: "1960".into(),
            sex: "female".into(),
            ..ProcedureForm::default()
        }
    }

    fn checked(form: &ProcedureForm, devices: &[DeviceFacts]) -> FormReview {
        review(
            form,
            &ReadComponents::read(&form.component_entries(), 2026),
            devices,
            today(),
        )
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn an_empty_form_starts_with_its_first_field() {
        let review = checked(&ProcedureForm::new(), &[]);
        assert!(!review.complete);
        assert_eq!(fields(&review.problems())[0], "site_id");
    }

    #[test]
    fn identifiers_to_pseudonymise_count_as_a_link() {
        // No pseudonym exists yet in the browser: consent with identifiers is a linked record.
        let review = checked(&form(), &[]);
        assert_eq!(review.problems(), Vec::new());
        assert_eq!(review.findings.notices.len(), 1);
    }

    #[test]
    fn the_registers_facts_make_warnings_to_confirm() {
        let stem = DeviceFacts {
            device_identifier: "09506000134352".into(),
            manufacturer: "Acme".into(),
            name: "Acme stem".into(),
            side: Some(Laterality::Right),
            body_site: None,
            status: Default::default(),
        };
        let mut form = form();
        let problems = checked(&form, std::slice::from_ref(&stem)).problems();
        assert_eq!(fields(&problems), ["warning-side-0"]);
        form.acknowledged_warnings = vec!["side-0".into()];
        assert_eq!(checked(&form, &[stem]).problems(), Vec::new());

        form.consultant_gmc = "12".into();
        assert_eq!(fields(&checked(&form, &[]).problems()), ["consultant_gmc"]);
    }
}
