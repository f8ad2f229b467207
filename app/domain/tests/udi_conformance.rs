//! The stricter GS1 rules, one test per rule, each with the GS1 source it comes from. Where a
//! case is one of GS1's own conformance vectors, the file it comes from is named.

use domain::udi::{ParseOptions, Udi, UdiErrors, WedgeSettings, parse};

const YEAR: u16 = 2026;

fn read(input: &str) -> Result<Udi, UdiErrors> {
    parse(input, &ParseOptions::new(YEAR))
}

/// The error codes for an input that must be refused.
fn codes(input: &str) -> Vec<&'static str> {
    match read(input) {
        Ok(udi) => panic!("{input:?} was accepted as {:?}", udi.gs1_pairs()),
        Err(errors) => errors.iter().map(|error| error.code()).collect(),
    }
}

fn first_message(input: &str) -> String {
    read(input).expect_err(input).first().to_string()
}

fn pairs(input: &str) -> Vec<(String, String)> {
    read(input)
        .unwrap_or_else(|errors| panic!("{input:?}: {errors}"))
        .gs1_pairs()
        .into_iter()
        .map(|(ai, value)| (ai.to_string(), value.to_string()))
        .collect()
}

/// GS1 General Specifications §3.2 / Barcode Syntax Dictionary: `7007 N6 [N6]`, `8008 N6 N2
/// [N2] [N2]`. An optional component is there whole or not at all, in every written form.
#[test]
fn optional_components_are_whole_or_absent_in_every_form() {
    let gtin = "09506000134352";
    for input in [
        format!("01{gtin}7007261231261"),
        format!("(01){gtin}(7007)261231261"),
        format!("https://id.gs1.org/01/{gtin}?7007=261231261"),
        format!("01{gtin}800826123114301\u{1d}10A"),
    ] {
        assert_eq!(codes(&input), ["invalid_length"], "{input}");
    }
    assert!(first_message(&format!("(01){gtin}(7007)2612312")).contains("must be 6 or 12"));
    assert_eq!(
        pairs(&format!("(01){gtin}(7007)261201261231"))[1],
        ("7007".to_string(), "261201261231".to_string())
    );
}

/// GS1 General Specifications §7.11 (CSET 82): '~' and '|' are not GS1 characters. Taken as a
/// separator by default, a '~' in the data silently changed the reading; now it is reported,
/// unless the scanner profile says the scanners send it for GS.
#[test]
fn a_tilde_is_a_separator_only_when_the_scanner_profile_says_so() {
    let input = "010950600013435210AB~21X9";
    let errors = read(input).expect_err(input);
    let error = errors.first();
    assert_eq!(error.code(), "invalid_character");
    assert_eq!(error.ai(), Some("10"));
    assert_eq!(
        error.span.map(|span| (span.start, span.end)),
        Some((21, 21))
    );
    assert!(
        error.to_string().contains(
            "If the scanner sends '~' for the group separator, add '~' to its scanner profile"
        ),
        "{error}"
    );
    let profile = ParseOptions {
        wedge: WedgeSettings::default().also_taking("~"),
        ..ParseOptions::new(YEAR)
    };
    let udi = parse(input, &profile).unwrap();
    assert_eq!(
        (udi.lot.as_deref(), udi.serial.as_deref()),
        (Some("AB"), Some("X9"))
    );
    // Text from a decoder that keeps separators is taken as it is, profile or not.
    let decoded = ParseOptions {
        separators_trusted: true,
        ..profile
    };
    assert_eq!(
        parse(input, &decoded).unwrap_err().first().code(),
        "invalid_character"
    );
    assert_eq!(
        parse("010950600013435210AB^]21X9", &decoded)
            .unwrap_err()
            .first()
            .code(),
        "invalid_character"
    );
}

/// GS1 Digital Link URI syntax 1.x, as GS1's reference implementation reads it
/// (gs1/gs1-syntax-engine, src/c-lib/dl.c, `test_dl_parseDLuri`); the vectors themselves are
/// in the digital_link module's tests. Here: the same rules through the public parser, with
/// positions in the text as scanned.
#[test]
fn digital_link_rules_through_the_public_parser() {
    let gtin = "09506000134352";
    let cases = [
        (
            format!("https://id.gs1.org/01/{}", &gtin[1..]),
            "digital_link_not_canonical",
        ),
        (
            format!("https://id.gs1.org/01/{gtin}?10=AB"),
            "digital_link_qualifier_in_query",
        ),
        (
            format!("https://id.gs1.org/01/{gtin}/10/A?17=270630&17=270630"),
            "repeated_ai",
        ),
        (
            "https://id.gs1.org/01//10/A".to_string(),
            "digital_link_empty_segment",
        ),
        (
            format!("https://id.gs1.org/01/{gtin}/10/A/"),
            "digital_link_trailing_slash",
        ),
        (
            format!("HtTpS://id.gs1.org/01/{gtin}"),
            "digital_link_scheme",
        ),
        (format!("ftp://id.gs1.org/01/{gtin}"), "digital_link_scheme"),
    ];
    for (input, code) in &cases {
        assert_eq!(codes(input), [*code], "{input}");
        assert_eq!(codes(&format!("]Q3{input}")), [*code], "]Q3{input}");
    }
    // Positions count the symbology identifier the scanner sent.
    let errors = read(&format!("]Q3https://id.gs1.org/01/{gtin}?10=AB")).unwrap_err();
    assert_eq!(
        errors.first().span.map(|s| (s.start, s.end)),
        Some((41, 42))
    );

    let udi = read(&format!(
        "https://id.gs1.org/gtin/{gtin}/lot/AB1?exp=270630"
    ))
    .unwrap();
    assert_eq!(udi.device_identifier.as_deref(), Some(gtin));
    assert_eq!(udi.lot.as_deref(), Some("AB1"));
    assert_eq!(
        udi.expiry.map(|d| d.to_iso()).as_deref(),
        Some("2027-06-30")
    );

    let udi = read(&format!(
        "https://example.com/8004/9520614141234567?01={gtin}"
    ))
    .unwrap();
    assert_eq!(udi.gtin.map(|g| g.to_gtin14()).as_deref(), Some(gtin));
    assert!(
        udi.warnings
            .iter()
            .any(|w| w.contains("comes from its query, not from the path")),
        "{:?}",
        udi.warnings
    );
}
