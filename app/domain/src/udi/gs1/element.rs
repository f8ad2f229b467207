//! Validating one element's value against its AI's definition, component by component.

use super::lint::{LintProblem, check};
use super::spec::AiEntry;
use crate::udi::error::{Span, UdiError, UdiErrorKind};

/// One Application Identifier and its value, with where it was found (0-based, half-open,
/// in the cleaned-up text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub entry: &'static AiEntry,
    pub value: String,
    pub start: usize,
    pub end: usize,
}

impl Element {
    pub fn ai(&self) -> &'static str {
        self.entry.ai
    }
}

/// A 0-based half-open range as the 1-based inclusive span people read.
pub fn span(start: usize, end: usize) -> Option<Span> {
    (end > start).then_some(Span {
        start: start + 1,
        end,
    })
}

/// Checks `value` (found at `value_start`) against every component of `entry`. Nothing is
/// allocated for a valid value: the search for lost separators tries many candidates.
pub fn validate_value(
    entry: &'static AiEntry,
    value: &[char],
    value_start: usize,
    reference_year: u16,
) -> Vec<UdiError> {
    let ai = || entry.ai.to_string();
    let title = entry.title;
    let (minimum, maximum) = entry.length_range();
    if value.is_empty() {
        return vec![UdiError::new(
            UdiErrorKind::MissingValue { ai: ai(), title },
            span(value_start.saturating_sub(entry.ai.len()), value_start),
        )];
    }
    let whole = span(value_start, value_start + value.len());
    if value.len() < minimum {
        return vec![UdiError::new(
            UdiErrorKind::TooShort {
                ai: ai(),
                title,
                minimum,
                found: value.len(),
            },
            whole,
        )];
    }
    if value.len() > maximum {
        return vec![UdiError::new(
            UdiErrorKind::TooLong {
                ai: ai(),
                title,
                maximum,
                found: value.len(),
            },
            whole,
        )];
    }
    if !entry.allows_length(value.len()) {
        return vec![UdiError::new(
            UdiErrorKind::InvalidLength {
                ai: ai(),
                title,
                allowed: entry.describe_lengths(),
                found: value.len(),
            },
            whole,
        )];
    }
    let mut errors = Vec::new();
    let mut offset = 0;
    for component in entry.components {
        let remaining = value.len() - offset;
        if remaining == 0 {
            // Only optional components can be left out (the length check above ensures it).
            break;
        }
        // The length check above means a fixed component is never cut short.
        let take = if component.is_fixed_length() {
            usize::from(component.max).min(remaining)
        } else {
            remaining
        };
        let part = &value[offset..offset + take];
        let part_start = value_start + offset;
        if let Some(index) = part.iter().position(|c| !component.charset.allows(*c)) {
            errors.push(UdiError::new(
                UdiErrorKind::InvalidCharacter {
                    ai: ai(),
                    title,
                    character: part[index],
                    allowed: component.charset.describe(),
                },
                span(part_start + index, part_start + index + 1),
            ));
        } else if !component.linters.is_empty() {
            let text: String = part.iter().collect();
            if let Some(problem) = component
                .linters
                .iter()
                .find_map(|linter| check(*linter, &text, reference_year).err())
            {
                let kind = match problem {
                    LintProblem::CheckDigit { expected, found } => UdiErrorKind::CheckDigit {
                        ai: ai(),
                        title,
                        expected,
                        found,
                    },
                    LintProblem::Date(problem) => UdiErrorKind::InvalidDate {
                        ai: ai(),
                        title,
                        problem,
                    },
                    LintProblem::Content(problem) => UdiErrorKind::InvalidContent {
                        ai: ai(),
                        title,
                        problem,
                    },
                };
                errors.push(UdiError::new(kind, span(part_start, part_start + take)));
            }
        }
        offset += take;
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::udi::gs1::spec::lookup;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn a_valid_gtin_passes() {
        assert!(
            validate_value(lookup("01").unwrap(), &chars("09506000134352"), 2, 2026).is_empty()
        );
    }

    #[test]
    fn a_wrong_check_digit_names_the_expected_digit_and_the_characters() {
        let errors = validate_value(lookup("01").unwrap(), &chars("09506000134350"), 2, 2026);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "The GTIN check digit should be 2, not 0: a character was probably misread or mistyped (AI 01, characters 3–16)"
        );
    }

    #[test]
    fn lengths_and_characters() {
        let lot = lookup("10").unwrap();
        assert_eq!(
            validate_value(lot, &chars(&"A".repeat(21)), 2, 2026)[0].kind,
            UdiErrorKind::TooLong {
                ai: "10".into(),
                title: "BATCH/LOT",
                maximum: 20,
                found: 21
            }
        );
        let errors = validate_value(lot, &chars("AB C"), 2, 2026);
        assert_eq!(errors[0].span, Some(Span { start: 5, end: 5 }));
        assert!(
            errors[0]
                .to_string()
                .starts_with("The lot number (AI 10) contains ' '")
        );
        let expiry = lookup("17").unwrap();
        assert!(matches!(
            validate_value(expiry, &chars("2613"), 2, 2026)[0].kind,
            UdiErrorKind::TooShort {
                minimum: 6,
                found: 4,
                ..
            }
        ));
    }

    #[test]
    fn an_optional_component_cut_short_is_named_with_the_lengths_allowed() {
        // 7007 is N6 [N6]: 9 digits is neither one date nor two.
        let errors = validate_value(lookup("7007").unwrap(), &chars("261231261"), 4, 2026);
        assert_eq!(
            errors[0].kind,
            UdiErrorKind::InvalidLength {
                ai: "7007".into(),
                title: "HARVEST DATE",
                allowed: "6 or 12".into(),
                found: 9
            }
        );
        assert_eq!(
            errors[0].to_string(),
            "The harvest date (AI 7007) must be 6 or 12 characters long, but has 9: \
             an optional part is given whole or not at all (characters 5–13)"
        );
        assert!(
            validate_value(lookup("7007").unwrap(), &chars("261231261231"), 4, 2026).is_empty()
        );
        // 8008 is N6 N2 [N2] [N2]: 11 digits leave a one-digit second.
        let errors = validate_value(lookup("8008").unwrap(), &chars("26123114301"), 4, 2026);
        assert_eq!(errors[0].code(), "invalid_length");
    }

    #[test]
    fn each_component_is_checked_separately() {
        // 7003: YYMMDD then HHMI; a bad hour points at the time, not the date.
        let errors = validate_value(lookup("7003").unwrap(), &chars("2612312500"), 4, 2026);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].span, Some(Span { start: 11, end: 14 }));
        assert!(errors[0].to_string().contains("hour 25 does not exist"));
        // Day 00 is not allowed in 7003 (yymmdd), though it is in 17 (yymmd0).
        assert!(!validate_value(lookup("7003").unwrap(), &chars("2612001200"), 4, 2026).is_empty());
        assert!(validate_value(lookup("17").unwrap(), &chars("261200"), 2, 2026).is_empty());
    }
}
