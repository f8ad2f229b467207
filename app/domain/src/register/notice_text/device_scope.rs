//! The form for one device a notice concerns, as typed: its DI and agency, which units (all,
//! listed lots or serials, or a range of either), and the manufacture and expiry windows;
//! read into a [`DeviceScope`] or every problem, each message naming the device.

use serde::{Deserialize, Serialize};

use crate::forms::FieldError;
use crate::register::fields::{FormReader, shortened};
use crate::register::identifier::read_agency_and_identifier;
use crate::register::notice::{
    CodeKind, CodeList, CodeRange, DateWindow, DeviceScope, LISTED_VALUES_MAX, Selection,
    check_code,
};

use super::{BAD_VALUES_SHOWN, DateBoxes, SelectionKind};

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
        let (_, device_identifier) = read_agency_and_identifier(
            &mut form,
            &field("agency"),
            &field("device_identifier"),
            &self.agency,
            &self.device_identifier,
        );
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
