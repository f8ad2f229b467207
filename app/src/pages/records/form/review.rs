//! What the rules say about the form as it stands: the form parsed once per change and
//! checked with the components already read, kept for the person's next step (the warnings to
//! confirm as they type, every problem when they submit). Plain logic, tested natively.

use std::collections::BTreeMap;

use domain::FieldError;
use domain::calendar::CalendarDate;
use domain::procedure::{
    CheckContext, DeviceFacts, Findings, ProcedureForm, ReadComponents, check_read,
};

/// The idempotency key of a parse that is only checked, never sent (the outbox gives the sent
/// record its own key).
const CHECKING_ONLY: &str = "checking-only-not-submitted";

/// The form, parsed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    /// The form does not parse yet: what to fix, in the form's order.
    Incomplete(Vec<FieldError>),
    /// The form parses: what the rules found, and the warnings the person confirmed.
    Checked {
        findings: Findings,
        acknowledged: Vec<String>,
    },
}

impl Review {
    /// Parses `form` and applies the rules, with `components` (the form's components, read
    /// once for the register lookup) and the register's facts about their devices.
    pub fn of(
        form: &ProcedureForm,
        components: &ReadComponents,
        devices: &[DeviceFacts],
        today: CalendarDate,
    ) -> Self {
        let parsed = match form.parse(CHECKING_ONLY, today) {
            Ok(parsed) => parsed,
            Err(errors) => return Self::Incomplete(errors),
        };
        let context = CheckContext {
            today: Some(today),
            devices: devices
                .iter()
                .map(|facts| (facts.device_identifier.clone(), facts.clone()))
                .collect::<BTreeMap<_, _>>(),
        };
        let link = parsed.link();
        let submission = parsed.submission;
        let checked = check_read(&submission, components.clone(), &context, link);
        Self::Checked {
            findings: checked.findings,
            acknowledged: submission.acknowledged_warnings,
        }
    }

    /// The rules' findings, once the form parses (for "Check before you submit").
    pub fn findings(&self) -> Option<&Findings> {
        match self {
            Self::Incomplete(_) => None,
            Self::Checked { findings, .. } => Some(findings),
        }
    }

    /// Everything to fix before the record can be queued: the form's own errors, or the
    /// rules' errors and the warnings not yet confirmed.
    pub fn problems(&self) -> Vec<FieldError> {
        match self {
            Self::Incomplete(errors) => errors.clone(),
            Self::Checked {
                findings,
                acknowledged,
            } => findings.problems(acknowledged),
        }
    }
}

#[cfg(test)]
mod tests {
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

    fn review(form: &ProcedureForm, devices: &[DeviceFacts]) -> Review {
        Review::of(
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
    fn an_incomplete_form_has_only_its_own_errors() {
        let review = review(&ProcedureForm::new(), &[]);
        assert!(review.findings().is_none());
        assert_eq!(fields(&review.problems())[0], "site_id");
    }

    #[test]
    fn identifiers_to_pseudonymise_count_as_a_link() {
        // No pseudonym exists yet in the browser: consent with identifiers is a linked record.
        let review = review(&form(), &[]);
        assert_eq!(review.problems(), Vec::new());
        assert_eq!(review.findings().unwrap().notices.len(), 1);
    }

    #[test]
    fn a_kept_link_counts_as_a_link() {
        let mut form = form();
        form.keep_patient_link = true;
        form.nhs_number.clear();
        form.birth_day.clear();
        form.birth_month.clear();
        form.birth_year.clear();
        form.year_of_birth = "1960".into();
        assert_eq!(review(&form, &[]).problems(), Vec::new());
    }

    #[test]
    fn warnings_must_be_confirmed_and_rule_errors_are_shown() {
        let stem = DeviceFacts {
            device_identifier: "09506000134352".into(),
            manufacturer: "Acme".into(),
            name: "Acme stem".into(),
            side: Some(Laterality::Right),
            body_site: None,
            status: Default::default(),
        };
        let mut form = form();
        let problems = review(&form, std::slice::from_ref(&stem)).problems();
        assert_eq!(fields(&problems), ["warning-side-0"]);
        form.acknowledged_warnings = vec!["side-0".into()];
        assert_eq!(review(&form, &[stem]).problems(), Vec::new());

        form.consultant_gmc = "12".into();
        assert_eq!(fields(&review(&form, &[]).problems()), ["consultant_gmc"]);
    }

    #[test]
    fn components_are_read_before_the_form_is_complete() {
        let mut form = ProcedureForm::new();
        form.components[0].udi = "(01)09506000134352(10)A".into();
        form.components.push(ComponentForm {
            udi: "(01)09506000134352(10)B".into(),
            ..ComponentForm::default()
        });
        assert_eq!(
            ReadComponents::read(&form.component_entries(), 2026).device_identifiers(),
            ["09506000134352"]
        );
    }
}
