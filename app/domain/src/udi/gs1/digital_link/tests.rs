use super::*;

fn read(uri: &str) -> Result<String, Vec<&'static str>> {
    parse(uri, 2026)
        .map(|parsed| {
            parsed
                .elements
                .iter()
                .map(|e| format!("({}){}", e.entry.ai, e.value))
                .collect()
        })
        .map_err(|errors| errors.iter().map(UdiError::code).collect())
}

/// GS1's own conformance vectors: gs1/gs1-syntax-engine, src/c-lib/dl.c,
/// `test_dl_parseDLuri` (expected element strings written here in parentheses). Where that
/// test enables an option (convenience alphas), the case is in the test for that rule.
#[test]
fn agrees_with_the_gs1_reference_vectors() {
    let accepted = [
        ("http://a/00/006141411234567890", "(00)006141411234567890"),
        ("HTTP://a/00/006141411234567890", "(00)006141411234567890"),
        ("https://a/00/006141411234567890", "(00)006141411234567890"),
        ("HTTPS://a/00/006141411234567890", "(00)006141411234567890"),
        ("https://a/01/12312312312333", "(01)12312312312333"),
        (
            "https://xn--fsq.xn--0zwm56d/01/12312312312333",
            "(01)12312312312333",
        ),
        ("https://a./01/12312312312333", "(01)12312312312333"),
        ("https://a:65535/01/12312312312333", "(01)12312312312333"),
        ("https://192.0.2.1/01/12312312312333", "(01)12312312312333"),
        (
            "https://[2001:db8::1]/01/12312312312333",
            "(01)12312312312333",
        ),
        (
            "https://a/stem/00/006141411234567890",
            "(00)006141411234567890",
        ),
        (
            "https://a/more/stem/00/006141411234567890",
            "(00)006141411234567890",
        ),
        (
            "https://a/00/faux/00/006141411234567890",
            "(00)006141411234567890",
        ),
        (
            "https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ",
            "(01)12312312312333(22)TEST(10)ABC(21)XYZ",
        ),
        (
            "https://a/01/12312312312333/235/TEST",
            "(01)12312312312333(235)TEST",
        ),
        ("https://a/253/1231231231232", "(253)1231231231232"),
        (
            "https://a/253/1231231231232TEST5678901234567",
            "(253)1231231231232TEST5678901234567",
        ),
        (
            "https://a/8018/123456789012345675/8019/123",
            "(8018)123456789012345675(8019)123",
        ),
        (
            "https://a/stem/00/006141411234567890?",
            "(00)006141411234567890",
        ),
        (
            "https://a/stem/00/006141411234567890?99=ABC",
            "(00)006141411234567890(99)ABC",
        ),
        ("https://a/stem/401/12345678?99=ABC", "(401)12345678(99)ABC"),
        (
            "https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&",
            "(01)12312312312333(99)ABC(98)XYZ",
        ),
        (
            "https://a/01/12312312312333?singleton1&unknown1=555&99=ABC&singleton2&unknown2=6666&98=XYZ&unknown3=777&singleton3",
            "(01)12312312312333(99)ABC(98)XYZ",
        ),
        (
            "https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987",
            "(01)12312312312333(22)ABC-123(99)ABC(98)XYZ/987",
        ),
        (
            "https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987",
            "(01)12312312312333(22)ABC+123(99)ABC(98)XYZ/987",
        ),
        (
            "https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment",
            "(01)12312312312333(22)test(10)abc(21)xyz",
        ),
        (
            "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
            "(01)09520123456788(10)ABC1(21)12345(17)180426",
        ),
        (
            "https://id.gs1.org/01/09520123456788?3103=000195&3922=0299&17=201225",
            "(01)09520123456788(3103)000195(3922)0299(17)201225",
        ),
        (
            "https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123",
            "(00)952012345678912345(02)09520123456788(37)25(10)ABC123",
        ),
        (
            "https://id.gs1.org/414/9520123456788/254/32a%2Fb",
            "(414)9520123456788(254)32a/b",
        ),
        (
            "https://example.com/8004/9520614141234567?01=9520123456788",
            "(8004)9520614141234567(01)09520123456788",
        ),
        (
            "https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123",
            "(01)09520123456788(235)XYZ(10)ABC123",
        ),
    ];
    for (uri, expected) in accepted {
        assert_eq!(read(uri).as_deref(), Ok(expected), "{uri}");
    }
    let refused = [
        "ftp://",
        "http://",
        "http:///",
        "http://a",
        "http://a/",
        "http://a/b",
        "http://a/b/",
        "HtTp://a/b/00/006141411234567890",
        "https://00/006141411234567890",
        "https://[fe80::1%25lo]/01/12312312312333",
        "https://$a/006141411234567890",
        "https://a/01/2112345678900",
        "https://a/01/416000336108",
        "https://a/01/02345673",
        "https://a/253/1231231231232TEST56789012345678",
        "https://a/stem/00/006141411234567890/",
        "https://a/01/12312312312333?99=",
        "https://a/01/12312312312333?99=ABC&999=faux",
        "https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987",
        "https://example.com/01/09520123456788?10=ABC123",
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788",
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123",
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789",
        "https://example.com/01/09520123456788/89/ABC123?99=XYZ",
        "https://example.com/01/09520123456788?99=XYZ&89=ABC123",
    ];
    for uri in refused {
        assert!(read(uri).is_err(), "{uri} was accepted as {:?}", read(uri));
    }
}

#[test]
fn the_gtin_in_the_path_has_all_14_digits() {
    assert_eq!(
        read("https://id.gs1.org/01/9506000134352"),
        Err(vec!["digital_link_not_canonical"])
    );
    let error = &parse("https://id.gs1.org/01/9506000134352", 2026).unwrap_err()[0];
    assert_eq!(
        error.to_string(),
        "In a GS1 Digital Link path the GTIN (AI 01) is written with all 14 digits: \
         09506000134352, not 9506000134352 (characters 23–35)"
    );
    for short in ["95060001", "950600013435"] {
        let uri = format!("https://id.gs1.org/01/{short}");
        assert_eq!(read(&uri), Err(vec!["digital_link_not_canonical"]), "{uri}");
    }
}

#[test]
fn qualifiers_belong_in_the_path_in_order() {
    let errors = parse("https://id.gs1.org/01/09506000134352/21/X/10/AB", 2026).unwrap_err();
    assert!(
        errors[0].to_string().contains("22, 10, 21"),
        "{}",
        errors[0]
    );
    for (uri, ai) in [
        ("https://id.gs1.org/01/09506000134352?10=AB", "10"),
        ("https://id.gs1.org/01/09506000134352?21=X1", "21"),
        ("https://id.gs1.org/01/09506000134352/10/AB?21=X1", "21"),
        ("https://id.gs1.org/01/09506000134352/10/AB?22=V", "22"),
        ("https://id.gs1.org/01/09506000134352?235=T", "235"),
    ] {
        let errors = parse(uri, 2026).unwrap_err();
        assert_eq!(errors[0].code(), "digital_link_qualifier_in_query", "{uri}");
        assert_eq!(errors[0].ai(), Some(ai));
    }
    let error =
        &parse("https://id.gs1.org/01/09506000134352?17=261231&10=AB", 2026).unwrap_err()[0];
    assert_eq!(
        error.to_string(),
        "The lot number (AI 10) qualifies AI 01, so it belongs in the Digital Link's path \
         (/01/…/10/…), not in its query (characters 48–49)"
    );
}

#[test]
fn each_ai_appears_once() {
    for uri in [
        "https://id.gs1.org/01/09506000134352/10/A/10/A",
        "https://id.gs1.org/01/09506000134352?17=261231&17=261231",
        "https://id.gs1.org/01/09506000134352/10/A?01=09506000134352",
    ] {
        let codes = read(uri).unwrap_err();
        assert!(codes.contains(&"repeated_ai"), "{uri}: {codes:?}");
    }
    let error = &parse(
        "https://id.gs1.org/01/09506000134352?17=261231&17=261231",
        2026,
    )
    .unwrap_err()[0];
    assert_eq!(error.ai(), Some("17"));
    assert_eq!(error.span.map(|s| (s.start, s.end)), Some((48, 49)));
}

#[test]
fn empty_segments_a_trailing_slash_and_odd_schemes_are_refused() {
    assert_eq!(
        read("https://id.gs1.org/01//10/A"),
        Err(vec!["digital_link_empty_segment"])
    );
    assert_eq!(
        read("https://id.gs1.org/01/09506000134352//10/A"),
        Err(vec!["digital_link_empty_segment"])
    );
    assert_eq!(
        read("https://id.gs1.org/01/09506000134352/10/"),
        Err(vec!["digital_link_trailing_slash"])
    );
    assert_eq!(
        read("https://id.gs1.org/01/09506000134352/"),
        Err(vec!["digital_link_trailing_slash"])
    );
    for uri in [
        "HtTpS://id.gs1.org/01/09506000134352",
        "Https://id.gs1.org/01/09506000134352",
        "ftp://id.gs1.org/01/09506000134352",
    ] {
        assert_eq!(read(uri), Err(vec!["digital_link_scheme"]), "{uri}");
    }
    assert!(
        parse("HtTpS://id.gs1.org/01/09506000134352", 2026).unwrap_err()[0]
            .to_string()
            .contains("mixes capital and small letters")
    );
    assert_eq!(
        read("https://id.gs1.org/01/09506000134352/10/A B"),
        Err(vec!["digital_link_character"])
    );
    // An empty segment in the host's own path prefix changes nothing GS1 reads.
    assert!(read("https://id.gs1.org//01/09506000134352").is_ok());
}

/// GS1 Digital Link 1.0 short names, read by the reference with its convenience-alpha option
/// (dl.c `test_dl_parseDLuri`) and by GS1DigitalLinkToolkit.js (`exp`).
#[test]
fn legacy_convenience_alphas_are_read_as_their_ais() {
    assert_eq!(
        read("https://a/gtin/12312312312333/ser/ABC123").as_deref(),
        Ok("(01)12312312312333(21)ABC123")
    );
    assert_eq!(
        read("https://a/sscc/006141411234567890").as_deref(),
        Ok("(00)006141411234567890")
    );
    let parsed = parse(
        "https://id.gs1.org/gtin/09506000134352/cpv/2A/lot/ABC1/ser/12345?exp=270630",
        2026,
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = parsed
        .elements
        .iter()
        .map(|e| (e.entry.ai, e.value.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("01", "09506000134352"),
            ("22", "2A"),
            ("10", "ABC1"),
            ("21", "12345"),
            ("17", "270630")
        ]
    );
    assert!(parsed.warnings[0].contains("'gtin' is the old short name of AI 01"));
    assert_eq!(
        read("https://a/gtin/12312312312333?lot=A"),
        Err(vec!["digital_link_qualifier_in_query"])
    );
}

#[test]
fn a_gtin_in_the_query_of_another_key_is_read_with_a_warning() {
    let parsed = parse(
        "https://example.com/8004/9520614141234567?01=09506000134352",
        2026,
    )
    .unwrap();
    assert_eq!(parsed.elements[1].value, "09506000134352");
    assert!(
        parsed.warnings[0].contains("the GTIN (AI 01) comes from its query, not from the path"),
        "{:?}",
        parsed.warnings
    );
}

#[test]
fn reads_path_and_query_on_any_host_and_prefix() {
    assert_eq!(
        read("https://example.org/some/prefix/01/09506000134352/10/AB%2F12/21/X1?17=261231&linkType=gs1:pip#top")
            .as_deref(),
        Ok("(01)09506000134352(10)AB/12(21)X1(17)261231")
    );
}

#[test]
fn a_uri_without_a_key_or_with_bad_values_says_so() {
    assert!(
        parse("https://example.org/products/123", 2026).unwrap_err()[0]
            .to_string()
            .contains("no GS1 primary key")
    );
    assert_eq!(
        read("https://id.gs1.org/01/09506000134353?17=261331"),
        Err(vec!["check_digit", "invalid_date"])
    );
}
