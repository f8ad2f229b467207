//! The stricter GS1 rules, one test per rule, each with the GS1 source it comes from. Where a
//! case is one of GS1's own conformance vectors, the file it comes from is named.

use domain::udi::{ParseOptions, Udi, UdiErrors, parse};

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
