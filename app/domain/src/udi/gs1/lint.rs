//! The content checks ("linters") of the GS1 Barcode Syntax Dictionary, one function each.
//!
//! Checks that need registries we do not hold (GS1 Company Prefix allocation, the ISO country
//! and currency code lists, UN/ECE package types, coupon schemes) check the format only.

use super::spec::{CSET82, Linter};
use crate::udi::date::{DateError, DayZero, UdiDate};
use crate::udi::gtin::gs1_check_digit;

/// What a check found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintProblem {
    CheckDigit { expected: String, found: String },
    Date(DateError),
    Content(String),
}

impl From<DateError> for LintProblem {
    fn from(error: DateError) -> Self {
        Self::Date(error)
    }
}

fn content(problem: impl Into<String>) -> LintProblem {
    LintProblem::Content(problem.into())
}

fn number(text: &str) -> u64 {
    text.parse().unwrap_or(0)
}

/// Applies one check to one component's text (already checked for length and characters).
pub fn check(linter: Linter, text: &str, reference_year: u16) -> Result<(), LintProblem> {
    use Linter::*;
    match linter {
        Csum => gs1_mod10(text),
        // Company-prefix allocation needs GS1's registry; the key's digits are checked by
        // `Csum`, its length by the component.
        Key | KeyOff1 => Ok(()),
        Yymmd0 => UdiDate::from_yymmdd(text, DayZero::MeansLastDay, reference_year)
            .map(drop)
            .map_err(Into::into),
        Yymmdd => UdiDate::from_yymmdd(text, DayZero::Invalid, reference_year)
            .map(drop)
            .map_err(Into::into),
        Yyyymmdd => UdiDate::from_yyyymmdd(text, DayZero::Invalid)
            .map(drop)
            .map_err(Into::into),
        Yyyymmd0 => UdiDate::from_yyyymmdd(text, DayZero::MeansLastDay)
            .map(drop)
            .map_err(Into::into),
        Hhmi | Hhmm => {
            hour(&text[..2])?;
            minute(&text[2..4])
        }
        Hh => hour(text),
        Mi | Ss => minute(text),
        MmOptSs => {
            minute(&text[..2])?;
            if text.len() >= 4 {
                minute(&text[2..4])
            } else {
                Ok(())
            }
        }
        Iso3166 | Iso4217 => three_digit_code(text),
        Iso3166999 => three_digit_code(text),
        Iso3166List => {
            if !text.len().is_multiple_of(3) {
                return Err(content("country codes come in groups of three digits"));
            }
            text.as_bytes()
                .chunks(3)
                .try_for_each(|code| three_digit_code(std::str::from_utf8(code).unwrap_or("")))
        }
        Iso3166Alpha2 => {
            if text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(())
            } else {
                Err(content("a country code is two capital letters, e.g. GB"))
            }
        }
        Iso5218 => match text {
            "0" | "1" | "2" | "9" => Ok(()),
            _ => Err(content(
                "sex is coded 0 (not known), 1 (male), 2 (female) or 9 (not applicable)",
            )),
        },
        Pcenc => percent_encoding(text),
        YesNo => match text {
            "0" | "1" => Ok(()),
            _ => Err(content("it must be 0 (no) or 1 (yes)")),
        },
        Hyphen => {
            if text == "-" {
                Ok(())
            } else {
                Err(content("only '-' (a negative sign) may follow the number"))
            }
        }
        NonZero => {
            if text.bytes().all(|b| b == b'0') {
                Err(content("it must not be zero"))
            } else {
                Ok(())
            }
        }
        Zero => {
            if text == "0" {
                Ok(())
            } else {
                Err(content("this digit must be 0"))
            }
        }
        Winding => match text {
            "0" | "1" | "9" => Ok(()),
            _ => Err(content("the winding direction is 0, 1 or 9")),
        },
        PieceOfTotal => {
            let (piece, total) = (number(&text[..2]), number(&text[2..]));
            if piece == 0 || total == 0 || piece > total {
                Err(content(format!(
                    "piece {piece} of {total} is not possible: both are from 01 and the piece is not more than the total"
                )))
            } else {
                Ok(())
            }
        }
        Iban => iban(text),
        CsumAlpha => alphanumeric_check_pair(text),
        HasNonDigit => {
            if text.bytes().all(|b| b.is_ascii_digit()) {
                Err(content(
                    "it must contain at least one character that is not a digit",
                ))
            } else {
                Ok(())
            }
        }
        NoZeroPrefix => {
            if text.len() > 1 && text.starts_with('0') {
                Err(content("it must not start with 0"))
            } else {
                Ok(())
            }
        }
        Latitude => {
            if number(text) > 1_800_000_000 {
                Err(content(
                    "a latitude is at most 1800000000 (90° north, offset by 90°)",
                ))
            } else {
                Ok(())
            }
        }
        Longitude => {
            if number(text) > 3_600_000_000 {
                Err(content(
                    "a longitude is at most 3600000000 (180° east, offset by 180°)",
                ))
            } else {
                Ok(())
            }
        }
        MediaType => match number(text) {
            1..=10 | 80..=99 => Ok(()),
            _ => Err(content(
                "the AIDC media type is 01–10, or 80–99 for company use",
            )),
        },
        ImporterIdx => {
            let character = text.chars().next().unwrap_or(' ');
            if character.is_ascii_alphanumeric() || matches!(character, '-' | '_') {
                Ok(())
            } else {
                Err(content("the importer index is a letter, digit, '-' or '_'"))
            }
        }
        PosInSeqSlash => position_in_sequence(text),
        // Their content rules depend on schemes outside GS1 General Specifications' AI table.
        CouponCode | CouponPosOffer | PackageType => Ok(()),
    }
}

fn gs1_mod10(text: &str) -> Result<(), LintProblem> {
    let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let (data, check) = digits.split_at(digits.len() - 1);
    let expected = gs1_check_digit(data);
    if expected == check[0] {
        Ok(())
    } else {
        Err(LintProblem::CheckDigit {
            expected: expected.to_string(),
            found: check[0].to_string(),
        })
    }
}

fn hour(text: &str) -> Result<(), LintProblem> {
    let hour = number(text) as u8;
    if hour > 23 {
        Err(DateError::Hour { hour }.into())
    } else {
        Ok(())
    }
}

fn minute(text: &str) -> Result<(), LintProblem> {
    let minute = number(text) as u8;
    if minute > 59 {
        Err(DateError::Minute { minute }.into())
    } else {
        Ok(())
    }
}

fn three_digit_code(text: &str) -> Result<(), LintProblem> {
    if text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(content("the code is three digits"))
    }
}

fn percent_encoding(text: &str) -> Result<(), LintProblem> {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let valid = bytes
                .get(index + 1..index + 3)
                .is_some_and(|pair| pair.iter().all(u8::is_ascii_hexdigit));
            if !valid {
                return Err(content("'%' must be followed by two hexadecimal digits"));
            }
            index += 3;
        } else {
            index += 1;
        }
    }
    Ok(())
}

fn iban(text: &str) -> Result<(), LintProblem> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() >= 5
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..4].iter().all(u8::is_ascii_digit)
        && bytes[4..]
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    if !shape_ok {
        return Err(content(
            "an IBAN is a country code, two check digits and the account in capitals and digits",
        ));
    }
    let rearranged = bytes[4..].iter().chain(&bytes[..4]);
    let remainder = rearranged.fold(0u32, |remainder, byte| {
        let value = if byte.is_ascii_digit() {
            u32::from(byte - b'0')
        } else {
            u32::from(byte - b'A') + 10
        };
        let width = if value >= 10 { 100 } else { 10 };
        (remainder * width + value) % 97
    });
    if remainder == 1 {
        Ok(())
    } else {
        Err(content("its check digits do not match (ISO 13616 mod 97)"))
    }
}

/// The two check characters of a GS1 alphanumeric key: data characters valued by their place
/// in CSET 82, weighted by primes from the right (2, 3, 5, …), summed modulo 1021, and the
/// 10-bit result split into two CSET 32 characters.
pub fn alphanumeric_check_pair(text: &str) -> Result<(), LintProblem> {
    const CSET32: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let expected = alphanumeric_check_characters(&text[..text.len().saturating_sub(2)])
        .ok_or_else(|| content("it is too long or too short for a check character pair"))?;
    let found = &text[text.len().saturating_sub(2)..];
    if found.len() == 2 && found.bytes().all(|b| CSET32.contains(&b)) && found == expected {
        Ok(())
    } else {
        Err(LintProblem::CheckDigit {
            expected,
            found: found.to_string(),
        })
    }
}

/// The check character pair for `data` (CSET 82), or `None` if it is longer than 97 characters.
pub fn alphanumeric_check_characters(data: &str) -> Option<String> {
    const CSET32: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let primes = &PRIMES;
    if data.chars().count() > primes.len() {
        return None;
    }
    let mut sum: u32 = 0;
    for (character, weight) in data.chars().rev().zip(primes) {
        let value = CSET82.find(character)? as u32;
        sum += value * weight;
    }
    sum %= 1021;
    Some(
        [CSET32[(sum >> 5) as usize], CSET32[(sum & 31) as usize]]
            .iter()
            .map(|b| char::from(*b))
            .collect(),
    )
}

/// The first 97 primes, the check pair's weights: worked out once, when compiling, not at
/// every check (the search for lost separators checks many candidate values).
const PRIMES: [u32; 97] = {
    let mut primes = [0u32; 97];
    let mut found = 0;
    let mut candidate = 2u32;
    while found < primes.len() {
        let mut index = 0;
        let mut prime = true;
        while index < found && primes[index] * primes[index] <= candidate {
            if candidate.is_multiple_of(primes[index]) {
                prime = false;
            }
            index += 1;
        }
        if prime {
            primes[found] = candidate;
            found += 1;
        }
        candidate += 1;
    }
    primes
};

fn position_in_sequence(text: &str) -> Result<(), LintProblem> {
    let problem = || content("the birth sequence is written as position/total, e.g. 1/2");
    let (position, total) = text.split_once('/').ok_or_else(problem)?;
    let (position, total): (u32, u32) = (
        position.parse().map_err(|_| problem())?,
        total.parse().map_err(|_| problem())?,
    );
    if position == 0 || total == 0 || position > total {
        Err(problem())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
