//! Values stored the native way on each engine: a point in time is `TIMESTAMPTZ` on
//! PostgreSQL and fixed-width ISO 8601 text on SQLite (so that comparing text compares time);
//! a day is `DATE` on PostgreSQL and `YYYY-MM-DD` text on SQLite. Rust code binds and reads
//! these types and never sees the difference.

use std::fmt;

use domain::calendar::CalendarDate;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Postgres, Sqlite, Type};
use time::{Duration, OffsetDateTime, UtcOffset};

/// A point in time, in UTC, to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    pub fn new(at: OffsetDateTime) -> Self {
        let at = at.to_offset(UtcOffset::UTC);
        // Both engines keep milliseconds at most here: round-trips compare equal.
        let millis = at.millisecond();
        Self(
            at.replace_nanosecond(u32::from(millis) * 1_000_000)
                .expect("milliseconds are valid nanoseconds"),
        )
    }

    pub fn at(self) -> OffsetDateTime {
        self.0
    }

    pub fn unix_seconds(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// ISO 8601 in UTC with milliseconds and `Z`, always 24 characters.
    pub fn to_iso(self) -> String {
        let at = self.0;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            at.millisecond()
        )
    }

    pub fn parse(text: &str) -> Option<Self> {
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .ok()
            .map(Self::new)
    }

    /// The day this falls on in UTC.
    pub fn day(self) -> CalendarDate {
        CalendarDate::new(self.0.year() as u16, u8::from(self.0.month()), self.0.day())
            .expect("a real moment falls on a real day")
    }
}

impl std::ops::Add<Duration> for Timestamp {
    type Output = Timestamp;

    fn add(self, duration: Duration) -> Timestamp {
        Timestamp::new(self.0 + duration)
    }
}

impl std::ops::Sub<Duration> for Timestamp {
    type Output = Timestamp;

    fn sub(self, duration: Duration) -> Timestamp {
        Timestamp::new(self.0 - duration)
    }
}

impl std::ops::Sub<Timestamp> for Timestamp {
    type Output = Duration;

    fn sub(self, earlier: Timestamp) -> Duration {
        self.0 - earlier.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Type<Sqlite> for Timestamp {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for Timestamp {
    fn encode_by_ref(
        &self,
        buffer: &mut Vec<SqliteArgumentValue<'q>>,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Sqlite>>::encode(self.to_iso(), buffer)
    }
}

impl<'r> Decode<'r, Sqlite> for Timestamp {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<'r, Sqlite>>::decode(value)?;
        Timestamp::parse(text).ok_or_else(|| format!("{text:?} is not a timestamp").into())
    }
}

impl Type<Postgres> for Timestamp {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl<'q> Encode<'q, Postgres> for Timestamp {
    fn encode_by_ref(&self, buffer: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <OffsetDateTime as Encode<'q, Postgres>>::encode_by_ref(&self.0, buffer)
    }
}

impl<'r> Decode<'r, Postgres> for Timestamp {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        <OffsetDateTime as Decode<'r, Postgres>>::decode(value).map(Timestamp::new)
    }
}

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub CalendarDate);

impl From<CalendarDate> for Day {
    fn from(date: CalendarDate) -> Self {
        Self(date)
    }
}

impl From<Day> for CalendarDate {
    fn from(day: Day) -> Self {
        day.0
    }
}

fn time_date(day: CalendarDate) -> Result<time::Date, BoxDynError> {
    let month = time::Month::try_from(day.month())?;
    Ok(time::Date::from_calendar_date(
        i32::from(day.year()),
        month,
        day.day(),
    )?)
}

impl Type<Sqlite> for Day {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for Day {
    fn encode_by_ref(
        &self,
        buffer: &mut Vec<SqliteArgumentValue<'q>>,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Sqlite>>::encode(self.0.to_iso(), buffer)
    }
}

impl<'r> Decode<'r, Sqlite> for Day {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<'r, Sqlite>>::decode(value)?;
        CalendarDate::from_iso(text)
            .map(Day)
            .ok_or_else(|| format!("{text:?} is not a date").into())
    }
}

impl Type<Postgres> for Day {
    fn type_info() -> PgTypeInfo {
        <time::Date as Type<Postgres>>::type_info()
    }
}

impl<'q> Encode<'q, Postgres> for Day {
    fn encode_by_ref(&self, buffer: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <time::Date as Encode<'q, Postgres>>::encode(time_date(self.0)?, buffer)
    }
}

impl<'r> Decode<'r, Postgres> for Day {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let date = <time::Date as Decode<'r, Postgres>>::decode(value)?;
        CalendarDate::new(
            u16::try_from(date.year())?,
            u8::from(date.month()),
            date.day(),
        )
        .map(Day)
        .ok_or_else(|| format!("{date} is outside the dates the registry holds").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_a_fixed_shape_keep_milliseconds_and_parse_back() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789).unwrap();
        let stamp = Timestamp::new(at);
        assert_eq!(stamp.to_iso(), "2023-11-14T22:13:20.123Z");
        assert_eq!(Timestamp::parse(&stamp.to_iso()), Some(stamp));
        assert_eq!((stamp + Duration::minutes(1)) - stamp, Duration::minutes(1));
        assert_eq!(stamp.day(), CalendarDate::new(2023, 11, 14).unwrap());
    }
}
