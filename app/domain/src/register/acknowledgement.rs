//! What a clinic confirms for each affected or possibly affected component of a safety notice.

use serde::{Deserialize, Serialize};

use super::fields::{TextKind, check_text};
use crate::forms::FieldError;

pub const REASON_MAX: usize = 500;

/// A clinic's confirmation for one component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Acknowledgement {
    PatientContacted,
    ReviewBooked,
    /// The clinic found the component is not one the notice concerns (a wrong lot recorded,
    /// the device explanted…): the reason is kept for the registry to check.
    NotAffected {
        reason: String,
    },
}

impl Acknowledgement {
    pub const CODES: [&'static str; 3] = ["patient_contacted", "review_booked", "not_affected"];

    pub fn code(&self) -> &'static str {
        match self {
            Self::PatientContacted => "patient_contacted",
            Self::ReviewBooked => "review_booked",
            Self::NotAffected { .. } => "not_affected",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::PatientContacted => "Patient contacted",
            Self::ReviewBooked => "Review appointment booked",
            Self::NotAffected { .. } => "Not affected (give the reason)",
        }
    }

    /// From the form's choice (`code`) and reason box; the reason is required, and kept,
    /// only for "not affected".
    pub fn parse(code: &str, reason: &str) -> Result<Self, FieldError> {
        match code.trim() {
            "patient_contacted" => Ok(Self::PatientContacted),
            "review_booked" => Ok(Self::ReviewBooked),
            "not_affected" => match check_text(reason, TextKind::Paragraphs, REASON_MAX) {
                Ok("") => Err(FieldError::new(
                    "reason",
                    "Enter why this patient's component is not affected",
                )),
                Ok(reason) => Ok(Self::NotAffected {
                    reason: reason.to_string(),
                }),
                Err(problem) => Err(FieldError::new("reason", problem.describe("The reason"))),
            },
            "" => Err(FieldError::new(
                "acknowledgement",
                "Choose what was done for this patient",
            )),
            _ => Err(FieldError::new(
                "acknowledgement",
                format!(
                    "Choose what was done for this patient: one of {}",
                    Self::CODES.join(", ")
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_a_code_and_a_label() {
        for code in Acknowledgement::CODES {
            let acknowledgement = Acknowledgement::parse(code, "Explanted in 2025").unwrap();
            assert_eq!(acknowledgement.code(), code);
            assert!(!acknowledgement.label().is_empty());
        }
        assert_eq!(
            Acknowledgement::parse("not_affected", "  Lot recorded wrongly: label shows AB21 "),
            Ok(Acknowledgement::NotAffected {
                reason: "Lot recorded wrongly: label shows AB21".into()
            })
        );
    }

    #[test]
    fn not_affected_needs_a_reason_of_at_most_500_characters() {
        let error = Acknowledgement::parse("not_affected", " ").unwrap_err();
        assert_eq!(error.field, "reason");
        assert_eq!(
            error.message,
            "Enter why this patient's component is not affected"
        );
        let error = Acknowledgement::parse("not_affected", &"x".repeat(501)).unwrap_err();
        assert_eq!(
            error.message,
            "The reason must be 500 characters or fewer (it has 501): shorten it"
        );
        assert!(Acknowledgement::parse("not_affected", &"x".repeat(500)).is_ok());
        assert_eq!(
            Acknowledgement::parse("", "").unwrap_err().field,
            "acknowledgement"
        );
        assert!(
            Acknowledgement::parse("ignored", "")
                .unwrap_err()
                .message
                .contains("patient_contacted, review_booked, not_affected")
        );
    }
}
