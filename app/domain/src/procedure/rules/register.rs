//! The checks the device register makes possible, as the national joint registry runs them
//! on each component: a handed component on the other side, a device made for another part of
//! the body, and an entry the register has withdrawn. Each is a warning the person confirms
//! (the register can be wrong, and unusual cases are real); none blocks the record. The
//! expiry check (from the UDI itself) and the "mix and match" check (across components) are
//! in `rules`.

use super::{DeviceFacts, Warning};
use crate::procedure::submission::Submission;
use crate::procedure::vocabulary::{BodySite, Laterality};
use crate::register::RegisterStatus;

/// Warnings one component can raise: expired (from its UDI) and the three here. Bounds how
/// many confirmations a submission may carry.
pub const WARNINGS_PER_COMPONENT: usize = 4;

/// The register's warnings for component `index`, whose device the register knows as `facts`.
pub fn device_warnings(index: usize, facts: &DeviceFacts, submission: &Submission) -> Vec<Warning> {
    let number = index + 1;
    let mut warnings = Vec::new();
    if let (Some(side), Laterality::Left | Laterality::Right) = (facts.side, submission.laterality)
        && side != submission.laterality
    {
        warnings.push(Warning {
            code: format!("side-{index}"),
            message: format!(
                "Component {number} ({}) is a {} component, but the procedure is on the {} side. Confirm the side",
                facts.name,
                side.label().to_lowercase(),
                submission.laterality.label().to_lowercase()
            ),
        });
    }
    // "Other" is no claim about the site: nothing to compare.
    if let Some(site) = facts.body_site
        && site != BodySite::Other
        && submission.body_site != BodySite::Other
        && site != submission.body_site
    {
        warnings.push(Warning {
            code: format!("site-{index}"),
            message: format!(
                "Component {number} ({}) is registered as a {} device, but the procedure is on the {}. Confirm the device and where the implant is",
                facts.name,
                site.label().to_lowercase(),
                submission.body_site.label().to_lowercase()
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
        });
    }
    warnings
}
