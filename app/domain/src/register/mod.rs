//! The device register and field safety notices: what registry administrators keep about
//! device models (from GUDID, EU MDR Annex VI data and their own forms), and which implanted
//! components a safety notice concerns.
//!
//! - `identifier`: the UDI-DI, normalised as GUDID stores it.
//! - `device`: a register entry; `device_form`: the administrators' form for one.
//! - `gudid`: AccessGUDID's delimited `device.txt` and `identifiers.txt`, row by row.
//! - `notice`: which devices a field safety notice concerns, and the match of a component.
//! - `notice_text`: the registry's form for a notice: its text and its scope.
//! - `notice_status`: a notice's life (draft, published versions, closed; never deleted).
//! - `acknowledgement`: what a clinic confirms for each component.
//! - `prefill`: forms filled in from a saved notice, or from a UDI clinics scanned.
//! - `csv_import`: the register's own CSV format (documented there), and what an import
//!   changes.
//! - `delimited` and `fields`: reading delimited files row by row, and form fields, with
//!   every problem said about its column or field.
//!
//! All of it is pure: the server stores and queries, the browser shows, both with these rules.

pub mod acknowledgement;
pub mod csv_import;
pub mod delimited;
pub mod device;
pub mod device_form;
pub mod fields;
pub mod gudid;
pub mod identifier;
pub mod notice;
pub mod notice_status;
pub mod notice_text;
pub mod prefill;

pub use acknowledgement::Acknowledgement;
pub use csv_import::{ImportOutcome, classify_import, merge_import, read_register_csv};
pub use delimited::{ImportError, RowRejection};
pub use device::{
    DeviceEntry, DeviceSide, GudidRecordVersion, Manufacturer, MriSafety, Nomenclature,
    RegisterStatus, RiskClass,
};
pub use device_form::DeviceForm;
pub use gudid::{GudidDevice, GudidIdentifier, GudidRecordStatus, IdentifierKind};
pub use identifier::{DeviceIdentifier, DeviceIdentifierError};
pub use notice::{
    CodeKind, CodeList, CodeRange, ComponentFacts, DateWindow, DeviceScope, MatchOutcome,
    MissingDetail, NoticeScope, Selection, match_component, range_key,
};
pub use notice_status::{NoticeAction, NoticeStatus, TransitionRefused};
pub use notice_text::{DateBoxes, DeviceScopeForm, NoticeDraft, NoticeForm, SelectionKind};
