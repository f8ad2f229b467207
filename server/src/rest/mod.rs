//! The versioned REST API for other systems, `/api/v1/…`, described by an OpenAPI 3 document.

pub mod devices;
pub mod notices;
pub mod openapi;
mod openapi_register;
pub mod statistics;
pub mod udi;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::app::AppState;

/// Request bodies of this API are small: a barcode's text.
const BODY_LIMIT_BYTES: usize = 16 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/udi/parse", post(udi::parse))
        .route("/api/v1/devices/{di}", get(devices::by_identifier))
        .route("/api/v1/safety-notices", get(notices::list))
        .route("/api/v1/statistics/survival", get(statistics::survival))
        .route("/api/v1/statistics/outliers", get(statistics::outliers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
}

/// A database failure while answering: logged with a reference, answered as the portal's
/// server functions answer it (503 when the storage cannot take requests, else 500).
fn storage_error(error: sqlx::Error) -> axum::response::Response {
    let error = app::api::ApiError::from(crate::services::error::ServiceError::from(error));
    let status = crate::http::server_fns::status_of(&error);
    crate::http::json_error(status, "storage", error.to_string())
}
