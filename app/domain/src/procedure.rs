//! The procedure record: what a clinic submits about an implant procedure, and the rules it
//! must meet. The same rules run in the browser (as the person fills the form) and on the
//! server (which never trusts the browser).
//!
//! `ProcedureForm` is the form as typed (text in every field); `ProcedureForm::parse` turns it
//! into a `Submission` (typed values, no patient identifiers) plus the identifiers to
//! pseudonymise, or says what to fix. `check` applies the rules that need context (today, the
//! device register) and separates errors from warnings a person must confirm.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::calendar::CalendarDate;
use crate::forms::FieldError;
use crate::pseudonym::{PatientIdentifiers, Pseudonym};
use crate::udi::{self, ParseOptions};

choice!(
    /// What was done.
    ProcedureType {
        Primary => ("primary", "Primary implant"),
        Revision => ("revision", "Revision (one or more components replaced)"),
        Removal => ("removal", "Removal without replacement"),
    }
);

choice!(
    /// Where the implant is.
    BodySite {
        Hip => ("hip", "Hip"),
        Knee => ("knee", "Knee"),
        Shoulder => ("shoulder", "Shoulder"),
        Elbow => ("elbow", "Elbow"),
        Ankle => ("ankle", "Ankle"),
        Spine => ("spine", "Spine"),
        Breast => ("breast", "Breast"),
        HeartValve => ("heart_valve", "Heart valve"),
        CardiacRhythm => ("cardiac_rhythm", "Pacemaker or defibrillator (ICD)"),
        Other => ("other", "Other"),
    }
);

choice!(
    Laterality {
        Left => ("left", "Left"),
        Right => ("right", "Right"),
        Bilateral => ("bilateral", "Both sides"),
        NotApplicable => ("not_applicable", "Not applicable"),
    }
);

choice!(
    /// Why a revision or removal was done (the national joint registry's reasons, and those of
    /// breast and cardiac device registries).
    RevisionReason {
        AsepticLoosening => ("aseptic_loosening", "Aseptic loosening"),
        Infection => ("infection", "Infection"),
        Instability => ("instability", "Dislocation or instability"),
        PeriprostheticFracture => ("periprosthetic_fracture", "Periprosthetic fracture"),
        Pain => ("pain", "Unexplained pain"),
        Wear => ("wear", "Wear of the implant"),
        ImplantFracture => ("implant_fracture", "Fracture of the implant"),
        Malalignment => ("malalignment", "Malalignment"),
        AdverseReaction => ("adverse_reaction", "Adverse reaction to particulate debris"),
        Rupture => ("rupture", "Rupture (breast implant)"),
        CapsularContracture => ("capsular_contracture", "Capsular contracture (breast implant)"),
        Malfunction => ("malfunction", "Device malfunction"),
        Other => ("other", "Other"),
    }
);

choice!(
    /// The patient's consent to their record being linked to them.
    Consent {
        Given => ("given", "Given: the record is linked to the patient"),
        Declined => ("declined", "Declined: device statistics only"),
        NotAsked => ("not_asked", "Not asked: device statistics only"),
    }
);

choice!(
    Sex {
        Female => ("female", "Female"),
        Male => ("male", "Male"),
        Other => ("other", "Other"),
        NotKnown => ("not_known", "Not known"),
    }
);

/// How a component was identified: its barcode text, or by hand when it has no barcode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ComponentIdentity {
    Udi {
        text: String,
    },
    Manual {
        manufacturer: String,
        catalogue_number: String,
        lot: String,
        serial: String,
    },
}

/// A component as submitted; the server re-reads the UDI text with the same engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentEntry {
    pub identity: ComponentIdentity,
}

/// What the browser sends: typed, with a pseudonym instead of identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// Generated in the browser when the person presses Submit: the same record sent twice is
    /// stored once.
    pub idempotency_key: String,
    pub site_id: i64,
    pub consultant_gmc: String,
    pub procedure_date: CalendarDate,
    pub procedure_type: ProcedureType,
    pub body_site: BodySite,
    pub laterality: Laterality,
    pub revision_reasons: Vec<RevisionReason>,
    pub components: Vec<ComponentEntry>,
    pub consent: Consent,
    /// Present exactly when consent was given.
    pub pseudonym: Option<Pseudonym>,
    pub year_of_birth: u16,
    pub sex: Sex,
    /// The outward part of the postcode (`LS1`), or empty if not known.
    pub postcode_district: String,
    /// Codes of the warnings the person confirmed (see `check`).
    pub acknowledged_warnings: Vec<String>,
}

/// A device as the register knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFacts {
    pub device_identifier: String,
    pub manufacturer: String,
    pub name: String,
    /// Left or Right for handed components; `None` for either side.
    pub side: Option<Laterality>,
    pub body_site: Option<BodySite>,
}

/// What `check` needs beyond the submission.
#[derive(Debug, Clone, Default)]
pub struct CheckContext {
    pub today: Option<CalendarDate>,
    /// Register entries by device identifier, for the components found there.
    pub devices: BTreeMap<String, DeviceFacts>,
}

/// A warning the person must confirm before the record is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable per record: `expired-0`, `side-1`, `mix-and-match`.
    pub code: String,
    pub message: String,
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
}

/// A component as read, for the rules and for storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadComponent {
    pub device_identifier: Option<String>,
    pub agency: Option<String>,
    pub manufacturer: Option<String>,
    pub catalogue_number: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<CalendarDate>,
    /// The UDI as printed (human-readable form), when there was one.
    pub udi: Option<String>,
}

/// What makes two components the same device: identifier (or catalogue number), maker, lot,
/// serial.
type ComponentIdentityKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub fn component_field(index: usize, part: &str) -> String {
    format!("component-{index}-{part}")
}

/// At most this many components in one record (a long spinal fusion has a few dozen screws).
pub const MAX_COMPONENTS: usize = 40;
/// A UDI's text: GS1 element strings are far shorter; Digital Link addresses can be long.
pub const MAX_UDI_LENGTH: usize = 500;
/// Lot (batch) and serial numbers: GS1 AIs 10 and 21 are at most 20 characters.
pub const MAX_LOT_OR_SERIAL: usize = 20;
/// Manufacturer and catalogue number typed by hand.
pub const MAX_TYPED_DETAIL: usize = 100;

/// Reads one component; `Err` with field errors if it cannot be read.
pub fn read_component(
    index: usize,
    entry: &ComponentEntry,
    reference_year: u16,
) -> Result<ReadComponent, Vec<FieldError>> {
    match &entry.identity {
        ComponentIdentity::Udi { text } => {
            let field = component_field(index, "udi");
            let length = text.chars().count();
            if length > MAX_UDI_LENGTH {
                return Err(vec![FieldError::new(
                    field,
                    format!(
                        "Component {}: a UDI is at most {MAX_UDI_LENGTH} characters, and this is {length}. Scan the label again",
                        index + 1
                    ),
                )]);
            }
            if text.trim().is_empty() {
                return Err(vec![FieldError::new(
                    field,
                    format!(
                        "Component {}: scan or type its UDI, or choose \"It has no barcode\"",
                        index + 1
                    ),
                )]);
            }
            let udi = udi::parse(text, &ParseOptions::new(reference_year)).map_err(|errors| {
                errors
                    .iter()
                    .map(|error| {
                        FieldError::new(field.clone(), format!("Component {}: {error}", index + 1))
                    })
                    .collect::<Vec<_>>()
            })?;
            let Some(device_identifier) = udi.device_identifier.clone() else {
                return Err(vec![FieldError::new(
                    field,
                    format!(
                        "Component {}: this barcode has no device identifier (GTIN or HIBC product code). Scan the label's other barcode",
                        index + 1
                    ),
                )]);
            };
            Ok(ReadComponent {
                device_identifier: Some(device_identifier),
                agency: Some(udi.agency.name().to_string()),
                manufacturer: None,
                catalogue_number: udi.hibc.as_ref().map(|hibc| hibc.product.clone()),
                lot: udi.lot.clone(),
                serial: udi.serial.clone(),
                expiry: udi
                    .expiry
                    .and_then(|date| CalendarDate::new(date.year(), date.month(), date.day())),
                udi: Some(udi.human_readable()),
            })
        }
        ComponentIdentity::Manual {
            manufacturer,
            catalogue_number,
            lot,
            serial,
        } => {
            let mut errors = Vec::new();
            let mut check_length = |value: &str, part: &str, what: &str, max: usize| {
                let length = value.trim().chars().count();
                if length > max {
                    errors.push(FieldError::new(
                        component_field(index, part),
                        format!(
                            "Component {}: the {what} must be {max} characters or fewer, and this is {length}",
                            index + 1
                        ),
                    ));
                }
            };
            check_length(lot, "lot", "lot (batch) number", MAX_LOT_OR_SERIAL);
            check_length(serial, "serial", "serial number", MAX_LOT_OR_SERIAL);
            let mut require = |value: &str, part: &str, what: &str| {
                if value.trim().is_empty() {
                    errors.push(FieldError::new(
                        component_field(index, part),
                        format!("Component {}: enter the {what}", index + 1),
                    ));
                } else if value.trim().chars().count() > MAX_TYPED_DETAIL {
                    errors.push(FieldError::new(
                        component_field(index, part),
                        format!(
                            "Component {}: the {what} must be {MAX_TYPED_DETAIL} characters or fewer",
                            index + 1
                        ),
                    ));
                }
            };
            require(manufacturer, "manufacturer", "manufacturer");
            require(
                catalogue_number,
                "catalogue",
                "catalogue (reference) number",
            );
            if lot.trim().is_empty() && serial.trim().is_empty() {
                errors.push(FieldError::new(
                    component_field(index, "lot"),
                    format!("Component {}: enter the lot (batch) number or the serial number from the packaging", index + 1),
                ));
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            let optional =
                |text: &str| Some(text.trim().to_string()).filter(|text| !text.is_empty());
            Ok(ReadComponent {
                device_identifier: None,
                agency: None,
                manufacturer: optional(manufacturer),
                catalogue_number: optional(catalogue_number),
                lot: optional(lot),
                serial: optional(serial),
                expiry: None,
                udi: None,
            })
        }
    }
}

/// The earliest procedure date the registry accepts.
pub const EARLIEST_PROCEDURE_YEAR: u16 = 1950;
pub const OLDEST_AGE: i32 = 120;

fn is_gmc_number(text: &str) -> bool {
    text.len() == 7 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A UK postcode's outward code (district), e.g. `LS1`, `SW1A`, `M1`, `B33`.
pub fn is_postcode_district(text: &str) -> bool {
    let bytes = text.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let rest = &bytes[letters..];
    (1..=2).contains(&letters)
        && !rest.is_empty()
        && rest.len() <= 2
        && rest[0].is_ascii_digit()
        && rest[1..]
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// The rules that need context: today's date and the device register. Structure (that every
/// field is present and well formed) was established when the submission was parsed, and the
/// server re-establishes it by re-reading every component.
pub fn check(submission: &Submission, context: &CheckContext) -> Findings {
    let mut findings = Findings::default();
    let errors = &mut findings.errors;
    let reference_year = context
        .today
        .map_or(submission.procedure_date.year(), |today| today.year());

    if !is_gmc_number(&submission.consultant_gmc) {
        errors.push(FieldError::new(
            "consultant_gmc",
            "Enter the consultant's GMC number: 7 digits",
        ));
    }
    if let Some(today) = context.today
        && submission.procedure_date > today
    {
        errors.push(FieldError::new(
            "procedure_date",
            "Procedure date must be today or in the past",
        ));
    }
    if submission.procedure_date.year() < EARLIEST_PROCEDURE_YEAR {
        errors.push(FieldError::new(
            "procedure_date",
            format!("Procedure date must be in {EARLIEST_PROCEDURE_YEAR} or later"),
        ));
    }
    let needs_reasons = matches!(
        submission.procedure_type,
        ProcedureType::Revision | ProcedureType::Removal
    );
    if needs_reasons && submission.revision_reasons.is_empty() {
        errors.push(FieldError::new(
            "revision_reasons",
            "Select at least one reason for the revision or removal",
        ));
    }
    if submission.components.is_empty() {
        errors.push(FieldError::new(
            "components",
            "Add at least one implanted (or removed) component",
        ));
    }
    if submission.components.len() > MAX_COMPONENTS {
        // Each component is read and checked: far too many is refused before that work.
        errors.push(FieldError::new(
            "components",
            format!(
                "A record can have at most {MAX_COMPONENTS} components: this one has {}. Record the rest in a second record",
                submission.components.len()
            ),
        ));
        return findings;
    }
    let acknowledged_limit = 2 * submission.components.len() + 1;
    if submission.acknowledged_warnings.len() > acknowledged_limit
        || submission
            .acknowledged_warnings
            .iter()
            .any(|code| code.len() > 40)
    {
        errors.push(FieldError::new(
            "acknowledged_warnings",
            "The confirmed warnings do not belong to this record: reload the page and confirm them again",
        ));
    }
    if submission.revision_reasons.len() > RevisionReason::ALL.len() {
        errors.push(FieldError::new(
            "revision_reasons",
            "Select each reason once",
        ));
    }
    if submission.consent == Consent::Given && submission.pseudonym.is_none() {
        errors.push(FieldError::new(
            "nhs_number",
            "Enter the patient's NHS number and date of birth: consent to linkage was given",
        ));
    }
    if submission.consent != Consent::Given && submission.pseudonym.is_some() {
        errors.push(FieldError::new(
            "consent",
            "Without consent, the record must not be linked to the patient",
        ));
    }
    let procedure_year = i32::from(submission.procedure_date.year());
    let birth_year = i32::from(submission.year_of_birth);
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
    if !submission.postcode_district.is_empty()
        && !is_postcode_district(&submission.postcode_district)
    {
        errors.push(FieldError::new("postcode_district", "Enter the first part of the postcode only, like LS1 or SW1A, or leave it empty if not known"));
    }

    let mut seen: HashSet<ComponentIdentityKey> = HashSet::new();
    let mut joint_manufacturers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, entry) in submission.components.iter().enumerate() {
        let component = match read_component(index, entry, reference_year) {
            Ok(component) => component,
            Err(problems) => {
                findings.errors.extend(problems);
                continue;
            }
        };
        let identity = (
            component
                .device_identifier
                .clone()
                .or(component.catalogue_number.clone()),
            component.manufacturer.clone(),
            component.lot.clone(),
            component.serial.clone(),
        );
        if !seen.insert(identity) {
            findings.errors.push(FieldError::new(
                component_field(index, "udi"),
                format!(
                    "Component {} is the same device as an earlier one: remove the duplicate",
                    index + 1
                ),
            ));
        }
        if let Some(expiry) = component.expiry
            && expiry < submission.procedure_date
        {
            findings.warnings.push(Warning {
                code: format!("expired-{index}"),
                message: format!(
                    "Component {} expired on {expiry}, before the procedure date. Confirm the expired device was implanted",
                    index + 1
                ),
            });
        }
        let facts = component
            .device_identifier
            .as_ref()
            .and_then(|di| context.devices.get(di));
        match (facts, &component.device_identifier) {
            (Some(facts), _) => {
                if let (Some(side), Laterality::Left | Laterality::Right) = (facts.side, submission.laterality)
                    && side != submission.laterality
                {
                    findings.warnings.push(Warning {
                        code: format!("side-{index}"),
                        message: format!(
                            "Component {} ({}) is a {} component, but the procedure is on the {} side. Confirm the side",
                            index + 1,
                            facts.name,
                            side.label().to_lowercase(),
                            submission.laterality.label().to_lowercase()
                        ),
                    });
                }
                if facts.body_site == Some(submission.body_site) {
                    joint_manufacturers.entry(facts.manufacturer.clone()).or_default().push(index);
                }
            }
            (None, Some(di)) => findings.notices.push(format!(
                "Component {} (device identifier {di}) is not in the device register yet: it is accepted and flagged for the registry to review",
                index + 1
            )),
            (None, None) => findings.notices.push(format!(
                "Component {} was entered without a barcode: the registry will match it to the device register",
                index + 1
            )),
        }
    }
    if joint_manufacturers.len() > 1 {
        let makers: Vec<&str> = joint_manufacturers.keys().map(String::as_str).collect();
        findings.warnings.push(Warning {
            code: "mix-and-match".into(),
            message: format!(
                "The components of this {} come from different manufacturers ({}): a \"mix and match\" combination. Confirm it is intended",
                submission.body_site.label().to_lowercase(),
                makers.join(", ")
            ),
        });
    }
    findings
}

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
    #[validate(length(min = 1, message = "Enter the consultant's GMC number: 7 digits"))]
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
    #[validate(length(
        max = 10,
        message = "Enter the first part of the postcode only, like LS1"
    ))]
    pub postcode_district: String,
    pub acknowledged_warnings: Vec<String>,
}

/// Turns `validator`'s report into field errors, in the form's order.
fn validation_errors(form: &ProcedureForm) -> Vec<FieldError> {
    let Err(report) = form.validate() else {
        return Vec::new();
    };
    let order = [
        "site_id",
        "consultant_gmc",
        "procedure_type",
        "body_site",
        "laterality",
        "components",
        "consent",
        "sex",
        "postcode_district",
    ];
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
    errors.sort_by_key(|error| {
        order
            .iter()
            .position(|field| *field == error.field)
            .unwrap_or(order.len())
    });
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
        let identifiers_left_empty = self.nhs_number.trim().is_empty()
            && (self.birth_day.clone() + &self.birth_month + &self.birth_year)
                .trim()
                .is_empty();
        let (identifiers, year_of_birth) = match consent {
            Some(Consent::Given) if self.keep_patient_link && identifiers_left_empty => {
                (None, self.parse_year_of_birth(today, &mut errors))
            }
            Some(Consent::Given) => self.parse_identifiers(procedure_date, today, &mut errors),
            Some(_) => (None, self.parse_year_of_birth(today, &mut errors)),
            None => (None, None),
        };
        let components = self.components.iter().map(ComponentForm::entry).collect();
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
            postcode_district: self
                .postcode_district
                .trim()
                .to_uppercase()
                .replace(' ', ""),
            acknowledged_warnings: self.acknowledged_warnings.clone(),
        };
        Ok(Parsed {
            submission,
            identifiers,
        })
    }

    fn parse_identifiers(
        &self,
        procedure_date: Option<CalendarDate>,
        today: CalendarDate,
        errors: &mut Vec<FieldError>,
    ) -> (Option<PatientIdentifiers>, Option<u16>) {
        let (identifiers, birth) = crate::patient::read_identifiers(
            &self.nhs_number,
            (&self.birth_day, &self.birth_month, &self.birth_year),
            today,
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

    fn parse_year_of_birth(
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
    fn entry(&self) -> ComponentEntry {
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
#[derive(Debug)]
pub struct Parsed {
    pub submission: Submission,
    pub identifiers: Option<PatientIdentifiers>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::udi::gtin::Gtin;

    fn today() -> CalendarDate {
        CalendarDate::new(2026, 11, 23).unwrap()
    }

    /// A GTIN-14 with a computed check digit.
    fn gtin(first_thirteen: &str) -> String {
        let digits: Vec<u8> = first_thirteen.bytes().map(|b| b - b'0').collect();
        Gtin::from_digits_without_check(digits.try_into().unwrap()).to_gtin14()
    }

    fn udi(first_thirteen: &str, expiry: &str, lot: &str) -> String {
        format!("(01){}(17){expiry}(10){lot}", gtin(first_thirteen))
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
            components: vec![
                ComponentForm {
                    udi: udi("0506000134001", "281231", "STEM1"),
                    ..ComponentForm::default()
                },
                ComponentForm {
                    udi: udi("0506000134002", "281231", "CUP1"),
                    ..ComponentForm::default()
                },
            ],
            consent: "given".into(),
            nhs_number: "999 123 4578".into(),
            birth_day: "13".into(),
            birth_month: "5".into(),
            birth_year: "1960".into(),
            sex: "female".into(),
            postcode_district: "ls1".into(),
            ..ProcedureForm::default()
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    fn manual(lot: &str) -> ComponentEntry {
        ComponentEntry {
            identity: ComponentIdentity::Manual {
                manufacturer: "Acme Orthopaedics".into(),
                catalogue_number: "REF-1".into(),
                lot: lot.into(),
                serial: String::new(),
            },
        }
    }

    #[test]
    fn every_text_and_list_is_bounded_with_an_error_on_its_field() {
        let mut submission = form().parse("key-limits-0001", today()).unwrap().submission;
        submission.components = vec![manual(&"L".repeat(500_000))];
        let findings = check(&submission, &CheckContext::default());
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
        let findings = check(&submission, &CheckContext::default());
        assert!(fields(&findings.errors).contains(&"component-0-udi"));

        submission.components = (0..3000).map(|n| manual(&format!("LOT{n}"))).collect();
        let findings = check(&submission, &CheckContext::default());
        assert_eq!(fields(&findings.errors), ["components"]);
        assert!(findings.errors[0].message.contains("this one has 3000"));

        submission.components = vec![manual("LOT1")];
        submission.acknowledged_warnings = (0..500).map(|n| format!("side-{n}")).collect();
        let findings = check(&submission, &CheckContext::default());
        assert!(fields(&findings.errors).contains(&"acknowledged_warnings"));
    }

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
                "procedure_type",
                "body_site",
                "laterality",
                "consent",
                "sex",
                "procedure_date"
            ]
        );
        assert_eq!(errors[7].message, "Enter the procedure date");
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

    fn submission() -> Submission {
        let mut submission = form().parse("k", today()).unwrap().submission;
        submission.pseudonym = Some(Pseudonym::try_from("ab".repeat(32)).unwrap());
        submission
    }

    fn context() -> CheckContext {
        CheckContext {
            today: Some(today()),
            devices: BTreeMap::new(),
        }
    }

    fn facts(
        first_thirteen: &str,
        manufacturer: &str,
        side: Option<Laterality>,
    ) -> (String, DeviceFacts) {
        let di = gtin(first_thirteen);
        (
            di.clone(),
            DeviceFacts {
                device_identifier: di,
                manufacturer: manufacturer.into(),
                name: format!("{manufacturer} component"),
                side,
                body_site: Some(BodySite::Hip),
            },
        )
    }

    #[test]
    fn a_good_record_passes_with_unknown_devices_flagged_not_blocked() {
        let findings = check(&submission(), &context());
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
        let findings = check(&record, &context());
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
        let findings = check(&record, &context());
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
        let findings = check(&record, &context());
        assert_eq!(fields(&findings.errors), ["component-1-udi"]);
        assert!(
            findings.errors[0]
                .message
                .starts_with("Component 2: The GTIN (AI 01) check digit should be 2, not 3")
        );
        record.components[1] = ComponentEntry {
            identity: ComponentIdentity::Udi {
                text: "(17)281231(10)X".into(),
            },
        };
        assert!(
            check(&record, &context()).errors[0]
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
        let findings = check(&record, &context());
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
        let findings = check(&submission(), &context);
        let codes: Vec<&str> = findings.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, ["side-0", "mix-and-match"]);
        assert!(
            findings.warnings[0]
                .message
                .contains("is a right component, but the procedure is on the left side")
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
        let findings = check(&record, &context());
        assert_eq!(
            fields(&findings.errors),
            ["component-1-catalogue", "component-1-lot"]
        );
    }

    #[test]
    fn postcode_districts() {
        for good in ["LS1", "SW1A", "M1", "B33", "EC1A"] {
            assert!(is_postcode_district(good), "{good}");
        }
        for bad in ["LS", "1LS", "LS1 4AB", "ABC1", "L123"] {
            assert!(!is_postcode_district(bad), "{bad}");
        }
    }
}
