//! Cleaning up what scanners send before parsing: keyboard-wedge scanners add prefixes,
//! suffixes and line ends, send the group separator as something else (`^]`, `<GS>`, `~`, …)
//! or drop it, and may prefix an AIM symbology identifier (`]d2`). Every change is recorded
//! so that error positions still point at the characters the person sees.
//!
//! A substitute is taken only where the scanner profile names it: a `~` the profile does not
//! name is a character of the data, which GS1 does not allow (CSET 82), and is reported as
//! such instead of silently changing how the data reads.

use serde::{Deserialize, Serialize};

use super::gs1::GS;
use super::gs1::digital_link::looks_like_uri;

/// What a site's scanners are known to do; the defaults cover common configurations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WedgeSettings {
    /// Texts a scanner sends instead of the GS character (ASCII 29).
    pub separator_substitutes: Vec<String>,
    /// A prefix the scanner is configured to add, removed if present.
    pub prefix: Option<String>,
    /// A suffix the scanner is configured to add, removed if present.
    pub suffix: Option<String>,
}

/// Single characters some scanners are set to send for GS. Each could also be a (CSET
/// 82-invalid) character of the label's data, so none is taken unless the profile names it.
pub const SINGLE_CHARACTER_SUBSTITUTES: &[char] = &['~', '|'];

impl Default for WedgeSettings {
    fn default() -> Self {
        Self {
            // Names of the GS character, not data: each holds a character GS1 data (CSET 82)
            // and HIBC data cannot, except "<GS>", whose '<' and '>' are taken only together.
            separator_substitutes: ["<GS>", "{GS}", "[GS]", "^]", "\\x1d", "\\x1D", "\u{241D}"]
                .map(String::from)
                .to_vec(),
            prefix: None,
            suffix: None,
        }
    }
}

impl WedgeSettings {
    /// These settings, with one more substitute the site's scanners send (e.g. `~`).
    pub fn also_taking(mut self, substitute: &str) -> Self {
        self.separator_substitutes.push(substitute.to_string());
        self
    }
}

/// Where the data's group separators come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeparatorSource {
    /// A decoder that keeps GS1 separators (a camera decoder): its GS characters are real, and
    /// a `^]` or `~` in its text is data.
    Decoder,
    /// A keyboard wedge: the scanner profile's substitutes stand for GS.
    Wedge,
}

/// Text ready for parsing, with a map back to the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub text: Vec<char>,
    /// For each character of `text`, the index of the input character it came from.
    pub source: Vec<usize>,
    /// The AIM symbology identifier that was removed, e.g. `]d2`.
    pub symbology: Option<String>,
    /// True if the input carried separators (GS or a substitute).
    pub separators_seen: bool,
    pub notes: Vec<String>,
}

impl Cleaned {
    fn starts_with(&self, prefix: &str) -> bool {
        starts_with(&self.text, prefix)
    }

    fn ends_with(&self, suffix: &str) -> bool {
        let mut text = self.text.iter().rev();
        suffix.chars().rev().all(|c| text.next() == Some(&c))
    }

    fn drop_front(&mut self, count: usize) {
        self.text.drain(..count);
        self.source.drain(..count);
    }

    fn drop_back(&mut self, count: usize) {
        let keep = self.text.len() - count;
        self.text.truncate(keep);
        self.source.truncate(keep);
    }

    pub fn as_string(&self) -> String {
        self.text.iter().collect()
    }

    /// Maps a span of `text` (1-based, inclusive) back to the input's characters.
    pub fn original_span(&self, span: super::error::Span) -> super::error::Span {
        let map = |position: usize| {
            self.source
                .get(position.saturating_sub(1))
                .or(self.source.last())
                .map_or(position, |index| index + 1)
        };
        super::error::Span {
            start: map(span.start),
            end: map(span.end),
        }
    }
}

/// Symbology identifiers after which the data is GS1 (FNC1 in first position).
pub const GS1_SYMBOLOGIES: &[&str] = &["]d2", "]C1", "]Q3", "]e0", "]J1"];

pub fn clean(input: &str, settings: &WedgeSettings, separators: SeparatorSource) -> Cleaned {
    let characters: Vec<char> = input.chars().collect();
    let mut cleaned = Cleaned {
        source: (0..characters.len()).collect(),
        text: characters,
        symbology: None,
        separators_seen: false,
        notes: Vec::new(),
    };

    if let Some(prefix) = settings.prefix.as_deref().filter(|p| !p.is_empty())
        && cleaned.starts_with(prefix)
    {
        cleaned.drop_front(prefix.chars().count());
    }
    // Line ends and tabs a wedge scanner adds, and the spaces people paste.
    while cleaned
        .text
        .last()
        .is_some_and(|c| matches!(c, '\r' | '\n' | '\t'))
    {
        cleaned.drop_back(1);
    }
    if let Some(suffix) = settings.suffix.as_deref().filter(|s| !s.is_empty())
        && cleaned.ends_with(suffix)
    {
        cleaned.drop_back(suffix.chars().count());
    }
    while cleaned.text.first().is_some_and(|c| c.is_whitespace()) {
        cleaned.drop_front(1);
    }
    // A trailing space can be an HIBC check character (value 38): keep it there.
    let hibc = cleaned.starts_with("+") || cleaned.starts_with("*+");
    while !hibc && cleaned.text.last().is_some_and(|c| c.is_whitespace()) {
        cleaned.drop_back(1);
    }

    // ISO/IEC 15434 envelope, format 05 (GS1): [)> RS 05 GS … RS EOT.
    if cleaned.starts_with("[)>\u{1e}05\u{1d}") {
        cleaned.drop_front(6);
        while cleaned
            .text
            .last()
            .is_some_and(|c| matches!(c, '\u{1e}' | '\u{04}'))
        {
            cleaned.drop_back(1);
        }
        cleaned
            .notes
            .push("The ISO/IEC 15434 envelope was removed".to_string());
        cleaned.separators_seen = true;
    }

    if cleaned.text.len() >= 3
        && cleaned.text[0] == ']'
        && cleaned.text[1].is_ascii_alphabetic()
        && cleaned.text[2].is_ascii_alphanumeric()
    {
        cleaned.symbology = Some(cleaned.text[..3].iter().collect());
        cleaned.drop_front(3);
    }

    // HIBC printed or sent with Code 39's start and stop characters.
    if cleaned.starts_with("*+") && cleaned.ends_with("*") && cleaned.text.len() > 2 {
        cleaned.drop_front(1);
        cleaned.drop_back(1);
    }

    let is_uri = looks_like_uri(&cleaned.text);
    if !is_uri && separators == SeparatorSource::Wedge {
        replace_separator_substitutes(&mut cleaned, &settings.separator_substitutes);
    } else if cleaned.text.contains(&GS) {
        cleaned.separators_seen = true;
    }
    // A GS in first position is FNC1 sent as data; one at the end separates nothing.
    while cleaned.text.first() == Some(&GS) {
        cleaned.drop_front(1);
    }
    while cleaned.text.last() == Some(&GS) {
        cleaned.drop_back(1);
    }
    cleaned
}

fn replace_separator_substitutes(cleaned: &mut Cleaned, substitutes: &[String]) {
    if cleaned.text.contains(&GS) {
        cleaned.separators_seen = true;
    }
    // The longest substitute written at the start of `text`, if any ("<GS>" before "<").
    let substitute_at = |text: &[char]| {
        substitutes
            .iter()
            .filter(|substitute| starts_with(text, substitute))
            .map(|substitute| substitute.chars().count())
            .filter(|length| *length > 0)
            .max()
    };
    // A substitute can start only at one of their first characters: most input has none, and
    // then nothing is copied.
    let firsts: Vec<char> = substitutes
        .iter()
        .filter_map(|s| s.chars().next())
        .collect();
    let substitute_from = |index: usize| {
        firsts
            .contains(&cleaned.text[index])
            .then(|| substitute_at(&cleaned.text[index..]))
            .flatten()
    };
    let Some(first) = (0..cleaned.text.len()).find(|index| substitute_from(*index).is_some())
    else {
        return;
    };
    let mut text = Vec::with_capacity(cleaned.text.len());
    let mut source = Vec::with_capacity(cleaned.text.len());
    text.extend_from_slice(&cleaned.text[..first]);
    source.extend_from_slice(&cleaned.source[..first]);
    let mut index = first;
    while index < cleaned.text.len() {
        if let Some(length) = substitute_from(index) {
            text.push(GS);
            source.push(cleaned.source[index]);
            index += length;
            cleaned.separators_seen = true;
            continue;
        }
        text.push(cleaned.text[index]);
        source.push(cleaned.source[index]);
        index += 1;
    }
    cleaned.text = text;
    cleaned.source = source;
}

fn starts_with(text: &[char], prefix: &str) -> bool {
    let mut text = text.iter();
    prefix.chars().all(|c| text.next() == Some(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(input: &str) -> String {
        clean(input, &WedgeSettings::default(), SeparatorSource::Wedge).as_string()
    }

    #[test]
    fn removes_line_ends_symbology_identifiers_and_envelopes() {
        assert_eq!(cleaned("0109506000134352\r\n"), "0109506000134352");
        let result = clean(
            "]d20109506000134352",
            &WedgeSettings::default(),
            SeparatorSource::Wedge,
        );
        assert_eq!(result.symbology.as_deref(), Some("]d2"));
        assert_eq!(result.as_string(), "0109506000134352");
        assert_eq!(
            cleaned("[)>\u{1e}05\u{1d}0109506000134352\u{1e}\u{04}"),
            "0109506000134352"
        );
        assert_eq!(cleaned("*+A123BJC5D6E71J*"), "+A123BJC5D6E71J");
    }

    #[test]
    fn separator_substitutes_become_gs() {
        for substitute in ["^]", "<GS>", "\u{1d}", "{GS}", "[GS]", "\\x1d", "\u{241D}"] {
            let input = format!("10AB{substitute}21C");
            let result = clean(&input, &WedgeSettings::default(), SeparatorSource::Wedge);
            assert_eq!(result.as_string(), "10AB\u{1d}21C", "{substitute}");
            assert!(result.separators_seen);
        }
        // A Digital Link keeps its '~' and '|'.
        let profile = WedgeSettings::default().also_taking("~").also_taking("|");
        let link = "https://x.org/01/09506000134352/10/A~B";
        assert_eq!(
            clean(link, &profile, SeparatorSource::Wedge).as_string(),
            link
        );
    }

    #[test]
    fn single_character_substitutes_only_when_the_profile_names_them() {
        for substitute in SINGLE_CHARACTER_SUBSTITUTES {
            let input = format!("10AB{substitute}21C");
            let plain = clean(&input, &WedgeSettings::default(), SeparatorSource::Wedge);
            assert_eq!(plain.as_string(), input, "not in the default profile");
            assert!(!plain.separators_seen);
            let profile = WedgeSettings::default().also_taking(&substitute.to_string());
            let taken = clean(&input, &profile, SeparatorSource::Wedge);
            assert_eq!(taken.as_string(), "10AB\u{1d}21C");
        }
    }

    #[test]
    fn a_decoder_text_is_taken_as_it_is() {
        let profile = WedgeSettings::default().also_taking("~");
        let result = clean("10A^]B~C\u{1d}21D", &profile, SeparatorSource::Decoder);
        assert_eq!(result.as_string(), "10A^]B~C\u{1d}21D");
        assert!(result.separators_seen);
    }

    #[test]
    fn configured_prefix_and_suffix_are_removed() {
        let settings = WedgeSettings {
            prefix: Some("#".into()),
            suffix: Some("!!".into()),
            ..WedgeSettings::default()
        };
        assert_eq!(
            clean("#0109506000134352!!\n", &settings, SeparatorSource::Wedge).as_string(),
            "0109506000134352"
        );
    }

    #[test]
    fn positions_map_back_to_the_input() {
        let result = clean(
            "]C110AB^]21C",
            &WedgeSettings::default(),
            SeparatorSource::Wedge,
        );
        assert_eq!(result.as_string(), "10AB\u{1d}21C");
        // "21" is at cleaned characters 6–7 and input characters 10–11.
        let span = result.original_span(super::super::error::Span { start: 6, end: 7 });
        assert_eq!((span.start, span.end), (10, 11));
    }

    #[test]
    fn a_trailing_space_is_kept_for_hibc_only() {
        assert_eq!(cleaned("+A123BJC5D6E71 "), "+A123BJC5D6E71 ");
        assert_eq!(cleaned("0109506000134352  "), "0109506000134352");
    }
}
