//! Every input form a clinic will meet, table-driven. Check digits and check characters are
//! computed by the rules (GS1 mod 10, HIBC mod 43), not copied from anywhere.

use domain::udi::gtin::gs1_check_digit;
use domain::udi::hibcc::check_character;
use domain::udi::{InputForm, IssuingAgency, ParseOptions, Udi, UdiErrors, WedgeSettings, parse};

const YEAR: u16 = 2026;

fn read(input: &str) -> Result<Udi, UdiErrors> {
    parse(input, &ParseOptions::new(YEAR))
}

/// A GTIN-14 from its first 13 digits, with the computed check digit.
fn gtin(first_thirteen: &str) -> String {
    let digits: Vec<u8> = first_thirteen.bytes().map(|b| b - b'0').collect();
    format!("{first_thirteen}{}", gs1_check_digit(&digits))
}

/// HIBC data with its computed check character appended.
fn hibc(data: &str) -> String {
    format!("{data}{}", check_character(data).unwrap())
}

struct Expected<'a> {
    agency: IssuingAgency,
    form: InputForm,
    di: Option<&'a str>,
    lot: Option<&'a str>,
    serial: Option<&'a str>,
    expiry: Option<&'a str>,
    manufactured: Option<&'a str>,
}

fn gs1(form: InputForm, di: &str) -> Expected<'_> {
    Expected {
        agency: IssuingAgency::Gs1,
        form,
        di: Some(di),
        lot: None,
        serial: None,
        expiry: None,
        manufactured: None,
    }
}

/// A GS1 UDI with every field these tests read: lot AB12, serial X9, expiry 2027-06-30 and
/// manufacture date 2025-01-15.
fn gs1_in_full(form: InputForm, di: &str) -> Expected<'_> {
    Expected {
        lot: Some("AB12"),
        serial: Some("X9"),
        expiry: Some("2027-06-30"),
        manufactured: Some("2025-01-15"),
        ..gs1(form, di)
    }
}

/// The HIBC primary data structure of `+H123PART66A1`, alone.
fn hibc_primary() -> Expected<'static> {
    Expected {
        agency: IssuingAgency::Hibcc,
        form: InputForm::HibcPrimary,
        di: Some("H123PART66A1"),
        lot: None,
        serial: None,
        expiry: None,
        manufactured: None,
    }
}

fn check(input: &str, expected: Expected) {
    let udi = read(input).unwrap_or_else(|errors| panic!("{input:?}: {errors}"));
    assert_eq!(udi.agency, expected.agency, "{input:?}");
    assert_eq!(udi.form, expected.form, "{input:?}");
    assert_eq!(udi.device_identifier.as_deref(), expected.di, "{input:?}");
    assert_eq!(udi.lot.as_deref(), expected.lot, "{input:?}");
    assert_eq!(udi.serial.as_deref(), expected.serial, "{input:?}");
    assert_eq!(
        udi.expiry.map(|d| d.to_iso()).as_deref(),
        expected.expiry,
        "{input:?}"
    );
    assert_eq!(
        udi.manufactured.map(|d| d.to_iso()).as_deref(),
        expected.manufactured,
        "{input:?}"
    );
}

#[test]
fn gs1_element_strings_in_every_transmission_form() {
    let g = gtin("0950600013435");
    let expected = || gs1_in_full(InputForm::Gs1ElementString, &g);
    for input in [
        format!("01{g}112501151727063010AB12\u{1d}21X9"),
        format!("]d201{g}112501151727063010AB12\u{1d}21X9"),
        format!("]C101{g}112501151727063010AB12\u{1d}21X9\r\n"),
        format!("]Q301{g}112501151727063010AB12\u{1d}21X9"),
        format!("\u{1d}01{g}112501151727063010AB12\u{1d}21X9"),
        format!("01{g}112501151727063010AB12^]21X9"),
        format!("01{g}112501151727063010AB12<GS>21X9"),
        format!("[)>\u{1e}05\u{1d}01{g}112501151727063010AB12\u{1d}21X9\u{1e}\u{04}"),
    ] {
        check(&input, expected());
    }
    // '~' and '|' stand for GS only where the scanner profile says the scanners send them.
    let profile = ParseOptions {
        wedge: WedgeSettings::default().also_taking("~").also_taking("|"),
        ..ParseOptions::new(YEAR)
    };
    for input in [
        format!("01{g}112501151727063010AB12~21X9"),
        format!("01{g}112501151727063010AB12|21X9\n"),
    ] {
        let udi = parse(&input, &profile).unwrap_or_else(|errors| panic!("{input:?}: {errors}"));
        assert_eq!(udi.lot.as_deref(), Some("AB12"), "{input:?}");
        assert_eq!(udi.serial.as_deref(), Some("X9"), "{input:?}");
    }
}

#[test]
fn gs1_human_readable_and_digital_link() {
    let g = gtin("0950600013435");
    check(
        &format!("(01){g}(11)250115(17)270630(10)AB12(21)X9"),
        gs1_in_full(InputForm::Gs1HumanReadable, &g),
    );
    check(
        &format!("(01) {g} (17) 270600 (10) AB12"),
        Expected {
            lot: Some("AB12"),
            expiry: Some("2027-06-30"),
            ..gs1(InputForm::Gs1HumanReadable, &g)
        },
    );
    check(
        &format!("https://id.example.com/01/{g}/10/AB12/21/X9?17=270630&11=250115"),
        gs1_in_full(InputForm::Gs1DigitalLink, &g),
    );
    check(
        &format!("]Q1HTTPS://hospital.test/dl/01/{g}/10/A%2FB"),
        Expected {
            lot: Some("A/B"),
            ..gs1(InputForm::Gs1DigitalLink, &g)
        },
    );
}

#[test]
fn expiry_with_time_and_software_version() {
    let g = gtin("0950600013435");
    let udi = read(&format!("01{g}70032706301430\u{1d}8012V2.1\u{1d}10L")).unwrap();
    assert_eq!(udi.expiry.unwrap().to_iso(), "2027-06-30T14:30");
    assert_eq!(udi.software_version.as_deref(), Some("V2.1"));
    assert_eq!(udi.lot.as_deref(), Some("L"));
    assert!(
        udi.fields
            .iter()
            .any(|f| f.code == "7003" && f.label == "Expiry date and time")
    );
}

#[test]
fn other_ais_are_kept_in_the_fields() {
    let g = gtin("0950600013435");
    let udi = read(&format!("01{g}30100\u{1d}240REF-77\u{1d}91COMPANY")).unwrap();
    let codes: Vec<&str> = udi.fields.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["01", "30", "240", "91"]);
}

#[test]
fn hibc_in_every_form() {
    let primary = hibc("+H123PART66A1");
    let link = primary.chars().last().unwrap();
    check(&primary, hibc_primary());
    check(
        &hibc("+H123PART66A1/$$3270630LOT5/S99/16D20250115"),
        Expected {
            agency: IssuingAgency::Hibcc,
            form: InputForm::HibcPrimaryAndSecondary,
            di: Some("H123PART66A1"),
            lot: Some("LOT5"),
            serial: Some("99"),
            expiry: Some("2027-06-30"),
            manufactured: Some("2025-01-15"),
        },
    );
    let secondary = read(&hibc(&format!("+$$0627LOT5{link}"))).unwrap();
    assert_eq!(secondary.form, InputForm::HibcSecondary);
    assert_eq!(secondary.device_identifier, None);
    assert_eq!(secondary.hibc_link_character, Some(link));
    assert_eq!(secondary.expiry.unwrap().to_iso(), "2027-06-30");
    // Printed as Code 39 with its start/stop characters, and with a symbology identifier.
    check(&format!("*{primary}*"), hibc_primary());
    assert_eq!(
        read(&format!("]A0{primary}")).unwrap().symbology.as_deref(),
        Some("]A0")
    );
}

#[test]
fn isbt128_is_recognised() {
    let udi = read("=<S1234000=A99992612345600").unwrap();
    assert_eq!(udi.agency, IssuingAgency::Iccbba);
    let names: Vec<&str> = udi
        .isbt128
        .iter()
        .filter_map(|s| s.name.as_deref())
        .collect();
    assert_eq!(names, ["Product Code", "Donation Identification Number"]);
}

/// `input` is refused with exactly these error codes, the first error's message contains
/// `message`, and (where given) the first error marks characters `span`.
fn rejects(input: &str, codes: &[&str], message: &str, span: Option<(usize, usize)>) {
    let errors = read(input).expect_err(input);
    let found: Vec<&str> = errors.iter().map(|e| e.code()).collect();
    assert_eq!(found, codes, "{input:?}: {errors}");
    let first = errors.first();
    assert!(first.to_string().contains(message), "{input:?}: {first}");
    if let Some((start, end)) = span {
        let actual = first
            .span
            .unwrap_or_else(|| panic!("{input:?} has no span"));
        assert_eq!(
            (actual.start, actual.end),
            (start, end),
            "{input:?}: {first}"
        );
    }
}

#[test]
fn malformed_input_gets_a_specific_error_never_a_panic() {
    let g = gtin("0950600013435");
    let wrong = format!("{}{}", &g[..13], (g.as_bytes()[13] - b'0' + 1) % 10);
    rejects("", &["empty"], "nothing to read", None);
    rejects("   \r\n", &["empty"], "nothing to read", None);
    rejects(
        &format!("01{wrong}"),
        &["check_digit"],
        &format!("check digit should be {}", &g[13..]),
        Some((3, 16)),
    );
    rejects(
        &format!("]d201{wrong}"),
        &["check_digit"],
        "check digit",
        Some((6, 19)),
    );
    rejects(
        &format!("01{g}17271331"),
        &["invalid_date"],
        "month 13 does not exist",
        Some((19, 24)),
    );
    rejects(
        &format!("01{g}17270231"),
        &["invalid_date"],
        "February 2027 has 28 days",
        Some((19, 24)),
    );
    rejects(
        &format!("01{g}1727"),
        &["too_short"],
        "must be 6 characters long, but has 2",
        Some((19, 20)),
    );
    rejects(
        &format!("01{g}19123"),
        &["unknown_ai"],
        "19 is not a GS1 Application Identifier",
        Some((17, 18)),
    );
    rejects(
        &format!("01{g}10{}", "A".repeat(21)),
        &["too_long"],
        "at most 20",
        Some((19, 39)),
    );
    rejects(
        &format!("01{g}10AB CD"),
        &["invalid_character"],
        "contains ' '",
        Some((21, 21)),
    );
    rejects(
        &format!("01{g}10AB1221XYZ9"),
        &["ambiguous_separator"],
        "read in 2 ways",
        Some((19, 28)),
    );
    rejects(
        &format!("(01){wrong}"),
        &["check_digit"],
        "check digit",
        Some((5, 18)),
    );
    rejects(
        &format!("https://x.test/01/{g}/21/S/10/L"),
        &["digital_link"],
        "in that order",
        None,
    );
    rejects("hello", &["unrecognised"], "not a UDI format", Some((1, 1)));
    rejects(
        &hibc("+H123PART66A1").to_lowercase(),
        &["hibc_lower_case"],
        "Caps Lock",
        None,
    );
    rejects(
        &format!("{}X", &hibc("+H123PART66A1")[..13]),
        &["hibc_check_character"],
        "HIBC check character should be",
        Some((14, 14)),
    );
    rejects(
        &format!("01{g}10A\u{1d}10B"),
        &["conflicting_repeat"],
        "appears twice",
        None,
    );
    rejects(
        &format!("01{wrong}17271331"),
        &["check_digit", "invalid_date"],
        "check digit",
        Some((3, 16)),
    );
}

#[test]
fn warnings_for_partial_labels() {
    let udi = read("17270630\u{1d}10LOT5").unwrap();
    assert_eq!(udi.device_identifier, None);
    assert!(
        udi.warnings
            .iter()
            .any(|w| w.contains("no device identifier"))
    );
}

#[test]
fn human_readable_output_reads_back() {
    let g = gtin("0950600013435");
    let udi = read(&format!("01{g}1727063010AB12\u{1d}21X9")).unwrap();
    let printed = udi.human_readable();
    assert_eq!(printed, format!("(01){g}(17)270630(10)AB12(21)X9"));
    assert_eq!(read(&printed).unwrap().lot, udi.lot);
}
