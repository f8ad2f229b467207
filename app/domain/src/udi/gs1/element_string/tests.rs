use super::*;

fn chars(text: &str) -> Vec<char> {
    text.replace("<GS>", "\u{1d}").chars().collect()
}

fn values(parsed: &Parsed) -> Vec<(&str, &str)> {
    parsed
        .elements
        .iter()
        .map(|element| (element.entry.ai, element.value.as_str()))
        .collect()
}

#[test]
fn predefined_length_fields_need_no_separator_and_the_last_field_needs_none() {
    let parsed = parse(&chars("01095060001343521726123110AB12"), false, 2026).unwrap();
    assert_eq!(
        values(&parsed),
        [("01", "09506000134352"), ("17", "261231"), ("10", "AB12")]
    );
    assert!(parsed.warnings.is_empty());
}

#[test]
fn a_separator_ends_a_variable_field() {
    let parsed = parse(&chars("010950600013435210AB12<GS>21XYZ<GS>"), false, 2026).unwrap();
    assert_eq!(
        values(&parsed),
        [("01", "09506000134352"), ("10", "AB12"), ("21", "XYZ")]
    );
}

#[test]
fn a_fixed_length_field_that_needs_a_separator_is_recovered_by_its_length() {
    // 7003 is fixed-length (10) but not predefined: a GS should follow. Without it, its
    // length still shows where it ends.
    let parsed = parse(&chars("010950600013435270032612311430<GS>10AB"), true, 2026);
    assert!(parsed.is_ok());
    let parsed = parse(
        &chars("01095060001343527003261231143010AB<GS>21X"),
        true,
        2026,
    )
    .unwrap();
    assert_eq!(values(&parsed)[1], ("7003", "2612311430"));
    assert_eq!(values(&parsed)[2], ("10", "AB"));
    assert_eq!(parsed.warnings.len(), 1);
}

#[test]
fn a_lost_separator_with_several_readings_is_reported_not_guessed() {
    // Lot AB12, serial XYZ9, but the wedge scanner dropped the GS between them.
    let errors = parse(&chars("010950600013435210AB1221XYZ9"), false, 2026).unwrap_err();
    assert_eq!(errors.len(), 1);
    let readings = errors[0].readings();
    assert_eq!(errors[0].ai(), Some("10"));
    let texts: Vec<&str> = readings.iter().map(|r| r.human_readable.as_str()).collect();
    assert_eq!(
        texts,
        [
            "(01)09506000134352(10)AB1221XYZ9",
            "(01)09506000134352(10)AB12(21)XYZ9"
        ]
    );
    assert!(errors[0].to_string().contains("can be read in 2 ways"));
}

#[test]
fn a_lost_separator_with_one_valid_reading_is_recovered_with_a_warning() {
    // A 20-character lot then (17): running the lot to the end would make it 28 long.
    let input = format!("0109506000134352{}{}", "10ABCDEFGHIJKLMNOPQRST", "17261231");
    let parsed = parse(&chars(&input), false, 2026).unwrap();
    assert_eq!(
        values(&parsed),
        [
            ("01", "09506000134352"),
            ("10", "ABCDEFGHIJKLMNOPQRST"),
            ("17", "261231")
        ]
    );
    assert_eq!(parsed.warnings.len(), 1);
}

#[test]
fn trusted_separators_mean_no_second_guessing() {
    let parsed = parse(&chars("010950600013435210AB1221XYZ9"), true, 2026).unwrap();
    assert_eq!(values(&parsed)[1], ("10", "AB1221XYZ9"));
}

#[test]
fn unknown_and_incomplete_ais_are_located() {
    let errors = parse(&chars("010950600013435219ABC"), false, 2026).unwrap_err();
    assert_eq!(errors[0].kind, UdiErrorKind::UnknownAi { ai: "19".into() });
    assert_eq!(errors[0].span.unwrap().start, 17);
    let errors = parse(&chars("01095060001343521"), false, 2026).unwrap_err();
    assert_eq!(errors[0].kind, UdiErrorKind::IncompleteAi);
    let errors = parse(&chars("0109506"), false, 2026).unwrap_err();
    assert!(matches!(
        errors[0].kind,
        UdiErrorKind::TooShort {
            minimum: 14,
            found: 5,
            ..
        }
    ));
}

#[test]
fn every_bad_value_is_reported_not_only_the_first() {
    let errors = parse(&chars("01095060001343501726133110AB"), true, 2026).unwrap_err();
    let codes: Vec<&str> = errors.iter().map(UdiError::code).collect();
    assert_eq!(codes, ["check_digit", "invalid_date"]);
}
