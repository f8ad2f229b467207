use super::*;

fn gs1(text: &str) -> Result<DeviceIdentifier, DeviceIdentifierError> {
    DeviceIdentifier::parse(IssuingAgency::Gs1, text)
}

fn hibcc(text: &str) -> Result<DeviceIdentifier, DeviceIdentifierError> {
    DeviceIdentifier::parse(IssuingAgency::Hibcc, text)
}

#[test]
fn gtins_of_every_length_are_stored_as_fourteen_digits() {
    assert_eq!(gs1("09506000134352").unwrap().as_str(), "09506000134352");
    assert_eq!(gs1("9506000134352").unwrap().as_str(), "09506000134352");
    // GTIN-12 (UPC-A) 036000291452 → 00036000291452.
    assert_eq!(gs1("036000291452").unwrap().as_str(), "00036000291452");
    // GTIN-8 96385074 → 00000096385074.
    assert_eq!(gs1("96385074").unwrap().as_str(), "00000096385074");
    assert_eq!(
        gs1(" 0 95060 00134 35 2 ").unwrap().as_str(),
        "09506000134352"
    );
    assert_eq!(
        gs1("(01)09506000134352").unwrap().as_str(),
        "09506000134352"
    );
}

#[test]
fn gtin_errors_say_what_to_fix() {
    let message = gs1("09506000134350").unwrap_err().to_string();
    assert!(
        message.starts_with("The last digit (the check digit) should be 2, not 0"),
        "{message}"
    );
    assert!(gs1("12345").unwrap_err().to_string().contains("this has 5"));
    let message = gs1("0109506000134352").unwrap_err().to_string();
    assert!(message.contains("only the 14 digits after it"), "{message}");
    assert!(
        gs1("0950600013435X")
            .unwrap_err()
            .to_string()
            .contains("'X' at character 14")
    );
    assert_eq!(gs1("  "), Err(DeviceIdentifierError::Empty));
}

#[test]
fn hibcc_dis_are_taken_as_gudid_lists_them_without_a_check_character() {
    assert_eq!(hibcc("A123BJC51").unwrap().as_str(), "A123BJC51");
    // Lower case is capitalised: the HIBC alphabet has no lower case, so nothing is lost.
    assert_eq!(hibcc("a123bjc51").unwrap().as_str(), "A123BJC51");
    assert!(matches!(
        hibcc("A12"),
        Err(DeviceIdentifierError::Length { found: 3, .. })
    ));
    assert!(matches!(
        hibcc(&format!("A123{}1", "B".repeat(19))),
        Err(DeviceIdentifierError::Length { found: 24, .. })
    ));
    assert_eq!(
        hibcc("1123BJC51"),
        Err(DeviceIdentifierError::FirstNotLetter {
            agency: "HIBCC",
            what: "the labeler code's first character",
            found: '1'
        })
    );
    assert_eq!(
        hibcc("A123-BJC51"),
        Err(DeviceIdentifierError::Character {
            agency: "HIBCC",
            character: '-',
            position: 5
        })
    );
    // Ends with a letter: most likely the check character was copied too.
    let message = hibcc("A123BJC51J").unwrap_err().to_string();
    assert!(message.contains("leading '+'"), "{message}");
}

#[test]
fn a_scanned_hibc_primary_has_its_check_character_verified_and_removed() {
    assert_eq!(hibcc("+A123BJC51J").unwrap().as_str(), "A123BJC51");
    assert_eq!(
        DeviceIdentifier::from_hibc_barcode("+A123BJC51J")
            .unwrap()
            .as_str(),
        "A123BJC51"
    );
    let wrong = hibcc("+A123BJC51K").unwrap_err();
    assert!(matches!(wrong, DeviceIdentifierError::HibcBarcode { .. }));
    assert!(wrong.to_string().contains('J'), "{wrong}");
    // Primary and secondary in one symbol: the DI is the primary's part.
    let data = "+A123BJC51/$$3261231LOT1";
    let check = hibcc::check_character(data).unwrap();
    assert_eq!(
        DeviceIdentifier::from_hibc_barcode(&format!("{data}{check}"))
            .unwrap()
            .as_str(),
        "A123BJC51"
    );
}

#[test]
fn iccbba_dis_have_ten_or_sixteen_characters() {
    let iccbba = |text| DeviceIdentifier::parse(IssuingAgency::Iccbba, text);
    assert_eq!(
        iccbba("A9999XYZ100T0944").unwrap().as_str(),
        "A9999XYZ100T0944"
    );
    assert_eq!(iccbba("a9999xyz10").unwrap().as_str(), "A9999XYZ10");
    assert!(matches!(
        iccbba("A9999XYZ100"),
        Err(DeviceIdentifierError::Length { found: 11, .. })
    ));
    assert_eq!(
        iccbba("=/A9999XYZ100T09"),
        Err(DeviceIdentifierError::IccbbaDataIdentifier { found: '=' })
    );
}

#[test]
fn stored_text_is_checked_without_the_agency_and_serialises_as_a_string() {
    let di = gs1("9506000134352").unwrap();
    assert_eq!(di.evident_agency(), Some(IssuingAgency::Gs1));
    assert_eq!(di.to_string(), "09506000134352");
    assert_eq!(serde_json::to_string(&di).unwrap(), "\"09506000134352\"");
    assert_eq!(
        serde_json::from_str::<DeviceIdentifier>("\"09506000134352\"").unwrap(),
        di
    );
    assert!(serde_json::from_str::<DeviceIdentifier>("\"09506000134353\"").is_err());
    assert!(serde_json::from_str::<DeviceIdentifier>("\"a123bjc51\"").is_err());
    let hibc = DeviceIdentifier::parse_stored("A123BJC51").unwrap();
    assert_eq!(hibc.evident_agency(), None);
    assert!(DeviceIdentifier::parse_stored("A1").is_err());
}
