//! Managing organisations and accounts: clinic managers for their own organisation, registry
//! administrators for all.

use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::common::{Page, SiteSummary};
#[cfg(feature = "ssr")]
use super::context::{ACCOUNT_MANAGERS, ADMINISTRATORS, Access, Principal, RequestContext};
use super::session::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation: Option<String>,
    /// `invited` (no password yet), `active` or `disabled`.
    pub status: AccountStatus,
    pub second_factor_enrolled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Invited,
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Invited => "Invited",
            Self::Active => "Active",
            Self::Disabled => "Disabled",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserQuery {
    /// Part of a name or email address.
    pub search: String,
    pub role: Option<Role>,
    pub organisation_id: Option<i64>,
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
}

/// The invitation as sent. `link` is filled only when the server runs without email (development).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSent {
    pub user_id: i64,
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationDetail {
    pub id: i64,
    pub name: String,
    pub sites: Vec<SiteSummary>,
    pub user_count: u64,
}

#[server(endpoint = "accounts/list", input = Json)]
pub async fn list_users(query: UserQuery) -> Result<Page<UserSummary>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .list_users(&context, principal, query)
        .await
}

#[server(endpoint = "accounts/invite", input = Json)]
pub async fn invite_user(invitation: Invitation) -> Result<InvitationSent, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .invite(&context, principal, invitation)
        .await
}

/// Disables (ending every session at once) or re-enables an account.
#[server(endpoint = "accounts/set-disabled")]
pub async fn set_user_disabled(user_id: i64, disabled: bool) -> Result<UserSummary, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .set_disabled(&context, principal, user_id, disabled)
        .await
}

/// A fresh invitation link for someone who has not set a password yet.
#[server(endpoint = "accounts/reinvite")]
pub async fn resend_invitation(user_id: i64) -> Result<InvitationSent, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .resend_invitation(&context, principal, user_id)
        .await
}

/// Organisations the caller may manage: all for administrators, their own for managers.
#[server(endpoint = "organisations/list")]
pub async fn list_organisations() -> Result<Vec<OrganisationDetail>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .list_organisations(&context, principal)
        .await
}

#[server(endpoint = "organisations/create", input = Json)]
pub async fn create_organisation(
    name: String,
    sites: Vec<String>,
) -> Result<OrganisationDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .accounts
        .create_organisation(&context, principal, name, sites)
        .await
}

#[server(endpoint = "organisations/add-site")]
pub async fn add_site(organisation_id: i64, name: String) -> Result<OrganisationDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .accounts
        .add_site(&context, principal, organisation_id, name)
        .await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AccountService: Send + Sync {
    async fn list_users(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: UserQuery,
    ) -> Result<Page<UserSummary>, ApiError>;
    async fn invite(
        &self,
        context: &RequestContext,
        principal: &Principal,
        invitation: Invitation,
    ) -> Result<InvitationSent, ApiError>;
    async fn set_disabled(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
        disabled: bool,
    ) -> Result<UserSummary, ApiError>;
    async fn resend_invitation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> Result<InvitationSent, ApiError>;
    async fn list_organisations(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<Vec<OrganisationDetail>, ApiError>;
    async fn create_organisation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        name: String,
        sites: Vec<String>,
    ) -> Result<OrganisationDetail, ApiError>;
    async fn add_site(
        &self,
        context: &RequestContext,
        principal: &Principal,
        organisation_id: i64,
        name: String,
    ) -> Result<OrganisationDetail, ApiError>;
}
