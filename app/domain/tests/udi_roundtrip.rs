//! Property tests: any valid UDI built from random fields reads back to the same fields from
//! every written form.

use domain::udi::gs1::{GS, to_digital_link, to_element_string, to_human_readable};
use domain::udi::gtin::Gtin;
use domain::udi::hibcc::{HibcPrimary, HibcSecondary, render};
use domain::udi::{ParseOptions, Udi, UdiDate, parse};
use proptest::prelude::*;

const YEAR: u16 = 2026;

fn read(input: &str) -> Udi {
    parse(input, &ParseOptions::new(YEAR)).unwrap_or_else(|errors| panic!("{input:?}: {errors}"))
}

fn gtin() -> impl Strategy<Value = Gtin> {
    proptest::array::uniform13(0u8..10).prop_map(Gtin::from_digits_without_check)
}

/// A date GS1 can carry unambiguously with the 2026 sliding window.
fn date() -> impl Strategy<Value = UdiDate> {
    (1977u16..=2076, 1u8..=12, 1u8..=31)
        .prop_filter_map("a real date", |(y, m, d)| UdiDate::new(y, m, d).ok())
}

/// CSET 82 text without '(' (human-readable text cannot delimit it) and not containing the
/// literal "<GS>" a scanner substitute could mean.
fn cset82_value(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[!\"%&')*+,\\-./0-9:;<=>?A-Z_a-z]{{1,{max}}}"))
        .unwrap()
        .prop_filter("no <GS>", |value| !value.contains("<GS>"))
}

#[derive(Debug, Clone)]
struct Gs1Fields {
    gtin: Gtin,
    lot: Option<String>,
    serial: Option<String>,
    expiry: Option<UdiDate>,
    manufactured: Option<UdiDate>,
    version: Option<String>,
}

fn gs1_fields() -> impl Strategy<Value = Gs1Fields> {
    (
        gtin(),
        proptest::option::of(cset82_value(20)),
        proptest::option::of(cset82_value(20)),
        proptest::option::of(date()),
        proptest::option::of(date()),
        proptest::option::of(cset82_value(20)),
    )
        .prop_map(
            |(gtin, lot, serial, expiry, manufactured, version)| Gs1Fields {
                gtin,
                lot,
                serial,
                expiry,
                manufactured,
                version,
            },
        )
}

impl Gs1Fields {
    fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![("01".to_string(), self.gtin.to_gtin14())];
        if let Some(date) = self.manufactured {
            pairs.push(("11".into(), date.to_yymmdd()));
        }
        if let Some(date) = self.expiry {
            pairs.push(("17".into(), date.to_yymmdd()));
        }
        for (ai, value) in [
            ("10", &self.lot),
            ("21", &self.serial),
            ("8012", &self.version),
        ] {
            if let Some(value) = value {
                pairs.push((ai.into(), value.clone()));
            }
        }
        pairs
    }

    /// Element strings without a separator can be genuinely ambiguous (a lot "AB1012" may be
    /// lot "AB" then AI 10 "12"): the parser must then offer the intended reading among its
    /// candidates instead of guessing, and otherwise read the fields exactly.
    fn assert_read_or_offered(&self, input: &str, form: &str) {
        match parse(input, &ParseOptions::new(YEAR)) {
            Ok(udi) => self.assert_read(&udi, form),
            Err(errors) => {
                let intended = self.pairs();
                for error in errors.iter() {
                    assert!(
                        error
                            .readings()
                            .iter()
                            .any(|reading| reading.elements == intended),
                        "{form} {input:?}: {error}"
                    );
                }
            }
        }
    }

    fn assert_read(&self, udi: &Udi, form: &str) {
        assert_eq!(udi.gtin, Some(self.gtin), "{form}");
        assert_eq!(udi.lot, self.lot, "{form}");
        assert_eq!(udi.serial, self.serial, "{form}");
        assert_eq!(udi.expiry, self.expiry, "{form}");
        assert_eq!(udi.manufactured, self.manufactured, "{form}");
        assert_eq!(udi.software_version, self.version, "{form}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn gs1_fields_round_trip_through_every_form(fields in gs1_fields()) {
        let owned = fields.pairs();
        let pairs: Vec<(&str, &str)> = owned.iter().map(|(a, v)| (a.as_str(), v.as_str())).collect();
        let element_string = to_element_string(&pairs);
        fields.assert_read_or_offered(&element_string, "element string");
        fields.assert_read_or_offered(&format!("]d2{element_string}"), "DataMatrix identifier");
        fields.assert_read_or_offered(&format!("]C1{element_string}\r\n"), "GS1-128 with line end");
        fields.assert_read_or_offered(&element_string.replace(GS, "^]"), "caret substitute");
        fields.assert_read(&read(&to_human_readable(&pairs)), "human readable");
        let link = to_digital_link("id.example.org", &pairs).unwrap();
        fields.assert_read(&read(&link), "digital link");
        fields.assert_read(&read(&format!("]Q3{link}")), "QR digital link");
    }

    #[test]
    fn hibc_fields_round_trip(
        labeler in "[A-Z][A-Z0-9]{3}",
        product in "[A-Z0-9]{1,18}",
        unit in 0u8..10,
        lot in proptest::option::of("[A-Z0-9]{1,18}"),
        serial in proptest::option::of("[A-Z0-9]{1,18}"),
        expiry in proptest::option::of(date()),
        manufactured in proptest::option::of(date().prop_filter("4-digit year", |d| d.year() >= 1000)),
    ) {
        let primary = HibcPrimary { labeler, product, unit_of_measure: unit, check_character: '0' };
        let secondary = HibcSecondary { lot, serial, expiry, manufactured, quantity: None, link_character: None };
        let text = render(&primary, Some(&secondary));
        let udi = read(&text);
        prop_assert_eq!(udi.device_identifier, Some(primary.device_identifier()));
        prop_assert_eq!(udi.lot, secondary.lot);
        prop_assert_eq!(udi.serial, secondary.serial);
        prop_assert_eq!(udi.expiry, secondary.expiry);
        prop_assert_eq!(udi.manufactured, secondary.manufactured);
    }

    /// Whatever arrives, the parser answers with a UDI or errors, never a panic.
    #[test]
    fn arbitrary_text_never_panics(input in "\\PC{0,80}") {
        let _ = parse(&input, &ParseOptions::new(YEAR));
    }

    #[test]
    fn gs1_like_text_never_panics(input in "[0-9A-Z()\u{1d}^\\]/+$%.:?=&-]{0,60}") {
        let _ = parse(&input, &ParseOptions::new(YEAR));
        let _ = parse(&format!("https://x.test/{input}"), &ParseOptions::new(YEAR));
        let _ = parse(&format!("+{input}"), &ParseOptions::new(YEAR));
    }
}

/// Found by the property test: a software version whose text contains "10" followed by a valid
/// lot can be read two ways when no separator is present; both readings are offered.
#[test]
fn separator_less_version_containing_an_ai_is_offered_both_ways() {
    let input = "01000000000009258012zq\"QpT?10*v&5P=";
    let errors = parse(input, &ParseOptions::new(YEAR)).unwrap_err();
    let readings: Vec<&str> = errors
        .iter()
        .flat_map(|error| error.readings())
        .map(|reading| reading.human_readable.as_str())
        .collect();
    assert_eq!(
        readings,
        [
            "(01)00000000000925(8012)zq\"QpT?10*v&5P=",
            "(01)00000000000925(8012)zq\"QpT?(10)*v&5P="
        ]
    );
}
