//! The device identifier (UDI-DI) as the register keys it, normalised the way GUDID stores it:
//! GS1 GTINs as 14 digits, HIBCC DIs as labeler + product + unit of measure without the `+`
//! and without the check character, ICCBBA DIs as their 10 or 16 characters.
//!
//! The normalised text alone identifies a device: GS1 DIs are all digits, while HIBCC labeler
//! codes and ICCBBA facility identification numbers start with a letter. So the identifier is
//! stored and serialised as its text, and the issuing agency travels beside it (in
//! `DeviceEntry`), as in GUDID.
//!
//! HIBCC and check characters: GUDID lists HIBCC DIs *without* the check character
//! (`A123BJC51`), but a scanned HIBC primary is `+`, the DI, then a modulo-43 check character
//! (`+A123BJC51J`). Without the `+` the two cannot be told apart when the check character
//! happens to be a digit (`A123BJC517` could be product `BJC51`, unit 7), so text without a
//! `+` is always taken as the DI itself, and the check character is verified and removed only
//! when the text starts with `+` (`DeviceIdentifier::from_hibc_barcode`, which `parse` uses
//! for such text).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::device::AGENCIES;
use super::fields::FormReader;
use crate::udi::IssuingAgency;
use crate::udi::gtin::{Gtin, GtinError};
use crate::udi::hibcc::{self, HibcPrimary};

/// HIBCC DIs in GUDID: labeler code (4) + product (1–18) + unit of measure (1).
pub const HIBCC_LENGTHS: std::ops::RangeInclusive<usize> = 6..=23;
/// ICCBBA DIs in GUDID are 10 or 16 characters.
pub const ICCBBA_LENGTHS: [usize; 2] = [10, 16];

/// A valid, normalised UDI-DI.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceIdentifier(String);

/// What is wrong with a typed or imported device identifier, said so a person can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceIdentifierError {
    #[error("Enter the device identifier (UDI-DI) from the label or from GUDID")]
    Empty,
    #[error(
        "{problem}. A GS1 device identifier is the GTIN: 8, 12, 13 or 14 digits, as printed after (01) on the label{hint}"
    )]
    Gtin { problem: String, hint: &'static str },
    #[error("An {agency} device identifier has {expected}; this has {found}")]
    Length {
        agency: &'static str,
        expected: &'static str,
        found: usize,
    },
    #[error(
        "'{character}' (character {position}) cannot be in an {agency} device identifier: use capital letters A–Z and digits 0–9 only"
    )]
    Character {
        agency: &'static str,
        character: char,
        position: usize,
    },
    #[error(
        "An {agency} device identifier starts with a letter ({what}); this starts with '{found}'"
    )]
    FirstNotLetter {
        agency: &'static str,
        what: &'static str,
        found: char,
    },
    #[error(
        "An HIBCC device identifier ends with the unit-of-measure digit (0–9), not '{found}'. If you copied it from a barcode it may end with the check character: scan the barcode, or type it with its leading '+' so the check character is verified and removed"
    )]
    UnitOfMeasure { found: char },
    #[error("This HIBC barcode text cannot be read: {problem}")]
    HibcBarcode { problem: String },
    #[error(
        "This HIBC barcode holds only production data (lot, serial, dates): scan the label's primary barcode, which starts with '+' and a letter"
    )]
    HibcWithoutPrimary,
    #[error(
        "Enter the ICCBBA device identifier without the '{found}' that starts an ISBT 128 data structure"
    )]
    IccbbaDataIdentifier { found: char },
    #[error(
        "'{text}' is not a device identifier of any agency: GS1 DIs are 8 to 14 digits, HIBCC and ICCBBA DIs are 6 to 23 capital letters and digits starting with a letter"
    )]
    Unrecognised { text: String },
}

impl DeviceIdentifier {
    /// Parses and normalises a DI issued by `agency`. Surrounding spaces are ignored, spaces
    /// inside a GTIN too (people type it in groups), and HIBCC / ICCBBA letters are
    /// capitalised (both alphabets are upper case only, so nothing is lost).
    pub fn parse(agency: IssuingAgency, text: &str) -> Result<Self, DeviceIdentifierError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DeviceIdentifierError::Empty);
        }
        match agency {
            IssuingAgency::Gs1 => parse_gtin(text),
            IssuingAgency::Hibcc if text.starts_with('+') => Self::from_hibc_barcode(text),
            IssuingAgency::Hibcc => parse_hibcc(&text.to_ascii_uppercase()),
            IssuingAgency::Iccbba => parse_iccbba(&text.to_ascii_uppercase()),
        }
    }

    /// The DI of scanned HIBC text (`+A123BJC51J`, possibly with secondary data after `/`):
    /// the check character is verified by the modulo-43 rule and removed, with the `+`.
    pub fn from_hibc_barcode(text: &str) -> Result<Self, DeviceIdentifierError> {
        // The reference year only expands two-digit years of secondary data; the DI does not
        // depend on it.
        let parsed = hibcc::parse(text.trim(), 2000).map_err(|errors| {
            DeviceIdentifierError::HibcBarcode {
                problem: errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        })?;
        let primary = parsed
            .primary
            .ok_or(DeviceIdentifierError::HibcWithoutPrimary)?;
        Self::from_hibc_primary(&primary)
    }

    /// The DI of an HIBC primary the UDI engine has read.
    pub fn from_hibc_primary(primary: &HibcPrimary) -> Result<Self, DeviceIdentifierError> {
        parse_hibcc(&primary.device_identifier())
    }

    /// The DI of a GTIN the UDI engine has read.
    pub fn from_gtin(gtin: Gtin) -> Self {
        Self(gtin.to_gtin14())
    }

    /// Checks text already normalised by `parse` (from the database, or serialised), when the
    /// agency is not at hand: all digits must be a GTIN with a valid check digit; anything else
    /// must be 6 to 23 capital letters and digits starting with a letter (HIBCC or ICCBBA).
    pub fn parse_stored(text: &str) -> Result<Self, DeviceIdentifierError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DeviceIdentifierError::Empty);
        }
        if text.bytes().all(|byte| byte.is_ascii_digit()) {
            return parse_gtin(text);
        }
        parse_hibcc_or_iccbba_shape(text).ok_or_else(|| DeviceIdentifierError::Unrecognised {
            text: text.chars().take(40).collect(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The agency when the text alone tells it: all digits can only be GS1.
    pub fn evident_agency(&self) -> Option<IssuingAgency> {
        self.0
            .bytes()
            .all(|byte| byte.is_ascii_digit())
            .then_some(IssuingAgency::Gs1)
    }
}

fn parse_gtin(text: &str) -> Result<DeviceIdentifier, DeviceIdentifierError> {
    let digits: String = text.chars().filter(|c| *c != ' ').collect();
    // Copied from human-readable text: "(01)" is the AI, not part of the GTIN.
    let digits = digits.strip_prefix("(01)").unwrap_or(&digits);
    let hint = if digits.len() == 16 && digits.starts_with("01") {
        ". If it starts with the AI 01, enter only the 14 digits after it"
    } else {
        ""
    };
    Gtin::parse(digits)
        .map(DeviceIdentifier::from_gtin)
        .map_err(|error| DeviceIdentifierError::Gtin {
            problem: capitalised(&gtin_problem(&error)),
            hint,
        })
}

fn gtin_problem(error: &GtinError) -> String {
    match error {
        GtinError::CheckDigit { expected, found } => format!(
            "the last digit (the check digit) should be {expected}, not {found}: a digit is probably mistyped"
        ),
        other => other.to_string(),
    }
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(characters).collect()
    })
}

/// Capital letters and digits only, with the position of the first other character.
fn check_characters(text: &str, agency: &'static str) -> Result<(), DeviceIdentifierError> {
    match text
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
    {
        Some((index, character)) => Err(DeviceIdentifierError::Character {
            agency,
            character,
            position: index + 1,
        }),
        None => Ok(()),
    }
}

fn parse_hibcc(text: &str) -> Result<DeviceIdentifier, DeviceIdentifierError> {
    let agency = "HIBCC";
    let length = text.chars().count();
    if !HIBCC_LENGTHS.contains(&length) {
        return Err(DeviceIdentifierError::Length {
            agency,
            expected: "6 to 23 characters: the 4-character labeler code, the product number and the unit-of-measure digit, without the '+' and the check character",
            found: length,
        });
    }
    check_characters(text, agency)?;
    let first = text.chars().next().unwrap_or(' ');
    if !first.is_ascii_alphabetic() {
        return Err(DeviceIdentifierError::FirstNotLetter {
            agency,
            what: "the labeler code's first character",
            found: first,
        });
    }
    let last = text.chars().last().unwrap_or(' ');
    if !last.is_ascii_digit() {
        return Err(DeviceIdentifierError::UnitOfMeasure { found: last });
    }
    Ok(DeviceIdentifier(text.to_string()))
}

fn parse_iccbba(text: &str) -> Result<DeviceIdentifier, DeviceIdentifierError> {
    let agency = "ICCBBA";
    if let Some(found) = text.chars().next().filter(|c| matches!(c, '=' | '&')) {
        return Err(DeviceIdentifierError::IccbbaDataIdentifier { found });
    }
    let length = text.chars().count();
    if !ICCBBA_LENGTHS.contains(&length) {
        return Err(DeviceIdentifierError::Length {
            agency,
            expected: "10 or 16 characters",
            found: length,
        });
    }
    check_characters(text, agency)?;
    let first = text.chars().next().unwrap_or(' ');
    if !first.is_ascii_alphabetic() {
        return Err(DeviceIdentifierError::FirstNotLetter {
            agency,
            what: "the facility identification number's first character",
            found: first,
        });
    }
    Ok(DeviceIdentifier(text.to_string()))
}

fn parse_hibcc_or_iccbba_shape(text: &str) -> Option<DeviceIdentifier> {
    let shaped = HIBCC_LENGTHS.contains(&text.len())
        && text.starts_with(|c: char| c.is_ascii_uppercase())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit());
    shaped.then(|| DeviceIdentifier(text.to_string()))
}

impl fmt::Display for DeviceIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DeviceIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceIdentifier({})", self.0)
    }
}

impl AsRef<str> for DeviceIdentifier {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for DeviceIdentifier {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DeviceIdentifier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse_stored(&text).map_err(serde::de::Error::custom)
    }
}

/// Reads a form's issuing agency and device identifier (the register's device form, a
/// notice's device): each problem said about its own field, the identifier checked against
/// the agency chosen.
pub fn read_agency_and_identifier(
    form: &mut FormReader,
    agency_field: &str,
    identifier_field: &str,
    agency: &str,
    identifier: &str,
) -> (Option<IssuingAgency>, Option<DeviceIdentifier>) {
    let agency = form.choice(
        agency_field,
        "Issuing agency",
        agency,
        true,
        &AGENCIES,
        IssuingAgency::name,
    );
    let device_identifier = match agency {
        Some(agency) => DeviceIdentifier::parse(agency, identifier)
            .map_err(|error| form.push(identifier_field, error.to_string()))
            .ok(),
        None if identifier.trim().is_empty() => {
            form.push(identifier_field, "Enter the device identifier (UDI-DI)");
            None
        }
        None => None,
    };
    (agency, device_identifier)
}

#[cfg(test)]
mod tests;
