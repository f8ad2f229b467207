//! Dates carried by UDIs: GS1 `YYMMDD` (day `00` = the month's last day), GS1 `YYYYMMDD`, and
//! the HIBC forms (`MMYY`, `MMDDYY`, `YYMMDD`, `YYMMDDHH`, Julian `YYJJJ`, `YYJJJHH`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date, with an hour (and minute) where the label gives one.
///
/// Ordered chronologically, so an expiry can be compared with a procedure date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UdiDate {
    year: u16,
    month: u8,
    day: u8,
    hour: Option<u8>,
    minute: Option<u8>,
}

/// What is wrong with a date, without saying where it came from (the caller adds that).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("a date must be digits only")]
    NotDigits,
    #[error("month {month:02} does not exist: months run from 01 to 12")]
    Month { month: u8 },
    #[error("{month_name} {year} has {days_in_month} days, so day {day:02} does not exist")]
    Day {
        day: u8,
        month_name: &'static str,
        year: u16,
        days_in_month: u8,
    },
    #[error("day 00 is not allowed here")]
    DayZero,
    #[error("day {day:03} of the year does not exist in {year}")]
    DayOfYear { day: u16, year: u16 },
    #[error("hour {hour:02} does not exist: hours run from 00 to 23")]
    Hour { hour: u8 },
    #[error("minute {minute:02} does not exist: minutes run from 00 to 59")]
    Minute { minute: u8 },
}

/// The months' names in English, January first (UDI date messages and calendar dates).
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        _ => 28,
    }
}

/// The full year of a two-digit year, by the GS1 General Specifications' sliding window: up to
/// 50 years ahead of `reference_year` and 49 years behind it.
pub fn full_year(two_digits: u8, reference_year: u16) -> u16 {
    let century = reference_year / 100 * 100;
    let difference = i32::from(two_digits) - i32::from(reference_year % 100);
    match difference {
        51..=99 => century - 100 + u16::from(two_digits),
        -99..=-50 => century + 100 + u16::from(two_digits),
        _ => century + u16::from(two_digits),
    }
}

fn digits(text: &str) -> Result<u32, DateError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::NotDigits);
    }
    text.parse().map_err(|_| DateError::NotDigits)
}

fn two(text: &str, at: usize) -> Result<u8, DateError> {
    text.get(at..at + 2)
        .ok_or(DateError::NotDigits)
        .and_then(digits)
        .map(|value| value as u8)
}

/// Whether day `00` may stand for the last day of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayZero {
    MeansLastDay,
    Invalid,
}

impl UdiDate {
    /// A date from its parts, checked against the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Month { month });
        }
        if day == 0 {
            return Err(DateError::DayZero);
        }
        let last = days_in_month(year, month);
        if day > last {
            return Err(DateError::Day {
                day,
                month_name: MONTH_NAMES[usize::from(month) - 1],
                year,
                days_in_month: last,
            });
        }
        Ok(Self {
            year,
            month,
            day,
            hour: None,
            minute: None,
        })
    }

    /// The same date at a time of day.
    pub fn at(self, hour: u8, minute: Option<u8>) -> Result<Self, DateError> {
        if hour > 23 {
            return Err(DateError::Hour { hour });
        }
        if let Some(minute) = minute.filter(|minute| *minute > 59) {
            return Err(DateError::Minute { minute });
        }
        Ok(Self {
            hour: Some(hour),
            minute: minute.or(Some(0)),
            ..self
        })
    }

    fn with_day_zero(year: u16, month: u8, day: u8, rule: DayZero) -> Result<Self, DateError> {
        if day == 0 && rule == DayZero::MeansLastDay {
            if !(1..=12).contains(&month) {
                return Err(DateError::Month { month });
            }
            return Self::new(year, month, days_in_month(year, month));
        }
        Self::new(year, month, day)
    }

    /// GS1 `YYMMDD`.
    pub fn from_yymmdd(text: &str, rule: DayZero, reference_year: u16) -> Result<Self, DateError> {
        if text.len() != 6 {
            return Err(DateError::NotDigits);
        }
        digits(text)?;
        let year = full_year(two(text, 0)?, reference_year);
        Self::with_day_zero(year, two(text, 2)?, two(text, 4)?, rule)
    }

    /// GS1 `YYYYMMDD` (also HIBC `/14D` and `/16D`).
    pub fn from_yyyymmdd(text: &str, rule: DayZero) -> Result<Self, DateError> {
        if text.len() != 8 {
            return Err(DateError::NotDigits);
        }
        let year = digits(&text[..4])? as u16;
        Self::with_day_zero(year, two(text, 4)?, two(text, 6)?, rule)
    }

    /// HIBC `MMYY`: the month's last day (an expiry month runs to its end).
    pub fn from_mmyy(text: &str, reference_year: u16) -> Result<Self, DateError> {
        if text.len() != 4 {
            return Err(DateError::NotDigits);
        }
        digits(text)?;
        let year = full_year(two(text, 2)?, reference_year);
        Self::with_day_zero(year, two(text, 0)?, 0, DayZero::MeansLastDay)
    }

    /// HIBC `MMDDYY`.
    pub fn from_mmddyy(text: &str, reference_year: u16) -> Result<Self, DateError> {
        if text.len() != 6 {
            return Err(DateError::NotDigits);
        }
        digits(text)?;
        let year = full_year(two(text, 4)?, reference_year);
        Self::new(year, two(text, 0)?, two(text, 2)?)
    }

    /// HIBC Julian `YYJJJ`: day of the year.
    pub fn from_yyjjj(text: &str, reference_year: u16) -> Result<Self, DateError> {
        if text.len() != 5 {
            return Err(DateError::NotDigits);
        }
        digits(text)?;
        let year = full_year(two(text, 0)?, reference_year);
        let day_of_year = digits(&text[2..5])? as u16;
        let days_in_year = if is_leap_year(year) { 366 } else { 365 };
        if day_of_year == 0 || day_of_year > days_in_year {
            return Err(DateError::DayOfYear {
                day: day_of_year,
                year,
            });
        }
        let mut remaining = day_of_year;
        let mut month = 1;
        while remaining > u16::from(days_in_month(year, month)) {
            remaining -= u16::from(days_in_month(year, month));
            month += 1;
        }
        Self::new(year, month, remaining as u8)
    }

    /// Hours (`HH`) or hours and minutes (`HHMM`) after a date.
    pub fn with_time_digits(self, text: &str) -> Result<Self, DateError> {
        match text.len() {
            2 => self.at(two(text, 0)?, None),
            4 => self.at(two(text, 0)?, Some(two(text, 2)?)),
            _ => Err(DateError::NotDigits),
        }
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    pub fn day(&self) -> u8 {
        self.day
    }

    pub fn hour(&self) -> Option<u8> {
        self.hour
    }

    /// The date alone, without its time.
    pub fn date_only(&self) -> Self {
        Self {
            hour: None,
            minute: None,
            ..*self
        }
    }

    /// GS1 `YYMMDD`, e.g. for rendering AI 17.
    pub fn to_yymmdd(&self) -> String {
        format!("{:02}{:02}{:02}", self.year % 100, self.month, self.day)
    }

    /// ISO 8601: `2026-12-31`, or `2026-12-31T14:30` with a time.
    pub fn to_iso(&self) -> String {
        let date = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        match self.hour {
            Some(hour) => format!("{date}T{hour:02}:{:02}", self.minute.unwrap_or(0)),
            None => date,
        }
    }

    /// Parses `to_iso`'s output.
    pub fn from_iso(text: &str) -> Result<Self, DateError> {
        let (date, time) = match text.split_once('T') {
            Some((date, time)) => (date, Some(time)),
            None => (text, None),
        };
        let parts: Vec<&str> = date.split('-').collect();
        let [year, month, day] = parts.as_slice() else {
            return Err(DateError::NotDigits);
        };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(DateError::NotDigits);
        }
        let parsed = Self::new(
            digits(year)? as u16,
            digits(month)? as u8,
            digits(day)? as u8,
        )?;
        match time {
            None => Ok(parsed),
            Some(time) => {
                let (hour, minute) = time.split_once(':').ok_or(DateError::NotDigits)?;
                if hour.len() != 2 || minute.len() != 2 {
                    return Err(DateError::NotDigits);
                }
                parsed.at(digits(hour)? as u8, Some(digits(minute)? as u8))
            }
        }
    }
}

impl fmt::Display for UdiDate {
    /// Plain English, as the implant card prints it: `31 December 2026`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.day,
            MONTH_NAMES[usize::from(self.month) - 1],
            self.year
        )?;
        if let Some(hour) = self.hour {
            write!(f, " {hour:02}:{:02}", self.minute.unwrap_or(0))?;
        }
        Ok(())
    }
}

impl Serialize for UdiDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for UdiDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_iso(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
