//! Lots and serials as a safety notice names them: checked, compared trimmed and ignoring
//! case, in lists, and in ranges.
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
