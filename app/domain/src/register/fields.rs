//! Reading the text fields of the register's forms (and of the rows imported through them):
//! every problem is collected, so a person sees all of them at once, each said about its field.

use crate::forms::FieldError;

/// Whether a text may hold line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line: no control characters at all.
    Line,
    /// Paragraphs: line breaks and tabs allowed, other control characters not.
    Paragraphs,
}

/// The problem with a text value, before it is said about a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    TooLong { maximum: usize, found: usize },
    ControlCharacter { position: usize, line_break: bool },
}

impl TextProblem {
    /// The problem in words, about the field a person knows as `label` ("Brand name").
    pub fn describe(&self, label: &str) -> String {
        match self {
            Self::TooLong { maximum, found } => format!(
                "{label} must be {maximum} characters or fewer (it has {found}): shorten it"
            ),
            Self::ControlCharacter {
                line_break: true, ..
            } => format!("{label} must be on one line: remove the line break"),
            Self::ControlCharacter { position, .. } => format!(
                "{label} contains an invisible control character at character {position}: retype it"
            ),
        }
    }
}

/// The text trimmed, or what is wrong with it. Lengths count characters, not bytes.
pub fn check_text(value: &str, kind: TextKind, maximum: usize) -> Result<&str, TextProblem> {
    let value = value.trim();
    let allowed = |c: char| kind == TextKind::Paragraphs && matches!(c, '\n' | '\r' | '\t');
    if let Some((index, character)) = value
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !allowed(*c))
    {
        return Err(TextProblem::ControlCharacter {
            position: index + 1,
            line_break: matches!(character, '\n' | '\r'),
        });
    }
    let found = value.chars().count();
    if found > maximum {
        return Err(TextProblem::TooLong { maximum, found });
    }
    Ok(value)
}

/// Collects the problems of one form.
#[derive(Debug, Default)]
pub struct FormReader {
    errors: Vec<FieldError>,
    /// Put before every message, e.g. "Device 2: ".
    context: String,
}

impl FormReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Messages said about a part of a larger form, e.g. "Device 2".
    pub fn within(context: &str) -> Self {
        Self {
            errors: Vec::new(),
            context: format!("{context}: "),
        }
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl AsRef<str>) {
        let message = format!("{}{}", self.context, message.as_ref());
        self.errors.push(FieldError::new(field, message));
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn extend(&mut self, errors: Vec<FieldError>) {
        self.errors.extend(errors);
    }

    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// A text that must be given. `None` means a problem was recorded.
    pub fn required(
        &mut self,
        field: &str,
        label: &str,
        value: &str,
        kind: TextKind,
        maximum: usize,
    ) -> Option<String> {
        match self.optional(field, label, value, kind, maximum) {
            Some(text) => Some(text),
            None if value.trim().is_empty() => {
                self.push(field, format!("Enter the {}", lowercase_first(label)));
                None
            }
            None => None,
        }
    }

    /// A text that may be left empty. `None` when empty, or when a problem was recorded.
    pub fn optional(
        &mut self,
        field: &str,
        label: &str,
        value: &str,
        kind: TextKind,
        maximum: usize,
    ) -> Option<String> {
        match check_text(value, kind, maximum) {
            Ok("") => None,
            Ok(text) => Some(text.to_string()),
            Err(problem) => {
                self.push(field, problem.describe(label));
                None
            }
        }
    }

    /// One of a fixed set of codes, compared ignoring case. `None` when empty (and
    /// `required` is false) or when a problem was recorded.
    pub fn choice<T: Copy>(
        &mut self,
        field: &str,
        label: &str,
        value: &str,
        required: bool,
        all: &[T],
        code: fn(T) -> &'static str,
    ) -> Option<T> {
        let value = value.trim();
        if value.is_empty() {
            if required {
                self.push(field, format!("Choose the {}", lowercase_first(label)));
            }
            return None;
        }
        let found = all
            .iter()
            .copied()
            .find(|item| code(*item).eq_ignore_ascii_case(value));
        if found.is_none() {
            let codes: Vec<&str> = all.iter().map(|item| code(*item)).collect();
            self.push(
                field,
                format!(
                    "{label} '{}' is not one the register knows: use one of {}",
                    shortened(value),
                    codes.join(", ")
                ),
            );
        }
        found
    }

    /// Yes or no (also true/false, y/n, 1/0, in any case). `None` when empty (and not
    /// required) or when a problem was recorded.
    pub fn yes_no(
        &mut self,
        field: &str,
        label: &str,
        value: &str,
        required: bool,
    ) -> Option<bool> {
        match parse_yes_no(value) {
            Ok(answer) => {
                if answer.is_none() && required {
                    self.push(
                        field,
                        format!("Choose yes or no for {}", lowercase_first(label)),
                    );
                }
                answer
            }
            Err(NotYesNo) => {
                self.push(
                    field,
                    format!(
                        "{label} must be yes or no, not '{}'",
                        shortened(value.trim())
                    ),
                );
                None
            }
        }
    }
}

/// A value that is neither a yes nor a no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("enter yes or no")]
pub struct NotYesNo;

/// `Ok(None)` for an empty value, `Err` for anything that is not a yes or a no.
pub fn parse_yes_no(value: &str) -> Result<Option<bool>, NotYesNo> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "yes" | "y" | "true" | "1" => Ok(Some(true)),
        "no" | "n" | "false" | "0" => Ok(Some(false)),
        _ => Err(NotYesNo),
    }
}

/// A value quoted back in a message, cut so a pasted paragraph does not fill the page.
pub fn shortened(value: &str) -> String {
    const SHOWN: usize = 40;
    if value.chars().count() > SHOWN {
        format!("{}…", value.chars().take(SHOWN).collect::<String>())
    } else {
        value.to_string()
    }
}

/// "Brand name" → "brand name", keeping acronyms such as "GMDN code" and "MRI safety".
pub fn lowercase_first(label: &str) -> String {
    let mut characters = label.chars();
    match (characters.next(), characters.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_limited_in_characters() {
        assert_eq!(
            check_text("  Meridian  ", TextKind::Line, 8),
            Ok("Meridian")
        );
        assert_eq!(check_text("ééé", TextKind::Line, 3), Ok("ééé"));
        assert_eq!(
            check_text("Meridians", TextKind::Line, 8),
            Err(TextProblem::TooLong {
                maximum: 8,
                found: 9
            })
        );
        assert_eq!(
            check_text("a\nb", TextKind::Line, 8),
            Err(TextProblem::ControlCharacter {
                position: 2,
                line_break: true
            })
        );
        assert_eq!(check_text("a\nb", TextKind::Paragraphs, 8), Ok("a\nb"));
        assert!(check_text("a\u{7}b", TextKind::Paragraphs, 8).is_err());
    }

    #[test]
    fn every_problem_is_collected_with_its_field() {
        let mut form = FormReader::within("Row 3");
        assert_eq!(
            form.required("brand_name", "Brand name", " ", TextKind::Line, 5),
            None
        );
        assert_eq!(form.optional("size", "Size", "", TextKind::Line, 5), None);
        assert_eq!(form.yes_no("sterile", "Sterile", "maybe", true), None);
        assert_eq!(
            form.yes_no("single_use", "Single use", "Y", true),
            Some(true)
        );
        assert_eq!(
            form.choice("side", "Side", "LEFT", true, &["left", "right"], |c| c),
            Some("left")
        );
        assert_eq!(
            form.choice("side", "Side", "up", true, &["left"], |c| c),
            None
        );
        let messages: Vec<String> = form
            .into_errors()
            .into_iter()
            .map(|error| format!("{}: {}", error.field, error.message))
            .collect();
        assert_eq!(
            messages,
            [
                "brand_name: Row 3: Enter the brand name",
                "sterile: Row 3: Sterile must be yes or no, not 'maybe'",
                "side: Row 3: Side 'up' is not one the register knows: use one of left",
            ]
        );
        assert_eq!(lowercase_first("GMDN code"), "GMDN code");
        assert_eq!(lowercase_first("MRI safety"), "MRI safety");
    }
}
