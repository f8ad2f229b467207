//! What a patient types to claim their record: the one-time code from their implant card, and
//! their NHS number and date of birth (pseudonymised in their browser, never sent).

use std::fmt;

use crate::calendar::CalendarDate;
use crate::forms::FieldError;
use crate::nhs_number::NhsNumber;
use crate::pseudonym::PatientIdentifiers;

/// The characters claim codes are made of: no 0/O, 1/I, so that a printed code reads one way.
pub const CLAIM_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CLAIM_CODE_LENGTH: usize = 12;

/// A claim code as printed on an implant card: 12 characters from [`CLAIM_CODE_ALPHABET`],
/// shown in three groups (`ABCD-EFGH-JKLM`). Held normalised (upper case, no separators).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClaimCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimCodeError {
    #[error("Enter the claim code from your implant card")]
    Missing,
    #[error("The claim code has 12 letters and numbers, like ABCD-EFGH-JKLM; you entered {0}")]
    WrongLength(usize),
    #[error(
        "The claim code cannot contain \"{0}\": codes use no 0, 1, I or O (read 0 as the letter D or Q? check the card again)"
    )]
    NotInAlphabet(char),
}

impl ClaimCode {
    /// Reads a code as people type it: any case, with or without hyphens and spaces.
    pub fn parse(text: &str) -> Result<Self, ClaimCodeError> {
        let normalised: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if normalised.is_empty() {
            return Err(ClaimCodeError::Missing);
        }
        if let Some(wrong) = normalised
            .chars()
            .find(|c| !c.is_ascii() || !CLAIM_CODE_ALPHABET.contains(&(*c as u8)))
        {
            return Err(ClaimCodeError::NotInAlphabet(wrong));
        }
        let length = normalised.chars().count();
        if length != CLAIM_CODE_LENGTH {
            return Err(ClaimCodeError::WrongLength(length));
        }
        Ok(Self(normalised))
    }

    /// A new code from 12 random bytes (each taken modulo the 32-character alphabet, which
    /// divides 256, so every character is equally likely).
    pub fn from_random_bytes(bytes: [u8; CLAIM_CODE_LENGTH]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| {
                    char::from(CLAIM_CODE_ALPHABET[usize::from(*b) % CLAIM_CODE_ALPHABET.len()])
                })
                .collect(),
        )
    }

    /// Upper case, no separators: what is hashed and compared.
    pub fn normalised(&self) -> &str {
        &self.0
    }
}

/// As printed: `ABCD-EFGH-JKLM`.
impl fmt::Display for ClaimCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = [0, 4, 8].iter().map(|at| &self.0[*at..*at + 4]).collect();
        f.write_str(&groups.join("-"))
    }
}

/// Never printed in logs in full: a code is a key to someone's record until it is used.
impl fmt::Debug for ClaimCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClaimCode({}…)", &self.0[..2])
    }
}

/// Whose identifiers a form asks for: the words of its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// Clinic staff typing a patient's: "the patient's NHS number".
    Patients,
    /// A patient typing their own: "your NHS number".
    Yours,
}

/// Reads an NHS number and a date of birth from a form; problems go to `errors`, against the
/// fields `nhs_number` and `date_of_birth`, worded for `whose` they are.
pub fn read_identifiers(
    nhs_number: &str,
    birth: (&str, &str, &str),
    today: CalendarDate,
    whose: Whose,
    errors: &mut Vec<FieldError>,
) -> (Option<PatientIdentifiers>, Option<CalendarDate>) {
    let number = NhsNumber::parse(nhs_number)
        .map_err(|problem| {
            let message = match whose {
                Whose::Patients => problem.to_string(),
                Whose::Yours => problem.to_second_person(),
            };
            errors.push(FieldError::new("nhs_number", message))
        })
        .ok();
    let (day, month, year) = birth;
    let what = match whose {
        Whose::Patients => "Date of birth",
        Whose::Yours => "Your date of birth",
    };
    let birth = CalendarDate::from_parts(day, month, year, what)
        .map_err(|problem| errors.push(FieldError::new("date_of_birth", problem.to_string())))
        .ok()
        .filter(|birth| {
            let future = *birth > today;
            if future {
                errors.push(FieldError::new(
                    "date_of_birth",
                    format!("{what} must be in the past"),
                ));
            }
            !future
        });
    let identifiers = number
        .zip(birth)
        .map(|(number, birth)| PatientIdentifiers::new(number, birth));
    (identifiers, birth)
}

/// The "add a record" form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimForm {
    pub claim_code: String,
    pub nhs_number: String,
    pub birth_day: String,
    pub birth_month: String,
    pub birth_year: String,
}

/// A claim ready to pseudonymise: the identifiers never leave the browser.
#[derive(Debug)]
pub struct Claim {
    pub code: ClaimCode,
    pub identifiers: PatientIdentifiers,
}

impl ClaimForm {
    pub fn parse(&self, today: CalendarDate) -> Result<Claim, Vec<FieldError>> {
        let mut errors = Vec::new();
        let code = ClaimCode::parse(&self.claim_code)
            .map_err(|problem| errors.push(FieldError::new("claim_code", problem.to_string())))
            .ok();
        let (identifiers, _) = read_identifiers(
            &self.nhs_number,
            (&self.birth_day, &self.birth_month, &self.birth_year),
            today,
            Whose::Yours,
            &mut errors,
        );
        match (code, identifiers) {
            (Some(code), Some(identifiers)) if errors.is_empty() => Ok(Claim { code, identifiers }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> CalendarDate {
        CalendarDate::new(2026, 11, 23).unwrap()
    }

    #[test]
    fn claim_codes_are_forgiving_to_type_and_strict_about_content() {
        let code = ClaimCode::parse("abcd efgh-jkLM").unwrap();
        assert_eq!(code.normalised(), "ABCDEFGHJKLM");
        assert_eq!(code.to_string(), "ABCD-EFGH-JKLM");
        assert!(!format!("{code:?}").contains("EFGH"));
        assert_eq!(ClaimCode::parse("  "), Err(ClaimCodeError::Missing));
        assert_eq!(
            ClaimCode::parse("ABCD-EFGH-JKL"),
            Err(ClaimCodeError::WrongLength(11))
        );
        assert_eq!(
            ClaimCode::parse("ABCD-EFGH-JKL0"),
            Err(ClaimCodeError::NotInAlphabet('0'))
        );
        assert_eq!(
            ClaimCode::parse("ABCD-EFGH-JKLÉ"),
            Err(ClaimCodeError::NotInAlphabet('É'))
        );
    }

    #[test]
    fn random_codes_use_only_the_alphabet() {
        let code = ClaimCode::from_random_bytes([0, 31, 32, 255, 7, 8, 9, 10, 11, 12, 13, 14]);
        assert_eq!(ClaimCode::parse(&code.to_string()), Ok(code.clone()));
        assert_eq!(&code.normalised()[..4], "2Z2Z");
    }

    #[test]
    fn a_claim_needs_a_code_a_valid_nhs_number_and_a_past_birth_date() {
        let form = ClaimForm {
            claim_code: "ABCD-EFGH-JKLM".into(),
            nhs_number: "999 123 4578".into(),
            birth_day: "13".into(),
            birth_month: "5".into(),
            birth_year: "1960".into(),
        };
        let claim = form.parse(today()).unwrap();
        assert_eq!(claim.code.normalised(), "ABCDEFGHJKLM");
        assert_eq!(
            claim.identifiers.date_of_birth(),
            CalendarDate::new(1960, 5, 13).unwrap()
        );

        let wrong = ClaimForm {
            claim_code: String::new(),
            nhs_number: "999 123 4579".into(),
            birth_year: "2030".into(),
            ..form
        };
        let errors = wrong.parse(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["claim_code", "nhs_number", "date_of_birth"]);
        // Said to the patient: it is their own number and birthday.
        assert_eq!(
            errors[1].message,
            "This is not a valid NHS number: its last digit (check digit) does not match. Check each digit against your implant card, a letter from your GP or the NHS App"
        );
        assert_eq!(errors[2].message, "Your date of birth must be in the past");
        let empty = ClaimForm::default().parse(today()).unwrap_err();
        let messages: Vec<&str> = empty.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Enter the claim code from your implant card",
                "Enter your NHS number",
                "Enter your date of birth"
            ]
        );
    }
}
