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

/// What every page may need to know about this registry, the same for everyone: whether it
/// holds test data only (a demo), and how to reach its helpdesk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// A demonstration: every record and account is synthetic test data.
    pub demo: bool,
    pub helpdesk: Helpdesk,
    /// A session ends after this long without activity (the cookie page says so).
    pub session_idle_minutes: i64,
    /// And this long after signing in in any case.
    pub session_absolute_hours: i64,
}

/// The registry helpdesk, as configured (`--helpdesk-email`, `--helpdesk-phone`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Helpdesk {
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Helpdesk {
    /// "email helpdesk@example.org or call 0300 123 4567", or `None` when not configured.
    pub fn in_words(&self) -> Option<String> {
        match (&self.email, &self.phone) {
            (Some(email), Some(phone)) => Some(format!("email {email} or call {phone}")),
            (Some(email), None) => Some(format!("email {email}")),
            (None, Some(phone)) => Some(format!("call {phone}")),
            (None, None) => None,
        }
    }
}

#[server(endpoint = "site")]
pub async fn site_details() -> Result<SiteInfo, ApiError> {
    use super::context::RequestContext;
    let context = RequestContext::current()?;
    context.allow_anyone();
    context.services.status.site(&context).await
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
    async fn site(&self, context: &super::context::RequestContext) -> Result<SiteInfo, ApiError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_helpdesk_reads_as_words() {
        let both = Helpdesk {
            email: Some("help@example.test".into()),
            phone: Some("0300 000 0000".into()),
        };
        assert_eq!(
            both.in_words().unwrap(),
            "email help@example.test or call 0300 000 0000"
        );
        assert_eq!(Helpdesk::default().in_words(), None);
    }
}
