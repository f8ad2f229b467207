//! Reading a component: its UDI text through the UDI engine, or the details typed from the
//! packaging, into what the rules check and the registry stores.

use serde::{Deserialize, Serialize};

use super::submission::{ComponentEntry, ComponentIdentity};
use crate::calendar::CalendarDate;
use crate::forms::FieldError;
use crate::udi::{self, ParseOptions};

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
    /// The manufacture date, when the UDI carries one (GS1 AI 11, HIBC /16D): what a safety
    /// notice's manufacturing window is checked against.
    #[serde(default)]
    pub manufactured: Option<CalendarDate>,
    /// The UDI as printed (human-readable form), when there was one.
    pub udi: Option<String>,
}

/// The id of component `index`'s field `part`, e.g. `component-0-udi`.
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
                manufactured: udi
                    .manufactured
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
                manufactured: None,
                udi: None,
            })
        }
    }
}

/// A component as read, or what is wrong with it.
pub type ComponentReading = Result<ReadComponent, Vec<FieldError>>;

/// Every component of a record read once (each UDI parsed once), for asking the register
/// about their devices before the rules run: hand it to [`check_read`](super::check_read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadComponents {
    /// What was read, to tell whether it is the submission being checked.
    entries: Vec<ComponentEntry>,
    reference_year: u16,
    readings: Vec<ComponentReading>,
}

impl ReadComponents {
    /// Reads each entry. More than [`MAX_COMPONENTS`] are not read at all: the rules refuse
    /// such a record before that work.
    pub fn read(entries: &[ComponentEntry], reference_year: u16) -> Self {
        let (entries, readings) = if entries.len() > MAX_COMPONENTS {
            (Vec::new(), Vec::new())
        } else {
            let readings = entries
                .iter()
                .enumerate()
                .map(|(index, entry)| read_component(index, entry, reference_year))
                .collect();
            (entries.to_vec(), readings)
        };
        Self {
            entries,
            reference_year,
            readings,
        }
    }

    /// Whether these are `entries` read for `reference_year`.
    pub(super) fn are_of(&self, entries: &[ComponentEntry], reference_year: u16) -> bool {
        self.reference_year == reference_year
            && (self.readings.is_empty() && entries.len() > MAX_COMPONENTS
                || self.entries == entries)
    }

    /// Each component's reading, in order.
    pub fn readings(&self) -> &[ComponentReading] {
        &self.readings
    }

    pub(super) fn into_readings(self) -> Vec<ComponentReading> {
        self.readings
    }

    /// The device identifiers read, sorted, each once: what to look up in the register.
    pub fn device_identifiers(&self) -> Vec<String> {
        let mut identifiers: Vec<String> = self
            .readings
            .iter()
            .flatten()
            .filter_map(|component| component.device_identifier.clone())
            .collect();
        identifiers.sort();
        identifiers.dedup();
        identifiers
    }
}
