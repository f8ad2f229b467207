//! A problem with one field of a form, shared by the browser's forms, the domain's rules and
//! the server's answers.

use serde::{Deserialize, Serialize};

/// Which field (its name, also the id of its input) and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
