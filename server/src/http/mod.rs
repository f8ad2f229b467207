//! HTTP concerns: the built app's files, security headers, server functions, health.

pub mod client;
pub mod health;
pub mod hosts;
pub mod security;
pub mod server_fns;
pub mod site;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The JSON body of every HTTP-level error the API answers (outside server functions).
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub error: &'static str,
    pub message: String,
}

pub fn json_error(status: StatusCode, error: &'static str, message: impl Into<String>) -> Response {
    (
        status,
        Json(ErrorBody {
            error,
            message: message.into(),
        }),
    )
        .into_response()
}

/// Unknown paths under `/api/` answer JSON, never the app's HTML.
pub fn api_not_found(path: &str) -> Response {
    json_error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("There is no API endpoint at {path}. The API is described at /api/v1/openapi.json"),
    )
}
