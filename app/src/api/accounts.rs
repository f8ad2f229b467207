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
    /// How patients reach the clinic: printed on implant cards.
    #[serde(default)]
    pub contact: Option<String>,
    pub sites: Vec<SiteSummary>,
    pub user_count: u64,
}

/// One account, as the person who manages it sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetail {
    pub summary: UserSummary,
    pub organisation_id: Option<i64>,
    /// Set while the account is locked after too many wrong tries: for how many more minutes.
    pub locked_for_minutes: Option<u64>,
}

/// A manager's change to an account's name, role and organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChange {
    pub user_id: i64,
    pub display_name: String,
    pub role: Role,
    /// For clinic roles; ignored for a clinic manager's changes (always their own).
    pub organisation_id: Option<i64>,
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

/// One account the caller manages.
#[server(endpoint = "accounts/detail")]
pub async fn get_account(user_id: i64) -> Result<AccountDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .detail(&context, principal, user_id)
        .await
}

/// Removes a staff member's authenticator app (lost or replaced phone): every session ends,
/// and they are emailed a link to set up a new one.
#[server(endpoint = "accounts/reset-authenticator")]
pub async fn reset_authenticator(user_id: i64) -> Result<InvitationSent, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .reset_authenticator(&context, principal, user_id)
        .await
}

/// Ends the lock put on an account after too many wrong tries.
#[server(endpoint = "accounts/unlock")]
pub async fn unlock_account(user_id: i64) -> Result<AccountDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .unlock(&context, principal, user_id)
        .await
}

/// Changes an account's name, role and organisation.
#[server(endpoint = "accounts/update", input = Json)]
pub async fn update_account(change: AccountChange) -> Result<AccountDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .update(&context, principal, change)
        .await
}

/// Sets how patients reach an organisation (printed on its implant cards): administrators for
/// any, clinic managers for their own.
#[server(endpoint = "organisations/set-contact")]
pub async fn set_organisation_contact(
    organisation_id: i64,
    contact: String,
) -> Result<OrganisationDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ACCOUNT_MANAGERS))?;
    context
        .services
        .accounts
        .set_contact(&context, principal, organisation_id, contact)
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
    async fn detail(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> Result<AccountDetail, ApiError>;
    async fn reset_authenticator(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> Result<InvitationSent, ApiError>;
    async fn unlock(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> Result<AccountDetail, ApiError>;
    async fn update(
        &self,
        context: &RequestContext,
        principal: &Principal,
        change: AccountChange,
    ) -> Result<AccountDetail, ApiError>;
    async fn set_contact(
        &self,
        context: &RequestContext,
        principal: &Principal,
        organisation_id: i64,
        contact: String,
    ) -> Result<OrganisationDetail, ApiError>;
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
