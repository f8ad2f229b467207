//! The server's subcommands other than serving, each in its own module (`main.rs` only
//! names them).

pub mod extract;
pub mod synthetic;

use std::sync::Arc;

use crate::app::{AppState, OpenError};
use crate::config::Config;

/// The state for a command: it sends no email itself.
pub async fn open(config: &Config) -> Result<AppState, OpenError> {
    AppState::open_with_mailer(config, Arc::new(crate::mailer::LogMailer)).await
}
