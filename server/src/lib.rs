//! The Implant Registry portal's server.
//!
//! `run` is what `main` calls; tests call `app::build` and serve it on port 0.

pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod data_folder;
pub mod db;
pub mod export;
pub mod http;
pub mod mailer;
pub mod rest;
pub mod seed;
pub mod services;
pub mod synthetic;
pub mod telemetry;

use std::future::Future;

use tokio::net::TcpListener;

use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot start: {0}")]
    Open(#[from] app::OpenError),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    #[error("cannot create the demo data: {0}")]
    Seed(String),
    #[error("cannot start: {0}")]
    DataFolder(#[from] data_folder::LockError),
}

/// Removes ended sessions every ten minutes (they are already refused when presented).
fn spawn_session_cleanup(state: &app::AppState, config: &Config) {
    let database = state.database.clone();
    let idle = time::Duration::minutes(config.session_idle_minutes);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            let purged = match database.write().await {
                Ok(mut transaction) => {
                    let purged = db::sessions::purge_expired(&mut transaction, idle).await;
                    transaction.commit().await.and(purged)
                }
                Err(error) => Err(error),
            };
            match purged {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "removed ended sessions"),
                Err(error) => tracing::warn!(%error, "could not remove ended sessions"),
            }
            // Rate-limit windows older than a day weigh in nothing any more.
            let day_ago = database.now().unix_seconds() - 86_400;
            if let Ok(mut connection) = database.write().await {
                let purged = db::rate_limits::purge(&mut connection, day_ago).await;
                if let Err(error) = purged.map(drop).and(connection.commit().await) {
                    tracing::warn!(%error, "could not remove old rate-limit counts");
                }
            }
        }
    });
}

/// A file-size limit reached (a full disk quota) must fail the write, not kill the server:
/// SIGXFSZ's default action ends the process. Handling it turns it into an error SQLite reports.
fn survive_file_size_limits() {
    // SIGXFSZ is 25 on Linux (x86-64 and ARM alike).
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(25)) {
        Ok(mut signal) => {
            tokio::spawn(async move {
                while signal.recv().await.is_some() {
                    tracing::error!("a file reached its size limit: the write failed");
                }
            });
        }
        Err(error) => tracing::warn!(%error, "cannot handle SIGXFSZ"),
    }
}

/// Opens the database (applying migrations), then serves until SIGINT or SIGTERM.
pub async fn run(config: Config) -> Result<(), StartError> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartError::Listen {
            address: config.listen,
            source,
        })?;
    serve(config, listener, shutdown_signal()).await
}

/// Serves on an already bound listener until `shutdown` completes; in-flight requests finish.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    survive_file_size_limits();
    let _one_server_per_folder = if config.database_url().starts_with("sqlite:") {
        auth::keys::private_folder(&config.data_dir).map_err(app::OpenError::from)?;
        Some(data_folder::lock(&config.data_dir)?)
    } else {
        None
    };
    let state = app::AppState::open(&config).await?;
    if config.demo {
        seed::demo(&state, config.demo_password.as_deref())
            .await
            .map_err(|error| StartError::Seed(error.to_string()))?;
        seed::demo_registry(&state, config.demo_registry)
            .await
            .map_err(|error| StartError::Seed(error.to_string()))?;
    }
    spawn_session_cleanup(&state, &config);
    // The statistics are read in the background (now, then after writes): no page waits for it.
    services::statistics::cache::spawn_refresher(
        state.statistics.cache().clone(),
        state.database.clone(),
    );
    let router = app::router(state.clone());
    let address = listener.local_addr().map_err(StartError::Serve)?;
    tracing::info!(%address, "Implant Registry portal listening on http://{address}");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(StartError::Serve)?;
    // The last head before stopping, so that a trail cut while the server was down shows.
    if let Err(error) = audit::anchor(&state.database, &state.anchors).await {
        tracing::error!(error = ?error.to_string(), "could not anchor the audit trail at shutdown");
    }
    tracing::info!("server stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in progress");
}
