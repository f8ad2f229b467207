//! Which AIs a Digital Link's path may hold: a primary key, then its key qualifiers in one of
//! the orders GS1 defines (the dictionary's `dlpkey=22,10,21|235` for AI 01), each at most
//! once; and the legacy short names ("convenience alphas") older labels print.

use crate::udi::gs1::spec::{AiEntry, lookup};

/// The convenience alphas of GS1 Digital Link 1.0, deprecated but still printed on older
/// labels. Path names: gs1-syntax-engine `src/c-lib/dl.c` (`alpha_ai_map`); `payto` and the
/// query attributes `exp` (17) and `expdt` (7003): GS1DigitalLinkToolkit.js (`shortcode`).
/// Sorted, for the binary search.
const CONVENIENCE_ALPHAS: &[(&str, &str)] = &[
    ("cpid", "8010"),
    ("cpsn", "8011"),
    ("cpv", "22"),
    ("exp", "17"),
    ("expdt", "7003"),
    ("gcn", "255"),
    ("gdti", "253"),
    ("giai", "8004"),
    ("ginc", "401"),
    ("gln", "414"),
    ("glnx", "254"),
    ("gmn", "8013"),
    ("grai", "8003"),
    ("gsin", "402"),
    ("gsrn", "8018"),
    ("gsrnp", "8017"),
    ("gtin", "01"),
    ("itip", "8006"),
    ("lot", "10"),
    ("party", "417"),
    ("payto", "415"),
    ("refno", "8020"),
    ("ser", "21"),
    ("srin", "8019"),
    ("sscc", "00"),
];

/// An AI as a Digital Link names it: by number, or by a legacy alpha.
#[derive(Debug, Clone, Copy)]
pub struct Named {
    pub entry: &'static AiEntry,
    /// The convenience alpha used instead of the number, if any.
    pub alpha: Option<&'static str>,
}

/// The AI a path segment or query key names, if it names one.
pub fn resolve(name: &str) -> Option<Named> {
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return lookup(name).map(|entry| Named { entry, alpha: None });
    }
    let index = CONVENIENCE_ALPHAS
        .binary_search_by(|(alpha, _)| (*alpha).cmp(name))
        .ok()?;
    let (alpha, ai) = CONVENIENCE_ALPHAS[index];
    Some(Named {
        entry: lookup(ai)?,
        alpha: Some(alpha),
    })
}

/// Whether `qualifiers` follow one of the key's qualifier orders, each at most once.
pub fn is_valid_sequence(key: &AiEntry, qualifiers: &[&str]) -> bool {
    key.dl_primary_key.unwrap_or("").split('|').any(|order| {
        let mut order = order.split(',').filter(|ai| !ai.is_empty());
        qualifiers
            .iter()
            .all(|qualifier| order.any(|ai| ai == *qualifier))
    })
}

/// Whether `ai`, given as a query attribute, is a qualifier the path could have held: put in
/// some place among `qualifiers`, the sequence is still valid (gs1-syntax-engine `dl.c`,
/// `AI_SHOULD_BE_IN_PATH_INFO`).
pub fn belongs_in_path(key: &AiEntry, qualifiers: &[&str], ai: &str) -> bool {
    (0..=qualifiers.len()).any(|place| {
        let mut trial = qualifiers.to_vec();
        trial.insert(place, ai);
        is_valid_sequence(key, &trial)
    })
}

/// Why the qualifiers are not valid for the key, in words.
pub fn sequence_problem(key: &AiEntry, qualifiers: &[&str]) -> String {
    let allowed = key.dl_primary_key.unwrap_or("");
    if allowed.is_empty() {
        format!(
            "AI {} ({}) takes no qualifiers in the path",
            key.ai, key.title
        )
    } else {
        format!(
            "after AI {} the path may hold only {} in that order, but it has {}",
            key.ai,
            allowed.replace('|', " or ").replace(',', ", "),
            qualifiers.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphas_are_sorted_and_name_real_ais() {
        assert!(
            CONVENIENCE_ALPHAS
                .windows(2)
                .all(|pair| pair[0].0 < pair[1].0)
        );
        for (alpha, ai) in CONVENIENCE_ALPHAS {
            assert_eq!(resolve(alpha).unwrap().entry.ai, *ai);
        }
        assert_eq!(resolve("01").unwrap().entry.ai, "01");
        assert!(resolve("GTIN").is_none(), "the alphas are lower case");
        assert!(resolve("faux").is_none());
    }

    /// gs1-syntax-engine `dl.c`, `test_dl_testValidateDLpathAIseq`: the GTIN's sequences.
    #[test]
    fn qualifier_orders_of_the_gtin() {
        let gtin = lookup("01").unwrap();
        for valid in [
            &[][..],
            &["21"],
            &["10"],
            &["10", "21"],
            &["22"],
            &["22", "21"],
            &["22", "10"],
            &["22", "10", "21"],
            &["235"],
        ] {
            assert!(is_valid_sequence(gtin, valid), "{valid:?}");
        }
        for invalid in [&["21", "10"][..], &["10", "10"], &["10", "235"], &["17"]] {
            assert!(!is_valid_sequence(gtin, invalid), "{invalid:?}");
        }
        assert!(belongs_in_path(gtin, &[], "10"));
        assert!(belongs_in_path(gtin, &["21"], "22"));
        assert!(!belongs_in_path(gtin, &["235"], "10"));
        assert!(!belongs_in_path(gtin, &[], "17"));
    }
}
