//! The shape of an Application Identifier definition, and lookups in the AI table.

use super::ai_table::AI_TABLE;

/// The characters a component may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// Digits `0`–`9`.
    Numeric,
    /// GS1 CSET 82: the invariant subset of ISO 646 that GS1 allows in alphanumeric data.
    Cset82,
    /// GS1 CSET 39: `#`, `-`, `/`, digits and upper-case letters.
    Cset39,
    /// GS1 CSET 64: the base64url alphabet and `=` padding.
    Cset64,
}

impl Charset {
    pub fn allows(self, character: char) -> bool {
        match self {
            Self::Numeric => character.is_ascii_digit(),
            Self::Cset82 => character.is_ascii() && IN_CSET82[character as usize],
            Self::Cset39 => {
                matches!(character, '#' | '-' | '/')
                    || character.is_ascii_digit()
                    || character.is_ascii_uppercase()
            }
            Self::Cset64 => {
                character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '=')
            }
        }
    }

    /// How the character set is described to a person.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Numeric => "digits only",
            Self::Cset82 => "letters, digits and the punctuation GS1 allows (CSET 82)",
            Self::Cset39 => "upper-case letters, digits, '#', '-' and '/' (CSET 39)",
            Self::Cset64 => "letters, digits, '-', '_' and '=' (base64url)",
        }
    }
}

/// GS1 CSET 82, in GS1's order (the order matters for the alphanumeric check pair).
pub const CSET82: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// CSET 82 membership by ASCII code: one load per character instead of a search of the set.
const IN_CSET82: [bool; 128] = {
    let mut table = [false; 128];
    let bytes = CSET82.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        table[bytes[index] as usize] = true;
        index += 1;
    }
    table
};

/// A content check applied to one component, named as in the GS1 Barcode Syntax Dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linter {
    Csum,
    Key,
    KeyOff1,
    Yymmd0,
    Yymmdd,
    Yyyymmdd,
    Yyyymmd0,
    Hhmi,
    Hhmm,
    Hh,
    Mi,
    Ss,
    MmOptSs,
    Iso3166,
    Iso3166999,
    Iso3166Alpha2,
    Iso3166List,
    Iso4217,
    Iso5218,
    Pcenc,
    YesNo,
    Hyphen,
    NonZero,
    Winding,
    Zero,
    PieceOfTotal,
    Iban,
    CsumAlpha,
    HasNonDigit,
    NoZeroPrefix,
    CouponCode,
    CouponPosOffer,
    Latitude,
    Longitude,
    MediaType,
    ImporterIdx,
    PackageType,
    PosInSeqSlash,
}

/// One component of an AI's data field: a fixed or variable number of characters of one set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    pub charset: Charset,
    pub min: u8,
    pub max: u8,
    pub optional: bool,
    pub linters: &'static [Linter],
}

impl Component {
    pub fn is_fixed_length(&self) -> bool {
        self.min == self.max
    }
}

/// One Application Identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AiEntry {
    pub ai: &'static str,
    pub title: &'static str,
    /// In the GS1 list of predefined-length AIs: no FNC1 separator follows its data. This is
    /// not the same as "fixed length": `7003` has a fixed length but still needs a separator.
    pub predefined_length: bool,
    /// May appear as a query attribute of a GS1 Digital Link URI.
    pub digital_link_attribute: bool,
    pub components: &'static [Component],
    /// Each entry: the AIs (comma-separated alternatives, `+` for groups, `n` as a digit
    /// wildcard) one of which must also be present.
    pub requires: &'static [&'static str],
    /// AIs (same notation) that must not be present together with this one.
    pub excludes: &'static str,
    /// `Some` if this AI is a Digital Link primary key: the qualifier sequences it accepts
    /// (`22,10,21|235`), or empty for none.
    pub dl_primary_key: Option<&'static str>,
}

impl AiEntry {
    /// The shortest and longest data this AI can carry.
    pub fn length_range(&self) -> (usize, usize) {
        let min = self
            .components
            .iter()
            .filter(|component| !component.optional)
            .map(|component| usize::from(component.min))
            .sum();
        let max = self
            .components
            .iter()
            .map(|component| usize::from(component.max))
            .sum();
        (min, max)
    }

    /// True when the whole field has one possible length.
    pub fn is_fixed_length(&self) -> bool {
        let (min, max) = self.length_range();
        min == max
    }

    /// The lengths the data may have, as inclusive ranges in increasing order: the mandatory
    /// components alone, then with each optional component added in turn. An optional
    /// component is there whole or not at all, so `N6 [N6]` (AI 7007) allows 6 or 12
    /// characters, never 9.
    pub fn length_ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mandatory = self.components.iter().take_while(|c| !c.optional).count();
        (mandatory..=self.components.len()).map(|count| {
            self.components[..count]
                .iter()
                .fold((0, 0), |(min, max), component| {
                    (
                        min + usize::from(component.min),
                        max + usize::from(component.max),
                    )
                })
        })
    }

    /// Whether data of this length fits the components (see [`Self::length_ranges`]).
    pub fn allows_length(&self, length: usize) -> bool {
        self.length_ranges()
            .any(|(min, max)| (min..=max).contains(&length))
    }

    /// The allowed lengths in words: "6 or 12", "3, 6, 9, 12 or 15", "13 to 30".
    pub fn describe_lengths(&self) -> String {
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (min, max) in self.length_ranges() {
            match merged.last_mut() {
                Some(last) if min <= last.1 + 1 => last.1 = last.1.max(max),
                _ => merged.push((min, max)),
            }
        }
        let words: Vec<String> = merged
            .iter()
            .map(|(min, max)| {
                if min == max {
                    min.to_string()
                } else {
                    format!("{min} to {max}")
                }
            })
            .collect();
        match words.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Byte-wise order of two short strings, inline: AIs have 2 to 4 characters, too few for a
/// call to `memcmp` to pay off in the binary searches below.
fn compare_short(left: &[u8], right: &[u8]) -> std::cmp::Ordering {
    for (l, r) in left.iter().zip(right) {
        if l != r {
            return l.cmp(r);
        }
    }
    left.len().cmp(&right.len())
}

/// The entry for exactly this AI, if GS1 defines it.
pub fn lookup(ai: &str) -> Option<&'static AiEntry> {
    AI_TABLE
        .binary_search_by(|entry| compare_short(entry.ai.as_bytes(), ai.as_bytes()))
        .ok()
        .map(|index| &AI_TABLE[index])
}

/// The AI at the start of `data`, if any. AIs are prefix-free, so at most one matches, and it
/// is the last entry not after the data's first four characters: one binary search.
pub fn ai_at_start(data: &str) -> Option<&'static AiEntry> {
    let bytes = data.as_bytes();
    let head = &bytes[..bytes.len().min(4)];
    let after = AI_TABLE.partition_point(|entry| {
        compare_short(entry.ai.as_bytes(), head) != std::cmp::Ordering::Greater
    });
    let entry = AI_TABLE.get(after.checked_sub(1)?)?;
    head.starts_with(entry.ai.as_bytes()).then_some(entry)
}

/// The AI at the start of `text`, without allocating: the search for lost separators asks this
/// at every position it considers.
pub fn ai_at_start_of(text: &[char]) -> Option<&'static AiEntry> {
    let mut digits = [0u8; 4];
    let mut count = 0;
    for character in text.iter().take(4) {
        if !character.is_ascii_digit() {
            break;
        }
        digits[count] = *character as u8;
        count += 1;
    }
    // Only ASCII digits were copied, so this is valid UTF-8.
    ai_at_start(std::str::from_utf8(&digits[..count]).unwrap_or(""))
}

/// The AI written exactly as `text` (digits only), without allocating.
pub fn lookup_chars(text: &[char]) -> Option<&'static AiEntry> {
    if !(2..=4).contains(&text.len()) {
        return None;
    }
    let entry = ai_at_start_of(text)?;
    (entry.ai.len() == text.len()).then_some(entry)
}

/// Whether some AI starts with `prefix`: a binary search, as the table is sorted.
pub fn some_ai_starts_with(prefix: &str) -> bool {
    let first_not_below = AI_TABLE.partition_point(|entry| entry.ai < prefix);
    AI_TABLE
        .get(first_not_below)
        .is_some_and(|entry| entry.ai.starts_with(prefix))
}

/// Whether `ai` matches a pattern of the dictionary's pairing notation (`394n`, `31nn`).
pub fn pattern_matches(pattern: &str, ai: &str) -> bool {
    pattern.len() == ai.len()
        && pattern
            .chars()
            .zip(ai.chars())
            .all(|(p, a)| p == a || (p == 'n' && a.is_ascii_digit()))
}

#[cfg(test)]
mod tests;
