//! The rules on each component of a record: a duplicate of an earlier one, a device that
//! expired before the procedure, what the register knows of it (or that it does not), and a
//! joint whose components come from different makers ("mix and match").

use std::collections::{BTreeMap, HashSet};

use super::{CheckContext, Findings, RecordParts, Warning, register};
use crate::forms::FieldError;
use crate::procedure::component::{ComponentReading, ReadComponent, component_field};

/// What makes two components the same device: identifier (or catalogue number), maker, lot,
/// serial.
type ComponentIdentityKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The rules on each component, with the register's facts about it; returns the components
/// that could be read.
pub(super) fn component_findings(
    parts: &RecordParts<'_>,
    readings: Vec<ComponentReading>,
    context: &CheckContext,
    findings: &mut Findings,
) -> Vec<ReadComponent> {
    let mut read = Vec::with_capacity(readings.len());
    let mut seen: HashSet<ComponentIdentityKey> = HashSet::new();
    let mut joint_manufacturers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, reading) in readings.into_iter().enumerate() {
        let component = match reading {
            Ok(component) => component,
            Err(problems) => {
                findings.errors.extend(problems);
                continue;
            }
        };
        let identity = (
            component
                .device_identifier
                .clone()
                .or(component.catalogue_number.clone()),
            component.manufacturer.clone(),
            component.lot.clone(),
            component.serial.clone(),
        );
        if !seen.insert(identity) {
            findings.errors.push(FieldError::new(
                component_field(index, "udi"),
                format!(
                    "Component {} is the same device as an earlier one: remove the duplicate",
                    index + 1
                ),
            ));
        }
        if let (Some(expiry), Some(procedure_date)) = (component.expiry, parts.procedure_date)
            && expiry < procedure_date
        {
            findings.warnings.push(Warning {
                code: format!("expired-{index}"),
                message: format!(
                    "Component {} expired on {expiry}, before the procedure date. Confirm the expired device was implanted",
                    index + 1
                ),
                confirmation: format!(
                    "I have checked that component {}, which expired on {expiry}, is the device that was implanted",
                    index + 1
                ),
            });
        }
        let facts = component
            .device_identifier
            .as_ref()
            .and_then(|di| context.devices.get(di));
        match (facts, &component.device_identifier) {
            (Some(facts), _) => {
                findings
                    .warnings
                    .extend(register::device_warnings(index, facts, parts));
                if facts.body_site.is_some() && facts.body_site == parts.body_site {
                    joint_manufacturers.entry(facts.manufacturer.clone()).or_default().push(index);
                }
            }
            (None, Some(di)) => findings.notices.push(format!(
                "Component {} (device identifier {di}) is not in the device register yet: it is accepted and flagged for the registry to review",
                index + 1
            )),
            (None, None) => findings.notices.push(format!(
                "Component {} was entered without a barcode: the registry will match it to the device register",
                index + 1
            )),
        }
        read.push(component);
    }
    if let Some(body_site) = parts.body_site
        && joint_manufacturers.len() > 1
    {
        let makers: Vec<&str> = joint_manufacturers.keys().map(String::as_str).collect();
        findings.warnings.push(Warning {
            code: "mix-and-match".into(),
            message: format!(
                "The components of this {} come from different manufacturers ({}): a \"mix and match\" combination. Confirm it is intended",
                body_site.label().to_lowercase(),
                makers.join(", ")
            ),
            confirmation: format!(
                "I have checked that the components from {} are meant to be used together in this {}",
                makers.join(" and "),
                body_site.label().to_lowercase()
            ),
        });
    }
    read
}
