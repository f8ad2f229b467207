//! What the browser sends: the record typed, with a pseudonym instead of patient identifiers.

use serde::{Deserialize, Serialize};

use super::vocabulary::{BodySite, Consent, Laterality, ProcedureType, RevisionReason, Sex};
use crate::calendar::CalendarDate;
use crate::pseudonym::Pseudonym;

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
///
/// The consultant's GMC number and the postcode district stay text as sent: the rules
/// (`check`) read them as a [`GmcNumber`](super::GmcNumber) and a
/// [`PostcodeDistrict`](super::PostcodeDistrict), so that a bad value reaches the server as a
/// field error to show, not as a request it cannot read.
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
