//! Stored rows as the API shows them: the one place a record's rows become the types the
//! pages receive (codes stay typed; pages choose the words).

use app::api::procedures::{ComponentDetail, ProcedureSummary, VersionDetail};
use domain::procedure::Consent;

use crate::db::procedures::{ComponentRow, StoredVersion, SummaryRow};

pub fn component(row: ComponentRow) -> ComponentDetail {
    ComponentDetail {
        in_register: row.device_id.is_some(),
        device_identifier: row.device_identifier,
        agency: row.agency,
        udi: row.udi,
        name: row.name,
        manufacturer: row.manufacturer,
        catalogue_number: row.catalogue_number,
        lot: row.lot,
        serial: row.serial,
        expiry: row.expiry.map(domain::calendar::CalendarDate::from),
    }
}

/// How a list names a component: the register's name, else its identifier or catalogue
/// number.
fn component_name(row: &ComponentRow) -> String {
    row.name
        .clone()
        .or_else(|| row.device_identifier.clone())
        .or_else(|| row.catalogue_number.clone())
        .unwrap_or_default()
}

pub fn summary((row, components): (SummaryRow, Vec<ComponentRow>)) -> ProcedureSummary {
    ProcedureSummary {
        id: row.id,
        version: row.current_version,
        procedure_date: row.facts.procedure_date,
        procedure_type: row.facts.procedure_type,
        body_site: row.facts.body_site,
        laterality: row.facts.laterality,
        site: row.site,
        devices: components.iter().map(component_name).collect(),
        linked_to_patient: row.consent == Consent::Given,
        needs_review: components
            .iter()
            .any(|component| component.device_id.is_none()),
    }
}

pub fn version((row, components): StoredVersion) -> VersionDetail {
    VersionDetail {
        version: row.version,
        site_id: row.site_id,
        site: row.site,
        consultant_gmc: row.consultant_gmc,
        procedure_date: row.facts.procedure_date,
        procedure_type: row.facts.procedure_type,
        body_site: row.facts.body_site,
        laterality: row.facts.laterality,
        revision_reasons: row.revision_reasons.0,
        linked_to_patient: row.consent == Consent::Given,
        consent: row.consent,
        year_of_birth: u16::try_from(row.year_of_birth).unwrap_or_default(),
        sex: row.sex,
        postcode_district: row.postcode_district,
        acknowledged_warnings: row.acknowledged_warnings.0,
        components: components.into_iter().map(component).collect(),
        recorded_by: row.recorded_by,
        recorded_at: row.created_at.to_iso(),
        correction_reason: row.correction_reason,
    }
}
