//! The submission every test records unless it says otherwise: a primary left hip on
//! 2 November 2026 with the components given. Shared by the API tests, the fault harness and
//! the submissions benchmark.

use domain::calendar::CalendarDate;
use domain::procedure::{
    BodySite, ComponentEntry, ComponentIdentity, Consent, Laterality, ProcedureType, Sex,
    Submission,
};
use domain::pseudonym::Pseudonym;

/// A component identified by its UDI: the GTIN, the expiry (YYMMDD) and the lot.
pub fn udi(gtin: &str, expiry: &str, lot: &str) -> ComponentEntry {
    ComponentEntry {
        identity: ComponentIdentity::Udi {
            text: format!("(01){gtin}(17){expiry}(10){lot}"),
        },
    }
}

/// Linked to the patient (consent given) when there is a pseudonym, unlinked otherwise.
pub fn submission(
    key: &str,
    site_id: i64,
    components: Vec<ComponentEntry>,
    pseudonym: Option<Pseudonym>,
) -> Submission {
    Submission {
        idempotency_key: key.to_string(),
        site_id,
        consultant_gmc: "1234567".into(),
        procedure_date: CalendarDate::new(2026, 11, 2).unwrap(),
        procedure_type: ProcedureType::Primary,
        body_site: BodySite::Hip,
        laterality: Laterality::Left,
        revision_reasons: Vec::new(),
        components,
        consent: if pseudonym.is_some() {
            Consent::Given
        } else {
            Consent::Declined
        },
        pseudonym,
        year_of_birth: 1960,
        sex: Sex::Female,
        postcode_district: "LS1".into(),
        acknowledged_warnings: Vec::new(),
    }
}
