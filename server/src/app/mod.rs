//! The application: its state and its router. `router` is all a test needs to serve it.

mod keys;

use std::collections::HashSet;
use std::sync::Arc;

use app::api::context::Services;
use axum::Router;
use axum::http::Method;
use axum::routing::{any, get};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::audit::anchors::Anchors;
use crate::auth::keys::{KeyError, private_folder};
use crate::auth::rate_limit::RateLimiter;
use crate::config::Config;
use crate::db::Database;
use crate::http::client::TrustedProxies;
use crate::http::{self, site::Site};
use crate::mailer::{LogMailer, Mailer, SmtpMailer};
use crate::services;
use crate::services::auth::{Auth, SessionPolicy};
use crate::services::mail::MailQueue;

/// Server functions take small JSON or form bodies: anything larger is refused before it is
/// read (a 500 KB lot number was once accepted).
pub const SERVER_FUNCTION_BODY_LIMIT: usize = 256 * 1024;
/// How often the audit trail's head is written outside the database.
const ANCHOR_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Database(#[from] crate::db::DatabaseError),
    #[error("the database could not be read at start: {0}")]
    Query(sqlx::Error),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("email settings: {0}")]
    Mail(#[from] crate::mailer::MailError),
    #[error("the pseudonymisation key file {0} does not hold a valid key")]
    PseudonymKey(String),
    #[error(
        "a sealed value ({0}) does not open with the account key: the key file is not the one this database was made with"
    )]
    Unsealable(String),
    #[error(
        "no mail server: give --smtp-url (MDIS_SMTP_URL), or --dev-mail to write emails and their links to the log (development only)"
    )]
    NoMailServer,
    #[error("{0}")]
    Config(String),
}

#[derive(Clone)]
pub struct AppState {
    pub database: Database,
    pub services: Services,
    pub auth: Arc<Auth>,
    pub mail: Arc<MailQueue>,
    pub anchors: Arc<Anchors>,
    pub site: Arc<Site>,
    pub server_fns: Arc<HashSet<(String, Method)>>,
    /// The registry statistics, also answered by the REST API.
    pub statistics: Arc<services::statistics::Statistics>,
    /// The configured public origin, accepted as a same-site `Origin`.
    pub public_origin: Option<String>,
    pub trusted_proxies: Arc<TrustedProxies>,
    /// Host names requests may name (any when empty).
    pub allowed_hosts: Arc<Vec<String>>,
    /// `--test-clock`: the end-to-end tests' clock routes are mounted.
    pub test_clock: bool,
}

impl AppState {
    /// Opens the database and keys, with the configured mail server; refuses to start without
    /// one unless development mail was asked for.
    pub async fn open(config: &Config) -> Result<Self, OpenError> {
        let mailer: Arc<dyn Mailer> = match &config.smtp_url {
            Some(url) => Arc::new(SmtpMailer::new(url, &config.mail_from)?),
            None if config.dev_mail || config.demo => {
                tracing::warn!(
                    "no mail server: emails and their links go to the log (development only)"
                );
                Arc::new(LogMailer)
            }
            None => return Err(OpenError::NoMailServer),
        };
        Self::open_with_mailer(config, mailer).await
    }

    /// As `open`, with the given mailer (tests record the emails sent; commands that send
    /// none use the log).
    pub async fn open_with_mailer(
        config: &Config,
        mailer: Arc<dyn Mailer>,
    ) -> Result<Self, OpenError> {
        if config.test_clock && !config.demo {
            return Err(OpenError::Config(
                "--test-clock is for end-to-end tests and works only with --demo".into(),
            ));
        }
        private_folder(&config.data_dir)?;
        let database = Database::open(
            &config.database_url(),
            Arc::new(crate::clock::ServerClock::default()),
        )
        .await?
        .with_group_commit(config.sqlite_group_commit);
        let keys = keys::load(config, &database).await?;
        tracing::info!(key_id = %keys.evaluator.key_id(), "pseudonymisation key loaded");
        let database = database.with_audit_key(keys.audit);
        let evaluator = Arc::new(keys.evaluator);
        let mail = Arc::new(MailQueue::new(
            database.clone(),
            keys.secrets.clone(),
            mailer,
        ));
        mail.spawn_sender();
        let anchors = Arc::new(Anchors::new(config.audit_anchors_path()));
        spawn_anchoring(database.clone(), anchors.clone());
        let limits = RateLimiter::new(database.clone());
        let auth = Arc::new(Auth::new(
            database.clone(),
            keys.secrets.clone(),
            SessionPolicy {
                idle: time::Duration::minutes(config.session_idle_minutes),
                absolute: time::Duration::hours(config.session_absolute_hours),
            },
            mail.clone(),
            config.public_url(),
        ));
        http::server_fns::register_all();
        let statistics = Arc::new(services::statistics::Statistics::new(
            database.clone(),
            config.disclosure_control(),
            limits.clone(),
        ));
        let services = Services {
            status: Arc::new(services::status::Status::new(
                database.clone(),
                config.site_info(),
            )),
            auth: auth.clone(),
            accounts: Arc::new(services::accounts::Accounts::new(
                database.clone(),
                auth.clone(),
            )),
            audit: Arc::new(services::audit::AuditTrail::new(
                database.clone(),
                anchors.clone(),
                limits.clone(),
            )),
            procedures: Arc::new(services::procedures::Procedures::new(
                database.clone(),
                evaluator.clone(),
                keys.secrets,
                limits,
                config.printable_public_url(),
            )),
            patients: Arc::new(services::patients::Patients::new(
                database.clone(),
                auth.clone(),
                evaluator,
                &config.public_url(),
            )),
            register: Arc::new(services::register::Register::new(
                database.clone(),
                &config.data_dir,
            )),
            notices: Arc::new(services::notices::Notices::new(
                database.clone(),
                mail.clone(),
                &config.public_url(),
            )),
            statistics: statistics.clone(),
        };
        services::notices::backfill(&database)
            .await
            .map_err(|error| OpenError::Config(format!("indexing safety notices: {error}")))?;
        let trusted_proxies =
            TrustedProxies::parse(&config.trusted_proxies).map_err(OpenError::Config)?;
        Ok(Self {
            database,
            services,
            auth,
            mail,
            anchors,
            site: Arc::new(Site::load(&config.dist_dir)),
            server_fns: Arc::new(http::server_fns::registered()),
            statistics,
            public_origin: config.public_url.clone(),
            trusted_proxies: Arc::new(trusted_proxies),
            allowed_hosts: Arc::new(config.hosts_allowed()),
            test_clock: config.test_clock,
        })
    }
}

/// Writes the audit trail's head outside the database now, then every few minutes.
fn spawn_anchoring(database: Database, anchors: Arc<Anchors>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(ANCHOR_EVERY);
        loop {
            every.tick().await;
            if let Err(error) = crate::audit::anchor(&database, &anchors).await {
                tracing::error!(error = ?error.to_string(), "could not anchor the audit trail");
            }
        }
    });
}

pub fn router(state: AppState) -> Router {
    let mut routes = Router::new();
    if state.test_clock {
        tracing::warn!("the test clock is on: end-to-end tests only");
        routes = routes.merge(http::test_clock::routes());
    }
    routes
        .route("/healthz", get(http::health::healthz))
        .merge(crate::rest::routes())
        .route(
            "/api/{*path}",
            any(http::server_fns::handle).layer(RequestBodyLimitLayer::new(SERVER_FUNCTION_BODY_LIMIT)),
        )
        .fallback(http::site::serve)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::csrf::refuse_cross_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::hosts::refuse_unknown_host,
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
