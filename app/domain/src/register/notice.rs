//! Which devices a field safety notice concerns, and whether an implanted component is one of
//! them.
//!
//! A notice names one or more DIs; for each, all units, listed lots, listed serials, a lot or
//! serial range, and optionally a manufacture-date and an expiry-date window. The criteria of
//! one DI must all hold; a component is affected if it meets the criteria of any DI named.
//!
//! A component whose record lacks what a criterion needs (no lot for a lot criterion, no
//! expiry date for an expiry window…) is **possibly affected**, with what is missing, and is
//! never dropped: registries find 5–7 % of recorded batch numbers wrong or missing. But when
//! a detail the record does have rules it out, it is not affected, whatever else is missing.
//!
//! Lots and serials are compared trimmed and ignoring case: labels print capitals, and people
//! typing them in clinics often do not.
//!
//! Here: the scope of a notice and the match. Lots and serials, their lists and ranges (and the
//! range keys the server indexes) are in `codes`.

use serde::{Deserialize, Serialize};

use super::identifier::DeviceIdentifier;
use crate::calendar::CalendarDate;

mod codes;

pub use codes::{
    CODE_MAX, CodeKind, CodeList, CodeRange, LISTED_VALUES_MAX, check_code, normalise_code,
    range_key,
};

/// Which units of a DI a notice concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Selection {
    AllUnits,
    Lots { lots: CodeList },
    Serials { serials: CodeList },
    LotRange { range: CodeRange },
    SerialRange { range: CodeRange },
}

/// An inclusive date window; an open end reaches as far as there are dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateWindow {
    pub from: Option<CalendarDate>,
    pub to: Option<CalendarDate>,
}

impl DateWindow {
    pub fn contains(&self, date: CalendarDate) -> bool {
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
    }
}

/// The criteria for one DI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceScope {
    pub device_identifier: DeviceIdentifier,
    pub selection: Selection,
    pub manufactured: Option<DateWindow>,
    pub expiry: Option<DateWindow>,
}

/// Every DI a notice names, with its criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeScope {
    pub devices: Vec<DeviceScope>,
}

/// What the registry knows of one implanted component. The DI is the record's primary DI:
/// resolve package and previous DIs through the register first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentFacts {
    pub device_identifier: DeviceIdentifier,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<CalendarDate>,
    pub manufactured: Option<CalendarDate>,
}

choice!(
    /// What a component's record lacks to decide whether a notice concerns it.
    MissingDetail {
        Lot => ("lot", "Lot (batch) number"),
        Serial => ("serial", "Serial number"),
        ExpiryDate => ("expiry_date", "Expiry date"),
        ManufactureDate => ("manufacture_date", "Manufacture date"),
    }
);

/// Whether a notice concerns a component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum MatchOutcome {
    Affected,
    /// The record lacks these details; every criterion it can be checked against holds.
    PossiblyAffected {
        missing: Vec<MissingDetail>,
    },
    NotAffected,
}

/// One criterion, checked against what the record has.
enum Check {
    Holds,
    Fails,
    Unknown(MissingDetail),
}

fn code_check(code: &Option<String>, missing: MissingDetail, test: impl Fn(&str) -> bool) -> Check {
    match code.as_deref().map(normalise_code) {
        Some(code) if !code.is_empty() => match test(&code) {
            true => Check::Holds,
            false => Check::Fails,
        },
        _ => Check::Unknown(missing),
    }
}

fn date_check(
    window: &Option<DateWindow>,
    date: Option<CalendarDate>,
    missing: MissingDetail,
) -> Check {
    match (window, date) {
        (None, _) => Check::Holds,
        (Some(window), Some(date)) if window.contains(date) => Check::Holds,
        (Some(_), Some(_)) => Check::Fails,
        (Some(_), None) => Check::Unknown(missing),
    }
}

impl DeviceScope {
    /// This DI's criteria against one component.
    pub fn matches(&self, component: &ComponentFacts) -> MatchOutcome {
        if component.device_identifier != self.device_identifier {
            return MatchOutcome::NotAffected;
        }
        let selection = match &self.selection {
            Selection::AllUnits => Check::Holds,
            Selection::Lots { lots } => code_check(&component.lot, MissingDetail::Lot, |code| {
                lots.contains(code)
            }),
            Selection::Serials { serials } => {
                code_check(&component.serial, MissingDetail::Serial, |code| {
                    serials.contains(code)
                })
            }
            Selection::LotRange { range } => {
                code_check(&component.lot, MissingDetail::Lot, |code| {
                    range.contains(code)
                })
            }
            Selection::SerialRange { range } => {
                code_check(&component.serial, MissingDetail::Serial, |code| {
                    range.contains(code)
                })
            }
        };
        let checks = [
            selection,
            date_check(
                &self.manufactured,
                component.manufactured,
                MissingDetail::ManufactureDate,
            ),
            date_check(&self.expiry, component.expiry, MissingDetail::ExpiryDate),
        ];
        let mut missing = Vec::new();
        for check in checks {
            match check {
                Check::Fails => return MatchOutcome::NotAffected,
                Check::Unknown(detail) => missing.push(detail),
                Check::Holds => {}
            }
        }
        if missing.is_empty() {
            MatchOutcome::Affected
        } else {
            MatchOutcome::PossiblyAffected { missing }
        }
    }
}

impl NoticeScope {
    /// The DIs named, for finding candidate components before matching each.
    pub fn device_identifiers(&self) -> impl Iterator<Item = &DeviceIdentifier> {
        self.devices.iter().map(|device| &device.device_identifier)
    }
}

/// Whether the notice concerns the component: affected if any DI's criteria hold, else
/// possibly affected if any might (with everything that would decide it), else not.
pub fn match_component(scope: &NoticeScope, component: &ComponentFacts) -> MatchOutcome {
    let mut missing: Vec<MissingDetail> = Vec::new();
    for device in &scope.devices {
        match device.matches(component) {
            MatchOutcome::Affected => return MatchOutcome::Affected,
            MatchOutcome::PossiblyAffected { missing: details } => missing.extend(details),
            MatchOutcome::NotAffected => {}
        }
    }
    if missing.is_empty() {
        return MatchOutcome::NotAffected;
    }
    missing.sort();
    missing.dedup();
    MatchOutcome::PossiblyAffected { missing }
}

#[cfg(test)]
mod tests;
