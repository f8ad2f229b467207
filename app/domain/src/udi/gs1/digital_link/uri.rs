//! The parts of a URI that a GS1 Digital Link reader looks at: scheme, host, path and query,
//! each with its place in the text, and percent-decoding.
//!
//! Rules from the GS1 Digital Link URI syntax (1.x) as GS1's reference implementation applies
//! them (`gs1/gs1-syntax-engine`, `src/c-lib/dl.c`, `gs1_parseDLuri`): only the URI
//! characters of RFC 3986; the scheme `http` or `https` in one case; a host without
//! `_~?#@!$&'()*+,;=%`; a fragment is ignored; in the query `+` means a space.

use crate::udi::error::{UdiError, UdiErrorKind};
use crate::udi::gs1::element::span;

/// A piece of the URI with its place: 0-based, in bytes, which are characters once the URI
/// has passed [`split`] (it is ASCII then).
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub start: usize,
}

impl<'a> Piece<'a> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// The pieces between `separator`s, with their places.
    pub fn split(self, separator: char) -> impl Iterator<Item = Piece<'a>> {
        let mut start = self.start;
        self.text.split(separator).map(move |text| {
            let piece = Piece { text, start };
            start += text.len() + 1;
            piece
        })
    }
}

/// The scheme spellings GS1 reads: one case throughout.
const SCHEMES: [&str; 4] = ["https://", "HTTPS://", "http://", "HTTP://"];

/// Characters a URI may hold as they are (RFC 3986 unreserved, reserved, and `%`).
fn is_uri_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(character)
}

/// Characters of the URI set that a host name cannot hold.
const NOT_IN_HOST: &str = "_~?#@!$&'()*+,;=%";

/// True when the text starts like a URI (`letters://`): it is then read as a Digital Link, so
/// that a wrong scheme gets its own error.
pub fn looks_like_uri(text: &[char]) -> bool {
    let letters = text.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    letters > 0 && text[letters..].starts_with(&[':', '/', '/'])
}

/// A Digital Link's path (starting with `/`) and query, fragment removed.
#[derive(Debug)]
pub struct Parts<'a> {
    pub path: Piece<'a>,
    pub query: Option<Piece<'a>>,
}

fn problem(message: impl Into<String>, start: usize, end: usize) -> UdiError {
    UdiError::new(
        UdiErrorKind::DigitalLink {
            problem: message.into(),
        },
        span(start, end),
    )
}

/// Checks the scheme, characters and host, and finds the path and query.
pub fn split(uri: &str) -> Result<Parts<'_>, UdiError> {
    let Some(scheme) = SCHEMES.iter().find(|scheme| uri.starts_with(*scheme)) else {
        return Err(scheme_error(uri));
    };
    if let Some((index, character)) = uri.chars().enumerate().find(|(_, c)| !is_uri_character(*c)) {
        // Every character before it is ASCII, so its index is its byte offset too.
        return Err(UdiError::new(
            UdiErrorKind::DigitalLinkCharacter { character },
            span(index, index + 1),
        ));
    }
    let after_scheme = &uri[scheme.len()..];
    let Some(slash) = after_scheme.find('/') else {
        return Err(problem(
            "it has no path: a Digital Link looks like https://host/01/<GTIN>",
            0,
            uri.len(),
        ));
    };
    let host = &after_scheme[..slash];
    if host.is_empty() {
        return Err(problem(
            "it has no host name",
            scheme.len(),
            scheme.len() + 1,
        ));
    }
    if let Some(index) = host.find(|c| NOT_IN_HOST.contains(c)) {
        let at = scheme.len() + index;
        return Err(problem(
            format!(
                "the host name {host} contains '{}', which a host name cannot hold",
                &host[index..index + 1]
            ),
            at,
            at + 1,
        ));
    }
    let path_start = scheme.len() + slash;
    let rest = &uri[path_start..];
    let rest = rest.split('#').next().unwrap_or(rest);
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    Ok(Parts {
        path: Piece {
            text: path,
            start: path_start,
        },
        query: query.map(|text| Piece {
            text,
            start: path_start + path.len() + 1,
        }),
    })
}

/// The scheme written, for an input that does not start with one GS1 reads.
fn scheme_error(uri: &str) -> UdiError {
    match uri.find("://") {
        Some(end) if end > 0 && uri[..end].bytes().all(|b| b.is_ascii_alphabetic()) => {
            UdiError::new(
                UdiErrorKind::DigitalLinkScheme {
                    scheme: uri[..end].to_string(),
                },
                span(0, end),
            )
        }
        _ => problem(
            "it must start with https:// or http://",
            0,
            uri.chars().count(),
        ),
    }
}

/// Where a value was written: in the query, `+` stands for a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Path,
    Query,
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the bytes are not UTF-8.
pub fn percent_decode(text: &str, component: Component) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let hex = bytes.get(index + 1..index + 3)?;
                let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                decoded.push(value);
                index += 3;
            }
            b'+' if component == Component::Query => {
                decoded.push(b' ');
                index += 1;
            }
            byte => {
                decoded.push(byte);
                index += 1;
            }
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
            encoded.push('%');
            encoded.push(char::from(b"0123456789ABCDEF"[usize::from(byte >> 4)]));
            encoded.push(char::from(b"0123456789ABCDEF"[usize::from(byte & 15)]));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_coding_round_trips_and_plus_is_a_space_only_in_the_query() {
        let text = "A/B C%D+E";
        assert_eq!(
            percent_decode(&percent_encode(text), Component::Path).as_deref(),
            Some(text)
        );
        assert_eq!(percent_decode("%2", Component::Path), None);
        // gs1-syntax-engine dl.c test_dl_URIunescape: "+" means "+" in a path, " " in a query.
        assert_eq!(
            percent_decode("A+B", Component::Path).as_deref(),
            Some("A+B")
        );
        assert_eq!(
            percent_decode("A+B", Component::Query).as_deref(),
            Some("A B")
        );
        assert_eq!(
            percent_decode("A%4fB", Component::Query).as_deref(),
            Some("AOB")
        );
    }

    #[test]
    fn recognises_a_uri_by_its_scheme_separator() {
        let chars = |text: &str| text.chars().collect::<Vec<_>>();
        assert!(looks_like_uri(&chars("https://id.gs1.org/01/1")));
        assert!(looks_like_uri(&chars("ftp://x")));
        assert!(!looks_like_uri(&chars("0109506000134352")));
        assert!(!looks_like_uri(&chars("://x")));
    }

    #[test]
    fn splits_path_and_query_and_drops_the_fragment() {
        let parts = split("https://a.test/x/01/1?17=2#top").unwrap();
        assert_eq!(parts.path.text, "/x/01/1");
        assert_eq!(parts.path.start, 14);
        let query = parts.query.unwrap();
        assert_eq!((query.text, query.start), ("17=2", 22));
    }
}
