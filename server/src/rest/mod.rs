//! The versioned REST API for other systems, `/api/v1/…`, described by an OpenAPI 3 document.

pub mod openapi;
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
        .route("/api/v1/statistics/survival", get(statistics::survival))
        .route("/api/v1/statistics/outliers", get(statistics::outliers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
}
