//! The responsible consultant's General Medical Council (GMC) reference number.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A GMC reference number: exactly 7 digits. Serialised as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GmcNumber(String);

/// Why some text is not a GMC number, worded for the person who typed it: what is wrong with
/// what they entered, not only what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidGmcNumber {
    #[error("Enter the consultant's GMC number: 7 digits")]
    Missing,
    #[error("The GMC number must be 7 digits, numbers only: '{0}' is not a number")]
    NotADigit(char),
    #[error("The GMC number must be 7 digits \u{2014} you entered {0}")]
    WrongLength(usize),
}

impl GmcNumber {
    /// Exactly 7 ASCII digits, nothing around them (the form trims what was typed).
    pub fn parse(text: &str) -> Result<Self, InvalidGmcNumber> {
        if text.is_empty() {
            return Err(InvalidGmcNumber::Missing);
        }
        if let Some(other) = text.chars().find(|c| !c.is_ascii_digit()) {
            return Err(InvalidGmcNumber::NotADigit(other));
        }
        match text.len() {
            7 => Ok(Self(text.to_string())),
            length => Err(InvalidGmcNumber::WrongLength(length)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GmcNumber {
    type Error = InvalidGmcNumber;

    fn try_from(text: String) -> Result<Self, InvalidGmcNumber> {
        Self::parse(&text)
    }
}

impl From<GmcNumber> for String {
    fn from(number: GmcNumber) -> Self {
        number.0
    }
}

impl fmt::Display for GmcNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_digits_and_nothing_else() {
        assert_eq!(GmcNumber::parse("1234567").unwrap().as_str(), "1234567");
        for (bad, problem) in [
            ("", InvalidGmcNumber::Missing),
            ("123456", InvalidGmcNumber::WrongLength(6)),
            ("12345678", InvalidGmcNumber::WrongLength(8)),
            ("123456A", InvalidGmcNumber::NotADigit('A')),
            (" 1234567", InvalidGmcNumber::NotADigit(' ')),
            ("１２３４５６７", InvalidGmcNumber::NotADigit('１')),
        ] {
            assert_eq!(GmcNumber::parse(bad), Err(problem), "{bad:?}");
        }
    }

    #[test]
    fn problems_say_what_was_entered() {
        assert_eq!(
            GmcNumber::parse("12345").unwrap_err().to_string(),
            "The GMC number must be 7 digits \u{2014} you entered 5"
        );
        assert_eq!(
            GmcNumber::parse("").unwrap_err().to_string(),
            "Enter the consultant's GMC number: 7 digits"
        );
        assert_eq!(
            GmcNumber::parse("12a4567").unwrap_err().to_string(),
            "The GMC number must be 7 digits, numbers only: 'a' is not a number"
        );
    }

    #[test]
    fn travels_as_its_text() {
        let number = GmcNumber::parse("7654321").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"7654321\"");
        assert_eq!(
            serde_json::from_str::<GmcNumber>("\"7654321\"").unwrap(),
            number
        );
        assert!(serde_json::from_str::<GmcNumber>("\"12\"").is_err());
    }
}
