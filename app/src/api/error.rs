//! The API's one error type: what a server function can answer instead of a result.
//!
//! Every message here is written for the person using the page. Internal causes (database
//! errors, I/O) are logged on the server with a reference and never sent to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

pub use domain::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("You need to sign in to do this")]
    Unauthenticated,
    #[error("You do not have permission to do this")]
    Forbidden,
    /// Refused for a reason the person should know, e.g. a disabled account.
    #[error("{message}")]
    Denied { message: String },
    #[error("{what} was not found")]
    NotFound { what: String },
    #[error("There is a problem with what you entered")]
    Invalid { errors: Vec<FieldError> },
    #[error("{message}")]
    Conflict { message: String },
    #[error("Too many attempts. Wait {}, then try again", wait_in_words(*retry_after_seconds))]
    RateLimited { retry_after_seconds: u64 },
    /// The server is too busy to do this now (it refuses rather than queue without limit).
    #[error("The registry is busy. Wait {}, then try again", wait_in_words(*retry_after_seconds))]
    Busy { retry_after_seconds: u64 },
    /// The registry's storage cannot take writes just now (full, read-only, restarting).
    #[error(
        "The registry cannot save anything at the moment. Nothing already saved is lost. Wait {}, then try again",
        wait_in_words(*retry_after_seconds)
    )]
    Unavailable { retry_after_seconds: u64 },
    #[error(
        "Something went wrong in the registry. Try again; if it keeps happening, contact the registry helpdesk quoting reference {reference}"
    )]
    Internal { reference: String },
    /// The request did not reach the server, or its answer could not be read.
    #[error("The registry could not be reached. Check your connection and try again ({detail})")]
    Transport { detail: String },
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            errors: vec![FieldError::new(field, message)],
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }
}

/// "30 seconds", "15 minutes": how long to wait, as people say it.
pub fn wait_in_words(seconds: u64) -> String {
    if seconds < 120 {
        format!("{seconds} second{}", if seconds == 1 { "" } else { "s" })
    } else {
        format!("{} minutes", seconds.div_ceil(60))
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        Self::Transport {
            detail: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_problem_and_the_fix() {
        assert_eq!(
            ApiError::RateLimited {
                retry_after_seconds: 30
            }
            .to_string(),
            "Too many attempts. Wait 30 seconds, then try again"
        );
        assert_eq!(
            ApiError::RateLimited {
                retry_after_seconds: 900
            }
            .to_string(),
            "Too many attempts. Wait 15 minutes, then try again"
        );
        assert!(
            ApiError::Internal {
                reference: "ab12".into()
            }
            .to_string()
            .contains("reference ab12")
        );
    }

    #[test]
    fn round_trips_through_the_wire_encoding() {
        let error = ApiError::invalid("nhs_number", "Enter the patient's NHS number");
        let decoded = ApiError::de(error.ser());
        assert_eq!(decoded, error);
    }
}
