//! Calendar dates as people enter them: day, month and year in separate boxes (the NHS.UK date
//! input), each problem said about the part that is wrong.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::udi::date::{MONTH_NAMES, days_in_month};

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
            MONTH_NAMES
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

    /// Days since 1 January 1970 (negative before it), for counting days between dates.
    ///
    /// Howard Hinnant's `days_from_civil`: counting years from 1 March puts the leap day last,
    /// so each 400-year era has the same 146,097 days and no table of month lengths is needed.
    pub fn days_since_epoch(&self) -> i32 {
        let month = i32::from(self.month);
        let year = i32::from(self.year) - i32::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i32::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1 January 1970 (Hinnant's `civil_from_days`); `None` outside the
    /// years this type holds (1800 to 65535).
    pub fn from_days_since_epoch(days: i32) -> Option<Self> {
        let shifted = i64::from(days) + 719_468;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
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
        "Your date of birth" => "your date of birth",
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
            MONTH_NAMES[usize::from(self.month) - 1],
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
    fn counts_days_from_1970() {
        let day = |y, m, d| CalendarDate::new(y, m, d).unwrap().days_since_epoch();
        assert_eq!(day(1970, 1, 1), 0);
        assert_eq!(day(1970, 1, 2), 1);
        assert_eq!(day(1969, 12, 31), -1);
        // 2000 is a leap year (divisible by 400): 2000-02-29 exists and March follows it.
        assert_eq!(day(2000, 3, 1) - day(2000, 2, 28), 2);
        // 1900 is not (divisible by 100, not 400).
        assert_eq!(day(1900, 3, 1) - day(1900, 2, 28), 1);
        // 30 years of 365 days plus the 7 leap days 1972, 1976, ... 1996.
        assert_eq!(day(2000, 1, 1), 30 * 365 + 7);
        assert_eq!(day(2026, 5, 13), 20_586);
    }

    #[test]
    fn day_numbers_turn_back_into_the_same_dates() {
        let start = CalendarDate::new(1800, 1, 1).unwrap().days_since_epoch();
        let end = CalendarDate::new(2400, 12, 31).unwrap().days_since_epoch();
        let mut previous: Option<CalendarDate> = None;
        for days in start..=end {
            let date = CalendarDate::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days);
            if let Some(previous) = previous {
                assert!(previous < date);
            }
            previous = Some(date);
        }
        assert_eq!(CalendarDate::from_days_since_epoch(start - 1), None);
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
