//! The audit trail, for registry administrators: browse, filter, and verify the hash chain.

use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::accounts::Page;
#[cfg(feature = "ssr")]
use super::context::{ADMINISTRATORS, Access, Principal, RequestContext};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, ISO 8601.
    pub at: String,
    pub actor: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub details: String,
    pub client_ip: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// Actions starting with this, e.g. `sign_in`.
    pub action: String,
    /// Part of the actor's email address.
    pub actor: String,
    /// From this day (YYYY-MM-DD), inclusive.
    pub from: String,
    /// To this day (YYYY-MM-DD), inclusive.
    pub to: String,
    pub page: u32,
}

/// The verifier's finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    pub entries_checked: u64,
    /// Heads written outside the database that the chain was compared with.
    #[serde(default)]
    pub anchors_checked: u64,
    /// The first entry whose link is broken, and why; `None` if the chain is whole.
    pub first_broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLink {
    pub entry_id: i64,
    pub reason: String,
}

/// How close a registry-wide limit is to its ceiling this hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeilingUse {
    /// What is limited, in words: "Pseudonym evaluations by all clinics".
    pub what: String,
    pub used: u32,
    pub ceiling: u32,
    /// At 80 % or more: someone should look.
    pub near: bool,
}

/// What registry administrators should keep an eye on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    pub ceilings: Vec<CeilingUse>,
    pub claims_to_review: u64,
}

#[server(endpoint = "audit/security")]
pub async fn registry_security() -> Result<SecurityOverview, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context.services.audit.security(&context, principal).await
}

#[server(endpoint = "audit/list", input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<Page<AuditEntry>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .audit
        .list(&context, principal, query)
        .await
}

#[server(endpoint = "audit/verify")]
pub async fn verify_audit_chain() -> Result<ChainReport, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context.services.audit.verify(&context, principal).await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AuditService: Send + Sync {
    async fn list(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: AuditQuery,
    ) -> Result<Page<AuditEntry>, ApiError>;
    async fn verify(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<ChainReport, ApiError>;
    async fn security(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<SecurityOverview, ApiError>;
}
