use super::*;

/// Appends the check character, computed by the modulo-43 rule.
fn with_check(data: &str) -> String {
    format!("{data}{}", check_character(data).unwrap())
}

#[test]
fn check_character_is_the_sum_of_values_modulo_43() {
    // + (41) A (10) 1 (1) 2 (2) 3 (3) B (11) J (19) C (12) 5 (5) 1 (1): sum 105, 105 mod 43 = 19 → J.
    assert_eq!(check_character("+A123BJC51"), Some('J'));
    assert_eq!(character_value('%'), Some(42));
    assert_eq!(character_value(' '), Some(38));
    assert_eq!(character_value('a'), None);
}

#[test]
fn primary_alone() {
    let hibc = parse(&with_check("+A123BJC5D6E71"), 2026).unwrap();
    let primary = hibc.primary.unwrap();
    assert_eq!(primary.labeler, "A123");
    assert_eq!(primary.product, "BJC5D6E7");
    assert_eq!(primary.unit_of_measure, 1);
    assert_eq!(primary.device_identifier(), "A123BJC5D6E71");
    assert!(hibc.secondary.is_none());
}

#[test]
fn concatenated_primary_and_secondary_with_each_date_form() {
    let cases = [
        ("$$0227LOT1", "2027-02-28"),
        ("$$2123126LOT1", "2026-12-31"),
        ("$$3261231LOT1", "2026-12-31"),
        ("$$426123114LOT1", "2026-12-31T14:00"),
        ("$$526365LOT1", "2026-12-31"),
        ("$$62636514LOT1", "2026-12-31T14:00"),
    ];
    for (secondary, expiry) in cases {
        let text = with_check(&format!("+A123BJC5D6E71/{secondary}"));
        let hibc = parse(&text, 2026).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let secondary = hibc.secondary.unwrap();
        assert_eq!(secondary.expiry.unwrap().to_iso(), expiry, "{text}");
        assert_eq!(secondary.lot.as_deref(), Some("LOT1"), "{text}");
    }
}

#[test]
fn serials_quantities_lots_and_supplements() {
    let hibc = parse(&with_check("+A123BJC5D6E71/$$+3261231SER9"), 2026).unwrap();
    assert_eq!(hibc.secondary.unwrap().serial.as_deref(), Some("SER9"));
    let hibc = parse(&with_check("+A123BJC5D6E71/$$8053261231L7"), 2026).unwrap();
    let secondary = hibc.secondary.unwrap();
    assert_eq!(secondary.quantity, Some(5));
    assert_eq!(secondary.lot.as_deref(), Some("L7"));
    let hibc = parse(
        &with_check("+A123BJC5D6E71/$$7L7/S123/16D20250101/14D20301231"),
        2026,
    )
    .unwrap();
    let secondary = hibc.secondary.unwrap();
    assert_eq!(secondary.lot.as_deref(), Some("L7"));
    assert_eq!(secondary.serial.as_deref(), Some("123"));
    assert_eq!(secondary.manufactured.unwrap().to_iso(), "2025-01-01");
    assert_eq!(secondary.expiry.unwrap().to_iso(), "2030-12-31");
    let hibc = parse(&with_check("+A123BJC5D6E71/$+SER1"), 2026).unwrap();
    assert_eq!(hibc.secondary.unwrap().serial.as_deref(), Some("SER1"));
}

#[test]
fn a_separate_secondary_carries_the_primarys_check_as_its_link() {
    let primary = with_check("+A123BJC5D6E71");
    let link = primary.chars().last().unwrap();
    let secondary = with_check(&format!("+$$3261231LOT1{link}"));
    let hibc = parse(&secondary, 2026).unwrap();
    assert!(hibc.primary.is_none());
    let secondary = hibc.secondary.unwrap();
    assert_eq!(secondary.link_character, Some(link));
    assert_eq!(secondary.lot.as_deref(), Some("LOT1"));
    // The older Julian form.
    let hibc = parse(&with_check(&format!("+26365LOT1{link}")), 2026).unwrap();
    assert_eq!(
        hibc.secondary.unwrap().expiry.unwrap().to_iso(),
        "2026-12-31"
    );
}

#[test]
fn errors_say_what_is_wrong() {
    let good = with_check("+A123BJC5D6E71");
    let wrong_check = format!(
        "{}{}",
        &good[..good.len() - 1],
        if good.ends_with('0') { '1' } else { '0' }
    );
    assert!(matches!(
        parse(&wrong_check, 2026).unwrap_err()[0].kind,
        UdiErrorKind::HibcCheckCharacter { .. }
    ));
    assert_eq!(
        parse("+a123bjc5d6e71x", 2026).unwrap_err()[0].kind,
        UdiErrorKind::HibcLowerCase
    );
    let errors = parse(&with_check("+A123BJC5D6E7X"), 2026).unwrap_err();
    assert!(
        errors[0]
            .to_string()
            .contains("unit of measure must be a digit"),
        "{}",
        errors[0]
    );
    let errors = parse(&with_check("+A123BJC5D6E71/$$3261331LOT"), 2026).unwrap_err();
    assert!(errors[0].to_string().contains("month 13"), "{}", errors[0]);
    let errors = parse(&with_check(&format!("+A123{}1", "P".repeat(19))), 2026).unwrap_err();
    assert!(errors[0].to_string().contains("1 to 18"), "{}", errors[0]);
}

/// Found by the `hibcc` fuzz target: a /14D expiry in 4412 was printed as $$3 YYMMDD and
/// read back as 2012.
#[test]
fn an_expiry_in_any_century_prints_and_reads_back_the_same() {
    let hibc = parse(
        &with_check("+A1BJ32C5D6E71/$$+42706301430SER/14D44120430"),
        2026,
    )
    .unwrap();
    let secondary = hibc.secondary.unwrap();
    assert_eq!(secondary.expiry.unwrap().to_iso(), "4412-04-30");
    let printed = render(&hibc.primary.unwrap(), Some(&secondary));
    assert_eq!(printed, with_check("+A1BJ32C5D6E71/$+30SER/14D44120430"));
    let again = parse(&printed, 2026).unwrap().secondary.unwrap();
    assert_eq!(
        (again.expiry, again.serial),
        (secondary.expiry, secondary.serial)
    );
}

/// Found by the `hibcc` fuzz target: a /S serial with a '.' was printed after `$+`, where
/// only letters and digits may follow.
#[test]
fn a_serial_with_punctuation_is_printed_as_a_supplement() {
    let hibc = parse(
        &with_check("+A123BJC5D6E71/$$+4270630130SER/S0ER.1706303"),
        2026,
    )
    .unwrap();
    let secondary = hibc.secondary.unwrap();
    assert_eq!(secondary.serial.as_deref(), Some("0ER.1706303"));
    let printed = render(&hibc.primary.unwrap(), Some(&secondary));
    assert_eq!(
        printed,
        with_check("+A123BJC5D6E71/$/S0ER.1706303/14D20270630")
    );
    let again = parse(&printed, 2026).unwrap().secondary.unwrap();
    assert_eq!(again.serial, secondary.serial);
}

#[test]
fn render_round_trips() {
    let primary = parse(&with_check("+A123BJC5D6E71"), 2026)
        .unwrap()
        .primary
        .unwrap();
    let secondary = HibcSecondary {
        lot: Some("L1".into()),
        serial: Some("S2".into()),
        expiry: Some(UdiDate::new(2027, 6, 30).unwrap()),
        manufactured: Some(UdiDate::new(2025, 1, 2).unwrap()),
        quantity: None,
        link_character: None,
    };
    let text = render(&primary, Some(&secondary));
    let parsed = parse(&text, 2026).unwrap();
    assert_eq!(parsed.secondary.unwrap(), secondary);
}
