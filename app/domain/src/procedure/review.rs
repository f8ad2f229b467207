//! The whole form checked at once: what it cannot parse yet and what the rules find in the
//! parts it can, together and in page order. The browser runs this on every change (errors
//! follow the fields after the first submit) and on submit (every problem in one summary,
//! never one round at a time).

use super::component::{ComponentReading, ReadComponents};
use super::form::ProcedureForm;
use super::page_order::sort_in_page_order;
use super::postcode_district::PostcodeDistrict;
use super::rules::{CheckContext, Findings, PatientLink, RecordParts, check_parts, check_read};
use super::vocabulary::{BodySite, Consent, Laterality, ProcedureType, RevisionReason};
use crate::calendar::CalendarDate;
use crate::forms::FieldError;

/// The idempotency key of a parse that is only checked, never sent (the outbox gives the sent
/// record its own key).
const CHECKING_ONLY: &str = "checking-only-not-submitted";

/// The form, checked: every problem found, and whether it parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormReview {
    /// The form's own errors and the rules' findings, errors in page order.
    pub findings: Findings,
    /// The warnings the person has confirmed.
    pub acknowledged: Vec<String>,
    /// True when the form parses (it can be queued once nothing else is wrong).
    pub complete: bool,
}

impl FormReview {
    /// Everything to fix before the record can be queued, in page order: errors, and the
    /// warnings not yet confirmed (at `warning-<code>`).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut problems = self.findings.problems(&self.acknowledged);
        sort_in_page_order(&mut problems);
        problems
    }
}

/// What is known of a form that does not parse yet, for the rules that can run on it.
struct KnownParts {
    consultant_gmc: String,
    procedure_date: Option<CalendarDate>,
    procedure_type: Option<ProcedureType>,
    body_site: Option<BodySite>,
    laterality: Option<Laterality>,
    revision_reasons: usize,
    components: Vec<super::submission::ComponentEntry>,
    consent: Option<Consent>,
    year_of_birth: Option<u16>,
    postcode_district: String,
}

impl ProcedureForm {
    /// Checks the whole form with `components` (its components, read once for the register
    /// lookup) and the register's facts in `context`.
    pub fn review(
        &self,
        components: ReadComponents,
        context: &CheckContext,
        today: CalendarDate,
    ) -> FormReview {
        let acknowledged = self.acknowledged_warnings.clone();
        match self.parse(CHECKING_ONLY, today) {
            Ok(parsed) => {
                let link = parsed.link();
                let mut findings =
                    check_read(&parsed.submission, components, context, link).findings;
                sort_in_page_order(&mut findings.errors);
                FormReview {
                    findings,
                    acknowledged,
                    complete: true,
                }
            }
            Err(form_errors) => {
                let known = self.known_parts(today);
                let parts = RecordParts {
                    consultant_gmc: &known.consultant_gmc,
                    procedure_date: known.procedure_date,
                    procedure_type: known.procedure_type,
                    body_site: known.body_site,
                    laterality: known.laterality,
                    revision_reasons: known.revision_reasons,
                    components: &known.components,
                    acknowledged_warnings: &self.acknowledged_warnings,
                    consent: known.consent,
                    year_of_birth: known.year_of_birth,
                    postcode_district: &known.postcode_district,
                };
                let readings = readings_of(components, &known.components, today.year());
                let mut findings =
                    check_parts(&parts, readings, context, self.patient_link()).findings;
                // Where the form's own reading already found a problem, that one is said.
                findings.errors.retain(|found| {
                    !form_errors
                        .iter()
                        .any(|form_error| form_error.field == found.field)
                });
                findings.errors.splice(0..0, form_errors);
                sort_in_page_order(&mut findings.errors);
                FormReview {
                    findings,
                    acknowledged,
                    complete: false,
                }
            }
        }
    }

    fn known_parts(&self, today: CalendarDate) -> KnownParts {
        let mut ignored = Vec::new();
        let procedure_date = CalendarDate::from_parts(
            &self.procedure_day,
            &self.procedure_month,
            &self.procedure_year,
            "Procedure date",
        )
        .ok();
        let consent = Consent::from_code(self.consent.trim());
        let year_of_birth = match (consent, self.patient_link()) {
            (Some(Consent::Given), PatientLink::IdentifiersPending) => {
                self.parse_identifiers(procedure_date, today, &mut ignored)
                    .1
            }
            (Some(_), _) => self.parse_year_of_birth(today, &mut ignored),
            (None, _) => None,
        };
        KnownParts {
            consultant_gmc: self.consultant_gmc.trim().to_string(),
            procedure_date,
            procedure_type: ProcedureType::from_code(self.procedure_type.trim()),
            body_site: BodySite::from_code(self.body_site.trim()),
            laterality: Laterality::from_code(self.laterality.trim()),
            revision_reasons: self
                .revision_reasons
                .iter()
                .filter(|code| RevisionReason::from_code(code).is_some())
                .count(),
            components: self.component_entries(),
            consent,
            year_of_birth,
            postcode_district: PostcodeDistrict::normalise(&self.postcode_district),
        }
    }
}

/// The readings of `entries`: those given, if they are of these entries, or read now.
fn readings_of(
    components: ReadComponents,
    entries: &[super::submission::ComponentEntry],
    reference_year: u16,
) -> Vec<ComponentReading> {
    if components.are_of(entries, reference_year) {
        components.into_readings()
    } else {
        ReadComponents::read(entries, reference_year).into_readings()
    }
}

#[cfg(test)]
mod tests;
