//! What can be wrong with a scanned or typed UDI: one error per problem, with the AI and the
//! characters involved, and a message a person can act on.

use std::fmt;

use serde::{Serialize, Serializer};

use super::date::DateError;

/// Characters of the input, counted from 1 as a person counts them, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "character {}", self.start)
        } else {
            write!(f, "characters {}–{}", self.start, self.end)
        }
    }
}

/// One way to read an input whose separators were lost: the elements, and the input
/// rewritten with explicit separators so that choosing it is unambiguous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// `(AI, value)` pairs in order.
    pub elements: Vec<(String, String)>,
    /// The same reading in GS1 human-readable form, e.g. `(01)09506000134352(10)AB12`.
    pub human_readable: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UdiErrorKind {
    Empty,
    Unrecognised,
    UnknownAi {
        ai: String,
    },
    IncompleteAi,
    MissingValue {
        ai: String,
        title: &'static str,
    },
    TooShort {
        ai: String,
        title: &'static str,
        minimum: usize,
        found: usize,
    },
    TooLong {
        ai: String,
        title: &'static str,
        maximum: usize,
        found: usize,
    },
    InvalidCharacter {
        ai: String,
        title: &'static str,
        character: char,
        allowed: &'static str,
    },
    CheckDigit {
        ai: String,
        title: &'static str,
        expected: String,
        found: String,
    },
    InvalidDate {
        ai: String,
        title: &'static str,
        problem: DateError,
    },
    InvalidContent {
        ai: String,
        title: &'static str,
        problem: String,
    },
    /// A variable-length field was not ended by a separator and the data can be read in more
    /// than one way. Never guessed: the person chooses.
    AmbiguousSeparator {
        ai: String,
        title: &'static str,
        readings: Vec<Reading>,
    },
    ConflictingRepeat {
        ai: String,
        first: String,
        second: String,
    },
    ExclusiveAis {
        ai: String,
        other: String,
    },
    DigitalLink {
        problem: String,
    },
    Hibc {
        problem: String,
    },
    HibcCheckCharacter {
        expected: char,
        found: char,
    },
    HibcLowerCase,
    Isbt128 {
        problem: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdiError {
    pub kind: UdiErrorKind,
    /// Where in the input (as given, before any clean-up) the problem is.
    pub span: Option<Span>,
}

impl UdiError {
    pub fn new(kind: UdiErrorKind, span: Option<Span>) -> Self {
        Self { kind, span }
    }

    /// A short stable code for programs (the REST API's `code`).
    pub fn code(&self) -> &'static str {
        match &self.kind {
            UdiErrorKind::Empty => "empty",
            UdiErrorKind::Unrecognised => "unrecognised",
            UdiErrorKind::UnknownAi { .. } => "unknown_ai",
            UdiErrorKind::IncompleteAi => "incomplete_ai",
            UdiErrorKind::MissingValue { .. } => "missing_value",
            UdiErrorKind::TooShort { .. } => "too_short",
            UdiErrorKind::TooLong { .. } => "too_long",
            UdiErrorKind::InvalidCharacter { .. } => "invalid_character",
            UdiErrorKind::CheckDigit { .. } => "check_digit",
            UdiErrorKind::InvalidDate { .. } => "invalid_date",
            UdiErrorKind::InvalidContent { .. } => "invalid_content",
            UdiErrorKind::AmbiguousSeparator { .. } => "ambiguous_separator",
            UdiErrorKind::ConflictingRepeat { .. } => "conflicting_repeat",
            UdiErrorKind::ExclusiveAis { .. } => "exclusive_ais",
            UdiErrorKind::DigitalLink { .. } => "digital_link",
            UdiErrorKind::Hibc { .. } => "hibc",
            UdiErrorKind::HibcCheckCharacter { .. } => "hibc_check_character",
            UdiErrorKind::HibcLowerCase => "hibc_lower_case",
            UdiErrorKind::Isbt128 { .. } => "isbt128",
        }
    }

    /// The AI involved, if any.
    pub fn ai(&self) -> Option<&str> {
        match &self.kind {
            UdiErrorKind::UnknownAi { ai }
            | UdiErrorKind::MissingValue { ai, .. }
            | UdiErrorKind::TooShort { ai, .. }
            | UdiErrorKind::TooLong { ai, .. }
            | UdiErrorKind::InvalidCharacter { ai, .. }
            | UdiErrorKind::CheckDigit { ai, .. }
            | UdiErrorKind::InvalidDate { ai, .. }
            | UdiErrorKind::InvalidContent { ai, .. }
            | UdiErrorKind::AmbiguousSeparator { ai, .. }
            | UdiErrorKind::ConflictingRepeat { ai, .. }
            | UdiErrorKind::ExclusiveAis { ai, .. } => Some(ai),
            _ => None,
        }
    }

    /// The candidate readings of an ambiguous input.
    pub fn readings(&self) -> &[Reading] {
        match &self.kind {
            UdiErrorKind::AmbiguousSeparator { readings, .. } => readings,
            _ => &[],
        }
    }
}

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
            InvalidCharacter {
                ai,
                title,
                character,
                allowed,
            } => write!(
                f,
                "The {} contains '{}', which is not allowed: it may contain {allowed}",
                field(ai, title),
                character.escape_default()
            )?,
            CheckDigit {
                ai,
                title,
                expected,
                found,
            } => {
                // Said in plain words first; the AI, for whoever reads the label's code,
                // comes last with the position.
                let noun = if expected.len() > 1 {
                    "check characters"
                } else {
                    "check digit"
                };
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

impl std::error::Error for UdiError {}

impl Serialize for UdiError {
    /// `{"code", "message", "ai", "start", "end", "readings"}`: what the REST API answers.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("UdiError", 6)?;
        state.serialize_field("code", self.code())?;
        state.serialize_field("message", &self.to_string())?;
        state.serialize_field("ai", &self.ai())?;
        state.serialize_field("start", &self.span.map(|span| span.start))?;
        state.serialize_field("end", &self.span.map(|span| span.end))?;
        state.serialize_field("readings", self.readings())?;
        state.end()
    }
}

/// All the problems found in one input (never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct UdiErrors(pub Vec<UdiError>);

impl UdiErrors {
    pub fn one(error: UdiError) -> Self {
        Self(vec![error])
    }

    pub fn iter(&self) -> impl Iterator<Item = &UdiError> {
        self.0.iter()
    }

    pub fn first(&self) -> &UdiError {
        &self.0[0]
    }
}

impl fmt::Display for UdiErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&messages.join("; "))
    }
}

impl std::error::Error for UdiErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_reads_as_asked() {
        let error = UdiError::new(
            UdiErrorKind::CheckDigit {
                ai: "01".into(),
                title: "GTIN",
                expected: "3".into(),
                found: "0".into(),
            },
            Some(Span { start: 3, end: 16 }),
        );
        assert_eq!(
            error.to_string(),
            "The GTIN check digit should be 3, not 0: a character was probably misread or mistyped (AI 01, characters 3–16)"
        );
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "check_digit");
        assert_eq!(json["ai"], "01");
        assert_eq!(json["start"], 3);
        assert_eq!(json["end"], 16);
    }
}
