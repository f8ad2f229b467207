//! The service's status, shown in every page's footer. Anyone sees that the service works and
//! its version; only registry administrators see what it runs on (engine, schema, instance),
//! which would otherwise help an attacker pick their exploits.

use leptos::server;
use serde::{Deserialize, Serialize};

use super::ApiError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReport {
    /// The server's version, e.g. `0.1.0`.
    pub version: String,
    /// For registry administrators only.
    pub details: Option<StatusDetails>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusDetails {
    /// The storage engine and its version, e.g. `SQLite 3.46.0`.
    pub storage: String,
    /// How many database migrations have been applied.
    pub schema_version: i64,
    /// Identifies this registry instance to the helpdesk.
    pub instance_id: String,
}

/// Checks the registry server and its database, for the footer's status line.
#[server(endpoint = "status")]
pub async fn service_status() -> Result<StatusReport, ApiError> {
    use super::context::RequestContext;
    let context = RequestContext::current()?;
    context.allow_anyone();
    context.services.status.status(&context).await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait StatusService: Send + Sync {
    async fn status(
        &self,
        context: &super::context::RequestContext,
    ) -> Result<StatusReport, ApiError>;
}
