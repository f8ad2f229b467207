//! The responsible consultant's General Medical Council (GMC) reference number.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A GMC reference number: exactly 7 digits. Serialised as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GmcNumber(String);

/// Why some text is not a GMC number, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Enter the consultant's GMC number: 7 digits")]
pub struct InvalidGmcNumber;

impl GmcNumber {
    /// Exactly 7 ASCII digits, nothing around them (the form trims what was typed).
    pub fn parse(text: &str) -> Result<Self, InvalidGmcNumber> {
        if text.len() == 7 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(text.to_string()))
        } else {
            Err(InvalidGmcNumber)
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
        for bad in [
            "",
            "123456",
            "12345678",
            "123456A",
            " 1234567",
            "１２３４５６７",
        ] {
            assert_eq!(GmcNumber::parse(bad), Err(InvalidGmcNumber), "{bad:?}");
        }
        assert_eq!(
            InvalidGmcNumber.to_string(),
            "Enter the consultant's GMC number: 7 digits"
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
