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
//! ## Ranges
//!
//! A lot or serial is read as *prefix*, *number*, *suffix*: the number is its last run of
//! digits, the prefix what comes before it, the suffix what comes after (`LOT-A1000B` is
//! `LOT-A`, 1000, `B`). A range's first and last must have a number and the same prefix; it
//! holds the codes with that prefix whose (number, suffix) lies between the bounds', numbers
//! compared by value (so `A999` comes before `A1000`, and leading zeros do not matter) and
//! suffixes alphabetically. Codes of another shape are outside every range.
//!
//! This order is that of `range_key`'s text: prefix, `~`, the count of significant digits as
//! two digits, the digits, `~`, suffix (`A1000` → `A~041000~`, `A999` → `A~03999~`). Since the
//! bounds share the prefix and `~` (which no valid lot or serial contains) ends it, a key lies
//! between the bounds' keys exactly when the code is in the range. So the server can store
//! `range_key(lot)` in an indexed column and find a range's components with
//! `lot_key BETWEEN first_key AND last_key`, compared bytewise (`COLLATE "C"` in PostgreSQL,
//! SQLite's default); `DeviceScope::matches` compares the same keys.

use serde::{Deserialize, Serialize};

use super::identifier::DeviceIdentifier;
use crate::calendar::CalendarDate;

/// GS1 AI 10 (lot) and 21 (serial) hold at most 20 characters.
pub const CODE_MAX: usize = 20;
/// Values one DI's list may hold.
pub const LISTED_VALUES_MAX: usize = 10_000;

/// The GS1 AI encodable character set 82, which lots and serials use (HIBC's are a subset).
const CODE_CHARACTERS: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// Separates a range key's parts: not a character of valid lots or serials.
const KEY_SEPARATOR: char = '~';

/// A lot or serial as compared: trimmed, capitals.
pub fn normalise_code(text: &str) -> String {
    text.trim().to_ascii_uppercase()
}

/// A lot or serial split at its last run of digits.
struct CodeShape<'a> {
    prefix: &'a str,
    /// Without leading zeros.
    digits: &'a str,
    suffix: &'a str,
}

fn shape(code: &str) -> Option<CodeShape<'_>> {
    let end = code.rfind(|c: char| c.is_ascii_digit())? + 1;
    let start = code[..end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map_or(0, |(index, _)| index);
    Some(CodeShape {
        prefix: &code[..start],
        digits: code[start..end].trim_start_matches('0'),
        suffix: &code[end..],
    })
}

/// The order-preserving key of a lot or serial for range queries (see the module's
/// documentation): `a1000` → `A~041000~`.
pub fn range_key(text: &str) -> String {
    let code = normalise_code(text);
    match shape(&code) {
        // Lots are at most 20 characters, so 99 digits is never reached by a range's bounds;
        // capping keeps longer (invalid) codes outside every range.
        Some(CodeShape {
            prefix,
            digits,
            suffix,
        }) => format!(
            "{prefix}{KEY_SEPARATOR}{:02}{digits}{KEY_SEPARATOR}{suffix}",
            digits.len().min(99)
        ),
        None => format!("{code}{KEY_SEPARATOR}"),
    }
}

/// Lot or serial, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    Lot,
    Serial,
}

impl CodeKind {
    pub fn noun(self) -> &'static str {
        match self {
            Self::Lot => "lot",
            Self::Serial => "serial number",
        }
    }
}

/// A lot or serial typed for a notice, normalised, or what is wrong with it.
pub fn check_code(text: &str, kind: CodeKind) -> Result<String, String> {
    let code = normalise_code(text);
    let noun = kind.noun();
    if code.is_empty() {
        return Err(format!("Enter the {noun}"));
    }
    if let Some(bad) = code.chars().find(|c| !CODE_CHARACTERS.contains(*c)) {
        return Err(format!(
            "'{}' cannot be in a {noun}: GS1 lots and serials use letters, digits and ! \" % & ' ( ) * + , - . / : ; < = > ? _",
            bad.escape_default()
        ));
    }
    let length = code.chars().count();
    if length > CODE_MAX {
        return Err(format!(
            "A {noun} is at most {CODE_MAX} characters; {code} has {length}"
        ));
    }
    Ok(code)
}

/// An inclusive range of lots or serials with the same prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RangeBounds")]
pub struct CodeRange {
    first: String,
    last: String,
}

/// A range as stored, checked again when read back.
#[derive(Deserialize)]
struct RangeBounds {
    first: String,
    last: String,
}

impl TryFrom<RangeBounds> for CodeRange {
    type Error = String;

    fn try_from(bounds: RangeBounds) -> Result<Self, Self::Error> {
        // Lots and serials follow the same rules; only the messages' noun differs.
        Self::new(&bounds.first, &bounds.last, CodeKind::Lot)
    }
}

impl CodeRange {
    /// Both ends checked as codes, with a number and the same prefix, first not after last.
    pub fn new(first: &str, last: &str, kind: CodeKind) -> Result<Self, String> {
        let noun = kind.noun();
        let (first, last) = (check_code(first, kind)?, check_code(last, kind)?);
        let (Some(first_shape), Some(last_shape)) = (shape(&first), shape(&last)) else {
            return Err(format!(
                "A range of {noun}s needs a number in its first and last {noun} (like A1000 to A1999): list {noun}s without numbers one by one"
            ));
        };
        if first_shape.prefix != last_shape.prefix {
            return Err(format!(
                "The first and last {noun} of a range must start the same way before their number: {first} and {last} do not. Enter two ranges, or list the {noun}s"
            ));
        }
        if range_key(&first) > range_key(&last) {
            return Err(format!(
                "The first {noun} of the range ({first}) comes after the last ({last}): swap them"
            ));
        }
        Ok(Self { first, last })
    }

    pub fn first(&self) -> &str {
        &self.first
    }

    pub fn last(&self) -> &str {
        &self.last
    }

    /// The keys to compare `range_key` of stored codes with (inclusive).
    pub fn keys(&self) -> (String, String) {
        (range_key(&self.first), range_key(&self.last))
    }

    pub fn contains(&self, code: &str) -> bool {
        let (first, last) = self.keys();
        let key = range_key(code);
        first <= key && key <= last
    }
}

/// Listed lots or serials: normalised, sorted, without repeats, however they were given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct CodeList(Vec<String>);

impl From<Vec<String>> for CodeList {
    fn from(codes: Vec<String>) -> Self {
        let mut codes: Vec<String> = codes.iter().map(|code| normalise_code(code)).collect();
        codes.sort();
        codes.dedup();
        Self(codes)
    }
}

impl From<CodeList> for Vec<String> {
    fn from(list: CodeList) -> Self {
        list.0
    }
}

impl CodeList {
    pub fn contains(&self, code: &str) -> bool {
        self.0.binary_search(&normalise_code(code)).is_ok()
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

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
