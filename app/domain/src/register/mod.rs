//! The device register and field safety notices: what registry administrators keep about
//! device models (from GUDID, EU MDR Annex VI data and their own forms), and which implanted
//! components a safety notice concerns.
//!
//! - `identifier`: the UDI-DI, normalised as GUDID stores it.
//! - `device`: a register entry and the administrators' form.

pub mod device;
pub mod fields;
pub mod identifier;

pub use device::{
    DeviceEntry, DeviceForm, DeviceSide, GudidRecordVersion, Manufacturer, MriSafety, Nomenclature,
    RegisterStatus, RiskClass,
};
pub use identifier::{DeviceIdentifier, DeviceIdentifierError};
