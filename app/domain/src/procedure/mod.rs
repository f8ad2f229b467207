//! The procedure record: what a clinic submits about an implant procedure, and the rules it
//! must meet. The same rules run in the browser (as the person fills the form) and on the
//! server (which never trusts the browser).
//!
//! - [`vocabulary`]: the record's fixed choices (procedure type, body site, side, …).
//! - [`form`]: `ProcedureForm` is the form as typed (text in every field);
//!   `ProcedureForm::parse` turns it into a `Submission` plus the identifiers to
//!   pseudonymise, or says what to fix.
//! - [`submission`]: the `Submission` the browser sends (typed, no patient identifiers).
//! - [`component`]: reading a component (its UDI, or typed details) once, into a
//!   `ReadComponent`.
//! - [`rules`]: `check` applies the rules that need context (today, the device register,
//!   the patient link) and separates errors from warnings a person must confirm; it returns
//!   what it read.
//! - [`review`]: `ProcedureForm::review` checks the whole form at once (what does not parse
//!   and what the rules find in the rest), problems in page order ([`page_order`]).
//! - [`gmc_number`], [`postcode_district`]: the consultant's GMC number and the postcode
//!   district as values.
//!
//! Everything is re-exported here: `domain::procedure::Submission`, `…::check`.

pub mod component;
pub mod form;
pub mod gmc_number;
pub mod page_order;
pub mod postcode_district;
pub mod review;
pub mod rules;
pub mod submission;
pub mod vocabulary;

#[cfg(test)]
mod test_support;

pub use component::{
    ComponentReading, MAX_COMPONENTS, MAX_LOT_OR_SERIAL, MAX_TYPED_DETAIL, MAX_UDI_LENGTH,
    ReadComponent, ReadComponents, component_field, read_component,
};
pub use form::{ComponentForm, Parsed, ProcedureForm};
pub use gmc_number::{GmcNumber, InvalidGmcNumber};
pub use page_order::sort_in_page_order;
pub use postcode_district::{InvalidPostcodeDistrict, PostcodeDistrict, is_postcode_district};
pub use review::FormReview;
pub use rules::{
    CheckContext, Checked, DeviceFacts, EARLIEST_PROCEDURE_YEAR, Findings, OLDEST_AGE, PatientLink,
    Warning, check, check_read,
};
pub use submission::{ComponentEntry, ComponentIdentity, Submission};
pub use vocabulary::{BodySite, Consent, Laterality, ProcedureType, RevisionReason, Sex};
