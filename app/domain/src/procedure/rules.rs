//! The rules a record must meet, with the context they need (today, the device register):
//! errors to fix, warnings a person must confirm, and notices for the registry.
//!
//! Here: the context, the findings, and the rules on the record as a whole. The rules on each
//! component (duplicates, expiry, the register's facts, "mix and match") are in `components`,
//! the checks the device register makes possible in `register`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::component::{ComponentReading, MAX_COMPONENTS, ReadComponent, ReadComponents};
use super::gmc_number::GmcNumber;
use super::postcode_district::PostcodeDistrict;
use super::submission::{ComponentEntry, Submission};
use super::vocabulary::{BodySite, Consent, Laterality, ProcedureType, RevisionReason};
use crate::calendar::CalendarDate;
use crate::forms::FieldError;
use crate::register::RegisterStatus;

mod components;
mod register;

use components::component_findings;

/// A device as the register knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFacts {
    pub device_identifier: String,
    pub manufacturer: String,
    pub name: String,
    /// Left or Right for handed components; `None` for either side.
    pub side: Option<Laterality>,
    pub body_site: Option<BodySite>,
    /// A withdrawn entry is still known, but warned about in new procedures.
    #[serde(default)]
    pub status: RegisterStatus,
}

/// What `check` needs beyond the submission.
#[derive(Debug, Clone, Default)]
pub struct CheckContext {
    pub today: Option<CalendarDate>,
    /// Register entries by device identifier, for the components found there.
    pub devices: BTreeMap<String, DeviceFacts>,
}

impl CheckContext {
    /// The year two-digit UDI dates are read against: this year, or the procedure's.
    pub fn reference_year(&self, submission: &Submission) -> u16 {
        self.today
            .map_or(submission.procedure_date.year(), |today| today.year())
    }
}

/// A warning the person must confirm before the record is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable per record: `expired-0`, `side-1`, `mix-and-match`.
    pub code: String,
    pub message: String,
    /// What the person ticks to confirm it, naming what they checked: "I have checked that
    /// the right-sided component is correct for this left hip".
    #[serde(default)]
    pub confirmation: String,
}

/// The outcome of the rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    pub errors: Vec<FieldError>,
    pub warnings: Vec<Warning>,
    /// Accepted but flagged for the registry, e.g. a device not in the register.
    pub notices: Vec<String>,
}

impl Findings {
    /// Warnings not yet confirmed.
    pub fn unconfirmed<'a>(
        &'a self,
        acknowledged: &'a [String],
    ) -> impl Iterator<Item = &'a Warning> {
        self.warnings
            .iter()
            .filter(|warning| !acknowledged.contains(&warning.code))
    }

    /// Every problem to fix before the record is accepted: the errors, then the warnings not
    /// yet confirmed (each at the field `warning-<code>`, where it is confirmed).
    pub fn problems(&self, acknowledged: &[String]) -> Vec<FieldError> {
        let mut problems = self.errors.clone();
        problems.extend(self.unconfirmed(acknowledged).map(|warning| {
            FieldError::new(format!("warning-{}", warning.code), warning.message.clone())
        }));
        problems
    }
}

/// How the record being checked is linked to its patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatientLink {
    /// Not linked: device statistics only.
    Unlinked,
    /// Linked by the pseudonym the submission carries (what the server checks).
    Pseudonym,
    /// The patient's NHS number and date of birth were read: they become the pseudonym when
    /// the record is sent (the browser, before sending).
    IdentifiersPending,
    /// A correction that keeps the link the record already has (the browser, before sending).
    ExistingLinkKept,
}

impl PatientLink {
    /// The link a submission carries: its pseudonym, or none.
    pub fn of(submission: &Submission) -> Self {
        if submission.pseudonym.is_some() {
            Self::Pseudonym
        } else {
            Self::Unlinked
        }
    }

    pub fn is_linked(self) -> bool {
        self != Self::Unlinked
    }
}

/// What `check` found, and what it read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    pub findings: Findings,
    /// The components that could be read, in order: all of them when `findings` has no
    /// errors. What the registry stores.
    pub components: Vec<ReadComponent>,
}

/// The earliest procedure date the registry accepts.
pub const EARLIEST_PROCEDURE_YEAR: u16 = 1950;
pub const OLDEST_AGE: i32 = 120;

/// The rules that need context: today's date and the device register. Structure (that every
/// field is present and well formed) was established when the submission was parsed, and the
/// server re-establishes it by re-reading every component. `link` says whether the record is
/// linked to its patient (the submission's own pseudonym is not looked at).
pub fn check(submission: &Submission, context: &CheckContext, link: PatientLink) -> Checked {
    let components =
        ReadComponents::read(&submission.components, context.reference_year(submission));
    check_read(submission, components, context, link)
}

/// [`check`] with the components already read (to ask the register about their devices):
/// they are not read again, unless they are not this submission's.
pub fn check_read(
    submission: &Submission,
    components: ReadComponents,
    context: &CheckContext,
    link: PatientLink,
) -> Checked {
    let reference_year = context.reference_year(submission);
    let readings = if components.are_of(&submission.components, reference_year) {
        components.into_readings()
    } else {
        ReadComponents::read(&submission.components, reference_year).into_readings()
    };
    check_parts(&RecordParts::of(submission), readings, context, link)
}

/// What the rules look at, every part optional: a whole submission has them all, and a form
/// that does not parse yet is still checked wherever it can be (so that every problem is
/// found at once, not one round at a time).
#[derive(Debug, Clone, Copy)]
pub(super) struct RecordParts<'a> {
    /// Trimmed, as sent.
    pub consultant_gmc: &'a str,
    pub procedure_date: Option<CalendarDate>,
    pub procedure_type: Option<ProcedureType>,
    pub body_site: Option<BodySite>,
    pub laterality: Option<Laterality>,
    pub revision_reasons: usize,
    pub components: &'a [ComponentEntry],
    pub acknowledged_warnings: &'a [String],
    pub consent: Option<Consent>,
    pub year_of_birth: Option<u16>,
    /// Normalised, as sent.
    pub postcode_district: &'a str,
}

impl<'a> RecordParts<'a> {
    fn of(submission: &'a Submission) -> Self {
        Self {
            consultant_gmc: &submission.consultant_gmc,
            procedure_date: Some(submission.procedure_date),
            procedure_type: Some(submission.procedure_type),
            body_site: Some(submission.body_site),
            laterality: Some(submission.laterality),
            revision_reasons: submission.revision_reasons.len(),
            components: &submission.components,
            acknowledged_warnings: &submission.acknowledged_warnings,
            consent: Some(submission.consent),
            year_of_birth: Some(submission.year_of_birth),
            postcode_district: &submission.postcode_district,
        }
    }
}

/// The rules on what is known of a record, with its components already read.
pub(super) fn check_parts(
    parts: &RecordParts<'_>,
    readings: Vec<ComponentReading>,
    context: &CheckContext,
    link: PatientLink,
) -> Checked {
    let mut findings = Findings {
        errors: record_errors(parts, context, link),
        ..Findings::default()
    };
    if parts.components.len() > MAX_COMPONENTS {
        return Checked {
            findings,
            components: Vec::new(),
        };
    }
    let components = component_findings(parts, readings, context, &mut findings);
    Checked {
        findings,
        components,
    }
}

/// The rules on the record as a whole, in the order of the form's fields; each rule runs
/// when the parts it needs are known. Far too many components stop the rules there, before
/// any work on them.
fn record_errors(
    parts: &RecordParts<'_>,
    context: &CheckContext,
    link: PatientLink,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(problem) = GmcNumber::parse(parts.consultant_gmc) {
        errors.push(FieldError::new("consultant_gmc", problem.to_string()));
    }
    if let Some(procedure_date) = parts.procedure_date {
        if let Some(today) = context.today
            && procedure_date > today
        {
            errors.push(FieldError::new(
                "procedure_date",
                "Procedure date must be today or in the past",
            ));
        }
        if procedure_date.year() < EARLIEST_PROCEDURE_YEAR {
            errors.push(FieldError::new(
                "procedure_date",
                format!("Procedure date must be in {EARLIEST_PROCEDURE_YEAR} or later"),
            ));
        }
    }
    let needs_reasons = matches!(
        parts.procedure_type,
        Some(ProcedureType::Revision | ProcedureType::Removal)
    );
    if needs_reasons && parts.revision_reasons == 0 {
        errors.push(FieldError::new(
            "revision_reasons",
            "Select at least one reason for the revision or removal",
        ));
    }
    if parts.components.is_empty() {
        errors.push(FieldError::new(
            "components",
            "Add at least one implanted (or removed) component",
        ));
    }
    if parts.components.len() > MAX_COMPONENTS {
        // Each component is read and checked: far too many is refused before that work.
        errors.push(FieldError::new(
            "components",
            format!(
                "A record can have at most {MAX_COMPONENTS} components: this one has {}. Record the rest in a second record",
                parts.components.len()
            ),
        ));
        return errors;
    }
    let acknowledged_limit = register::WARNINGS_PER_COMPONENT * parts.components.len() + 1;
    if parts.acknowledged_warnings.len() > acknowledged_limit
        || parts
            .acknowledged_warnings
            .iter()
            .any(|code| code.len() > 40)
    {
        errors.push(FieldError::new(
            "acknowledged_warnings",
            "The confirmed warnings do not belong to this record: reload the page and confirm them again",
        ));
    }
    if parts.revision_reasons > RevisionReason::ALL.len() {
        errors.push(FieldError::new(
            "revision_reasons",
            "Select each reason once",
        ));
    }
    if parts.consent == Some(Consent::Given) && !link.is_linked() {
        errors.push(FieldError::new(
            "nhs_number",
            "Enter the patient's NHS number and date of birth: consent to linkage was given",
        ));
    }
    if parts
        .consent
        .is_some_and(|consent| consent != Consent::Given)
        && link.is_linked()
    {
        errors.push(FieldError::new(
            "consent",
            "Without consent, the record must not be linked to the patient",
        ));
    }
    if let (Some(procedure_date), Some(year_of_birth)) = (parts.procedure_date, parts.year_of_birth)
    {
        let procedure_year = i32::from(procedure_date.year());
        let birth_year = i32::from(year_of_birth);
        if birth_year > procedure_year {
            errors.push(FieldError::new(
                "year_of_birth",
                "The procedure must be after the patient's birth",
            ));
        } else if procedure_year - birth_year > OLDEST_AGE {
            errors.push(FieldError::new(
                "year_of_birth",
                format!(
                    "Year of birth must be {} or later",
                    procedure_year - OLDEST_AGE
                ),
            ));
        }
    }
    if !parts.postcode_district.is_empty()
        && let Err(problem) = PostcodeDistrict::parse(parts.postcode_district)
    {
        errors.push(FieldError::new("postcode_district", problem.to_string()));
    }
    errors
}

#[cfg(test)]
mod tests;
