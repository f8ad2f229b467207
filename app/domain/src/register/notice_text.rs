//! The registry's form for a field safety notice: what it says (the problem, the risk, what
//! clinics and patients must do) and which devices it concerns. `NoticeForm::parse` returns
//! the `NoticeDraft` or every problem at once.
//!
//! Here: the notice as typed and as a draft, its limits, and dates in three boxes. The form
//! for one device the notice concerns (its lots, serials, ranges and date windows) is in
//! `device_scope`.

use serde::{Deserialize, Serialize};

use super::fields::{FormReader, TextKind};
use super::notice::NoticeScope;
use crate::calendar::{CalendarDate, DateProblem};
use crate::forms::FieldError;

mod device_scope;

pub use device_scope::{DeviceScopeForm, scope_field};

pub const REFERENCE_MAX: usize = 40;
pub const TITLE_MAX: usize = 200;
pub const MANUFACTURER_REFERENCE_MAX: usize = 60;
/// The problem, the risk and the clinics' action.
pub const SECTION_MAX: usize = 5_000;
/// Patients read it: kept short.
pub const PATIENT_ACTION_MAX: usize = 2_000;
pub const DEVICES_MAX: usize = 500;
/// Bad values listed one by one before the rest are counted.
const BAD_VALUES_SHOWN: usize = 10;

choice!(
    /// Which units of a DI the form's notice concerns.
    SelectionKind {
        All => ("all", "All units"),
        Lots => ("lots", "These lots"),
        Serials => ("serials", "These serial numbers"),
        LotRange => ("lot_range", "A range of lots"),
        SerialRange => ("serial_range", "A range of serial numbers"),
    }
);

/// A date in three boxes (day, month, year), as the NHS.UK date input has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateBoxes {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateBoxes {
    pub fn is_empty(&self) -> bool {
        (self.day.clone() + &self.month + &self.year)
            .trim()
            .is_empty()
    }

    /// `Ok(None)` when all three boxes are empty.
    fn parse(&self, what: &'static str) -> Result<Option<CalendarDate>, String> {
        if self.is_empty() {
            return Ok(None);
        }
        CalendarDate::from_parts(&self.day, &self.month, &self.year, what)
            .map(Some)
            .map_err(|problem| match problem {
                DateProblem::YearDigits => format!("{what}: the year must include 4 numbers"),
                other => other.to_string(),
            })
    }
}

/// The notice as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    /// The registry's own reference, e.g. `FSN-2026-014`.
    pub reference: String,
    pub title: String,
    /// The manufacturer's FSN reference.
    pub manufacturer_reference: String,
    /// The date of the manufacturer's FSN.
    pub fsn_date: DateBoxes,
    pub problem: String,
    pub risk: String,
    /// What clinics must do.
    pub clinic_action: String,
    /// What patients should do, in plain English.
    pub patient_action: String,
    pub devices: Vec<DeviceScopeForm>,
}

/// A notice ready to be saved as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDraft {
    pub reference: String,
    pub title: String,
    pub manufacturer_reference: String,
    pub fsn_date: CalendarDate,
    pub problem: String,
    pub risk: String,
    pub clinic_action: String,
    pub patient_action: String,
    pub scope: NoticeScope,
}

impl NoticeForm {
    /// The draft, or every problem found, in the form's order. `today` bounds the FSN date.
    pub fn parse(&self, today: CalendarDate) -> Result<NoticeDraft, Vec<FieldError>> {
        let mut form = FormReader::new();
        let (line, paragraphs) = (TextKind::Line, TextKind::Paragraphs);
        let reference = form.required(
            "reference",
            "Notice reference",
            &self.reference,
            line,
            REFERENCE_MAX,
        );
        let title = form.required("title", "Title", &self.title, line, TITLE_MAX);
        let manufacturer_reference = form.required(
            "manufacturer_reference",
            "Manufacturer's FSN reference",
            &self.manufacturer_reference,
            line,
            MANUFACTURER_REFERENCE_MAX,
        );
        let fsn_date = match self.fsn_date.parse("Date of the manufacturer's notice") {
            Ok(Some(date)) if date > today => {
                form.push(
                    "fsn_date",
                    "Date of the manufacturer's notice must be today or in the past",
                );
                None
            }
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                form.push("fsn_date", "Enter the date of the manufacturer's notice");
                None
            }
            Err(problem) => {
                form.push("fsn_date", problem);
                None
            }
        };
        let problem = form.required("problem", "Problem", &self.problem, paragraphs, SECTION_MAX);
        let risk = form.required("risk", "Risk", &self.risk, paragraphs, SECTION_MAX);
        let clinic_action = form.required(
            "clinic_action",
            "Action for clinics",
            &self.clinic_action,
            paragraphs,
            SECTION_MAX,
        );
        let patient_action = form.required(
            "patient_action",
            "Advice for patients",
            &self.patient_action,
            paragraphs,
            PATIENT_ACTION_MAX,
        );
        let mut devices = Vec::new();
        if self.devices.is_empty() {
            form.push("devices", "Add at least one device the notice concerns");
        } else if self.devices.len() > DEVICES_MAX {
            form.push(
                "devices",
                format!(
                    "A notice can name at most {DEVICES_MAX} devices; this names {}",
                    self.devices.len()
                ),
            );
        } else {
            for (index, device) in self.devices.iter().enumerate() {
                match device.parse(index) {
                    Ok(scope) => devices.push(scope),
                    Err(errors) => form.extend(errors),
                }
            }
        }
        // Every field read, and no problem anywhere: the draft.
        let draft = (|| {
            Some(NoticeDraft {
                reference: reference?,
                title: title?,
                manufacturer_reference: manufacturer_reference?,
                fsn_date: fsn_date?,
                problem: problem?,
                risk: risk?,
                clinic_action: clinic_action?,
                patient_action: patient_action?,
                scope: NoticeScope { devices },
            })
        })();
        match draft {
            Some(draft) if !form.has_errors() => Ok(draft),
            _ => Err(form.into_errors()),
        }
    }
}

#[cfg(test)]
mod tests;
