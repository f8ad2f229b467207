//! What can be wrong with a scanned or typed UDI: one error per problem, with the AI and the
//! characters involved, and a message a person can act on.

use std::fmt;

use serde::{Serialize, Serializer};

use super::date::DateError;

mod message;

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
    /// A length between the minimum and maximum that the components do not allow: an
    /// optional component given in part.
    InvalidLength {
        ai: String,
        title: &'static str,
        /// In words, e.g. "6 or 12".
        allowed: String,
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
    /// A scheme GS1 does not read: not http(s), or in mixed case (`HtTpS://`).
    DigitalLinkScheme {
        scheme: String,
    },
    /// A character a URI cannot hold unescaped.
    DigitalLinkCharacter {
        character: char,
    },
    /// `//` in the part of the path that holds AIs.
    DigitalLinkEmptySegment,
    DigitalLinkTrailingSlash,
    /// A primary key not written in its canonical form: a GTIN-13 for `/01/`.
    DigitalLinkNotCanonical {
        ai: String,
        title: &'static str,
        found: String,
        canonical: String,
    },
    /// A key qualifier (`10` for `01`) given in the query instead of the path.
    DigitalLinkQualifierInQuery {
        ai: String,
        title: &'static str,
        key: String,
    },
    /// An AI given twice in a Digital Link, even with the same value.
    RepeatedAi {
        ai: String,
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
            UdiErrorKind::InvalidLength { .. } => "invalid_length",
            UdiErrorKind::InvalidCharacter { .. } => "invalid_character",
            UdiErrorKind::CheckDigit { .. } => "check_digit",
            UdiErrorKind::InvalidDate { .. } => "invalid_date",
            UdiErrorKind::InvalidContent { .. } => "invalid_content",
            UdiErrorKind::AmbiguousSeparator { .. } => "ambiguous_separator",
            UdiErrorKind::ConflictingRepeat { .. } => "conflicting_repeat",
            UdiErrorKind::ExclusiveAis { .. } => "exclusive_ais",
            UdiErrorKind::DigitalLink { .. } => "digital_link",
            UdiErrorKind::DigitalLinkScheme { .. } => "digital_link_scheme",
            UdiErrorKind::DigitalLinkCharacter { .. } => "digital_link_character",
            UdiErrorKind::DigitalLinkEmptySegment => "digital_link_empty_segment",
            UdiErrorKind::DigitalLinkTrailingSlash => "digital_link_trailing_slash",
            UdiErrorKind::DigitalLinkNotCanonical { .. } => "digital_link_not_canonical",
            UdiErrorKind::DigitalLinkQualifierInQuery { .. } => "digital_link_qualifier_in_query",
            UdiErrorKind::RepeatedAi { .. } => "repeated_ai",
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
            | UdiErrorKind::InvalidLength { ai, .. }
            | UdiErrorKind::InvalidCharacter { ai, .. }
            | UdiErrorKind::CheckDigit { ai, .. }
            | UdiErrorKind::InvalidDate { ai, .. }
            | UdiErrorKind::InvalidContent { ai, .. }
            | UdiErrorKind::AmbiguousSeparator { ai, .. }
            | UdiErrorKind::ConflictingRepeat { ai, .. }
            | UdiErrorKind::ExclusiveAis { ai, .. }
            | UdiErrorKind::DigitalLinkNotCanonical { ai, .. }
            | UdiErrorKind::DigitalLinkQualifierInQuery { ai, .. }
            | UdiErrorKind::RepeatedAi { ai } => Some(ai),
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
