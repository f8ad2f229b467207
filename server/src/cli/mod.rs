//! The server's subcommands besides serving: each opens the registry the way the server
//! does, does one job, and prints what it did.

pub mod backup;

use std::sync::Arc;

use crate::app::AppState;
use crate::config::Config;

/// The state for a command: it sends no email itself (links it makes are printed).
pub async fn open_state(config: &Config) -> Result<AppState, String> {
    AppState::open_with_mailer(config, Arc::new(crate::mailer::LogMailer))
        .await
        .map_err(|error| error.to_string())
}
