//! What the statistics are computed from: one row per procedure, with the patient, clinic and
//! devices already interned to small numbers by the server.

use serde::{Deserialize, Serialize};

use crate::calendar::CalendarDate;
use crate::procedure::{BodySite, Laterality, ProcedureType};

/// A device identifier (UDI-DI) interned by the server: equal identifiers get equal keys.
///
/// Why not the text: the national set has a million primaries with a few devices each; a
/// four-byte key keeps the rows small and comparisons cheap. The server keeps the table that
/// turns keys back into identifiers (see `OutlierRow::map_device`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceKey(pub u32);

/// A patient pseudonym interned by the server: equal pseudonyms get equal keys. It is only
/// compared, never shown, so it cannot leak even the pseudonym.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatientKey(pub u64);

/// A clinic interned by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClinicKey(pub u32);

/// How well a procedure's components were recorded, for the completeness figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComponentTally {
    /// Components recorded on the procedure.
    pub recorded: u16,
    /// Of those, how many matched a device in the device register.
    pub matched_to_register: u16,
    /// Of those recorded, how many have a lot or serial number.
    pub with_lot_or_serial: u16,
}

/// One procedure as the statistics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureEvent {
    /// The record's identifier; it orders procedures of one patient on the same day.
    pub procedure_id: i64,
    /// `None` when the patient did not consent to linkage: the procedure cannot be followed.
    pub patient: Option<PatientKey>,
    pub date: CalendarDate,
    pub kind: ProcedureType,
    pub body_site: BodySite,
    pub laterality: Laterality,
    pub clinic: ClinicKey,
    /// The device identifiers of the components (a device listed twice counts once).
    pub devices: Vec<DeviceKey>,
    pub components: ComponentTally,
}
