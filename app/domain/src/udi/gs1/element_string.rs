//! GS1 element strings: `01095060001343521726123110AB12<GS>21XYZ`, as a scanner sends them.
//!
//! Predefined-length AIs end by length. Other AIs end at a group separator (GS, ASCII 29) or
//! at the end of the data. When the separators were lost (keyboard-wedge scanners often drop
//! them), a value may run into the next element: every valid reading is worked out, and if
//! more than one exists the person is asked to choose instead of the parser guessing.

use std::rc::Rc;

use super::element::{Element, span, validate_value};
use super::spec::{AiEntry, ai_at_start_of, some_ai_starts_with};
use crate::udi::error::{Reading, UdiError, UdiErrorKind};

pub const GS: char = '\u{1d}';

/// AIs that plausibly follow a lost separator on a device label. Company-internal AIs (90–99)
/// accept almost anything, so treating them as candidates would make every value ambiguous.
fn plausible_after_lost_separator(ai: &str) -> bool {
    matches!(
        ai,
        "01" | "10"
            | "11"
            | "17"
            | "21"
            | "30"
            | "235"
            | "240"
            | "241"
            | "243"
            | "250"
            | "251"
            | "7003"
            | "8012"
    )
}

/// The most readings worth showing a person.
const MAX_READINGS: usize = 6;

#[derive(Debug)]
pub struct Parsed {
    pub elements: Vec<Element>,
    pub warnings: Vec<String>,
}

/// Parses an element string (already cleaned of prefixes and separator substitutes).
///
/// `separators_trusted` is true when the data came with its separators (it contains a GS, or
/// a decoder reported a GS1 symbology): then a value ends exactly where the data says.
pub fn parse(
    text: &[char],
    separators_trusted: bool,
    reference_year: u16,
) -> Result<Parsed, Vec<UdiError>> {
    let strict = parse_strictly(text, reference_year);
    let separators_present = separators_trusted || text.contains(&GS);
    if separators_present {
        return strict;
    }
    let readings = Readings::new(text, reference_year).all();
    match (readings.len(), strict) {
        (0, strict) => strict,
        (1, Ok(parsed)) => Ok(parsed),
        (1, Err(_)) => {
            let elements = readings.into_iter().next().unwrap_or_default();
            let warnings = vec![format!(
                "A separator was missing in the scanned data; it could be read only one way: {}",
                human_readable(&elements)
            )];
            Ok(Parsed { elements, warnings })
        }
        (_, _) => Err(vec![ambiguity(&readings)]),
    }
}

fn parse_strictly(text: &[char], reference_year: u16) -> Result<Parsed, Vec<UdiError>> {
    let mut elements = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut position = 0;
    while position < text.len() {
        if text[position] == GS {
            position += 1;
            continue;
        }
        let entry = match entry_at(text, position) {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(error);
                break;
            }
        };
        let value_start = position + entry.ai.len();
        let next_separator = text[value_start..]
            .iter()
            .position(|c| *c == GS)
            .map_or(text.len(), |offset| value_start + offset);
        let (_, maximum) = entry.length_range();
        let value_end = if entry.predefined_length {
            (value_start + maximum).min(text.len())
        } else if entry.is_fixed_length() && next_separator - value_start > maximum {
            // A fixed-length field that should have been followed by a separator: where it
            // ends is not in doubt.
            warnings.push(format!(
                "A separator was missing after AI {}; its fixed length shows where it ends",
                entry.ai
            ));
            value_start + maximum
        } else {
            next_separator
        };
        let value = &text[value_start..value_end];
        let value_errors = validate_value(entry, value, value_start, reference_year);
        let structural = value_errors.iter().any(|error| {
            matches!(
                error.kind,
                UdiErrorKind::TooShort { .. } | UdiErrorKind::TooLong { .. }
            )
        });
        errors.extend(value_errors);
        elements.push(Element {
            entry,
            value: value.iter().collect(),
            start: position,
            end: value_end,
        });
        if structural {
            break;
        }
        position = value_end;
    }
    if errors.is_empty() {
        Ok(Parsed { elements, warnings })
    } else {
        Err(errors)
    }
}

/// The AI that starts at `position`, or why there is none.
fn entry_at(text: &[char], position: usize) -> Result<&'static AiEntry, UdiError> {
    if let Some(entry) = ai_at_start_of(&text[position..]) {
        return Ok(entry);
    }
    let digits: String = text[position..]
        .iter()
        .take(4)
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() < 2 && position + digits.len() == text.len() {
        return Err(UdiError::new(
            UdiErrorKind::IncompleteAi,
            span(position, text.len()),
        ));
    }
    let shown: String = if digits.len() >= 2 {
        // The shortest prefix no AI starts with: "19" for 1912…, "3106" for 3106….
        (2..=digits.len())
            .map(|length| &digits[..length])
            .find(|prefix| !some_ai_starts_with(prefix))
            .unwrap_or(&digits)
            .to_string()
    } else {
        text[position..]
            .iter()
            .take(2)
            .filter(|c| !c.is_control())
            .collect()
    };
    let shown_length = shown.chars().count();
    Err(UdiError::new(
        UdiErrorKind::UnknownAi { ai: shown },
        span(position, position + shown_length),
    ))
}

/// One element of a candidate reading: where it lies in the text (its value is copied out only
/// for the readings that survive).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    entry: &'static AiEntry,
    start: usize,
    end: usize,
}

/// All valid readings of separator-less data, position by position, memoised. The readings
/// from a position are shared, not copied, by every reading that reaches it.
struct Readings<'a> {
    text: &'a [char],
    reference_year: u16,
    memo: Vec<Option<Rc<[Vec<Candidate>]>>>,
    /// For each position, once asked: does an AI that plausibly follows a lost separator
    /// start there? Asked for every candidate end of every value, so remembered.
    plausible_next: Vec<Option<bool>>,
}

impl<'a> Readings<'a> {
    fn new(text: &'a [char], reference_year: u16) -> Self {
        Self {
            text,
            reference_year,
            memo: vec![None; text.len() + 1],
            plausible_next: vec![None; text.len()],
        }
    }

    /// The readings of the whole text, as elements.
    fn all(mut self) -> Vec<Vec<Element>> {
        let text = self.text;
        self.from(0)
            .iter()
            .map(|reading| {
                reading
                    .iter()
                    .map(|candidate| Element {
                        entry: candidate.entry,
                        value: text[candidate.start + candidate.entry.ai.len()..candidate.end]
                            .iter()
                            .collect(),
                        start: candidate.start,
                        end: candidate.end,
                    })
                    .collect()
            })
            .collect()
    }

    fn from(&mut self, position: usize) -> Rc<[Vec<Candidate>]> {
        if let Some(known) = &self.memo[position] {
            return Rc::clone(known);
        }
        let found: Rc<[Vec<Candidate>]> = self.compute(position).into();
        self.memo[position] = Some(Rc::clone(&found));
        found
    }

    fn compute(&mut self, position: usize) -> Vec<Vec<Candidate>> {
        let text = self.text;
        if position == text.len() {
            return vec![Vec::new()];
        }
        let Some(entry) = ai_at_start_of(&text[position..]) else {
            return Vec::new();
        };
        let value_start = position + entry.ai.len();
        let (minimum, maximum) = entry.length_range();
        let ends: Vec<usize> = if entry.is_fixed_length() {
            vec![value_start + maximum]
        } else {
            let last_end = (value_start + maximum).min(text.len());
            (value_start + minimum.max(1)..=last_end)
                .filter(|end| {
                    entry.allows_length(end - value_start)
                        && (*end == text.len()
                            || *self.plausible_next[*end].get_or_insert_with(|| {
                                ai_at_start_of(&text[*end..])
                                    .is_some_and(|next| plausible_after_lost_separator(next.ai))
                            }))
                })
                .collect()
        };
        let mut readings = Vec::new();
        for end in ends.into_iter().filter(|end| *end <= text.len()) {
            let value = &text[value_start..end];
            if !validate_value(entry, value, value_start, self.reference_year).is_empty() {
                continue;
            }
            let element = Candidate {
                entry,
                start: position,
                end,
            };
            for rest in self.from(end).iter() {
                if rest.iter().any(|later| std::ptr::eq(later.entry, entry)) {
                    continue; // the same AI twice is not a plausible reading
                }
                let mut reading = Vec::with_capacity(rest.len() + 1);
                reading.push(element);
                reading.extend_from_slice(rest);
                readings.push(reading);
                if readings.len() >= MAX_READINGS {
                    return readings;
                }
            }
        }
        readings
    }
}

/// `(01)09506000134352(10)AB12`.
pub fn human_readable(elements: &[Element]) -> String {
    elements
        .iter()
        .map(|element| format!("({}){}", element.entry.ai, element.value))
        .collect()
}

fn ambiguity(found: &[Vec<Element>]) -> UdiError {
    // The first element where the readings part ways is the one whose separator was lost.
    let diverges_at = (0..)
        .find(|index| {
            let first = found[0].get(*index);
            found.iter().any(|reading| reading.get(*index) != first)
        })
        .unwrap_or(0);
    let element = found
        .iter()
        .find_map(|reading| reading.get(diverges_at))
        .expect("readings differ, so one has an element there");
    let mut readings: Vec<Reading> = found
        .iter()
        .map(|elements| Reading {
            elements: elements
                .iter()
                .map(|element| (element.entry.ai.to_string(), element.value.clone()))
                .collect(),
            human_readable: human_readable(elements),
        })
        .collect();
    // Fewest elements first: the reading where the value simply runs to the end.
    readings.sort_by_key(|reading| reading.elements.len());
    let value_start = element.start + element.entry.ai.len();
    // The doubtful stretch: from the value to where the longest reading of it ends.
    let end = readings_end(found, diverges_at).max(value_start + 1);
    UdiError::new(
        UdiErrorKind::AmbiguousSeparator {
            ai: element.entry.ai.to_string(),
            title: element.entry.title,
            readings,
        },
        span(value_start, end),
    )
}

fn readings_end(readings: &[Vec<Element>], index: usize) -> usize {
    readings
        .iter()
        .filter_map(|reading| reading.get(index))
        .map(|element| element.end)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
