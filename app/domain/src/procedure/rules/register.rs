//! The checks the device register makes possible, as the national joint registry runs them
//! on each component: a handed component on the other side, a device made for another part of
//! the body, and an entry the register has withdrawn. Each is a warning the person confirms
//! (the register can be wrong, and unusual cases are real); none blocks the record. The
//! expiry check (from the UDI itself) and the "mix and match" check (across components) are
//! in `rules`.

use super::{DeviceFacts, RecordParts, Warning};
use crate::procedure::vocabulary::{BodySite, Laterality};
use crate::register::RegisterStatus;

/// Warnings one component can raise: expired (from its UDI) and the three here. Bounds how
/// many confirmations a submission may carry.
pub const WARNINGS_PER_COMPONENT: usize = 4;

/// The register's warnings for component `index`, whose device the register knows as `facts`.
/// A part of the record not given yet (a form still being filled) raises nothing.
pub(super) fn device_warnings(
    index: usize,
    facts: &DeviceFacts,
    parts: &RecordParts<'_>,
) -> Vec<Warning> {
    let number = index + 1;
    let site_words = parts
        .body_site
        .map_or("procedure", |site| site.label())
        .to_lowercase();
    let mut warnings = Vec::new();
    if let (Some(side), Some(laterality @ (Laterality::Left | Laterality::Right))) =
        (facts.side, parts.laterality)
        && side != laterality
    {
        let side_words = side.label().to_lowercase();
        let laterality_words = laterality.label().to_lowercase();
        warnings.push(Warning {
            code: format!("side-{index}"),
            message: format!(
                "Component {number} ({}) is a {side_words} component, but the procedure is on the {laterality_words} side. Confirm the side",
                facts.name,
            ),
            confirmation: format!(
                "I have checked that the {side_words}-sided component ({}) is correct for this {laterality_words} {site_words}",
                facts.name,
            ),
        });
    }
    // "Other" is no claim about the site: nothing to compare.
    if let (Some(site), Some(procedure_site)) = (facts.body_site, parts.body_site)
        && site != BodySite::Other
        && procedure_site != BodySite::Other
        && site != procedure_site
    {
        let registered_words = site.label().to_lowercase();
        warnings.push(Warning {
            code: format!("site-{index}"),
            message: format!(
                "Component {number} ({}) is registered as a {registered_words} device, but the procedure is on the {site_words}. Confirm the device and where the implant is",
                facts.name,
            ),
            confirmation: format!(
                "I have checked that component {number} ({}), registered as a {registered_words} device, was implanted in this {site_words}",
                facts.name,
            ),
        });
    }
    if facts.status == RegisterStatus::Withdrawn {
        warnings.push(Warning {
            code: format!("withdrawn-{index}"),
            message: format!(
                "Component {number} ({}) has been withdrawn from the device register and should not be used in new procedures. Confirm it was implanted",
                facts.name
            ),
            confirmation: format!(
                "I have checked that component {number} ({}), withdrawn from the register, is the device that was implanted",
                facts.name
            ),
        });
    }
    warnings
}
