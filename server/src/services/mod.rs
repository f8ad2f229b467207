//! Business operations behind the server functions and the REST API.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod patients;
pub mod procedures;
pub mod status;

/// Logs an internal error with a fresh reference and returns the user-facing error that
/// quotes it: the one place where causes are turned into messages.
pub fn internal_error(error: impl std::fmt::Display) -> app::api::ApiError {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
    tracing::error!(%reference, %error, "internal error");
    app::api::ApiError::Internal { reference }
}
