//! GS1 Digital Link URIs: `https://any.host/prefix/01/09506000134352/10/AB12/21/X?17=261231`.
//!
//! The path holds a primary key (here the GTIN) and its qualifiers in GS1's order; the query
//! holds data attributes, such as the expiry date. Any host and any path prefix are accepted.
//! The rules are those of the GS1 Digital Link URI syntax 1.x as GS1's reference
//! implementation reads it (`gs1/gs1-syntax-engine`, `src/c-lib/dl.c`): the key in its
//! canonical form, qualifiers only in the path, each AI once, no empty path segment.

mod keys;
mod uri;

pub use uri::{Component, looks_like_uri, percent_decode, percent_encode};

use super::element::{Element, span, validate_value};
use super::spec::AiEntry;
use crate::udi::error::{UdiError, UdiErrorKind};
use keys::{Named, belongs_in_path, is_valid_sequence, resolve, sequence_problem};
use uri::Piece;

#[derive(Debug)]
pub struct Parsed {
    pub elements: Vec<Element>,
    pub warnings: Vec<String>,
}

fn problem(message: impl Into<String>, start: usize, end: usize) -> UdiError {
    UdiError::new(
        UdiErrorKind::DigitalLink {
            problem: message.into(),
        },
        span(start, end),
    )
}

fn error_at(kind: UdiErrorKind, piece: Piece) -> UdiError {
    UdiError::new(kind, span(piece.start, piece.end().max(piece.start + 1)))
}

/// What has been read so far: elements, errors, warnings, and the AIs already seen.
#[derive(Default)]
struct Reading {
    elements: Vec<Element>,
    errors: Vec<UdiError>,
    warnings: Vec<String>,
    seen: Vec<&'static str>,
}

impl Reading {
    /// Notes an AI; false (and an error) if it was seen already, even with the same value.
    fn first_time(&mut self, entry: &'static AiEntry, name: Piece) -> bool {
        if self.seen.contains(&entry.ai) {
            self.errors.push(error_at(
                UdiErrorKind::RepeatedAi {
                    ai: entry.ai.to_string(),
                },
                name,
            ));
            return false;
        }
        self.seen.push(entry.ai);
        true
    }

    fn note_alpha(&mut self, named: Named) {
        if let Some(alpha) = named.alpha {
            let warning = format!(
                "'{alpha}' is the old short name of AI {} ({}): it was read as AI {}",
                named.entry.ai, named.entry.title, named.entry.ai
            );
            if !self.warnings.contains(&warning) {
                self.warnings.push(warning);
            }
        }
    }

    fn add(&mut self, entry: &'static AiEntry, value: Piece, component: Component, year: u16) {
        match element_from(entry, value, component, year) {
            Ok((element, warning)) => {
                self.elements.push(element);
                self.warnings.extend(warning);
            }
            Err(errors) => self.errors.extend(errors),
        }
    }
}

pub fn parse(uri: &str, reference_year: u16) -> Result<Parsed, Vec<UdiError>> {
    let parts = uri::split(uri).map_err(|error| vec![error])?;
    let path = parts.path;
    if path.text.len() > 1 && path.text.ends_with('/') {
        return Err(vec![UdiError::new(
            UdiErrorKind::DigitalLinkTrailingSlash,
            span(path.end() - 1, path.end()),
        )]);
    }
    // The first segment is the empty one before the path's leading '/'.
    let segments: Vec<Piece> = path.split('/').skip(1).collect();
    let key_index = primary_key_index(&segments).ok_or_else(|| {
        match segments.iter().find(|segment| segment.text.is_empty()) {
            Some(empty) => vec![empty_segment(*empty)],
            None => vec![problem(
                "its path has no GS1 primary key such as /01/<GTIN> followed by its value",
                path.start,
                path.end(),
            )],
        }
    })?;

    let mut reading = Reading::default();
    let pairs = segments[key_index..].chunks_exact(2);
    let key = resolve(segments[key_index].text)
        .expect("found as the key")
        .entry;
    let mut qualifiers: Vec<&'static str> = Vec::new();
    for (position, pair) in pairs.enumerate() {
        let (name, value) = (pair[0], pair[1]);
        let named = resolve(name.text).expect("every name after the key was resolved");
        reading.note_alpha(named);
        if !reading.first_time(named.entry, name) {
            continue;
        }
        if value.text.is_empty() {
            reading.errors.push(empty_segment(value));
            continue;
        }
        if position == 0 {
            if let Some(error) = non_canonical_key(named.entry, value) {
                reading.errors.push(error);
                continue;
            }
        } else {
            qualifiers.push(named.entry.ai);
        }
        reading.add(named.entry, value, Component::Path, reference_year);
    }
    if !is_valid_sequence(key, &qualifiers) {
        reading.errors.push(problem(
            sequence_problem(key, &qualifiers),
            path.start,
            path.end(),
        ));
    }
    if let Some(query) = parts.query {
        read_query(&mut reading, query, key, &qualifiers, reference_year);
    }
    if reading.errors.is_empty() {
        Ok(Parsed {
            elements: reading.elements,
            warnings: reading.warnings,
        })
    } else {
        Err(reading.errors)
    }
}

/// Where the primary key starts: walking `/AI/value` pairs back from the end, the first AI
/// that is a primary key. What comes before it is the host's own path prefix.
fn primary_key_index(segments: &[Piece]) -> Option<usize> {
    let mut end = segments.len();
    while end >= 2 {
        let named = resolve(segments[end - 2].text)?;
        if named.entry.dl_primary_key.is_some() {
            return Some(end - 2);
        }
        end -= 2;
    }
    None
}

fn empty_segment(at: Piece) -> UdiError {
    // An empty segment has no characters: point at the slash before it.
    UdiError::new(
        UdiErrorKind::DigitalLinkEmptySegment,
        span(at.start.saturating_sub(1), at.start),
    )
}

/// The GTIN in the path must have all 14 digits: GTIN-8, -12 and -13 are written with
/// leading zeros (GS1 Digital Link URI syntax; the reference implementation accepts short
/// forms only when told to, as a legacy option).
fn non_canonical_key(entry: &'static AiEntry, value: Piece) -> Option<UdiError> {
    let short = entry.ai == "01"
        && matches!(value.text.len(), 8 | 12 | 13)
        && value.text.bytes().all(|b| b.is_ascii_digit());
    short.then(|| {
        error_at(
            UdiErrorKind::DigitalLinkNotCanonical {
                ai: entry.ai.to_string(),
                title: entry.title,
                found: value.text.to_string(),
                canonical: format!("{:0>14}", value.text),
            },
            value,
        )
    })
}

fn read_query(
    reading: &mut Reading,
    query: Piece,
    key: &'static AiEntry,
    qualifiers: &[&str],
    reference_year: u16,
) {
    for parameter in query.split('&') {
        let Some((name, value)) = parameter.text.split_once('=') else {
            continue; // an empty parameter, or one without a value, carries no data
        };
        let name = Piece {
            text: name,
            start: parameter.start,
        };
        let value = Piece {
            text: value,
            start: name.end() + 1,
        };
        let numeric = !name.text.is_empty() && name.text.bytes().all(|b| b.is_ascii_digit());
        let Some(named) = resolve(name.text) else {
            if numeric {
                reading.errors.push(problem(
                    format!(
                        "{} in the query is not a GS1 Application Identifier",
                        name.text
                    ),
                    name.start,
                    name.end(),
                ));
            }
            continue; // linkType, context and other non-AI parameters carry no data
        };
        let entry = named.entry;
        reading.note_alpha(named);
        if !reading.first_time(entry, name) {
            continue;
        }
        if belongs_in_path(key, qualifiers, entry.ai) {
            reading.errors.push(error_at(
                UdiErrorKind::DigitalLinkQualifierInQuery {
                    ai: entry.ai.to_string(),
                    title: entry.title,
                    key: key.ai.to_string(),
                },
                name,
            ));
            continue;
        }
        if !entry.digital_link_attribute {
            reading.errors.push(problem(
                format!(
                    "AI {} ({}) is not allowed as a query attribute",
                    entry.ai, entry.title
                ),
                name.start,
                name.end(),
            ));
            continue;
        }
        if entry.ai == "01" {
            // Allowed where the path's key is another one (an asset's GIAI, say).
            reading.warnings.push(format!(
                "This Digital Link identifies AI {} ({}) in its path; the GTIN (AI 01) comes from its query, not from the path: check that it is the device's own",
                key.ai, key.title
            ));
        }
        reading.add(entry, value, Component::Query, reference_year);
    }
}

fn element_from(
    entry: &'static AiEntry,
    piece: Piece,
    component: Component,
    reference_year: u16,
) -> Result<(Element, Option<String>), Vec<UdiError>> {
    let Some(mut value) = percent_decode(piece.text, component) else {
        return Err(vec![problem(
            format!("the value of AI {} has a malformed %-escape", entry.ai),
            piece.start,
            piece.end(),
        )]);
    };
    let mut warning = None;
    // As a query attribute, a GTIN-8, -12 or -13 is read as a GTIN-14, as GS1's reference
    // implementation does (in the path, only the 14-digit form is valid).
    if component == Component::Query
        && entry.ai == "01"
        && matches!(value.len(), 8 | 12 | 13)
        && value.bytes().all(|b| b.is_ascii_digit())
    {
        warning = Some(format!(
            "The {}-digit GTIN was padded with zeros to 14 digits",
            value.len()
        ));
        value = format!("{value:0>14}");
    }
    let characters: Vec<char> = value.chars().collect();
    let errors = validate_value(entry, &characters, piece.start, reference_year);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        Element {
            entry,
            value,
            start: piece.start,
            end: piece.end(),
        },
        warning,
    ))
}

#[cfg(test)]
mod tests;
