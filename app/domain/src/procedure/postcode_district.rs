//! The outward part of a UK postcode (its district), the only part of the patient's address
//! the registry keeps.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A postcode district such as `LS1`, `SW1A`, `M1` or `B33`: upper case, no spaces.
/// Serialised as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostcodeDistrict(String);

/// Why some text is not a postcode district, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Enter the first part of the postcode only, like LS1 or SW1A, or leave it empty if not known"
)]
pub struct InvalidPostcodeDistrict;

/// A UK postcode's outward code (district), e.g. `LS1`, `SW1A`, `M1`, `B33`.
pub fn is_postcode_district(text: &str) -> bool {
    let bytes = text.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let rest = &bytes[letters..];
    (1..=2).contains(&letters)
        && !rest.is_empty()
        && rest.len() <= 2
        && rest[0].is_ascii_digit()
        && rest[1..]
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

impl PostcodeDistrict {
    /// A district as stored and sent: already upper case, without spaces.
    pub fn parse(text: &str) -> Result<Self, InvalidPostcodeDistrict> {
        if is_postcode_district(text) {
            Ok(Self(text.to_string()))
        } else {
            Err(InvalidPostcodeDistrict)
        }
    }

    /// What a person typed (`ls1`, ` LS 1`) in the form it is stored and sent in (`LS1`).
    pub fn normalise(typed: &str) -> String {
        typed.trim().to_uppercase().replace(' ', "")
    }

    /// A district as a person typed it: normalised, then parsed.
    pub fn parse_typed(typed: &str) -> Result<Self, InvalidPostcodeDistrict> {
        Self::parse(&Self::normalise(typed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PostcodeDistrict {
    type Error = InvalidPostcodeDistrict;

    fn try_from(text: String) -> Result<Self, InvalidPostcodeDistrict> {
        Self::parse(&text)
    }
}

impl From<PostcodeDistrict> for String {
    fn from(district: PostcodeDistrict) -> Self {
        district.0
    }
}

impl fmt::Display for PostcodeDistrict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcode_districts() {
        for good in ["LS1", "SW1A", "M1", "B33", "EC1A"] {
            assert!(is_postcode_district(good), "{good}");
        }
        for bad in ["LS", "1LS", "LS1 4AB", "ABC1", "L123"] {
            assert!(!is_postcode_district(bad), "{bad}");
        }
    }

    #[test]
    fn stored_text_is_strict_typed_text_is_normalised() {
        assert_eq!(PostcodeDistrict::parse("SW1A").unwrap().as_str(), "SW1A");
        assert_eq!(PostcodeDistrict::parse("ls1"), Err(InvalidPostcodeDistrict));
        assert_eq!(
            PostcodeDistrict::parse_typed(" ls 1").unwrap().as_str(),
            "LS1"
        );
        assert_eq!(
            PostcodeDistrict::parse_typed("LS1 4AB"),
            Err(InvalidPostcodeDistrict)
        );
        assert_eq!(PostcodeDistrict::normalise(" sw1a "), "SW1A");
    }

    #[test]
    fn travels_as_its_text() {
        let district = PostcodeDistrict::parse("B33").unwrap();
        assert_eq!(serde_json::to_string(&district).unwrap(), "\"B33\"");
        assert_eq!(
            serde_json::from_str::<PostcodeDistrict>("\"B33\"").unwrap(),
            district
        );
        assert!(serde_json::from_str::<PostcodeDistrict>("\"b33\"").is_err());
    }
}
