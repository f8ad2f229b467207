//! Calendar dates as people enter them: day, month and year in separate boxes (the NHS.UK date
//! input), each problem said about the part that is wrong.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::udi::date::days_in_month;

/// A real calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

/// What is wrong with an entered date, in the NHS.UK pattern's words ("… must include a
/// month"); the caller puts the field's name in front.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateProblem {
    #[error("Enter {what}")]
    Missing { what: &'static str },
    #[error("{what} must include a {part}")]
    MissingPart {
        what: &'static str,
        part: &'static str,
    },
    #[error("{what} must be a real date")]
    NotReal { what: &'static str },
    #[error("Year must include 4 numbers")]
    YearDigits,
}

const MONTHS: [&str; 12] = [
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

impl CalendarDate {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && year >= 1800)
            .then_some(Self { year, month, day })
    }

    /// From the three boxes of a date input. `what` names the date in messages, e.g.
    /// "Date of birth". Month may be a number or a month name.
    pub fn from_parts(
        day: &str,
        month: &str,
        year: &str,
        what: &'static str,
    ) -> Result<Self, DateProblem> {
        let (day, month, year) = (day.trim(), month.trim(), year.trim());
        if day.is_empty() && month.is_empty() && year.is_empty() {
            return Err(DateProblem::Missing {
                what: lowercase_first(what),
            });
        }
        for (value, part) in [(day, "day"), (month, "month"), (year, "year")] {
            if value.is_empty() {
                return Err(DateProblem::MissingPart { what, part });
            }
        }
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateProblem::YearDigits);
        }
        let month_number = month.parse::<u8>().ok().or_else(|| {
            MONTHS
                .iter()
                .position(|name| {
                    name.to_lowercase().starts_with(&month.to_lowercase()) && month.len() >= 3
                })
                .map(|index| index as u8 + 1)
        });
        let (Some(month), Ok(day), Ok(year)) =
            (month_number, day.parse::<u8>(), year.parse::<u16>())
        else {
            return Err(DateProblem::NotReal { what });
        };
        Self::new(year, month, day).ok_or(DateProblem::NotReal { what })
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

    /// `YYYY-MM-DD`.
    pub fn to_iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn from_iso(text: &str) -> Option<Self> {
        let mut parts = text.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        Self::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// Whole years from `self` to `later` (an age).
    pub fn years_until(&self, later: &CalendarDate) -> i32 {
        let mut years = i32::from(later.year) - i32::from(self.year);
        if (later.month, later.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }
}

fn lowercase_first(what: &'static str) -> &'static str {
    // The phrases used are fixed; "Enter date of birth" reads better than "Enter Date of birth".
    match what {
        "Date of birth" => "the date of birth",
        "Procedure date" => "the procedure date",
        "Expiry date" => "the expiry date",
        other => other,
    }
}

impl fmt::Display for CalendarDate {
    /// `13 May 1960`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month) - 1],
            self.year
        )
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::from_iso(&text).ok_or_else(|| format!("{text} is not a date in YYYY-MM-DD form"))
    }
}

impl From<CalendarDate> for String {
    fn from(date: CalendarDate) -> Self {
        date.to_iso()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_boxes_and_says_which_part_is_wrong() {
        let date = CalendarDate::from_parts("13", "5", "1960", "Date of birth").unwrap();
        assert_eq!(date.to_iso(), "1960-05-13");
        assert_eq!(date.to_string(), "13 May 1960");
        assert_eq!(
            CalendarDate::from_parts("13", "may", "1960", "Date of birth"),
            Ok(date)
        );
        assert_eq!(
            CalendarDate::from_parts("", "", "", "Date of birth")
                .unwrap_err()
                .to_string(),
            "Enter the date of birth"
        );
        assert_eq!(
            CalendarDate::from_parts("13", "", "1960", "Date of birth")
                .unwrap_err()
                .to_string(),
            "Date of birth must include a month"
        );
        assert_eq!(
            CalendarDate::from_parts("31", "2", "1960", "Date of birth")
                .unwrap_err()
                .to_string(),
            "Date of birth must be a real date"
        );
        assert_eq!(
            CalendarDate::from_parts("1", "2", "60", "Date of birth").unwrap_err(),
            DateProblem::YearDigits
        );
    }

    #[test]
    fn ages_count_whole_years() {
        let birth = CalendarDate::new(1960, 5, 13).unwrap();
        assert_eq!(
            birth.years_until(&CalendarDate::new(2026, 5, 12).unwrap()),
            65
        );
        assert_eq!(
            birth.years_until(&CalendarDate::new(2026, 5, 13).unwrap()),
            66
        );
    }

    #[test]
    fn serialises_as_iso() {
        let date = CalendarDate::new(2026, 11, 23).unwrap();
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2026-11-23\"");
        assert_eq!(
            serde_json::from_str::<CalendarDate>("\"2026-11-23\"").unwrap(),
            date
        );
        assert!(serde_json::from_str::<CalendarDate>("\"2026-02-30\"").is_err());
    }
}
