//! The application: its state and its router. `router` is all a test needs to serve it.

use std::collections::HashSet;
use std::sync::Arc;

use app::api::context::Services;
use axum::Router;
use axum::http::Method;
use axum::routing::{any, get};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::auth::keys::{self, SecretBox};
use crate::config::Config;
use crate::db::Database;
use crate::http::{self, site::Site};
use crate::mailer::{LogMailer, Mailer, SmtpMailer};
use crate::services;
use crate::services::auth::{Auth, SessionPolicy};
use domain::pseudonym::Evaluator;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Database(#[from] crate::db::DatabaseError),
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    #[error("email settings: {0}")]
    Mail(#[from] crate::mailer::MailError),
    #[error("the pseudonymisation key file {0} does not hold a valid key")]
    PseudonymKey(String),
}

#[derive(Clone)]
pub struct AppState {
    pub database: Database,
    pub services: Services,
    pub auth: Arc<Auth>,
    pub site: Arc<Site>,
    pub server_fns: Arc<HashSet<(String, Method)>>,
    /// The configured public origin, accepted as a same-site `Origin`.
    pub public_origin: Option<String>,
}

impl AppState {
    pub async fn open(config: &Config) -> Result<Self, OpenError> {
        let mailer: Arc<dyn Mailer> = match &config.smtp_url {
            Some(url) => Arc::new(SmtpMailer::new(url, &config.mail_from)?),
            None => Arc::new(LogMailer),
        };
        Self::open_with_mailer(config, mailer).await
    }

    /// As `open`, with the given mailer (tests record the emails sent).
    pub async fn open_with_mailer(
        config: &Config,
        mailer: Arc<dyn Mailer>,
    ) -> Result<Self, OpenError> {
        let database = Database::open(&config.database_url()).await?;
        let secrets = SecretBox::new(&keys::load_or_create(&config.account_key_path())?);
        let pseudonym_path = config.pseudonym_key_path();
        let pseudonym_secret = keys::load_or_create_with(&pseudonym_path, || {
            Evaluator::generate_secret_key(&mut rand_core::OsRng)
                .try_into()
                .expect("a 32-byte secret key")
        })?;
        let evaluator = Arc::new(
            Evaluator::from_secret_key(&pseudonym_secret)
                .map_err(|_| OpenError::PseudonymKey(pseudonym_path.display().to_string()))?,
        );
        tracing::info!(key_id = %evaluator.key_id(), "pseudonymisation key loaded");
        let secrets_for_records = secrets.clone();
        let auth = Arc::new(Auth::new(
            database.clone(),
            secrets,
            SessionPolicy {
                idle: time::Duration::minutes(config.session_idle_minutes),
                absolute: time::Duration::hours(config.session_absolute_hours),
            },
            mailer,
            config.public_url(),
        ));
        let procedures = Arc::new(services::procedures::Procedures::new(
            database.clone(),
            evaluator,
            secrets_for_records,
        ));
        http::server_fns::register_all();
        let services = Services {
            status: Arc::new(services::status::Status::new(database.clone())),
            auth: auth.clone(),
            accounts: Arc::new(services::accounts::Accounts::new(
                database.clone(),
                auth.clone(),
            )),
            audit: Arc::new(services::audit::AuditTrail::new(database.clone())),
            procedures,
            patients: Arc::new(services::patients::Patients::new(
                database.clone(),
                auth.clone(),
                &config.public_url(),
            )),
        };
        Ok(Self {
            database,
            services,
            auth,
            site: Arc::new(Site::load(&config.dist_dir)),
            server_fns: Arc::new(http::server_fns::registered()),
            public_origin: config.public_url.clone(),
        })
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(http::health::healthz))
        .merge(crate::rest::routes())
        .route("/api/{*path}", any(http::server_fns::handle))
        .fallback(http::site::serve)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::csrf::refuse_cross_site,
        ))
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
