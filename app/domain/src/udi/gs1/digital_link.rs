//! GS1 Digital Link URIs: `https://any.host/prefix/01/09506000134352/10/AB12/21/X?17=261231`.
//!
//! The path holds a primary key (here the GTIN) and its qualifiers in GS1's order; the query
//! holds data attributes, such as the expiry date. Any host and any path prefix are accepted.

use super::element::{Element, span, validate_value};
use super::spec::{AiEntry, lookup};
use crate::udi::error::{UdiError, UdiErrorKind};

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

/// A piece of the URI with its place (0-based, half-open, in characters).
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    start: usize,
}

impl Piece<'_> {
    fn end(&self) -> usize {
        self.start + self.text.chars().count()
    }
}

fn split<'a>(piece: Piece<'a>, separator: char) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut start = piece.start;
    for part in piece.text.split(separator) {
        pieces.push(Piece { text: part, start });
        start += part.chars().count() + 1;
    }
    pieces
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes.get(index + 1..index + 3)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            decoded.push(value);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// Escapes what a URI path segment or query value must not carry raw.
pub fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

pub fn parse(uri: &str, reference_year: u16) -> Result<Parsed, Vec<UdiError>> {
    let total = uri.chars().count();
    let lower = uri.to_ascii_lowercase();
    let scheme_length = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return Err(vec![problem(
            "it must start with https:// or http://",
            0,
            total,
        )]);
    };
    let without_fragment = uri.split('#').next().unwrap_or(uri);
    let (path_part, query_part) = match without_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (without_fragment, None),
    };
    let after_scheme = &path_part[scheme_length..];
    let Some(slash) = after_scheme.find('/') else {
        return Err(vec![problem(
            "it has no path: a Digital Link looks like https://host/01/<GTIN>",
            0,
            total,
        )]);
    };
    let path = Piece {
        text: &after_scheme[slash + 1..],
        start: scheme_length + after_scheme[..slash].chars().count() + 1,
    };
    let segments: Vec<Piece> = split(path, '/')
        .into_iter()
        .filter(|segment| !segment.text.is_empty())
        .collect();

    let key_index = (0..segments.len())
        .find(|index| {
            (segments.len() - index).is_multiple_of(2)
                && lookup(segments[*index].text).is_some_and(|entry| entry.dl_primary_key.is_some())
        })
        .ok_or_else(|| {
            vec![problem(
                "its path has no GS1 primary key such as /01/<GTIN> followed by its value",
                path.start,
                path.end(),
            )]
        })?;

    let mut elements = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let pairs: Vec<(Piece, Piece)> = segments[key_index..]
        .chunks(2)
        .map(|pair| (pair[0], pair[1]))
        .collect();
    let key_entry = lookup(pairs[0].0.text).expect("found above");
    let mut qualifiers: Vec<&'static str> = Vec::new();
    for (position, (ai_piece, value_piece)) in pairs.iter().enumerate() {
        let Some(entry) = lookup(ai_piece.text) else {
            errors.push(problem(
                format!(
                    "/{}/ in the path is not a GS1 Application Identifier",
                    ai_piece.text
                ),
                ai_piece.start,
                ai_piece.end(),
            ));
            continue;
        };
        if position > 0 {
            qualifiers.push(entry.ai);
        }
        match element_from(entry, *value_piece, reference_year) {
            Ok((element, warning)) => {
                elements.push(element);
                warnings.extend(warning);
            }
            Err(error) => errors.extend(error),
        }
    }
    if let Err(message) = check_qualifiers(key_entry, &qualifiers) {
        errors.push(problem(message, path.start, path.end()));
    }

    if let Some(query) = query_part {
        let query_start = without_fragment.chars().count() - query.chars().count();
        for parameter in split(
            Piece {
                text: query,
                start: query_start,
            },
            '&',
        ) {
            let Some((key, value)) = parameter.text.split_once('=') else {
                continue;
            };
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
                continue; // linkType, context and other non-AI parameters carry no data
            }
            let key_end = parameter.start + key.chars().count();
            let Some(entry) = lookup(key) else {
                errors.push(problem(
                    format!("{key} in the query is not a GS1 Application Identifier"),
                    parameter.start,
                    key_end,
                ));
                continue;
            };
            if !entry.digital_link_attribute || entry.dl_primary_key.is_some() {
                errors.push(problem(
                    format!(
                        "AI {key} ({}) is not allowed as a query attribute",
                        entry.title
                    ),
                    parameter.start,
                    key_end,
                ));
                continue;
            }
            let value_piece = Piece {
                text: value,
                start: key_end + 1,
            };
            match element_from(entry, value_piece, reference_year) {
                Ok((element, warning)) => {
                    elements.push(element);
                    warnings.extend(warning);
                }
                Err(error) => errors.extend(error),
            }
        }
    }
    if errors.is_empty() {
        Ok(Parsed { elements, warnings })
    } else {
        Err(errors)
    }
}

fn element_from(
    entry: &'static AiEntry,
    piece: Piece,
    reference_year: u16,
) -> Result<(Element, Option<String>), Vec<UdiError>> {
    let Some(mut value) = percent_decode(piece.text) else {
        return Err(vec![problem(
            format!("the value of AI {} has a malformed %-escape", entry.ai),
            piece.start,
            piece.end(),
        )]);
    };
    let mut warning = None;
    // Digital Link allows GTIN-8, -12 and -13 in the path; the element string form is 14 digits.
    if entry.ai == "01"
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

/// Qualifiers must follow one of the key's allowed sequences, in order, each at most once.
fn check_qualifiers(key: &AiEntry, qualifiers: &[&str]) -> Result<(), String> {
    if qualifiers.is_empty() {
        return Ok(());
    }
    let allowed = key.dl_primary_key.unwrap_or("");
    let fits = allowed.split('|').any(|sequence| {
        let order: Vec<&str> = sequence.split(',').filter(|ai| !ai.is_empty()).collect();
        let mut next = 0;
        qualifiers.iter().all(|qualifier| {
            match order[next..].iter().position(|ai| ai == qualifier) {
                Some(offset) => {
                    next += offset + 1;
                    true
                }
                None => false,
            }
        })
    });
    if fits {
        Ok(())
    } else if allowed.is_empty() {
        Err(format!(
            "AI {} ({}) takes no qualifiers in the path",
            key.ai, key.title
        ))
    } else {
        Err(format!(
            "after AI {} the path may hold only {} in that order, but it has {}",
            key.ai,
            allowed.replace('|', " or ").replace(',', ", "),
            qualifiers.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(parsed: &Parsed) -> Vec<(&str, &str)> {
        parsed
            .elements
            .iter()
            .map(|e| (e.entry.ai, e.value.as_str()))
            .collect()
    }

    #[test]
    fn reads_path_and_query_on_any_host_and_prefix() {
        let parsed = parse(
            "https://example.org/some/prefix/01/09506000134352/10/AB%2F12/21/X1?17=261231&linkType=gs1:pip#top",
            2026,
        )
        .unwrap();
        assert_eq!(
            values(&parsed),
            [
                ("01", "09506000134352"),
                ("10", "AB/12"),
                ("21", "X1"),
                ("17", "261231")
            ]
        );
    }

    #[test]
    fn short_gtins_are_padded() {
        let parsed = parse("https://id.gs1.org/01/9506000134352", 2026).unwrap();
        assert_eq!(values(&parsed), [("01", "09506000134352")]);
        assert_eq!(parsed.warnings.len(), 1);
    }

    #[test]
    fn qualifiers_out_of_order_or_not_allowed_are_refused() {
        let errors = parse("https://id.gs1.org/01/09506000134352/21/X/10/AB", 2026).unwrap_err();
        assert!(
            errors[0].to_string().contains("22, 10, 21"),
            "{}",
            errors[0]
        );
        let errors = parse(
            "https://id.gs1.org/01/09506000134352?01=09506000134352",
            2026,
        )
        .unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .contains("not allowed as a query attribute")
        );
    }

    #[test]
    fn a_uri_without_a_key_or_with_bad_values_says_so() {
        assert!(
            parse("https://example.org/products/123", 2026).unwrap_err()[0]
                .to_string()
                .contains("no GS1 primary key")
        );
        let errors = parse("https://id.gs1.org/01/09506000134353?17=261331", 2026).unwrap_err();
        let codes: Vec<&str> = errors.iter().map(UdiError::code).collect();
        assert_eq!(codes, ["check_digit", "invalid_date"]);
        assert!(parse("ftp://id.gs1.org/01/09506000134352", 2026).is_err());
    }

    #[test]
    fn percent_coding_round_trips() {
        let text = "A/B C%D+E";
        assert_eq!(percent_decode(&percent_encode(text)).as_deref(), Some(text));
        assert_eq!(percent_decode("%2"), None);
    }
}
