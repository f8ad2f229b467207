//! Moments as people in the UK read them: "20 November 2026 at 2:02pm", in UK time (GMT in
//! winter, BST in summer), never UTC with milliseconds. The server keeps and sends moments in
//! UTC (ISO 8601); every page shows them through this one formatter.

use std::fmt;

use crate::calendar::CalendarDate;

/// A moment in UK local time, to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UkTime {
    date: CalendarDate,
    hour: u8,
    minute: u8,
}

/// The last Sunday of `month` in `year` (the UK's clock changes fall on them).
fn last_sunday(year: u16, month: u8) -> CalendarDate {
    let last_day = crate::udi::date::days_in_month(year, month);
    let last = CalendarDate::new(year, month, last_day).expect("a month's last day");
    // 1 January 1970 was a Thursday: day 0 is weekday 4 (Sunday = 0).
    let weekday = (last.days_since_epoch() + 4).rem_euclid(7);
    CalendarDate::from_days_since_epoch(last.days_since_epoch() - weekday)
        .expect("within the same month")
}

/// Whether British Summer Time applies at `date` `hour`:00 UTC: from 01:00 UTC on the last
/// Sunday of March to 01:00 UTC on the last Sunday of October.
fn summer_time(date: CalendarDate, hour: u8) -> bool {
    let starts = (last_sunday(date.year(), 3), 1);
    let ends = (last_sunday(date.year(), 10), 1);
    let now = (date, hour);
    now >= starts && now < ends
}

impl UkTime {
    /// From an ISO 8601 UTC timestamp as the server sends it (`2026-11-20T14:02:31.123Z`;
    /// seconds and fractions are ignored). `None` for anything else.
    pub fn from_utc_iso(text: &str) -> Option<Self> {
        let (day, rest) = text.split_once('T')?;
        let date = CalendarDate::from_iso(day)?;
        if !(rest.ends_with('Z') || rest.ends_with("+00:00")) {
            return None;
        }
        let number = |part: Option<&str>, max: u8| {
            part.filter(|part| part.len() == 2)
                .and_then(|part| part.parse::<u8>().ok())
                .filter(|value| *value <= max)
        };
        let mut clock = rest.split(':');
        let hour = number(clock.next(), 23)?;
        let minute = number(clock.next(), 59)?;
        let (date, hour) = if summer_time(date, hour) {
            if hour == 23 {
                (
                    CalendarDate::from_days_since_epoch(date.days_since_epoch() + 1)?,
                    0,
                )
            } else {
                (date, hour + 1)
            }
        } else {
            (date, hour)
        };
        Some(Self { date, hour, minute })
    }

    pub fn date(&self) -> CalendarDate {
        self.date
    }

    /// "2:02pm", "10am", "12:30pm" (the NHS.UK style for times).
    pub fn clock(&self) -> String {
        let suffix = if self.hour < 12 { "am" } else { "pm" };
        let hour = match self.hour % 12 {
            0 => 12,
            other => other,
        };
        if self.minute == 0 {
            format!("{hour}{suffix}")
        } else {
            format!("{hour}:{:02}{suffix}", self.minute)
        }
    }
}

impl fmt::Display for UkTime {
    /// "20 November 2026 at 2:02pm".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.date, self.clock())
    }
}

/// An ISO 8601 UTC timestamp in words, in UK time; the text itself if it is not one.
pub fn uk_time(iso: &str) -> String {
    UkTime::from_utc_iso(iso).map_or_else(|| iso.to_string(), |time| time.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_is_gmt_and_summer_is_an_hour_ahead() {
        assert_eq!(
            uk_time("2026-11-20T14:02:31.123Z"),
            "20 November 2026 at 2:02pm"
        );
        assert_eq!(uk_time("2026-07-01T09:00:00.000Z"), "1 July 2026 at 10am");
        assert_eq!(uk_time("2026-07-01T11:30:00Z"), "1 July 2026 at 12:30pm");
        assert_eq!(uk_time("2026-01-05T00:15:00Z"), "5 January 2026 at 12:15am");
    }

    #[test]
    fn the_clocks_change_on_the_last_sundays_of_march_and_october_at_one_utc() {
        // 2026: 29 March and 25 October are the last Sundays.
        assert_eq!(
            last_sunday(2026, 3),
            CalendarDate::new(2026, 3, 29).unwrap()
        );
        assert_eq!(
            last_sunday(2026, 10),
            CalendarDate::new(2026, 10, 25).unwrap()
        );
        assert_eq!(uk_time("2026-03-29T00:59:00Z"), "29 March 2026 at 12:59am");
        assert_eq!(uk_time("2026-03-29T01:00:00Z"), "29 March 2026 at 2am");
        assert_eq!(uk_time("2026-10-25T00:59:00Z"), "25 October 2026 at 1:59am");
        assert_eq!(uk_time("2026-10-25T01:00:00Z"), "25 October 2026 at 1am");
    }

    #[test]
    fn late_summer_evenings_move_to_the_next_day() {
        assert_eq!(uk_time("2026-06-30T23:10:00Z"), "1 July 2026 at 12:10am");
    }

    #[test]
    fn anything_else_is_left_as_it_is() {
        assert_eq!(uk_time("garbled"), "garbled");
        assert_eq!(
            uk_time("2026-11-20T14:02:31+01:00"),
            "2026-11-20T14:02:31+01:00"
        );
        assert_eq!(uk_time("2026-11-20T25:00:00Z"), "2026-11-20T25:00:00Z");
    }
}
