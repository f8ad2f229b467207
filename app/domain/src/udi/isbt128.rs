//! ICCBBA ISBT 128, used for medical products of human origin: recognised by its data
//! identifiers (`=` or `&` and a second character) so that the agency and the data structures
//! present are known. Their content is not interpreted further.

use serde::{Deserialize, Serialize};

use super::error::{Span, UdiError, UdiErrorKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Isbt128Structure {
    /// The data identifier, e.g. `=<`.
    pub identifier: String,
    /// The structure's name where we know it, e.g. "Product Code".
    pub name: Option<String>,
    pub data: String,
}

/// Data identifiers of the ISBT 128 data structures this parser names. Others are reported
/// by identifier only.
const KNOWN: &[(&str, &str)] = &[
    ("=%", "Blood Groups [ABO and RhD]"),
    ("=<", "Product Code"),
    ("=>", "Expiration Date"),
    ("&>", "Expiration Date and Time"),
    ("=*", "Collection Date"),
    ("&*", "Collection Date and Time"),
    ("=}", "Production Date"),
    ("&}", "Production Date and Time"),
    ("=+", "Compound Message"),
];

fn name_of(identifier: &str) -> Option<String> {
    if let Some((_, name)) = KNOWN.iter().find(|(known, _)| *known == identifier) {
        return Some(name.to_string());
    }
    // `=` followed by a letter (not O, I) or a digit 1–9 starts a Donation Identification Number.
    let second = identifier.chars().nth(1)?;
    (identifier.starts_with('=')
        && (second.is_ascii_uppercase() && second != 'O' && second != 'I'
            || ('1'..='9').contains(&second)))
    .then(|| "Donation Identification Number".to_string())
}

pub fn parse(text: &str) -> Result<Vec<Isbt128Structure>, Vec<UdiError>> {
    let characters: Vec<char> = text.chars().collect();
    let starts: Vec<usize> = characters
        .iter()
        .enumerate()
        .filter(|(index, c)| {
            matches!(c, '=' | '&') && (*index == 0 || !matches!(characters[index - 1], '=' | '&'))
        })
        .map(|(index, _)| index)
        .collect();
    let mut structures = Vec::new();
    for (position, start) in starts.iter().enumerate() {
        let end = starts
            .get(position + 1)
            .copied()
            .unwrap_or(characters.len());
        if end - start < 3 {
            return Err(vec![UdiError::new(
                UdiErrorKind::Isbt128 {
                    problem: "a data structure needs a two-character identifier and data"
                        .to_string(),
                },
                Some(Span {
                    start: start + 1,
                    end,
                }),
            )]);
        }
        let identifier: String = characters[*start..start + 2].iter().collect();
        structures.push(Isbt128Structure {
            name: name_of(&identifier),
            identifier,
            data: characters[start + 2..end].iter().collect(),
        });
    }
    Ok(structures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_structures_by_identifier() {
        let structures = parse("=<S1234000").unwrap();
        assert_eq!(structures[0].name.as_deref(), Some("Product Code"));
        assert_eq!(structures[0].data, "S1234000");
        let structures = parse("=A99992612345600").unwrap();
        assert_eq!(
            structures[0].name.as_deref(),
            Some("Donation Identification Number")
        );
        let structures = parse("&;ABC").unwrap();
        assert_eq!(structures[0].name, None);
        assert_eq!(structures[0].identifier, "&;");
    }

    #[test]
    fn too_short_is_an_error() {
        assert!(parse("=<").is_err());
    }
}
