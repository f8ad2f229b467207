//! What each error says to the person who scanned or typed the UDI: which field, where, why,
//! and what to do about it.

use std::fmt;

use super::{UdiError, UdiErrorKind};
use crate::udi::wedge::SINGLE_CHARACTER_SUBSTITUTES;

/// "the expiry date (AI 17)" style naming, from the GS1 title.
fn field(ai: &str, title: &str) -> String {
    format!("{} (AI {ai})", field_name(ai, title))
}

/// What people call the field of `ai`: "expiry date".
fn field_name(ai: &str, title: &str) -> String {
    match ai {
        "01" => "GTIN".to_string(),
        "10" => "lot number".to_string(),
        "11" => "manufacture date".to_string(),
        "17" => "expiry date".to_string(),
        "21" => "serial number".to_string(),
        "7003" => "expiry date and time".to_string(),
        "8012" => "software version".to_string(),
        _ if title.is_empty() => "value".to_string(),
        _ => title.to_lowercase(),
    }
}

impl fmt::Display for UdiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use UdiErrorKind::*;
        match &self.kind {
            Empty => write!(
                f,
                "Scan a barcode or type its text: there is nothing to read yet"
            )?,
            Unrecognised => write!(
                f,
                "This is not a UDI format we recognise. A GS1 UDI starts with an AI such as 01 or (01), or is a https:// Digital Link; an HIBC UDI starts with +; an ISBT 128 code starts with = or &"
            )?,
            UnknownAi { ai } => write!(
                f,
                "{ai} is not a GS1 Application Identifier, so the data after it cannot be read. Check the barcode text, or whether a separator was lost before it"
            )?,
            IncompleteAi => write!(
                f,
                "The data ends in the middle of an Application Identifier"
            )?,
            MissingValue { ai, title } => write!(f, "The {} has no value", field(ai, title))?,
            TooShort {
                ai,
                title,
                minimum,
                found,
            } => write!(
                f,
                "The {} must be {minimum} characters long, but has {found}",
                field(ai, title)
            )?,
            TooLong {
                ai,
                title,
                maximum,
                found,
            } => write!(
                f,
                "The {} can be at most {maximum} characters long, but has {found}. A separator may be missing after it",
                field(ai, title)
            )?,
            InvalidLength {
                ai,
                title,
                allowed,
                found,
            } => write!(
                f,
                "The {} must be {allowed} characters long, but has {found}: an optional part is given whole or not at all",
                field(ai, title)
            )?,
            InvalidCharacter {
                ai,
                title,
                character,
                allowed,
            } => {
                write!(
                    f,
                    "The {} contains '{}', which is not allowed: it may contain {allowed}",
                    field(ai, title),
                    character.escape_default()
                )?;
                if SINGLE_CHARACTER_SUBSTITUTES.contains(character) {
                    write!(
                        f,
                        ". If the scanner sends '{character}' for the group separator, add '{character}' to its scanner profile"
                    )?;
                }
            }
            CheckDigit {
                ai,
                title,
                expected,
                found,
            } => {
                let noun = if expected.len() > 1 {
                    "check characters"
                } else {
                    "check digit"
                };
                // Said in plain words first; the AI, for whoever reads the label's code,
                // comes last with the position.
                let name = field_name(ai, title);
                write!(
                    f,
                    "The {name} {noun} should be {expected}, not {found}: a character was probably misread or mistyped (AI {ai}"
                )?;
                if let Some(span) = self.span {
                    write!(f, ", {span}")?;
                }
                return write!(f, ")");
            }
            InvalidDate { ai, title, problem } => {
                write!(f, "The {} is not a real date: {problem}", field(ai, title))?
            }
            InvalidContent { ai, title, problem } => {
                write!(f, "The {} is not valid: {problem}", field(ai, title))?
            }
            AmbiguousSeparator {
                ai,
                title,
                readings,
            } => write!(
                f,
                "The separator after the {} seems to have been lost by the scanner, so the data can be read in {} ways. Choose the reading that matches the label",
                field(ai, title),
                readings.len()
            )?,
            ConflictingRepeat { ai, first, second } => write!(
                f,
                "AI {ai} appears twice with different values ({first} and {second}): check the label"
            )?,
            ExclusiveAis { ai, other } => write!(
                f,
                "AI {ai} and AI {other} must not appear together in one UDI"
            )?,
            DigitalLink { problem } => write!(f, "This GS1 Digital Link is not valid: {problem}")?,
            DigitalLinkScheme { scheme }
                if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") =>
            {
                write!(
                    f,
                    "This GS1 Digital Link starts with '{scheme}://', which mixes capital and small letters: GS1 reads only https://, HTTPS://, http:// or HTTP://"
                )?
            }
            DigitalLinkScheme { scheme } => write!(
                f,
                "'{scheme}://' does not start a GS1 Digital Link: one starts with https:// or http://"
            )?,
            DigitalLinkCharacter { character } => write!(
                f,
                "A GS1 Digital Link cannot hold '{}' as it is: it must be percent-encoded (%XX)",
                character.escape_default()
            )?,
            DigitalLinkEmptySegment => write!(
                f,
                "This GS1 Digital Link has an empty path segment ('//'): each AI and each value is written between single slashes"
            )?,
            DigitalLinkTrailingSlash => write!(
                f,
                "This GS1 Digital Link ends with '/': nothing may follow the last value, remove the slash"
            )?,
            DigitalLinkNotCanonical {
                ai,
                title,
                found,
                canonical,
            } => write!(
                f,
                "In a GS1 Digital Link path the {} is written with all {} digits: {canonical}, not {found}",
                field(ai, title),
                canonical.len()
            )?,
            DigitalLinkQualifierInQuery { ai, title, key } => write!(
                f,
                "The {} qualifies AI {key}, so it belongs in the Digital Link's path (/{key}/…/{ai}/…), not in its query",
                field(ai, title)
            )?,
            RepeatedAi { ai } => write!(
                f,
                "AI {ai} appears more than once in this GS1 Digital Link: each AI may appear only once, even with the same value"
            )?,
            Hibc { problem } => write!(f, "This HIBC code is not valid: {problem}")?,
            HibcCheckCharacter { expected, found } => write!(
                f,
                "The HIBC check character should be '{expected}', not '{found}': a character was probably misread or mistyped"
            )?,
            HibcLowerCase => write!(
                f,
                "HIBC codes use capital letters only. If you typed this, check Caps Lock; if a scanner sent it, check its keyboard settings"
            )?,
            Isbt128 { problem } => write!(f, "This ISBT 128 code is not valid: {problem}")?,
        }
        if let Some(span) = self.span {
            write!(f, " ({span})")?;
        }
        Ok(())
    }
}
