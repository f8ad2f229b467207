//! HIBC (Health Industry Bar Code) UDIs, ANSI/HIBC 2.x: a primary part (labeler, product,
//! unit of measure), a secondary part (lot or serial, expiry, quantity), or both in one symbol,
//! each ending with a modulo-43 check character.
//!
//! Here: the check character, the parts, reading a whole symbol and writing one. The secondary
//! part (lot or serial, dates, quantity, supplements after `/`) is read and written in
//! `secondary`.

use serde::{Deserialize, Serialize};

use super::date::UdiDate;
use super::error::{Span, UdiError, UdiErrorKind};

mod secondary;

use secondary::{parse_secondary, render_secondary};

/// The characters HIBC data may use (Code 39's), in check-character value order.
pub const HIBC_CHARACTERS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";

/// The value of a character for the modulo-43 check: `0`–`9` → 0–9, `A`–`Z` → 10–35,
/// `-` 36, `.` 37, space 38, `$` 39, `/` 40, `+` 41, `%` 42.
pub fn character_value(character: char) -> Option<u32> {
    HIBC_CHARACTERS.find(character).map(|index| index as u32)
}

/// The check character of `data` (everything from the leading `+` up to the check).
pub fn check_character(data: &str) -> Option<char> {
    let sum = data.chars().map(character_value).sum::<Option<u32>>()?;
    HIBC_CHARACTERS.chars().nth((sum % 43) as usize)
}

/// The primary data: identifies the device model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HibcPrimary {
    /// Labeler Identification Code: 4 characters, the first a letter.
    pub labeler: String,
    /// Product or catalogue number: 1 to 18 letters and digits.
    pub product: String,
    /// Unit of measure: 0 (each) to 9 (larger packs).
    pub unit_of_measure: u8,
    /// The primary's check character: a separate secondary symbol repeats it as its link.
    pub check_character: char,
}

impl HibcPrimary {
    /// The device identifier: labeler, product and unit of measure.
    pub fn device_identifier(&self) -> String {
        format!("{}{}{}", self.labeler, self.product, self.unit_of_measure)
    }
}

/// The secondary data: identifies the production (lot, serial, dates).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HibcSecondary {
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<UdiDate>,
    pub manufactured: Option<UdiDate>,
    pub quantity: Option<u32>,
    /// In a separate secondary symbol: the primary's check character, linking the two.
    pub link_character: Option<char>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hibc {
    pub primary: Option<HibcPrimary>,
    pub secondary: Option<HibcSecondary>,
}

fn error(problem: impl Into<String>, start: usize, end: usize) -> UdiError {
    UdiError::new(
        UdiErrorKind::Hibc {
            problem: problem.into(),
        },
        Some(Span {
            start: start + 1,
            end: end.max(start + 1),
        }),
    )
}

/// Parses HIBC data starting with `+` (cleaned of scanner prefixes; a Code 39 `*…*` wrapper
/// removed).
pub fn parse(text: &str, reference_year: u16) -> Result<Hibc, Vec<UdiError>> {
    let characters: Vec<char> = text.chars().collect();
    let length = characters.len();
    if characters.iter().any(char::is_ascii_lowercase) {
        return Err(vec![UdiError::new(UdiErrorKind::HibcLowerCase, None)]);
    }
    if let Some(index) = characters
        .iter()
        .position(|c| character_value(*c).is_none())
    {
        return Err(vec![error(
            format!(
                "'{}' is not an HIBC character: HIBC uses capital letters, digits and - . space $ / + %",
                characters[index].escape_default()
            ),
            index,
            index + 1,
        )]);
    }
    if length < 4 {
        return Err(vec![error(
            "it is too short to hold any HIBC data",
            0,
            length,
        )]);
    }
    let found = characters[length - 1];
    let checked: String = characters[..length - 1].iter().collect();
    let expected = check_character(&checked).expect("characters validated above");
    if expected != found {
        return Err(vec![UdiError::new(
            UdiErrorKind::HibcCheckCharacter { expected, found },
            Some(Span {
                start: length,
                end: length,
            }),
        )]);
    }
    let body = &characters[1..length - 1];
    if body[0].is_ascii_alphabetic() {
        parse_primary_and_secondary(body, found, reference_year)
    } else {
        // A separate secondary symbol ends with the link character before the check.
        let (data, link) = body.split_at(body.len() - 1);
        let mut secondary = parse_secondary(data, 1, reference_year)?;
        secondary.link_character = Some(link[0]);
        Ok(Hibc {
            primary: None,
            secondary: Some(secondary),
        })
    }
}

fn parse_primary_and_secondary(
    body: &[char],
    check: char,
    reference_year: u16,
) -> Result<Hibc, Vec<UdiError>> {
    let slash = body.iter().position(|c| *c == '/');
    let primary_part = &body[..slash.unwrap_or(body.len())];
    // Positions below are 0-based in the whole input, where `body` starts at 1.
    if primary_part.len() < 6 {
        return Err(vec![error(
            "the primary data needs a 4-character labeler code, a product number and a unit of measure",
            1,
            1 + primary_part.len(),
        )]);
    }
    let labeler: String = primary_part[..4].iter().collect();
    if !primary_part[..4].iter().all(char::is_ascii_alphanumeric) {
        return Err(vec![error(
            format!(
                "the labeler code {labeler} must be 4 letters or digits, starting with a letter"
            ),
            1,
            5,
        )]);
    }
    let unit = primary_part[primary_part.len() - 1];
    let Some(unit_of_measure) = unit.to_digit(10) else {
        return Err(vec![error(
            format!("the unit of measure must be a digit 0–9, not '{unit}'"),
            primary_part.len(),
            primary_part.len() + 1,
        )]);
    };
    let product_characters = &primary_part[4..primary_part.len() - 1];
    let product: String = product_characters.iter().collect();
    if product.len() > 18 || !product_characters.iter().all(char::is_ascii_alphanumeric) {
        return Err(vec![error(
            format!("the product number {product} must be 1 to 18 letters and digits"),
            5,
            5 + product.len(),
        )]);
    }
    let secondary = match slash {
        None => None,
        Some(slash) => Some(parse_secondary(
            &body[slash + 1..],
            slash + 2,
            reference_year,
        )?),
    };
    Ok(Hibc {
        primary: Some(HibcPrimary {
            labeler,
            product,
            unit_of_measure: unit_of_measure as u8,
            check_character: check,
        }),
        secondary,
    })
}

/// Writes a primary (and optionally secondary) as one HIBC symbol's data, with its check
/// character. The secondary holds the lot after `$` (or the serial after `$+`), and dates as
/// supplements with four-digit years (`/14D` expiry, `/16D` manufacture): a `$$3` YYMMDD
/// expiry would read back in another century when read far from its year.
pub fn render(primary: &HibcPrimary, secondary: Option<&HibcSecondary>) -> String {
    let mut data = format!("+{}", primary.device_identifier());
    if let Some(secondary) = secondary {
        data.push('/');
        data.push_str(&render_secondary(secondary));
    }
    let check = check_character(&data).expect("rendered from valid characters");
    data.push(check);
    data
}

#[cfg(test)]
mod tests;
