use super::*;
use crate::register::notice::MissingDetail;
use crate::register::{ComponentFacts, DateWindow, MatchOutcome, Selection, match_component};

fn today() -> CalendarDate {
    CalendarDate::new(2026, 11, 23).unwrap()
}

fn boxes(day: &str, month: &str, year: &str) -> DateBoxes {
    DateBoxes {
        day: day.into(),
        month: month.into(),
        year: year.into(),
    }
}

fn cup_lots() -> DeviceScopeForm {
    DeviceScopeForm {
        device_identifier: "5060123450019".into(),
        agency: "GS1".into(),
        selection: "lots".into(),
        values: "ab12, AB13\nab14;AB12".into(),
        ..DeviceScopeForm::default()
    }
}

fn complete() -> NoticeForm {
    NoticeForm {
        reference: "FSN-2026-014".into(),
        title: "Meridian Hip Cup: liner may loosen".into(),
        manufacturer_reference: "NGO-FSCA-0042".into(),
        fsn_date: boxes("2", "11", "2026"),
        problem:
            "The locking ring of some cups may not hold the liner.\n\nSee the attached analysis."
                .into(),
        risk: "The liner may move, causing pain and a revision operation.".into(),
        clinic_action: "Identify patients implanted with the listed lots and review them.".into(),
        patient_action: "You do not need to do anything now. Your hospital will contact you."
            .into(),
        devices: vec![cup_lots()],
    }
}

#[test]
fn a_complete_notice_parses_and_its_scope_matches() {
    let draft = complete().parse(today()).unwrap();
    assert_eq!(draft.fsn_date, CalendarDate::new(2026, 11, 2).unwrap());
    let Selection::Lots { lots } = &draft.scope.devices[0].selection else {
        panic!("lots expected");
    };
    assert_eq!(lots.as_slice(), ["AB12", "AB13", "AB14"]);
    let component = ComponentFacts {
        device_identifier: draft.scope.devices[0].device_identifier.clone(),
        lot: Some("ab14".into()),
        serial: None,
        expiry: None,
        manufactured: None,
    };
    assert_eq!(
        match_component(&draft.scope, &component),
        MatchOutcome::Affected
    );
}

#[test]
fn an_empty_notice_lists_every_problem_at_once() {
    let errors = NoticeForm::default().parse(today()).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "reference",
            "title",
            "manufacturer_reference",
            "fsn_date",
            "problem",
            "risk",
            "clinic_action",
            "patient_action",
            "devices"
        ]
    );
    assert_eq!(
        errors[3].message,
        "Enter the date of the manufacturer's notice"
    );
    assert_eq!(errors[7].message, "Enter the advice for patients");
}

#[test]
fn limits_dates_and_device_problems_are_all_reported() {
    let form = NoticeForm {
        title: "T\title".into(),
        fsn_date: boxes("1", "12", "2026"),
        patient_action: "a".repeat(2001),
        devices: vec![
            DeviceScopeForm {
                device_identifier: "5060123450018".into(),
                selection: "lot_range".into(),
                range_first: "A2000".into(),
                range_last: "A1000".into(),
                expiry_from: boxes("1", "", "2027"),
                ..cup_lots()
            },
            DeviceScopeForm {
                agency: "".into(),
                device_identifier: "".into(),
                selection: "everything".into(),
                manufactured_from: boxes("1", "6", "2024"),
                manufactured_to: boxes("1", "1", "2024"),
                ..cup_lots()
            },
        ],
        ..complete()
    };
    let messages: Vec<String> = form
        .parse(today())
        .unwrap_err()
        .into_iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    let expected = [
        "title: Title contains an invisible control character at character 2: retype it",
        "fsn_date: Date of the manufacturer's notice must be today or in the past",
        "patient_action: Advice for patients must be 2000 characters or fewer (it has 2001): shorten it",
        "scope-0-device_identifier: Device 1: The last digit (the check digit) should be 9, not 8",
        "scope-0-range_first: Device 1: The first lot of the range (A2000) comes after the last (A1000): swap them",
        "scope-0-expiry_from: Device 1: Start of the expiry window must include a month",
        "scope-1-agency: Device 2: Choose the issuing agency",
        "scope-1-device_identifier: Device 2: Enter the device identifier (UDI-DI)",
        "scope-1-selection: Device 2: Units concerned 'everything' is not one the register knows: use one of all, lots, serials, lot_range, serial_range",
        "scope-1-manufactured_from: Device 2: Start of the manufacture window (1 June 2024) is after its end (1 January 2024): swap them",
    ];
    assert_eq!(messages.len(), expected.len(), "{messages:#?}");
    for (message, start) in messages.iter().zip(expected) {
        assert!(
            message.starts_with(start),
            "{message}\n  should start with\n{start}"
        );
    }
}

#[test]
fn listed_values_are_checked_one_by_one_and_limited() {
    let listed = |values: String| {
        NoticeForm {
            devices: vec![DeviceScopeForm {
                values,
                ..cup_lots()
            }],
            ..complete()
        }
        .parse(today())
    };
    let errors = listed(format!("AB12, {}, A~1", "L".repeat(21))).unwrap_err();
    assert_eq!(errors.len(), 2);
    assert!(errors[0].message.contains("A lot is at most 20 characters"));
    assert!(
        errors[1]
            .message
            .starts_with("Device 1: A~1: '~' cannot be in a lot")
    );
    let many_bad: String = (0..15).map(|i| format!("BAD~{i} ")).collect();
    let errors = listed(many_bad).unwrap_err();
    assert_eq!(errors.len(), 11);
    assert_eq!(errors[10].message, "Device 1: 5 more lots have problems");
    let too_many: String = (0..10_001).map(|i| format!("L{i},")).collect();
    let errors = listed(too_many).unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("at most 10000 lots for one device; this has 10001")
    );
    assert!(listed((0..10_000).map(|i| format!("L{i},")).collect()).is_ok());
    assert!(
        listed("  ".into()).unwrap_err()[0]
            .message
            .contains("Enter the lots")
    );
}

#[test]
fn ranges_windows_and_serials_from_the_form() {
    let form = NoticeForm {
        devices: vec![
            DeviceScopeForm {
                selection: "serial_range".into(),
                range_first: "pm000001".into(),
                range_last: "PM000500".into(),
                expiry_to: boxes("31", "1", "2027"),
                ..cup_lots()
            },
            DeviceScopeForm {
                agency: "hibcc".into(),
                device_identifier: "M456SPC3000".into(),
                selection: "all".into(),
                manufactured_from: boxes("1", "jan", "2024"),
                ..cup_lots()
            },
        ],
        ..complete()
    };
    let draft = form.parse(today()).unwrap();
    let serials = &draft.scope.devices[0];
    let Selection::SerialRange { range } = &serials.selection else {
        panic!("serial range expected");
    };
    assert_eq!((range.first(), range.last()), ("PM000001", "PM000500"));
    assert_eq!(
        serials.expiry,
        Some(DateWindow {
            from: None,
            to: CalendarDate::new(2027, 1, 31)
        })
    );
    let no_expiry = ComponentFacts {
        device_identifier: serials.device_identifier.clone(),
        lot: None,
        serial: Some("PM000007".into()),
        expiry: None,
        manufactured: None,
    };
    assert_eq!(
        match_component(&draft.scope, &no_expiry),
        MatchOutcome::PossiblyAffected {
            missing: vec![MissingDetail::ExpiryDate]
        }
    );
    assert_eq!(draft.scope.devices[1].selection, Selection::AllUnits);
    let empty_range = NoticeForm {
        devices: vec![DeviceScopeForm {
            selection: "lot_range".into(),
            ..cup_lots()
        }],
        ..complete()
    };
    let fields: Vec<String> = empty_range
        .parse(today())
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["scope-0-range_first", "scope-0-range_last"]);
}
