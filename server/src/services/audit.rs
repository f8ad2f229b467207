//! Browsing, downloading and verifying the audit trail (registry administrators). Browsing
//! is itself audited: the trail holds who did what to whom. The download's CSV is in
//! [`export`].

mod export;

use std::sync::Arc;

use app::api::ApiError;
use app::api::audit::{
    AuditEntry, AuditQuery, AuditService, CeilingUse, ChainReport, SecurityOverview,
};
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::patients::DataFile;
use serde_json::json;

use super::error::ServiceResult;
use crate::at_the_edge;
use crate::audit::anchors::Anchors;
use crate::audit::{self, Action, Event};
use crate::auth::rate_limit::{Limit, RateLimiter, Usage};
use crate::db::{self, Database};
use crate::services::patients::claims::ALL_PATIENTS;
use crate::services::procedures::pseudonyms::{ALL_CLINICS, PER_ORGANISATION};

pub struct AuditTrail {
    database: Database,
    anchors: Arc<Anchors>,
    limits: RateLimiter,
}

fn ceiling(what: String, usage: Usage) -> CeilingUse {
    CeilingUse {
        what,
        used: usage.used.round() as u32,
        ceiling: usage.max,
        near: usage.nearly_exhausted(),
    }
}

impl AuditTrail {
    pub fn new(database: Database, anchors: Arc<Anchors>, limits: RateLimiter) -> Self {
        Self {
            database,
            anchors,
            limits,
        }
    }

    async fn security(
        &self,
        _context: &RequestContext,
        _principal: &Principal,
    ) -> ServiceResult<SecurityOverview> {
        let registry_wide: [(&str, &Limit); 2] = [
            ("Pseudonym evaluations by all clinics", &ALL_CLINICS),
            ("Pseudonym evaluations for patients' claims", &ALL_PATIENTS),
        ];
        let mut ceilings = Vec::new();
        for (what, limit) in registry_wide {
            ceilings.push(ceiling(
                what.to_string(),
                self.limits.usage(limit, "all").await?,
            ));
        }
        let mut connection = self.database.read().await?;
        for (organisation, _) in self.limits.busiest(&PER_ORGANISATION, 3).await? {
            let Ok(id) = organisation.parse::<i64>() else {
                continue;
            };
            let name = db::organisations::details(&mut connection, Some(id))
                .await?
                .pop()
                .map_or_else(|| format!("organisation {id}"), |detail| detail.name);
            ceilings.push(ceiling(
                format!("Pseudonym evaluations by {name}"),
                self.limits.usage(&PER_ORGANISATION, &organisation).await?,
            ));
        }
        let (_, claims_to_review) = db::patients::open_reviews(&mut connection, 0, 0).await?;
        Ok(SecurityOverview {
            ceilings,
            claims_to_review,
        })
    }

    async fn list(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: AuditQuery,
    ) -> ServiceResult<Page<AuditEntry>> {
        check_day("from", &query.from)?;
        check_day("to", &query.to)?;
        let page = query.page.max(1);
        let mut connection = self.database.read().await?;
        let (rows, total) = db::audit::list(
            &mut connection,
            &query,
            PAGE_SIZE,
            (page - 1).saturating_mul(PAGE_SIZE),
        )
        .await?;
        drop(connection);
        audit::record_alone(
            &self.database,
            Event::new(Action::AuditViewed)
                .by(principal)
                .with(json!({ "action": query.action, "actor": query.actor, "from": query.from, "to": query.to, "page": page }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(Page {
            items: rows.into_iter().map(entry_of).collect(),
            page,
            page_size: PAGE_SIZE,
            total,
        })
    }

    async fn export(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: AuditQuery,
    ) -> ServiceResult<DataFile> {
        check_day("from", &query.from)?;
        check_day("to", &query.to)?;
        let mut connection = self.database.read().await?;
        let (rows, total) = db::audit::list(&mut connection, &query, export::MOST_ROWS, 0).await?;
        drop(connection);
        audit::record_alone(
            &self.database,
            Event::new(Action::AuditExported)
                .by(principal)
                .with(json!({ "action": query.action, "actor": query.actor, "from": query.from, "to": query.to, "rows": rows.len(), "matching": total }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        let entries: Vec<AuditEntry> = rows.into_iter().map(entry_of).collect();
        Ok(DataFile {
            file_name: format!("audit-trail-{}.csv", self.database.now().day().to_iso()),
            media_type: "text/csv".into(),
            content: export::csv(&entries),
        })
    }

    async fn verify(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> ServiceResult<ChainReport> {
        let report = audit::verify(&self.database, Some(&self.anchors)).await?;
        audit::record_alone(
            &self.database,
            Event::new(Action::AuditVerified)
                .by(principal)
                .with(json!({ "entries_checked": report.entries_checked, "anchors_checked": report.anchors_checked, "intact": report.first_broken.is_none() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(report)
    }
}

/// An entry as the page and the download show it. Before someone is signed in (a sign-in,
/// a password chosen from an emailed link) the account acted on is the one acting.
fn entry_of(row: db::audit::ListedEntry) -> AuditEntry {
    let by_its_account = row.actor_email.is_none()
        && Action::from_code(&row.action).is_some_and(Action::done_by_its_account);
    let (actor, actor_name, actor_role) = if by_its_account {
        (
            row.target_user_email.clone(),
            row.target_user_name.clone(),
            row.target_user_role.clone(),
        )
    } else {
        (row.actor_email, row.actor_name, row.actor_role)
    };
    let target_name = match row.target_type.as_deref() {
        Some("user") => row.target_user_name.clone(),
        Some("organisation") => row.target_organisation.clone(),
        Some("procedure") => row.target_id.as_ref().map(|id| format!("record {id}")),
        _ => None,
    };
    AuditEntry {
        id: row.id,
        at: row.at.to_iso(),
        actor,
        actor_name,
        actor_role,
        action: row.action,
        target: row
            .target_type
            .map(|kind| format!("{kind} {}", row.target_id.unwrap_or_default())),
        target_name,
        details: row.details,
        client_ip: row.client_ip,
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

at_the_edge! {
    impl AuditService for AuditTrail {
        fn list(&self, context: &RequestContext, principal: &Principal, query: AuditQuery) -> Page<AuditEntry>;
        fn export(&self, context: &RequestContext, principal: &Principal, query: AuditQuery) -> DataFile;
        fn verify(&self, context: &RequestContext, principal: &Principal) -> ChainReport;
        fn security(&self, context: &RequestContext, principal: &Principal) -> SecurityOverview;
    }
}
