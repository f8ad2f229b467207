//! The procedure form as typed (text in every field, so nothing the person typed is lost or
//! changed before they submit), and how it is parsed into a [`Submission`] plus the patient
//! identifiers to pseudonymise.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::component::component_field;
use super::gmc_number::GmcNumber;
use super::page_order::sort_in_page_order;
use super::postcode_district::PostcodeDistrict;
use super::rules::PatientLink;
use super::submission::{ComponentEntry, ComponentIdentity, Submission};
use super::vocabulary::{BodySite, Consent, Laterality, ProcedureType, RevisionReason, Sex};
use crate::calendar::CalendarDate;
use crate::forms::FieldError;
use crate::pseudonym::PatientIdentifiers;

/// One component as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
pub struct ComponentForm {
    /// True when the person chose "It has no barcode".
    pub no_barcode: bool,
    #[validate(length(max = 2000, message = "A UDI is at most 2000 characters"))]
    pub udi: String,
    pub manufacturer: String,
    pub catalogue_number: String,
    pub lot: String,
    pub serial: String,
}

/// The whole form as typed: text everywhere, so nothing the person typed is lost or changed
/// before they submit. Holds patient identifiers: stored only encrypted, never sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
pub struct ProcedureForm {
    #[validate(length(min = 1, message = "Choose the site where the procedure took place"))]
    pub site_id: String,
    /// Read by [`GmcNumber::parse`](super::GmcNumber::parse), which says what is wrong.
    pub consultant_gmc: String,
    pub procedure_day: String,
    pub procedure_month: String,
    pub procedure_year: String,
    #[validate(length(min = 1, message = "Choose what was done"))]
    pub procedure_type: String,
    #[validate(length(min = 1, message = "Choose where the implant is"))]
    pub body_site: String,
    #[validate(length(min = 1, message = "Choose the side"))]
    pub laterality: String,
    pub revision_reasons: Vec<String>,
    #[validate(nested)]
    pub components: Vec<ComponentForm>,
    #[validate(length(
        min = 1,
        message = "Choose whether the patient consented to their record being linked to them"
    ))]
    pub consent: String,
    pub nhs_number: String,
    pub birth_day: String,
    pub birth_month: String,
    pub birth_year: String,
    /// Asked instead of the date of birth when there is no consent.
    pub year_of_birth: String,
    /// When correcting a linked record: leave the NHS number and date of birth empty to keep
    /// the existing link (the year of birth is then taken from `year_of_birth`).
    pub keep_patient_link: bool,
    #[validate(length(min = 1, message = "Choose the patient's sex"))]
    pub sex: String,
    /// Read by [`PostcodeDistrict::parse_typed`] when not empty.
    pub postcode_district: String,
    pub acknowledged_warnings: Vec<String>,
}

/// Turns `validator`'s report into field errors, in page order.
fn validation_errors(form: &ProcedureForm) -> Vec<FieldError> {
    let Err(report) = form.validate() else {
        return Vec::new();
    };
    let mut errors: Vec<FieldError> = report
        .field_errors()
        .into_iter()
        .flat_map(|(field, problems)| {
            problems.iter().map(move |problem| {
                FieldError::new(
                    field.to_string(),
                    problem
                        .message
                        .as_deref()
                        .unwrap_or("Check this field")
                        .to_string(),
                )
            })
        })
        .collect();
    if let Some(validator::ValidationErrorsKind::List(components)) =
        report.errors().get("components")
    {
        for (index, nested) in components {
            for (_, problems) in nested.field_errors() {
                for problem in problems {
                    errors.push(FieldError::new(
                        component_field(*index, "udi"),
                        format!(
                            "Component {}: {}",
                            index + 1,
                            problem.message.as_deref().unwrap_or("check it")
                        ),
                    ));
                }
            }
        }
    }
    sort_in_page_order(&mut errors);
    errors
}

impl ProcedureForm {
    /// An empty form with one component to fill.
    pub fn new() -> Self {
        Self {
            components: vec![ComponentForm::default()],
            ..Self::default()
        }
    }

    /// Parses the form: the submission (without a pseudonym yet) and the identifiers to
    /// pseudonymise when consent was given, or every problem found.
    pub fn parse(
        &self,
        idempotency_key: &str,
        today: CalendarDate,
    ) -> Result<Parsed, Vec<FieldError>> {
        let mut errors = validation_errors(self);
        if let Err(problem) = GmcNumber::parse(self.consultant_gmc.trim()) {
            errors.push(FieldError::new("consultant_gmc", problem.to_string()));
        }
        let procedure_date = CalendarDate::from_parts(
            &self.procedure_day,
            &self.procedure_month,
            &self.procedure_year,
            "Procedure date",
        )
        .map_err(|problem| errors.push(FieldError::new("procedure_date", problem.to_string())))
        .ok();
        let site_id = self.site_id.trim().parse::<i64>().ok();
        if site_id.is_none() && !self.site_id.trim().is_empty() {
            errors.push(FieldError::new(
                "site_id",
                "Choose the site where the procedure took place",
            ));
        }
        let consent = Consent::from_code(self.consent.trim());
        let link = self.patient_link();
        let (identifiers, year_of_birth) = match (consent, link) {
            (Some(Consent::Given), PatientLink::IdentifiersPending) => {
                self.parse_identifiers(procedure_date, today, &mut errors)
            }
            (Some(_), _) => (None, self.parse_year_of_birth(today, &mut errors)),
            (None, _) => (None, None),
        };
        if !self.postcode_district.trim().is_empty()
            && let Err(problem) = PostcodeDistrict::parse_typed(&self.postcode_district)
        {
            errors.push(FieldError::new("postcode_district", problem.to_string()));
        }
        sort_in_page_order(&mut errors);
        let components = self.component_entries();
        let (
            Some(site_id),
            Some(procedure_date),
            Some(procedure_type),
            Some(body_site),
            Some(laterality),
            Some(consent),
            Some(sex),
            Some(year_of_birth),
            true,
        ) = (
            site_id,
            procedure_date,
            ProcedureType::from_code(self.procedure_type.trim()),
            BodySite::from_code(self.body_site.trim()),
            Laterality::from_code(self.laterality.trim()),
            consent,
            Sex::from_code(self.sex.trim()),
            year_of_birth,
            errors.is_empty(),
        )
        else {
            return Err(errors);
        };
        let submission = Submission {
            idempotency_key: idempotency_key.to_string(),
            site_id,
            consultant_gmc: self.consultant_gmc.trim().to_string(),
            procedure_date,
            procedure_type,
            body_site,
            laterality,
            revision_reasons: self
                .revision_reasons
                .iter()
                .filter_map(|code| RevisionReason::from_code(code))
                .collect(),
            components,
            consent,
            pseudonym: None,
            year_of_birth,
            sex,
            postcode_district: PostcodeDistrict::normalise(&self.postcode_district),
            acknowledged_warnings: self.acknowledged_warnings.clone(),
        };
        Ok(Parsed {
            submission,
            identifiers,
            link,
        })
    }

    /// How the record will be linked to its patient, from the consent given: by the NHS number
    /// and date of birth typed (pseudonymised when sent), by the link a corrected record
    /// already has (identifiers left empty), or not at all.
    pub fn patient_link(&self) -> PatientLink {
        let identifiers_left_empty = self.nhs_number.trim().is_empty()
            && (self.birth_day.clone() + &self.birth_month + &self.birth_year)
                .trim()
                .is_empty();
        match Consent::from_code(self.consent.trim()) {
            Some(Consent::Given) if self.keep_patient_link && identifiers_left_empty => {
                PatientLink::ExistingLinkKept
            }
            Some(Consent::Given) => PatientLink::IdentifiersPending,
            _ => PatientLink::Unlinked,
        }
    }

    /// The components as they would be submitted: for reading them before the form is
    /// complete (to look their devices up in the register).
    pub fn component_entries(&self) -> Vec<ComponentEntry> {
        self.components.iter().map(ComponentForm::entry).collect()
    }

    pub(super) fn parse_identifiers(
        &self,
        procedure_date: Option<CalendarDate>,
        today: CalendarDate,
        errors: &mut Vec<FieldError>,
    ) -> (Option<PatientIdentifiers>, Option<u16>) {
        let (identifiers, birth) = crate::patient::read_identifiers(
            &self.nhs_number,
            (&self.birth_day, &self.birth_month, &self.birth_year),
            today,
            crate::patient::Whose::Patients,
            errors,
        );
        if let (Some(birth), Some(procedure)) = (birth, procedure_date)
            && procedure < birth
        {
            errors.push(FieldError::new(
                "date_of_birth",
                "Date of birth must be before the procedure date",
            ));
        }
        (identifiers, birth.map(|birth| birth.year()))
    }

    pub(super) fn parse_year_of_birth(
        &self,
        today: CalendarDate,
        errors: &mut Vec<FieldError>,
    ) -> Option<u16> {
        let text = self.year_of_birth.trim();
        match text.parse::<u16>() {
            Ok(year) if text.len() == 4 && year <= today.year() => return Some(year),
            Ok(_) if text.len() == 4 => errors.push(FieldError::new(
                "year_of_birth",
                "Year of birth must be in the past",
            )),
            _ if text.is_empty() => errors.push(FieldError::new(
                "year_of_birth",
                "Enter the patient's year of birth",
            )),
            _ => errors.push(FieldError::new(
                "year_of_birth",
                "Year of birth must include 4 numbers",
            )),
        }
        None
    }
}

impl ComponentForm {
    /// The component as submitted: its UDI text, or (without a barcode) its typed details.
    pub fn entry(&self) -> ComponentEntry {
        ComponentEntry {
            identity: if self.no_barcode {
                ComponentIdentity::Manual {
                    manufacturer: self.manufacturer.trim().to_string(),
                    catalogue_number: self.catalogue_number.trim().to_string(),
                    lot: self.lot.trim().to_string(),
                    serial: self.serial.trim().to_string(),
                }
            } else {
                ComponentIdentity::Udi {
                    text: self.udi.clone(),
                }
            },
        }
    }
}

/// A parsed form: what is sent, and what is pseudonymised first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub submission: Submission,
    pub identifiers: Option<PatientIdentifiers>,
    link: PatientLink,
}

impl Parsed {
    /// How the record is linked to its patient until it is sent: what `check` is told.
    pub fn link(&self) -> PatientLink {
        self.link
    }
}

#[cfg(test)]
mod tests;
