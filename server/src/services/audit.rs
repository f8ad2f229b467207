//! Browsing and verifying the audit trail (registry administrators).

use app::api::ApiError;
use app::api::accounts::{PAGE_SIZE, Page};
use app::api::audit::{AuditEntry, AuditQuery, AuditService, ChainReport};
use app::api::context::{Principal, RequestContext};
use serde_json::json;

use super::internal_error;
use crate::audit::{self, Event};
use crate::db::Database;

pub struct AuditTrail {
    database: Database,
}

impl AuditTrail {
    pub fn new(database: Database) -> Self {
        Self { database }
    }
}

fn check_day(field: &str, text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() || domain::udi::UdiDate::from_iso(text.trim()).is_ok() {
        Ok(())
    } else {
        Err(ApiError::invalid(
            field,
            "Enter a real date, for example 2026-11-23",
        ))
    }
}

#[async_trait::async_trait]
impl AuditService for AuditTrail {
    async fn list(
        &self,
        _context: &RequestContext,
        _principal: &Principal,
        query: AuditQuery,
    ) -> Result<Page<AuditEntry>, ApiError> {
        check_day("from", &query.from)?;
        check_day("to", &query.to)?;
        audit::list(self.database.pool(), &query, PAGE_SIZE)
            .await
            .map_err(internal_error)
    }

    async fn verify(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<ChainReport, ApiError> {
        let report = audit::verify(self.database.pool())
            .await
            .map_err(internal_error)?;
        audit::record_alone(
            &self.database,
            Event::new("audit.verified")
                .by(principal)
                .with(json!({ "entries_checked": report.entries_checked, "intact": report.first_broken.is_none() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        Ok(report)
    }
}
