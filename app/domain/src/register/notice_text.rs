//! The registry's form for a field safety notice: what it says (the problem, the risk, what
//! clinics and patients must do) and which devices it concerns. `NoticeForm::parse` returns
//! the `NoticeDraft` or every problem at once.

use serde::{Deserialize, Serialize};

use super::device::AGENCIES;
use super::fields::{FormReader, TextKind, shortened};
use super::identifier::DeviceIdentifier;
use super::notice::{
    CodeKind, CodeList, CodeRange, DateWindow, DeviceScope, LISTED_VALUES_MAX, NoticeScope,
    Selection, check_code,
};
use crate::calendar::{CalendarDate, DateProblem};
use crate::forms::FieldError;
use crate::udi::IssuingAgency;

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

/// One DI of the notice, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceScopeForm {
    pub device_identifier: String,
    pub agency: String,
    /// A `SelectionKind` code.
    pub selection: String,
    /// Listed lots or serials, separated by commas, semicolons, spaces or new lines.
    pub values: String,
    pub range_first: String,
    pub range_last: String,
    pub manufactured_from: DateBoxes,
    pub manufactured_to: DateBoxes,
    pub expiry_from: DateBoxes,
    pub expiry_to: DateBoxes,
}

/// The field of part of the `index`th device: `scope-0-values`.
pub fn scope_field(index: usize, part: &str) -> String {
    format!("scope-{index}-{part}")
}

impl DeviceScopeForm {
    /// The criteria for this DI, or every problem, each message naming the device.
    pub fn parse(&self, index: usize) -> Result<DeviceScope, Vec<FieldError>> {
        let field = |part| scope_field(index, part);
        let mut form = FormReader::within(&format!("Device {}", index + 1));
        let agency = form.choice(
            &field("agency"),
            "Issuing agency",
            &self.agency,
            true,
            &AGENCIES,
            IssuingAgency::name,
        );
        let device_identifier = match agency {
            Some(agency) => DeviceIdentifier::parse(agency, &self.device_identifier)
                .map_err(|error| form.push(field("device_identifier"), error.to_string()))
                .ok(),
            None if self.device_identifier.trim().is_empty() => {
                form.push(
                    field("device_identifier"),
                    "Enter the device identifier (UDI-DI)",
                );
                None
            }
            None => None,
        };
        let kind = form.choice(
            &field("selection"),
            "Units concerned",
            &self.selection,
            true,
            SelectionKind::ALL,
            SelectionKind::code,
        );
        let selection = kind.and_then(|kind| self.selection(kind, index, &mut form));
        let manufactured = self.window(index, &mut form, Window::Manufacture);
        let expiry = self.window(index, &mut form, Window::Expiry);
        match (device_identifier, selection, form.has_errors()) {
            (Some(device_identifier), Some(selection), false) => Ok(DeviceScope {
                device_identifier,
                selection,
                manufactured,
                expiry,
            }),
            _ => Err(form.into_errors()),
        }
    }

    fn selection(
        &self,
        kind: SelectionKind,
        index: usize,
        form: &mut FormReader,
    ) -> Option<Selection> {
        match kind {
            SelectionKind::All => Some(Selection::AllUnits),
            SelectionKind::Lots => self
                .listed(index, form, CodeKind::Lot)
                .map(|lots| Selection::Lots { lots }),
            SelectionKind::Serials => self
                .listed(index, form, CodeKind::Serial)
                .map(|serials| Selection::Serials { serials }),
            SelectionKind::LotRange => self
                .range(index, form, CodeKind::Lot)
                .map(|range| Selection::LotRange { range }),
            SelectionKind::SerialRange => self
                .range(index, form, CodeKind::Serial)
                .map(|range| Selection::SerialRange { range }),
        }
    }

    fn listed(&self, index: usize, form: &mut FormReader, kind: CodeKind) -> Option<CodeList> {
        let field = scope_field(index, "values");
        let noun = kind.noun();
        let values: Vec<&str> = self
            .values
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|value| !value.is_empty())
            .collect();
        if values.is_empty() {
            form.push(
                &field,
                format!("Enter the {noun}s, separated by commas or new lines"),
            );
            return None;
        }
        if values.len() > LISTED_VALUES_MAX {
            form.push(
                &field,
                format!(
                    "A notice can list at most {LISTED_VALUES_MAX} {noun}s for one device; this has {}. Use ranges, or name the device again with the rest",
                    values.len()
                ),
            );
            return None;
        }
        let mut codes = Vec::with_capacity(values.len());
        let mut bad = 0;
        for value in values {
            match check_code(value, kind) {
                Ok(code) => codes.push(code),
                Err(problem) => {
                    bad += 1;
                    if bad <= BAD_VALUES_SHOWN {
                        form.push(&field, format!("{}: {problem}", shortened(value)));
                    }
                }
            }
        }
        if bad > BAD_VALUES_SHOWN {
            form.push(
                &field,
                format!("{} more {noun}s have problems", bad - BAD_VALUES_SHOWN),
            );
        }
        (bad == 0).then(|| CodeList::from(codes))
    }

    fn range(&self, index: usize, form: &mut FormReader, kind: CodeKind) -> Option<CodeRange> {
        let noun = kind.noun();
        let (first, last) = (self.range_first.trim(), self.range_last.trim());
        if first.is_empty() {
            form.push(
                scope_field(index, "range_first"),
                format!("Enter the first {noun} of the range"),
            );
        }
        if last.is_empty() {
            form.push(
                scope_field(index, "range_last"),
                format!("Enter the last {noun} of the range"),
            );
        }
        if first.is_empty() || last.is_empty() {
            return None;
        }
        CodeRange::new(first, last, kind)
            .map_err(|problem| form.push(scope_field(index, "range_first"), problem))
            .ok()
    }

    fn window(&self, index: usize, form: &mut FormReader, window: Window) -> Option<DateWindow> {
        let (from, to, part, what_from, what_to) = match window {
            Window::Manufacture => (
                &self.manufactured_from,
                &self.manufactured_to,
                "manufactured",
                "Start of the manufacture window",
                "End of the manufacture window",
            ),
            Window::Expiry => (
                &self.expiry_from,
                &self.expiry_to,
                "expiry",
                "Start of the expiry window",
                "End of the expiry window",
            ),
        };
        let mut date = |boxes: &DateBoxes, end: &str, what: &'static str| {
            boxes
                .parse(what)
                .map_err(|problem| form.push(scope_field(index, &format!("{part}_{end}")), problem))
                .ok()
                .flatten()
        };
        let (from, to) = (date(from, "from", what_from), date(to, "to", what_to));
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            form.push(
                scope_field(index, &format!("{part}_from")),
                format!("{what_from} ({from}) is after its end ({to}): swap them"),
            );
        }
        (from.is_some() || to.is_some()).then_some(DateWindow { from, to })
    }
}

#[derive(Clone, Copy)]
enum Window {
    Manufacture,
    Expiry,
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
        let (
            Some(reference),
            Some(title),
            Some(manufacturer_reference),
            Some(fsn_date),
            Some(problem),
            Some(risk),
            Some(clinic_action),
            Some(patient_action),
            false,
        ) = (
            reference,
            title,
            manufacturer_reference,
            fsn_date,
            problem,
            risk,
            clinic_action,
            patient_action,
            form.has_errors(),
        )
        else {
            return Err(form.into_errors());
        };
        Ok(NoticeDraft {
            reference,
            title,
            manufacturer_reference,
            fsn_date,
            problem,
            risk,
            clinic_action,
            patient_action,
            scope: NoticeScope { devices },
        })
    }
}

#[cfg(test)]
mod tests;
