//! Reading a server function's answer into the app's own API types, as the browser's
//! server-function client does: the result on success, an `ApiError` otherwise.

use app::api::{ApiError, FieldError};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;

/// The result of a call that must succeed; panics with the status and body when it did not.
pub async fn read<T: DeserializeOwned>(response: Response) -> T {
    let status = response.status();
    let text = response.text().await.expect("an answer");
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("not a {}: {error}: {text}", std::any::type_name::<T>()))
}

/// The status of a refused call and the error it answered.
pub async fn refusal(response: Response) -> (StatusCode, ApiError) {
    let status = response.status();
    let text = response.text().await.expect("an answer");
    let error = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{status}: not an ApiError: {error}: {text}"));
    (status, error)
}

/// The field errors of an `Invalid` error; panics on any other error.
pub fn field_errors(error: &ApiError) -> &[FieldError] {
    match error {
        ApiError::Invalid { errors } => errors,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// The fields an `Invalid` error names, in order.
pub fn fields(error: &ApiError) -> Vec<&str> {
    field_errors(error)
        .iter()
        .map(|error| error.field.as_str())
        .collect()
}

/// A call's status and, typed, its result or its error.
pub async fn answer<T: DeserializeOwned>(response: Response) -> (StatusCode, Result<T, ApiError>) {
    if response.status() == StatusCode::OK {
        (StatusCode::OK, Ok(read(response).await))
    } else {
        let (status, error) = refusal(response).await;
        (status, Err(error))
    }
}

/// Everything an error tells the person: its message, or for `Invalid` each field's.
pub fn wording(error: &ApiError) -> String {
    match error {
        ApiError::Invalid { errors } => errors
            .iter()
            .map(|error| error.message.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// The body of an HTTP-level error, outside the server functions (an unknown API path, a
/// cross-site request, the test clock): `server::http::ErrorBody`, exactly its two fields.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpError {
    pub error: String,
    pub message: String,
}
