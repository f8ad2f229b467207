//! GS1 human-readable form, as printed under a barcode: `(01)09506000134352(17)261231(10)AB12`.
//!
//! Parentheses delimit the AIs, so no separator is needed. A value may itself contain
//! parentheses (CSET 82 allows them): a `(` starts a new element only when what follows is a
//! known AI and `)`.

use super::element::{Element, span, validate_value};
use super::spec::lookup_chars;
use crate::udi::error::{UdiError, UdiErrorKind};

/// Where an `(AI)` opens at `position`, the AI's entry and the position after `)`.
fn ai_in_parentheses(
    text: &[char],
    position: usize,
) -> Option<(&'static super::spec::AiEntry, usize)> {
    if text.get(position) != Some(&'(') {
        return None;
    }
    let digits = text[position + 1..]
        .iter()
        .take(5)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let close = position + 1 + digits;
    if text.get(close) != Some(&')') {
        return None;
    }
    lookup_chars(&text[position + 1..close]).map(|entry| (entry, close + 1))
}

pub fn parse(text: &[char], reference_year: u16) -> Result<Vec<Element>, Vec<UdiError>> {
    let mut elements = Vec::new();
    let mut errors = Vec::new();
    let mut position = 0;
    while position < text.len() {
        let Some((entry, value_start)) = ai_in_parentheses(text, position) else {
            let digits: String = text[position..]
                .iter()
                .skip(1)
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let shown_end = (position + digits.len() + 2).min(text.len());
            errors.push(UdiError::new(
                UdiErrorKind::UnknownAi { ai: digits },
                span(position, shown_end),
            ));
            break;
        };
        let value_end = (value_start..text.len())
            .find(|index| ai_in_parentheses(text, *index).is_some())
            .unwrap_or(text.len());
        let value = &text[value_start..value_end];
        errors.extend(validate_value(entry, value, value_start, reference_year));
        elements.push(Element {
            entry,
            value: value.iter().collect(),
            start: position,
            end: value_end,
        });
        position = value_end;
    }
    if errors.is_empty() {
        Ok(elements)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn reads_each_bracketed_element() {
        let elements = parse(&chars("(01)09506000134352(17)261231(10)AB(1)2(21)X"), 2026).unwrap();
        let values: Vec<(&str, &str)> = elements
            .iter()
            .map(|e| (e.entry.ai, e.value.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("01", "09506000134352"),
                ("17", "261231"),
                ("10", "AB(1)2"),
                ("21", "X")
            ]
        );
    }

    #[test]
    fn reports_an_unknown_ai_and_a_bad_value() {
        let errors = parse(&chars("(19)123"), 2026).unwrap_err();
        assert_eq!(errors[0].kind, UdiErrorKind::UnknownAi { ai: "19".into() });
        let errors = parse(&chars("(01)09506000134353"), 2026).unwrap_err();
        assert_eq!(errors[0].code(), "check_digit");
        assert_eq!(errors[0].span.unwrap().start, 5);
    }
}
