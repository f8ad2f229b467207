use proptest::prelude::*;

use super::*;
use crate::udi::IssuingAgency;

fn di(text: &str) -> DeviceIdentifier {
    DeviceIdentifier::parse(IssuingAgency::Gs1, text).unwrap()
}

const CUP: &str = "05060123450019";
const STEM: &str = "05060123450026";

fn date(year: u16, month: u8, day: u8) -> CalendarDate {
    CalendarDate::new(year, month, day).unwrap()
}

fn scope(selection: Selection) -> NoticeScope {
    NoticeScope {
        devices: vec![DeviceScope {
            device_identifier: di(CUP),
            selection,
            manufactured: None,
            expiry: None,
        }],
    }
}

fn component(lot: Option<&str>, serial: Option<&str>) -> ComponentFacts {
    ComponentFacts {
        device_identifier: di(CUP),
        lot: lot.map(str::to_string),
        serial: serial.map(str::to_string),
        expiry: None,
        manufactured: None,
    }
}

fn possibly(missing: &[MissingDetail]) -> MatchOutcome {
    MatchOutcome::PossiblyAffected {
        missing: missing.to_vec(),
    }
}

fn lot_range(first: &str, last: &str) -> Selection {
    Selection::LotRange {
        range: CodeRange::new(first, last, CodeKind::Lot).unwrap(),
    }
}

#[test]
fn all_units_of_a_named_di_and_nothing_else() {
    let notice = scope(Selection::AllUnits);
    assert_eq!(
        match_component(&notice, &component(None, None)),
        MatchOutcome::Affected
    );
    let other = ComponentFacts {
        device_identifier: di(STEM),
        ..component(None, None)
    };
    assert_eq!(match_component(&notice, &other), MatchOutcome::NotAffected);
}

#[test]
fn listed_lots_compare_trimmed_and_ignoring_case() {
    let notice = scope(Selection::Lots {
        lots: CodeList::from(vec!["ab12".into(), "AB13".into(), "AB12".into()]),
    });
    if let Selection::Lots { lots } = &notice.devices[0].selection {
        assert_eq!(lots.as_slice(), ["AB12", "AB13"]);
    }
    assert_eq!(
        match_component(&notice, &component(Some(" ab13 "), None)),
        MatchOutcome::Affected
    );
    assert_eq!(
        match_component(&notice, &component(Some("AB14"), None)),
        MatchOutcome::NotAffected
    );
    assert_eq!(
        match_component(&notice, &component(None, Some("S1"))),
        possibly(&[MissingDetail::Lot])
    );
    assert_eq!(
        match_component(&notice, &component(Some("  "), None)),
        possibly(&[MissingDetail::Lot])
    );
}

#[test]
fn listed_serials_and_a_record_without_one() {
    let notice = scope(Selection::Serials {
        serials: CodeList::from(vec!["SN-0042".into()]),
    });
    assert_eq!(
        match_component(&notice, &component(None, Some("sn-0042"))),
        MatchOutcome::Affected
    );
    assert_eq!(
        match_component(&notice, &component(None, Some("SN-0043"))),
        MatchOutcome::NotAffected
    );
    assert_eq!(
        match_component(&notice, &component(Some("AB12"), None)),
        possibly(&[MissingDetail::Serial])
    );
}

#[test]
fn lot_ranges_compare_the_number_by_value_within_one_prefix() {
    let notice = scope(lot_range("A1000", "a1999"));
    let outcome = |lot: &str| match_component(&notice, &component(Some(lot), None));
    for inside in ["A1000", "a1500", "A1999", "A01500", " a1234 ", "A1500X"] {
        assert_eq!(outcome(inside), MatchOutcome::Affected, "{inside}");
    }
    for outside in [
        "A999", "A2000", "A19990", "B1500", "AA1500", "1500", "A", "A1999X",
    ] {
        assert_eq!(outcome(outside), MatchOutcome::NotAffected, "{outside}");
    }
    assert_eq!(
        match_component(&notice, &component(None, None)),
        possibly(&[MissingDetail::Lot])
    );
}

#[test]
fn ranges_across_lengths_follow_the_numbers_not_the_letters() {
    // As text "A999" sorts after "A1000"; as numbers it comes first.
    let notice = scope(lot_range("A999", "A1000"));
    let outcome = |lot: &str| match_component(&notice, &component(Some(lot), None));
    assert_eq!(outcome("A999"), MatchOutcome::Affected);
    assert_eq!(outcome("A1000"), MatchOutcome::Affected);
    assert_eq!(outcome("A9999"), MatchOutcome::NotAffected);
    assert_eq!(outcome("A99"), MatchOutcome::NotAffected);
    // Prefixes may hold digits: the number is the last run of digits.
    let dated = scope(lot_range("2024-0100", "2024-0250"));
    let outcome = |lot: &str| match_component(&dated, &component(Some(lot), None));
    assert_eq!(outcome("2024-0150"), MatchOutcome::Affected);
    assert_eq!(outcome("2023-0150"), MatchOutcome::NotAffected);
}

#[test]
fn serial_ranges() {
    let notice = scope(Selection::SerialRange {
        range: CodeRange::new("PM000001", "PM000500", CodeKind::Serial).unwrap(),
    });
    assert_eq!(
        match_component(&notice, &component(None, Some("pm000321"))),
        MatchOutcome::Affected
    );
    assert_eq!(
        match_component(&notice, &component(None, Some("PM000501"))),
        MatchOutcome::NotAffected
    );
    assert_eq!(
        match_component(&notice, &component(Some("L1"), None)),
        possibly(&[MissingDetail::Serial])
    );
}

#[test]
fn range_keys_are_readable_and_sortable() {
    assert_eq!(range_key("A1000"), "A~041000~");
    assert_eq!(range_key("a999"), "A~03999~");
    assert_eq!(range_key("LOT-A1000B"), "LOT-A~041000~B");
    assert_eq!(range_key("A000"), "A~00~");
    assert_eq!(range_key("ABC"), "ABC~");
    assert_eq!(range_key("Lé5"), "Lé~015~");
    assert!(range_key("A999") < range_key("A1000"));
}

#[test]
fn a_range_must_be_well_formed() {
    fn error(first: &str, last: &str) -> String {
        CodeRange::new(first, last, CodeKind::Lot).unwrap_err()
    }
    assert!(error("A1000", "B1999").contains("must start the same way"));
    assert!(error("A2000", "A1000").contains("comes after the last (A1000): swap them"));
    assert!(error("ABC", "ABD").contains("needs a number"));
    assert!(error("A1", &"A".repeat(20)).contains("needs a number"));
    assert!(error("A1", &format!("A{}", "1".repeat(20))).contains("at most 20 characters"));
    assert!(error("A 1", "A2").contains("' ' cannot be in a lot"));
    assert!(error("", "A2").contains("Enter the lot"));
    assert_eq!(
        CodeRange::new("a1", "a1", CodeKind::Lot).unwrap().keys(),
        ("A~011~".to_string(), "A~011~".to_string())
    );
}

#[test]
fn date_windows_are_inclusive_and_may_be_open() {
    let window = DateWindow {
        from: Some(date(2024, 1, 1)),
        to: Some(date(2024, 6, 30)),
    };
    assert!(window.contains(date(2024, 1, 1)));
    assert!(window.contains(date(2024, 6, 30)));
    assert!(!window.contains(date(2023, 12, 31)));
    assert!(!window.contains(date(2024, 7, 1)));
    let open = DateWindow {
        from: None,
        to: Some(date(2024, 6, 30)),
    };
    assert!(open.contains(date(1990, 1, 1)));
}

#[test]
fn manufacture_and_expiry_windows_and_what_is_missing() {
    let mut notice = scope(Selection::AllUnits);
    notice.devices[0].manufactured = Some(DateWindow {
        from: Some(date(2024, 1, 1)),
        to: Some(date(2024, 6, 30)),
    });
    let made = |manufactured| ComponentFacts {
        manufactured,
        ..component(None, None)
    };
    assert_eq!(
        match_component(&notice, &made(Some(date(2024, 6, 30)))),
        MatchOutcome::Affected
    );
    assert_eq!(
        match_component(&notice, &made(Some(date(2024, 7, 1)))),
        MatchOutcome::NotAffected
    );
    assert_eq!(
        match_component(&notice, &made(None)),
        possibly(&[MissingDetail::ManufactureDate])
    );

    let mut notice = scope(Selection::AllUnits);
    notice.devices[0].expiry = Some(DateWindow {
        from: Some(date(2027, 3, 1)),
        to: None,
    });
    let expiring = |expiry| ComponentFacts {
        expiry,
        ..component(None, None)
    };
    assert_eq!(
        match_component(&notice, &expiring(Some(date(2027, 3, 1)))),
        MatchOutcome::Affected
    );
    assert_eq!(
        match_component(&notice, &expiring(Some(date(2027, 2, 28)))),
        MatchOutcome::NotAffected
    );
    assert_eq!(
        match_component(&notice, &expiring(None)),
        possibly(&[MissingDetail::ExpiryDate])
    );
}

#[test]
fn a_detail_that_rules_out_wins_over_those_missing() {
    let mut notice = scope(Selection::Lots {
        lots: CodeList::from(vec!["AB12".into()]),
    });
    notice.devices[0].expiry = Some(DateWindow {
        from: None,
        to: Some(date(2027, 1, 31)),
    });
    assert_eq!(
        match_component(&notice, &component(Some("ZZ99"), None)),
        MatchOutcome::NotAffected
    );
    assert_eq!(
        match_component(&notice, &component(None, None)),
        possibly(&[MissingDetail::Lot, MissingDetail::ExpiryDate])
    );
    assert_eq!(
        match_component(&notice, &component(Some("AB12"), None)),
        possibly(&[MissingDetail::ExpiryDate])
    );
}

#[test]
fn any_named_di_that_matches_makes_the_component_affected() {
    let mut notice = scope(Selection::Lots {
        lots: CodeList::from(vec!["AB12".into()]),
    });
    notice.devices.push(DeviceScope {
        device_identifier: di(CUP),
        selection: Selection::Serials {
            serials: CodeList::from(vec!["S1".into()]),
        },
        manufactured: None,
        expiry: None,
    });
    assert_eq!(
        match_component(&notice, &component(None, Some("S1"))),
        MatchOutcome::Affected
    );
    assert_eq!(
        match_component(&notice, &component(None, None)),
        possibly(&[MissingDetail::Lot, MissingDetail::Serial])
    );
    assert_eq!(notice.device_identifiers().count(), 2);
    let json = serde_json::to_string(&notice).unwrap();
    assert_eq!(serde_json::from_str::<NoticeScope>(&json).unwrap(), notice);
    let range = CodeRange::new("A1", "A9", CodeKind::Lot).unwrap();
    let json = serde_json::to_string(&range).unwrap();
    assert_eq!(json, r#"{"first":"A1","last":"A9"}"#);
    assert_eq!(serde_json::from_str::<CodeRange>(&json).unwrap(), range);
    assert!(serde_json::from_str::<CodeRange>(r#"{"first":"A9","last":"A1"}"#).is_err());
}

/// The range's meaning, said independently of the keys: same prefix, (number, suffix)
/// between the bounds'.
fn in_range_by_definition(code: &str, first: &str, last: &str) -> bool {
    fn parts(code: &str) -> Option<(String, u128, String)> {
        let code = code.trim().to_ascii_uppercase();
        let end = code.rfind(|c: char| c.is_ascii_digit())? + 1;
        let start = code[..end]
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        Some((
            code[..start].into(),
            code[start..end].parse().ok()?,
            code[end..].into(),
        ))
    }
    let (Some(code), Some(first), Some(last)) = (parts(code), parts(first), parts(last)) else {
        return false;
    };
    code.0 == first.0
        && (code.1, &code.2) >= (first.1, &first.2)
        && (code.1, &code.2) <= (last.1, &last.2)
}

proptest! {
    #[test]
    fn the_match_agrees_with_comparing_keys_and_with_the_definition(
        prefix in "[A-C]{0,2}",
        other_prefix in "[A-C]{0,2}",
        first in 0u64..5000,
        span in 0u64..5000,
        number in 0u64..12000,
        zeros in 0usize..3,
        suffix in "[XY]{0,1}",
        lowercase in any::<bool>(),
    ) {
        let (first, last) = (format!("{prefix}{first}"), format!("{prefix}{}", first + span));
        let range = CodeRange::new(&first, &last, CodeKind::Lot).unwrap();
        let mut code = format!("{other_prefix}{}{number}{suffix}", "0".repeat(zeros));
        if lowercase {
            code = code.to_lowercase();
        }
        let (first_key, last_key) = range.keys();
        let key = range_key(&code);
        prop_assert_eq!(range.contains(&code), first_key <= key && key <= last_key);
        prop_assert_eq!(range.contains(&code), in_range_by_definition(&code, &first, &last));
    }

    #[test]
    fn keys_order_numbers_by_value(prefix in "[A-Z]{0,3}", a in 0u64..u64::MAX, b in 0u64..u64::MAX) {
        let (key_a, key_b) = (range_key(&format!("{prefix}{a}")), range_key(&format!("{prefix}{b}")));
        prop_assert_eq!(key_a.cmp(&key_b), a.cmp(&b));
    }
}
