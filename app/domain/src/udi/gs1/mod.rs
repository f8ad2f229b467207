//! GS1 UDIs in their three written forms: element strings, human-readable text and Digital
//! Link URIs, validated against the GS1 AI table.

pub mod ai_table;
pub mod digital_link;
pub mod element;
pub mod element_string;
pub mod human_readable;
pub mod lint;
pub mod spec;

pub use element::Element;
pub use element_string::GS;

use spec::pattern_matches;

use super::error::{UdiError, UdiErrorKind};
use element::span;

/// Checks across the elements of one symbol: a repeated AI must repeat its value; AIs that
/// exclude each other must not meet. Returns warnings for pairings that only the rest of the
/// label can satisfy (the GS1 rules are judged over every barcode on the item).
///
/// Each AI is judged once, by its first element, and a repeat is compared with that first
/// value: data with hundreds of elements costs hundreds of comparisons, not their square.
pub fn check_pairings(elements: &[Element]) -> (Vec<UdiError>, Vec<String>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut firsts: Vec<&Element> = Vec::new();
    for element in elements {
        match firsts
            .iter()
            .find(|first| std::ptr::eq(first.entry, element.entry))
        {
            Some(first) if first.value != element.value => errors.push(UdiError::new(
                UdiErrorKind::ConflictingRepeat {
                    ai: element.entry.ai.to_string(),
                    first: first.value.clone(),
                    second: element.value.clone(),
                },
                span(element.start, element.end),
            )),
            Some(_) => {}
            None => firsts.push(element),
        }
    }
    let mut reported_exclusions: Vec<[&str; 2]> = Vec::new();
    for element in &firsts {
        for excluded in element.entry.excludes.split(',').filter(|p| !p.is_empty()) {
            for other in firsts.iter().filter(|other| {
                other.entry.ai != element.entry.ai && pattern_matches(excluded, other.entry.ai)
            }) {
                let mut pair = [element.entry.ai, other.entry.ai];
                pair.sort_unstable();
                if !reported_exclusions.contains(&pair) {
                    reported_exclusions.push(pair);
                    errors.push(UdiError::new(
                        UdiErrorKind::ExclusiveAis {
                            ai: element.entry.ai.to_string(),
                            other: other.entry.ai.to_string(),
                        },
                        span(other.start, other.end),
                    ));
                }
            }
        }
        for requirement in element.entry.requires {
            let satisfied = requirement.split(',').any(|group| {
                group.split('+').all(|pattern| {
                    firsts
                        .iter()
                        .any(|other| pattern_matches(pattern, other.entry.ai))
                })
            });
            if !satisfied {
                warnings.push(format!(
                    "AI {} ({}) normally comes with AI {}: if the label has another barcode, scan it too",
                    element.entry.ai,
                    element.entry.title,
                    requirement.replace(',', " or ").replace('+', " with ")
                ));
            }
        }
    }
    warnings.dedup();
    (errors, warnings)
}

/// Writes `(AI, value)` pairs as an element string: a GS after every value whose AI is not
/// of predefined length, except the last.
pub fn to_element_string(pairs: &[(&str, &str)]) -> String {
    let mut text = String::new();
    for (index, (ai, value)) in pairs.iter().enumerate() {
        text.push_str(ai);
        text.push_str(value);
        let predefined = spec::lookup(ai).is_some_and(|entry| entry.predefined_length);
        if !predefined && index + 1 < pairs.len() {
            text.push(GS);
        }
    }
    text
}

/// Writes `(AI, value)` pairs as GS1 human-readable text: `(01)09506000134352(10)AB`.
pub fn to_human_readable(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(ai, value)| format!("({ai}){value}"))
        .collect()
}

/// Writes a GTIN-keyed UDI as a GS1 Digital Link on `host`: the GTIN and its qualifiers in
/// the path, in the GTIN's qualifier order that takes the most of them (22, 10, 21 or 235),
/// other attributes in the query. `None` without a GTIN, or when no Digital Link can hold the
/// pairs (22 and 235 together: one of them would have to go in the query, where neither may).
pub fn to_digital_link(host: &str, pairs: &[(&str, &str)]) -> Option<String> {
    let encode = digital_link::percent_encode;
    let gtin = pairs.iter().find(|(ai, _)| *ai == "01")?;
    let orders = spec::lookup("01")?.dl_primary_key.unwrap_or("");
    let present = |order: &str| {
        order
            .split(',')
            .filter(|qualifier| pairs.iter().any(|(ai, _)| ai == qualifier))
            .count()
    };
    // What an order leaves for the query must be allowed there (235 is not a data
    // attribute, 10 is): such an order first, then the one that takes the most qualifiers.
    let leaves_only_attributes = |order: &str| {
        orders
            .split(['|', ','])
            .filter(|qualifier| !order.split(',').any(|taken| taken == *qualifier))
            .filter(|qualifier| pairs.iter().any(|(ai, _)| ai == qualifier))
            .all(|qualifier| spec::lookup(qualifier).is_some_and(|e| e.digital_link_attribute))
    };
    let best = orders
        .split('|')
        .rev()
        .max_by_key(|order| (leaves_only_attributes(order), present(order)))
        .filter(|order| leaves_only_attributes(order))?;
    let in_path = |ai: &str| ai == "01" || best.split(',').any(|qualifier| qualifier == ai);
    let mut uri = format!("https://{host}/01/{}", encode(gtin.1));
    for qualifier in best.split(',') {
        if let Some((_, value)) = pairs.iter().find(|(ai, _)| *ai == qualifier) {
            uri.push_str(&format!("/{qualifier}/{}", encode(value)));
        }
    }
    let attributes: Vec<String> = pairs
        .iter()
        .filter(|(ai, _)| !in_path(ai))
        .map(|(ai, value)| format!("{ai}={}", encode(value)))
        .collect();
    if !attributes.is_empty() {
        uri.push('?');
        uri.push_str(&attributes.join("&"));
    }
    Some(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(text: &str) -> Vec<Element> {
        let characters: Vec<char> = text.replace("<GS>", "\u{1d}").chars().collect();
        element_string::parse(&characters, true, 2026)
            .unwrap()
            .elements
    }

    #[test]
    fn repeated_ais_must_agree() {
        let (errors, _) = check_pairings(&elements("0109506000134352<GS>10A<GS>10B"));
        assert_eq!(errors[0].code(), "conflicting_repeat");
        let (errors, _) = check_pairings(&elements("0109506000134352<GS>10A<GS>10A"));
        assert!(errors.is_empty());
    }

    #[test]
    fn a_digital_link_is_written_with_the_qualifiers_it_can_take_in_the_path() {
        let pairs = [
            ("01", "09506000134352"),
            ("21", "S/1"),
            ("17", "261231"),
            ("10", "L"),
        ];
        assert_eq!(
            to_digital_link("id.test", &pairs).unwrap(),
            "https://id.test/01/09506000134352/10/L/21/S%2F1?17=261231"
        );
        let pairs = [("01", "09506000134352"), ("235", "TPX"), ("17", "261231")];
        assert_eq!(
            to_digital_link("id.test", &pairs).unwrap(),
            "https://id.test/01/09506000134352/235/TPX?17=261231"
        );
        // Found by the digital_link fuzz target: with 235 and 10, 235 went to the query,
        // where it is not allowed. 10 may be a query attribute once the path holds 235.
        let pairs = [("01", "09506000134352"), ("235", "TPX"), ("10", "250056")];
        let link = to_digital_link("id.test", &pairs).unwrap();
        assert_eq!(link, "https://id.test/01/09506000134352/235/TPX?10=250056");
        assert!(digital_link::parse(&link, 2026).is_ok());
        let pairs = [("01", "09506000134352"), ("22", "V"), ("235", "TPX")];
        assert_eq!(to_digital_link("id.test", &pairs), None);
    }

    #[test]
    fn exclusive_ais_are_refused_and_missing_partners_warned() {
        let (errors, _) = check_pairings(&elements("010950600013435237123"));
        assert_eq!(
            errors[0].kind,
            UdiErrorKind::ExclusiveAis {
                ai: "01".into(),
                other: "37".into()
            }
        );
        let (errors, warnings) =
            check_pairings(&elements("17261231" /* second line of a label */));
        assert!(errors.is_empty());
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("AI 17 (USE BY or EXPIRY) normally comes with AI 01 or 02"));
    }
}
