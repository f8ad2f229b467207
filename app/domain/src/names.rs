//! Names people type that other people later read: a person's name (in emails, on pages, in
//! the audit trail) and an organisation's or site's name.
//!
//! Both end up inside messages the registry sends, so they must not be able to carry a
//! message of their own: no control characters (a newline would start a new paragraph of a
//! forged email, or a forged log line), no web addresses, no phone numbers in a person's name.

use std::fmt;

use serde::{Deserialize, Serialize};

pub const MAX_PERSON_NAME: usize = 100;
pub const MAX_ORGANISATION_NAME: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    #[error("Enter a name")]
    Missing,
    #[error("The name must be {max} characters or fewer: this one has {length}")]
    TooLong { max: usize, length: usize },
    #[error(
        "A name can only use letters, spaces, hyphens, apostrophes, full stops and commas: remove \u{201c}{0}\u{201d}"
    )]
    CharacterNotAllowed(String),
    #[error(
        "A name cannot contain a web address. If a full stop is part of the name, put a space after it"
    )]
    LooksLikeAddress,
    #[error("A name must have at least one letter")]
    NoLetters,
}

/// Collapses runs of spaces and trims; refuses control characters whatever else is allowed.
fn tidy(text: &str, max: usize) -> Result<String, NameProblem> {
    if let Some(control) = text.chars().find(|c| c.is_control() && *c != ' ') {
        return Err(NameProblem::CharacterNotAllowed(
            control.escape_default().to_string(),
        ));
    }
    let tidied = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidied.is_empty() {
        return Err(NameProblem::Missing);
    }
    let length = tidied.chars().count();
    if length > max {
        return Err(NameProblem::TooLong { max, length });
    }
    if !tidied.chars().any(char::is_alphabetic) {
        return Err(NameProblem::NoLetters);
    }
    Ok(tidied)
}

/// "evil.example" or "www.x": a full stop directly followed by two letters, or a scheme.
fn looks_like_address(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.contains("://") || lower.contains("www.") {
        return true;
    }
    let chars: Vec<char> = lower.chars().collect();
    chars
        .windows(3)
        .any(|window| window[0] == '.' && window[1].is_alphabetic() && window[2].is_alphabetic())
}

/// Combining accents (for names typed in decomposed form).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}')
}

/// A name tidied by [`tidy`], each character allowed by `allowed`, and not a web address.
fn checked(text: &str, max: usize, allowed: impl Fn(char) -> bool) -> Result<String, NameProblem> {
    let name = tidy(text, max)?;
    if let Some(other) = name.chars().find(|c| !allowed(*c)) {
        return Err(NameProblem::CharacterNotAllowed(other.to_string()));
    }
    if looks_like_address(&name) {
        return Err(NameProblem::LooksLikeAddress);
    }
    Ok(name)
}

/// What both names are besides their rules: read as text, stored and sent as a string, and
/// read back through `parse` (so a stored or sent name is checked again).
macro_rules! name_text {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = NameProblem;

            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> Self {
                name.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// A person's name as they want to be addressed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(text: &str) -> Result<Self, NameProblem> {
        checked(text, MAX_PERSON_NAME, |c| {
            c.is_alphabetic()
                || is_combining_mark(c)
                || matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '.' | ',')
        })
        .map(Self)
    }
}

name_text!(PersonName);

/// The name of an organisation or one of its sites: digits and a little punctuation are part
/// of such names ("St Mary's Day Unit 2", "Smith & Jones (Leeds)").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationName(String);

impl OrganisationName {
    pub fn parse(text: &str) -> Result<Self, NameProblem> {
        checked(text, MAX_ORGANISATION_NAME, |c| {
            c.is_alphanumeric()
                || is_combining_mark(c)
                || matches!(
                    c,
                    ' ' | '-' | '\'' | '\u{2019}' | '.' | ',' | '&' | '(' | ')' | '/'
                )
        })
        .map(Self)
    }
}

name_text!(OrganisationName);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_names_are_kept_tidied() {
        for name in [
            "Ada Lovelace",
            "Siân O'Neill-Jones",
            "J. R. R. Tolkien",
            "Zoë Ní Bhriain",
            "Łukasz Wiśniewski",
            "Dr Demo Clinician",
        ] {
            assert_eq!(PersonName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(
            PersonName::parse("  Ada   Lovelace ").unwrap().as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn names_cannot_carry_a_message_of_their_own() {
        assert_eq!(
            PersonName::parse("Ada\nURGENT: your account is closed"),
            Err(NameProblem::CharacterNotAllowed("\\n".into()))
        );
        assert_eq!(
            PersonName::parse("Ada call 0800 123"),
            Err(NameProblem::CharacterNotAllowed("0".into()))
        );
        assert_eq!(
            PersonName::parse("Ada https//evil"),
            Err(NameProblem::CharacterNotAllowed("/".into()))
        );
        assert_eq!(
            PersonName::parse("Visit evil.example now"),
            Err(NameProblem::LooksLikeAddress)
        );
        assert_eq!(PersonName::parse("   "), Err(NameProblem::Missing));
        assert_eq!(PersonName::parse("- -"), Err(NameProblem::NoLetters));
        assert_eq!(
            PersonName::parse(&"a".repeat(101)),
            Err(NameProblem::TooLong {
                max: 100,
                length: 101
            })
        );
    }

    #[test]
    fn organisation_names_allow_digits_and_brackets_but_no_addresses() {
        for name in [
            "Riverside Implant Clinic (demo)",
            "St Mary's Day Unit 2",
            "Smith & Jones / Leeds",
        ] {
            assert_eq!(OrganisationName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(
            OrganisationName::parse("Clinic www.evil.example"),
            Err(NameProblem::LooksLikeAddress)
        );
        assert_eq!(
            OrganisationName::parse("Clinic\r\nBcc: x"),
            Err(NameProblem::CharacterNotAllowed("\\r".into()))
        );
        assert!(matches!(
            OrganisationName::parse("Clinic <b>"),
            Err(NameProblem::CharacterNotAllowed(_))
        ));
    }
}
