//! `POST /api/v1/udi/parse`: the UDI engine over HTTP, the same code the browser runs.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::udi::{ParseOptions, UdiErrors, parse as parse_udi};
use serde::Deserialize;
use serde_json::json;

use crate::http::json_error;

/// The longest input accepted: far more than any barcode holds.
pub const MAX_INPUT_CHARACTERS: usize = 2_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParseRequest {
    pub input: String,
    /// Treat a value without a following separator as certainly last (set when the text came
    /// from a decoder that keeps GS1 separators).
    #[serde(default)]
    pub separators_trusted: bool,
}

pub async fn parse(request: Result<Json<ParseRequest>, JsonRejection>) -> Response {
    let Json(request) = match request {
        Ok(request) => request,
        Err(rejection) => {
            // 415 when the body is not declared as JSON, 413 when it is too large; 400 for
            // anything else that is not this operation's JSON (422 is kept for UDIs that do not
            // parse).
            let status = match &rejection {
                JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                JsonRejection::BytesRejection(too_large_or_broken) => too_large_or_broken.status(),
                _ => StatusCode::BAD_REQUEST,
            };
            return json_error(
                status,
                "invalid_request",
                format!(
                    "The request body must be JSON like {{\"input\": \"(01)09506000134352\"}}: {}",
                    rejection.body_text()
                ),
            );
        }
    };
    let length = request.input.chars().count();
    if length > MAX_INPUT_CHARACTERS {
        let message =
            format!("The input has {length} characters; a UDI has at most {MAX_INPUT_CHARACTERS}");
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "errors": [{
                "code": "input_too_long", "message": message,
                "ai": null, "start": null, "end": null, "readings": [],
            }] })),
        )
            .into_response();
    }
    let mut options = ParseOptions::new(current_year());
    options.separators_trusted = request.separators_trusted;
    match parse_udi(&request.input, &options) {
        Ok(udi) => Json(udi).into_response(),
        Err(UdiErrors(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "errors": errors })),
        )
            .into_response(),
    }
}

/// The current year (UTC), for two-digit years in UDI dates.
pub fn current_year() -> u16 {
    time::OffsetDateTime::now_utc().year() as u16
}
