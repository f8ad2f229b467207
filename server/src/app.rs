//! The application: its state and its router. `router` is all a test needs to serve it.

use std::collections::HashSet;
use std::sync::Arc;

use app::api::context::Services;
use axum::Router;
use axum::http::Method;
use axum::routing::{any, get};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::db::{Database, DatabaseError};
use crate::http::{self, site::Site};
use crate::services;

#[derive(Clone)]
pub struct AppState {
    pub database: Database,
    pub services: Services,
    pub site: Arc<Site>,
    pub server_fns: Arc<HashSet<(String, Method)>>,
}

impl AppState {
    pub async fn open(config: &Config) -> Result<Self, DatabaseError> {
        let database = Database::open(&config.database_url()).await?;
        http::server_fns::register_all();
        let services = Services {
            status: Arc::new(services::status::Status::new(database.clone())),
        };
        Ok(Self {
            database,
            services,
            site: Arc::new(Site::load(&config.dist_dir)),
            server_fns: Arc::new(http::server_fns::registered()),
        })
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(http::health::healthz))
        .route("/api/{*path}", any(http::server_fns::handle))
        .fallback(http::site::serve)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::security::add_security_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
                // Method and path only: query strings and bodies may carry personal data.
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
            }),
        )
        .with_state(state)
}
