//! What every target checks of the engine's answer, whatever the input.

use domain::udi::{ParseOptions, Udi, UdiErrors};

/// Options are made once: the targets measure the parser, not its set-up. (The wedge target
/// makes its own, from the profile it is given.)
#[allow(dead_code)]
pub static OPTIONS: std::sync::LazyLock<ParseOptions> =
    std::sync::LazyLock::new(|| ParseOptions::new(2026));

/// Errors say something and point inside the input (1-based, inclusive); warnings say
/// something.
pub fn check_answer(input: &str, answer: &Result<Udi, UdiErrors>) {
    let length = input.chars().count();
    match answer {
        Ok(udi) => {
            for warning in &udi.warnings {
                assert!(!warning.is_empty());
            }
        }
        Err(errors) => {
            for error in errors.iter() {
                assert!(!error.to_string().is_empty());
                if let Some(span) = error.span {
                    assert!(
                        1 <= span.start && span.start <= span.end && span.end <= length,
                        "{error} points outside the {length} characters of {input:?}"
                    );
                }
            }
        }
    }
}
