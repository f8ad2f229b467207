//! The Global Trade Item Number: the GS1 device identifier.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A GTIN with a valid check digit, held as 14 digits (GTIN-8, -12 and -13 are left-padded
/// with zeros, as GS1 element strings carry them).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin([u8; 14]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GtinError {
    #[error("a GTIN has 8, 12, 13 or 14 digits; this has {length}")]
    Length { length: usize },
    #[error("a GTIN is digits only: '{character}' at character {position} is not a digit")]
    NotDigit { character: char, position: usize },
    #[error("the GTIN check digit should be {expected}, not {found}")]
    CheckDigit { expected: u8, found: u8 },
}

/// The GS1 mod-10 check digit of `digits` (all but the check digit): weights 3 and 1
/// alternate from the right, starting with 3.
pub fn gs1_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, digit)| u32::from(*digit) * if index % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

impl Gtin {
    /// Parses a GTIN-8, -12, -13 or -14.
    pub fn parse(text: &str) -> Result<Self, GtinError> {
        let length = text.chars().count();
        if !matches!(length, 8 | 12 | 13 | 14) {
            return Err(GtinError::Length { length });
        }
        let mut digits = [0u8; 14];
        for (index, character) in text.chars().enumerate() {
            let digit = character.to_digit(10).ok_or(GtinError::NotDigit {
                character,
                position: index + 1,
            })?;
            digits[14 - length + index] = digit as u8;
        }
        let expected = gs1_check_digit(&digits[..13]);
        if expected != digits[13] {
            return Err(GtinError::CheckDigit {
                expected,
                found: digits[13],
            });
        }
        Ok(Self(digits))
    }

    /// Builds a GTIN-14 from its first 13 digits, computing the check digit.
    pub fn from_digits_without_check(first_thirteen: [u8; 13]) -> Self {
        let mut digits = [0u8; 14];
        digits[..13].copy_from_slice(&first_thirteen);
        digits[13] = gs1_check_digit(&first_thirteen);
        Self(digits)
    }

    /// The 14 digits, e.g. `09506000134352`.
    pub fn to_gtin14(&self) -> String {
        self.0
            .iter()
            .map(|digit| char::from(b'0' + digit))
            .collect()
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_gtin14())
    }
}

impl fmt::Debug for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gtin({})", self.to_gtin14())
    }
}

impl Serialize for Gtin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_gtin14())
    }
}

impl<'de> Deserialize<'de> for Gtin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends the check digit computed by hand-checkable arithmetic.
    fn complete(first: &str) -> String {
        let digits: Vec<u8> = first.bytes().map(|b| b - b'0').collect();
        format!("{first}{}", gs1_check_digit(&digits))
    }

    #[test]
    fn check_digit_by_the_gs1_worked_method() {
        // 9506000134352: 0×3+9×1+5×3+0×1+6×3+0×1+0×3+0×1+1×3+3×1+4×3+3×1+5×3 = 98 → 2.
        assert_eq!(gs1_check_digit(&[0, 9, 5, 0, 6, 0, 0, 0, 1, 3, 4, 3, 5]), 2);
        // GTIN-13 4006381333931: weights from the right 3,1,3,… → check 1.
        assert_eq!(gs1_check_digit(&[4, 0, 0, 6, 3, 8, 1, 3, 3, 3, 9, 3]), 1);
    }

    #[test]
    fn shorter_gtins_are_padded_to_fourteen_digits() {
        assert_eq!(
            Gtin::parse("4006381333931").unwrap().to_gtin14(),
            "04006381333931"
        );
        let gtin8 = complete("9638507");
        assert_eq!(
            Gtin::parse(&gtin8).unwrap().to_gtin14(),
            format!("000000{gtin8}")
        );
        let gtin12 = complete("03600029145");
        assert_eq!(
            Gtin::parse(&gtin12).unwrap().to_gtin14(),
            format!("00{gtin12}")
        );
        assert_eq!(
            Gtin::parse("09506000134352").unwrap(),
            Gtin::parse("9506000134352").unwrap()
        );
    }

    #[test]
    fn wrong_check_digit_says_which_it_should_be() {
        assert_eq!(
            Gtin::parse("09506000134350"),
            Err(GtinError::CheckDigit {
                expected: 2,
                found: 0
            })
        );
        // As a GTIN-13, 0950600013435 pads to 0095060001343|5: weighted sum 61 → check 9.
        assert_eq!(
            Gtin::parse("0950600013435").unwrap_err(),
            GtinError::CheckDigit {
                expected: 9,
                found: 5
            }
        );
    }

    #[test]
    fn refuses_wrong_lengths_and_letters() {
        assert_eq!(Gtin::parse("12345"), Err(GtinError::Length { length: 5 }));
        assert_eq!(
            Gtin::parse("0950600013435X"),
            Err(GtinError::NotDigit {
                character: 'X',
                position: 14
            })
        );
    }

    #[test]
    fn serialises_as_fourteen_digits() {
        let gtin = Gtin::parse("09506000134352").unwrap();
        assert_eq!(serde_json::to_string(&gtin).unwrap(), "\"09506000134352\"");
        assert!(serde_json::from_str::<Gtin>("\"09506000134353\"").is_err());
    }
}
