//! The NHS number: ten digits, the last a modulus-11 check digit.

use std::fmt;

/// A valid NHS number, held as its ten digits.
///
/// Deliberately not `Serialize`: an NHS number must never leave the browser in clear. The
/// only thing done with it is to pseudonymise it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NhsNumber([u8; 10]);

/// Why some text is not an NHS number, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NhsNumberError {
    #[error("Enter the patient's NHS number")]
    Empty,
    #[error("NHS number must contain only numbers and spaces: '{character}' is not allowed")]
    InvalidCharacter { character: char },
    #[error("NHS number must be 10 digits, you entered {count}")]
    WrongLength { count: usize },
    #[error(
        "This is not a valid NHS number: its last digit (check digit) does not match. Check each digit against the patient's record"
    )]
    CheckDigitMismatch,
}

impl NhsNumberError {
    /// The problem said to the person whose number it is ("your NHS number"), as on the
    /// patient's own pages.
    pub fn to_second_person(&self) -> String {
        match self {
            Self::Empty => "Enter your NHS number".to_string(),
            Self::InvalidCharacter { character } => format!(
                "Your NHS number must contain only numbers and spaces: '{character}' is not allowed"
            ),
            Self::WrongLength { count } => {
                format!("Your NHS number must be 10 digits, you entered {count}")
            }
            Self::CheckDigitMismatch => "This is not a valid NHS number: its last digit (check digit) does not match. Check each digit against your implant card, a letter from your GP or the NHS App".to_string(),
        }
    }
}

impl NhsNumber {
    /// Parses an NHS number as people type it: with or without spaces or hyphens
    /// (`943 476 5919`, `943-476-5919`).
    pub fn parse(input: &str) -> Result<Self, NhsNumberError> {
        let mut digits = [0u8; 10];
        let mut count = 0;
        for character in input.trim().chars() {
            match character {
                ' ' | '-' | '\u{a0}' => continue,
                '0'..='9' => {
                    if count < digits.len() {
                        digits[count] = character as u8 - b'0';
                    }
                    count += 1;
                }
                other => return Err(NhsNumberError::InvalidCharacter { character: other }),
            }
        }
        match count {
            0 => return Err(NhsNumberError::Empty),
            10 => {}
            _ => return Err(NhsNumberError::WrongLength { count }),
        }
        if check_digit(&digits[..9]) != Some(digits[9]) {
            return Err(NhsNumberError::CheckDigitMismatch);
        }
        Ok(Self(digits))
    }

    /// The ten digits without separators, e.g. `9434765919`: the canonical form used as
    /// pseudonymisation input.
    pub fn digits(&self) -> String {
        self.0
            .iter()
            .map(|digit| char::from(b'0' + digit))
            .collect()
    }

    /// True for numbers in the `999` range, which by convention are used only for test data.
    pub fn is_test_range(&self) -> bool {
        self.0[..3] == [9, 9, 9]
    }
}

/// The modulus-11 check digit of the first nine digits, or `None` when the number can have
/// no valid check digit (11 − remainder = 10).
pub fn check_digit(first_nine: &[u8]) -> Option<u8> {
    let sum: u32 = first_nine
        .iter()
        .zip((2..=10u32).rev())
        .map(|(digit, weight)| u32::from(*digit) * weight)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        check => Some(check as u8),
    }
}

impl fmt::Display for NhsNumber {
    /// The 3-3-4 grouping people read aloud: `943 476 5919`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.digits();
        write!(f, "{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
    }
}

impl fmt::Debug for NhsNumber {
    /// Redacted, so that a stray `{:?}` in a log line cannot leak the number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NhsNumber(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid number from nine digits by computing (not copying) its check digit.
    fn with_check_digit(first_nine: &str) -> String {
        let digits: Vec<u8> = first_nine.bytes().map(|b| b - b'0').collect();
        let check = check_digit(&digits).expect("test prefix has a valid check digit");
        format!("{first_nine}{check}")
    }

    #[test]
    fn accepts_the_documented_example_in_every_common_spelling() {
        for input in [
            "9434765919",
            "943 476 5919",
            "943-476-5919",
            "  943 476 5919\n",
        ] {
            let number = NhsNumber::parse(input).expect(input);
            assert_eq!(number.digits(), "9434765919");
            assert_eq!(number.to_string(), "943 476 5919");
        }
    }

    #[test]
    fn check_digit_follows_weights_ten_to_two() {
        // 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9.
        assert_eq!(check_digit(&[9, 4, 3, 4, 7, 6, 5, 9, 1]), Some(9));
    }

    #[test]
    fn remainder_zero_gives_check_digit_zero() {
        // 000000000: sum 0 → 11 − 0 = 11 → check digit 0.
        assert_eq!(check_digit(&[0; 9]), Some(0));
        assert!(NhsNumber::parse("0000000000").is_ok());
    }

    #[test]
    fn a_prefix_whose_check_would_be_ten_has_no_valid_number() {
        // 000000006: sum 6 × 2 = 12, 12 mod 11 = 1, 11 − 1 = 10: no digit can make this valid.
        assert_eq!(check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 6]), None);
        for last in 0..=9 {
            assert_eq!(
                NhsNumber::parse(&format!("00000000 6{last}")),
                Err(NhsNumberError::CheckDigitMismatch)
            );
        }
    }

    #[test]
    fn every_wrong_check_digit_is_refused() {
        let valid = with_check_digit("999123457");
        let good_last = valid.as_bytes()[9];
        for last in b'0'..=b'9' {
            let candidate = format!("{}{}", &valid[..9], last as char);
            assert_eq!(
                NhsNumber::parse(&candidate).is_ok(),
                last == good_last,
                "{candidate}"
            );
        }
    }

    #[test]
    fn reports_what_is_wrong() {
        assert_eq!(NhsNumber::parse("   "), Err(NhsNumberError::Empty));
        assert_eq!(
            NhsNumber::parse("943 476 591"),
            Err(NhsNumberError::WrongLength { count: 9 })
        );
        assert_eq!(
            NhsNumber::parse("943 476 59199"),
            Err(NhsNumberError::WrongLength { count: 11 })
        );
        assert_eq!(
            NhsNumber::parse("943.476.5919"),
            Err(NhsNumberError::InvalidCharacter { character: '.' })
        );
    }

    #[test]
    fn test_range_is_recognised() {
        assert!(
            NhsNumber::parse(&with_check_digit("999000001"))
                .unwrap()
                .is_test_range()
        );
        assert!(!NhsNumber::parse("9434765919").unwrap().is_test_range());
    }

    #[test]
    fn debug_output_never_shows_the_digits() {
        let number = NhsNumber::parse("9434765919").unwrap();
        assert!(!format!("{number:?}").contains("943"));
    }
}
