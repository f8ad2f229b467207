use super::*;

#[test]
fn the_table_is_sorted_so_lookups_can_binary_search() {
    assert!(AI_TABLE.windows(2).all(|pair| pair[0].ai < pair[1].ai));
}

#[test]
fn no_ai_is_a_prefix_of_another() {
    for entry in AI_TABLE {
        for other in AI_TABLE {
            if entry.ai != other.ai {
                assert!(
                    !other.ai.starts_with(entry.ai),
                    "{} prefixes {}",
                    entry.ai,
                    other.ai
                );
            }
        }
    }
}

#[test]
fn only_the_final_component_may_vary_in_length_and_optional_ones_come_last() {
    for entry in AI_TABLE {
        let components = entry.components;
        for (index, component) in components.iter().enumerate() {
            if index + 1 < components.len() && !component.is_fixed_length() {
                panic!("AI {}: variable component before the last", entry.ai);
            }
            if component.optional {
                assert!(
                    components[index..].iter().all(|c| c.optional),
                    "AI {}",
                    entry.ai
                );
            }
        }
    }
}

#[test]
fn predefined_length_ais_are_fixed_length() {
    for entry in AI_TABLE.iter().filter(|entry| entry.predefined_length) {
        assert!(entry.is_fixed_length(), "AI {}", entry.ai);
    }
}

#[test]
fn the_device_ais_are_defined_as_the_general_specifications_say() {
    let gtin = lookup("01").unwrap();
    assert!(gtin.predefined_length);
    assert_eq!(gtin.length_range(), (14, 14));
    let lot = lookup("10").unwrap();
    assert!(!lot.predefined_length);
    assert_eq!(lot.length_range(), (1, 20));
    assert_eq!(
        lookup("17").unwrap().components[0].linters,
        &[Linter::Yymmd0]
    );
    let expiry_time = lookup("7003").unwrap();
    assert!(
        !expiry_time.predefined_length,
        "7003 is fixed-length but needs FNC1"
    );
    assert!(expiry_time.is_fixed_length());
    assert_eq!(lookup("8012").unwrap().length_range(), (1, 20));
    assert_eq!(lookup("235").unwrap().length_range(), (1, 28));
    assert!(lookup("99").is_some());
    assert!(lookup("3103").unwrap().predefined_length);
    assert!(lookup("19").is_none());
}

/// GS1 Barcode Syntax Dictionary (`gs1/gs1-syntax-dictionary`, gs1-syntax-dictionary.txt):
/// `7007 ? N6,yymmdd [N6],yymmdd # HARVEST DATE`, `8008 ? N6,yymmdd N2,hh [N2],mi [N2],ss`,
/// `423 ? N3,iso3166 [N3]… [N3]` (up to five codes), `253 ? N13,csum,key [X..17]`.
#[test]
fn optional_components_are_whole_or_absent() {
    let lengths = |ai: &str| {
        let entry = lookup(ai).unwrap();
        let (min, max) = entry.length_range();
        (min..=max)
            .filter(|length| entry.allows_length(*length))
            .collect::<Vec<_>>()
    };
    assert_eq!(lengths("7007"), [6, 12]);
    assert_eq!(lengths("7011"), [6, 10]);
    assert_eq!(lengths("8008"), [8, 10, 12]);
    assert_eq!(lengths("423"), [3, 6, 9, 12, 15]);
    assert_eq!(
        lengths("253").len(),
        18,
        "13 digits, then 0 to 17 characters"
    );
    assert_eq!(lookup("7007").unwrap().describe_lengths(), "6 or 12");
    assert_eq!(
        lookup("423").unwrap().describe_lengths(),
        "3, 6, 9, 12 or 15"
    );
    assert_eq!(lookup("253").unwrap().describe_lengths(), "13 to 30");
    assert_eq!(lookup("10").unwrap().describe_lengths(), "1 to 20");
}

#[test]
fn finds_the_ai_at_the_start_of_data() {
    assert_eq!(ai_at_start("0109506000134352").unwrap().ai, "01");
    assert_eq!(ai_at_start("7003261231").unwrap().ai, "7003");
    assert_eq!(ai_at_start("235ABC").unwrap().ai, "235");
    assert!(ai_at_start("19").is_none());
    assert!(ai_at_start("7").is_none());
}

#[test]
fn patterns_use_n_as_a_digit_wildcard() {
    assert!(pattern_matches("394n", "3941"));
    assert!(pattern_matches("31nn", "3103"));
    assert!(!pattern_matches("31nn", "3203"));
    assert!(pattern_matches("01", "01"));
}
