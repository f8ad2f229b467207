use super::*;

const REFERENCE_YEAR: u16 = 2026;

#[test]
fn two_digit_years_follow_the_gs1_sliding_window() {
    assert_eq!(full_year(26, 2026), 2026);
    assert_eq!(
        full_year(76, 2026),
        2076,
        "50 years ahead stays in this century"
    );
    assert_eq!(full_year(77, 2026), 1977, "51 years ahead is last century");
    assert_eq!(full_year(0, 2026), 2000);
    assert_eq!(full_year(99, 2049), 2099);
    assert_eq!(full_year(99, 2048), 1999);
    assert_eq!(
        full_year(0, 2075),
        2100,
        "50 years behind rolls into the next century"
    );
}

#[test]
fn day_zero_means_the_last_day_where_allowed() {
    let expiry = UdiDate::from_yymmdd("280200", DayZero::MeansLastDay, REFERENCE_YEAR).unwrap();
    assert_eq!(expiry.to_iso(), "2028-02-29", "2028 is a leap year");
    let expiry = UdiDate::from_yymmdd("270200", DayZero::MeansLastDay, REFERENCE_YEAR).unwrap();
    assert_eq!(expiry.to_iso(), "2027-02-28");
    assert_eq!(
        UdiDate::from_yymmdd("270200", DayZero::Invalid, REFERENCE_YEAR),
        Err(DateError::DayZero)
    );
}

#[test]
fn the_calendar_is_checked() {
    assert_eq!(
        UdiDate::from_yymmdd("270230", DayZero::MeansLastDay, REFERENCE_YEAR),
        Err(DateError::Day {
            day: 30,
            month_name: "February",
            year: 2027,
            days_in_month: 28
        })
    );
    assert_eq!(
        UdiDate::from_yymmdd("271301", DayZero::MeansLastDay, REFERENCE_YEAR),
        Err(DateError::Month { month: 13 })
    );
    assert_eq!(
        UdiDate::from_yymmdd("270431", DayZero::MeansLastDay, REFERENCE_YEAR)
            .unwrap_err()
            .to_string(),
        "April 2027 has 30 days, so day 31 does not exist"
    );
    assert!(UdiDate::from_yymmdd("2612a1", DayZero::MeansLastDay, REFERENCE_YEAR).is_err());
    assert_eq!(
        UdiDate::from_yyyymmdd("21000229", DayZero::Invalid)
            .unwrap_err()
            .to_string(),
        "February 2100 has 28 days, so day 29 does not exist"
    );
    assert!(UdiDate::from_yyyymmdd("20000229", DayZero::Invalid).is_ok());
}

#[test]
fn hibc_forms() {
    assert_eq!(
        UdiDate::from_mmyy("0227", REFERENCE_YEAR).unwrap().to_iso(),
        "2027-02-28"
    );
    assert_eq!(
        UdiDate::from_mmddyy("123126", REFERENCE_YEAR)
            .unwrap()
            .to_iso(),
        "2026-12-31"
    );
    assert_eq!(
        UdiDate::from_yyjjj("26001", REFERENCE_YEAR)
            .unwrap()
            .to_iso(),
        "2026-01-01"
    );
    assert_eq!(
        UdiDate::from_yyjjj("26365", REFERENCE_YEAR)
            .unwrap()
            .to_iso(),
        "2026-12-31"
    );
    assert_eq!(
        UdiDate::from_yyjjj("28060", REFERENCE_YEAR)
            .unwrap()
            .to_iso(),
        "2028-02-29"
    );
    assert_eq!(
        UdiDate::from_yyjjj("26366", REFERENCE_YEAR),
        Err(DateError::DayOfYear {
            day: 366,
            year: 2026
        })
    );
    let with_hour = UdiDate::from_yymmdd("261231", DayZero::Invalid, REFERENCE_YEAR)
        .unwrap()
        .with_time_digits("14")
        .unwrap();
    assert_eq!(with_hour.to_iso(), "2026-12-31T14:00");
    assert_eq!(
        UdiDate::new(2026, 1, 1).unwrap().with_time_digits("2460"),
        Err(DateError::Hour { hour: 24 })
    );
}

#[test]
fn iso_form_round_trips_and_orders_chronologically() {
    let early = UdiDate::from_iso("2026-01-31").unwrap();
    let late = UdiDate::from_iso("2026-02-01T08:30").unwrap();
    assert!(early < late);
    assert_eq!(UdiDate::from_iso(&late.to_iso()).unwrap(), late);
    assert_eq!(late.to_string(), "1 February 2026 08:30");
    let json = serde_json::to_string(&early).unwrap();
    assert_eq!(json, "\"2026-01-31\"");
    assert_eq!(serde_json::from_str::<UdiDate>(&json).unwrap(), early);
    assert!(UdiDate::from_iso("2026-02-30").is_err());
}
