//! The secondary part of a HIBC symbol: the lot or serial (after `$`, `$+`, or with a date
//! in one of the `$$` forms), the expiry date in its several formats, a quantity, and the
//! supplements after `/` (`14D` expiry, `16D` manufacture date, `S` serial), read with error
//! spans that point into the whole input; and written back in the one form that reads back
//! the same.

use super::{HibcSecondary, error};
use crate::udi::date::{DateError, UdiDate};
use crate::udi::error::UdiError;

/// Parses secondary data; `offset` is its 0-based position in the input, for error spans.
pub(super) fn parse_secondary(
    data: &[char],
    offset: usize,
    reference_year: u16,
) -> Result<HibcSecondary, Vec<UdiError>> {
    let text: String = data.iter().collect();
    let (main, supplements) = match text.split_once('/') {
        Some((main, supplements)) => (main.to_string(), Some(supplements.to_string())),
        None => (text.clone(), None),
    };
    let date_error = |problem: DateError, start: usize, width: usize| {
        error(
            format!("the date is not valid: {problem}"),
            offset + start,
            offset + start + width,
        )
    };
    let mut secondary = HibcSecondary::default();
    let mut rest_is_serial = false;
    let rest: &str;
    if let Some(after) = main.strip_prefix("$$") {
        let mut cursor = 2;
        let mut after = after;
        if let Some(stripped) = after.strip_prefix('+') {
            rest_is_serial = true;
            after = stripped;
            cursor += 1;
        }
        for (indicator, width) in [('8', 2), ('9', 5)] {
            if let Some(stripped) = after.strip_prefix(indicator) {
                let quantity = stripped
                    .get(..width)
                    .filter(|q| q.bytes().all(|b| b.is_ascii_digit()));
                let Some(quantity) = quantity else {
                    return Err(vec![error(
                        format!("${indicator} must be followed by a {width}-digit quantity"),
                        offset + cursor,
                        offset + cursor + 1 + width,
                    )]);
                };
                secondary.quantity = quantity.parse().ok();
                after = &stripped[width..];
                cursor += 1 + width;
                break;
            }
        }
        let (date, consumed) = match after.chars().next() {
            Some('0' | '1') => (
                Some(date_field(after, 0, 4, |t| {
                    UdiDate::from_mmyy(t, reference_year)
                })),
                4,
            ),
            Some('2') => (
                Some(date_field(after, 1, 6, |t| {
                    UdiDate::from_mmddyy(t, reference_year)
                })),
                7,
            ),
            Some('3') => (
                Some(date_field(after, 1, 6, |t| {
                    UdiDate::from_yymmdd(t, crate::udi::date::DayZero::Invalid, reference_year)
                })),
                7,
            ),
            Some('4') => (
                Some(date_field(after, 1, 8, |t| {
                    UdiDate::from_yymmdd(
                        &t[..6],
                        crate::udi::date::DayZero::Invalid,
                        reference_year,
                    )?
                    .with_time_digits(&t[6..])
                })),
                9,
            ),
            Some('5') => (
                Some(date_field(after, 1, 5, |t| {
                    UdiDate::from_yyjjj(t, reference_year)
                })),
                6,
            ),
            Some('6') => (
                Some(date_field(after, 1, 7, |t| {
                    UdiDate::from_yyjjj(&t[..5], reference_year)?.with_time_digits(&t[5..])
                })),
                8,
            ),
            Some('7') => (None, 1),
            _ => {
                return Err(vec![error(
                    "after $$ comes an expiry date as MMYY or a format digit 2–7",
                    offset + cursor,
                    offset + cursor + 1,
                )]);
            }
        };
        if let Some(date) = date {
            secondary.expiry =
                Some(date.map_err(|problem| vec![date_error(problem, cursor, consumed)])?);
        }
        rest = after.get(consumed..).unwrap_or("");
    } else if let Some(after) = main.strip_prefix("$+") {
        rest_is_serial = true;
        rest = after;
    } else if let Some(after) = main.strip_prefix('$') {
        rest = after;
    } else if main.len() >= 5 && main[..5].bytes().all(|b| b.is_ascii_digit()) {
        // The older form: a Julian expiry date, then the lot.
        secondary.expiry = Some(
            UdiDate::from_yyjjj(&main[..5], reference_year)
                .map_err(|problem| vec![date_error(problem, 0, 5)])?,
        );
        rest = &main[5..];
    } else {
        return Err(vec![error(
            "secondary data starts with $ (lot), $+ (serial), $$ (expiry and lot) or a Julian date",
            offset,
            offset + 1,
        )]);
    }
    if rest.len() > 18 || !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let start = offset + main.len() - rest.len();
        return Err(vec![error(
            format!("the lot or serial number {rest} must be up to 18 letters and digits"),
            start,
            start + rest.len(),
        )]);
    }
    if !rest.is_empty() {
        if rest_is_serial {
            secondary.serial = Some(rest.to_string());
        } else {
            secondary.lot = Some(rest.to_string());
        }
    }
    if let Some(supplements) = supplements {
        let mut start = offset + main.len() + 1;
        for supplement in supplements.split('/') {
            apply_supplement(&mut secondary, supplement, start)?;
            start += supplement.len() + 1;
        }
    }
    Ok(secondary)
}

fn date_field(
    text: &str,
    skip: usize,
    width: usize,
    read: impl Fn(&str) -> Result<UdiDate, DateError>,
) -> Result<UdiDate, DateError> {
    let field = text.get(skip..skip + width).ok_or(DateError::NotDigits)?;
    if !field.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::NotDigits);
    }
    read(field)
}

/// Supplementary data after a `/`: `14D` expiry, `16D` manufacture date (both YYYYMMDD), `S`
/// serial number.
fn apply_supplement(
    secondary: &mut HibcSecondary,
    supplement: &str,
    start: usize,
) -> Result<(), Vec<UdiError>> {
    let end = start + supplement.len();
    let date = |digits: &str| {
        UdiDate::from_yyyymmdd(digits, crate::udi::date::DayZero::Invalid).map_err(|problem| {
            vec![error(
                format!("the date is not valid: {problem}"),
                start,
                end,
            )]
        })
    };
    if let Some(digits) = supplement.strip_prefix("14D") {
        secondary.expiry = Some(date(digits)?);
    } else if let Some(digits) = supplement.strip_prefix("16D") {
        secondary.manufactured = Some(date(digits)?);
    } else if let Some(serial) = supplement.strip_prefix('S') {
        if serial.is_empty() || serial.len() > 18 {
            return Err(vec![error(
                "the serial number after /S must be 1 to 18 characters",
                start,
                end,
            )]);
        }
        secondary.serial = Some(serial.to_string());
    } else {
        return Err(vec![error(
            format!("/{supplement} is not supplementary data we know (/14D, /16D or /S)"),
            start,
            end,
        )]);
    }
    Ok(())
}

pub(super) fn render_secondary(secondary: &HibcSecondary) -> String {
    // After `$+` a serial is letters and digits; a /S supplement holds any HIBC characters.
    let serial_after_flag = secondary.lot.is_none()
        && secondary.serial.as_ref().is_some_and(|serial| {
            serial.len() <= 18 && serial.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    let mut data = match (&secondary.lot, &secondary.serial) {
        (Some(lot), _) => format!("${lot}"),
        (None, Some(serial)) if serial_after_flag => format!("$+{serial}"),
        _ => "$".to_string(),
    };
    if let Some(serial) = secondary.serial.as_ref().filter(|_| !serial_after_flag) {
        data.push_str(&format!("/S{serial}"));
    }
    let yyyymmdd =
        |date: &UdiDate| format!("{:04}{:02}{:02}", date.year(), date.month(), date.day());
    if let Some(expiry) = &secondary.expiry {
        data.push_str(&format!("/14D{}", yyyymmdd(expiry)));
    }
    if let Some(manufactured) = &secondary.manufactured {
        data.push_str(&format!("/16D{}", yyyymmdd(manufactured)));
    }
    data
}
