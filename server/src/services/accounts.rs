//! Organisations and accounts, scoped: a clinic manager manages their own organisation's
//! clinic accounts; a registry administrator manages everything. Here: the scope, the list of
//! accounts, invitations and disabling. Changes to one account (authenticator reset, unlock,
//! name, role, organisation) are in [`changes`]; organisations and their sites in
//! [`organisations`]; reading the forms (addresses, names, the organisation an account
//! belongs to) in [`forms`].

mod changes;
mod forms;
mod organisations;

pub use forms::read_email_and_name;
use forms::{check_invitation, check_organisation_exists};

use std::sync::Arc;

use app::api::ApiError;
use app::api::accounts::{
    AccountChange, AccountDetail, AccountService, Invitation, InvitationSent, OrganisationDetail,
    UserQuery, UserSummary,
};
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::session::Role;
use serde_json::json;

use super::auth::Auth;
use super::error::ServiceResult;
use crate::at_the_edge;
use crate::audit::{self, Action, Event};
use crate::db::users::{self, Account, NewUser};
use crate::db::{Database, sessions};

pub struct Accounts {
    database: Database,
    auth: Arc<Auth>,
}

/// Refuses, with `refusal`, a change a manager may make to others' accounts only.
fn not_own_account(principal: &Principal, user_id: i64, refusal: &str) -> ServiceResult<()> {
    if user_id == principal.user_id {
        return Err(ApiError::Denied {
            message: refusal.into(),
        }
        .into());
    }
    Ok(())
}

/// The audit entry for `action` by `principal` on account `user_id`.
fn account_event<'a>(
    action: Action,
    principal: &'a Principal,
    context: &'a RequestContext,
    user_id: i64,
) -> Event<'a> {
    Event::new(action)
        .by(principal)
        .on("user", user_id)
        .from_ip(context.client.ip.as_deref())
}

impl Accounts {
    pub fn new(database: Database, auth: Arc<Auth>) -> Self {
        Self { database, auth }
    }

    /// The organisation a caller's account management is limited to (`None`: all).
    fn scope(principal: &Principal) -> Result<Option<i64>, ApiError> {
        match principal.role {
            Role::RegistryAdmin => Ok(None),
            Role::ClinicManager => principal
                .organisation_id
                .map(Some)
                .ok_or(ApiError::Forbidden),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// The account, if the caller may manage it.
    async fn managed_account(&self, principal: &Principal, user_id: i64) -> ServiceResult<Account> {
        let account = users::by_id(&mut self.database.read().await?, user_id)
            .await?
            .ok_or_else(|| ApiError::not_found("That account"))?;
        match Self::scope(principal)? {
            None => Ok(account),
            Some(organisation)
                if account.organisation_id == Some(organisation)
                    && account.role.belongs_to_organisation() =>
            {
                Ok(account)
            }
            // Outside the manager's organisation: as if it did not exist.
            Some(_) => Err(ApiError::not_found("That account").into()),
        }
    }
}

impl Accounts {
    async fn list_users(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        query: UserQuery,
    ) -> ServiceResult<Page<UserSummary>> {
        let organisation = Self::scope(principal)?.or(query.organisation_id);
        let mut connection = self.database.read().await?;
        let (accounts, total) =
            users::search(&mut connection, &query, organisation, PAGE_SIZE).await?;
        Ok(Page {
            items: accounts.iter().map(Account::summary).collect(),
            page: query.page.max(1),
            page_size: PAGE_SIZE,
            total,
        })
    }

    async fn invite(
        &self,
        context: &RequestContext,
        principal: &Principal,
        invitation: Invitation,
    ) -> ServiceResult<InvitationSent> {
        let (email, name, organisation) = check_invitation(&invitation, principal)?;
        let mut transaction = self.database.write().await?;
        check_organisation_exists(&mut transaction, organisation).await?;
        let user_id = users::insert(
            &mut transaction,
            NewUser {
                email: &email,
                display_name: name.as_str(),
                role: invitation.role,
                organisation_id: organisation,
                password_hash: None,
                first_enrolment_by_password: false,
            },
        )
        .await?
        .ok_or_else(|| {
            ApiError::invalid("email", "An account with this email address already exists")
        })?;
        let link = self
            .auth
            .send_invitation(&mut transaction, user_id, &email, name.as_str())
            .await?;
        audit::record(
            &mut transaction,
            account_event(Action::AccountInvited, principal, context, user_id)
                .with(json!({ "role": invitation.role.as_str(), "organisation_id": organisation })),
        )
        .await?;
        transaction.commit().await?;
        self.auth.mail().wake();
        Ok(InvitationSent { user_id, link })
    }

    async fn set_disabled(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
        disabled: bool,
    ) -> ServiceResult<UserSummary> {
        not_own_account(principal, user_id, "You cannot disable your own account")?;
        let account = self.managed_account(principal, user_id).await?;
        let mut transaction = self.database.write().await?;
        users::set_disabled(&mut transaction, account.id, disabled).await?;
        let ended = if disabled {
            sessions::delete_all_for_user(&mut transaction, account.id, None).await?
        } else {
            0
        };
        let action = if disabled {
            Action::AccountDisabled
        } else {
            Action::AccountEnabled
        };
        audit::record(
            &mut transaction,
            account_event(action, principal, context, account.id)
                .with(json!({ "sessions_ended": ended })),
        )
        .await?;
        transaction.commit().await?;
        let updated = users::by_id(&mut self.database.read().await?, account.id)
            .await?
            .ok_or_else(|| ApiError::not_found("That account"))?;
        Ok(updated.summary())
    }

    async fn resend_invitation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> ServiceResult<InvitationSent> {
        let account = self.managed_account(principal, user_id).await?;
        // Until staff have set up their authenticator (which only the invitation opens), a
        // fresh invitation is the way back in; after that, the sign-in page's reset.
        let set_up = account.password_hash.is_some()
            && (account.mfa_enrolled_at.is_some() || !account.role.requires_second_factor());
        if set_up {
            return Err(ApiError::Conflict {
                message: "This person has already set up their account. If they have forgotten their password, they can reset it from the sign-in page".into(),
            }.into());
        }
        let mut transaction = self.database.write().await?;
        let link = self
            .auth
            .send_invitation(
                &mut transaction,
                account.id,
                &account.email,
                &account.display_name,
            )
            .await?;
        audit::record(
            &mut transaction,
            account_event(Action::AccountReinvited, principal, context, account.id),
        )
        .await?;
        transaction.commit().await?;
        self.auth.mail().wake();
        Ok(InvitationSent {
            user_id: account.id,
            link,
        })
    }
}

at_the_edge! {
    impl AccountService for Accounts {
        fn list_users(&self, context: &RequestContext, principal: &Principal, query: UserQuery) -> Page<UserSummary>;
        fn invite(&self, context: &RequestContext, principal: &Principal, invitation: Invitation) -> InvitationSent;
        fn set_disabled(&self, context: &RequestContext, principal: &Principal, user_id: i64, disabled: bool) -> UserSummary;
        fn resend_invitation(&self, context: &RequestContext, principal: &Principal, user_id: i64) -> InvitationSent;
        fn detail(&self, context: &RequestContext, principal: &Principal, user_id: i64) -> AccountDetail;
        fn reset_authenticator(&self, context: &RequestContext, principal: &Principal, user_id: i64) -> InvitationSent;
        fn unlock(&self, context: &RequestContext, principal: &Principal, user_id: i64) -> AccountDetail;
        fn update(&self, context: &RequestContext, principal: &Principal, change: AccountChange) -> AccountDetail;
        fn set_contact(&self, context: &RequestContext, principal: &Principal, organisation_id: i64, contact: String) -> OrganisationDetail;
        fn list_organisations(&self, context: &RequestContext, principal: &Principal) -> Vec<OrganisationDetail>;
        fn create_organisation(&self, context: &RequestContext, principal: &Principal, name: String, sites: Vec<String>) -> OrganisationDetail;
        fn add_site(&self, context: &RequestContext, principal: &Principal, organisation_id: i64, name: String) -> OrganisationDetail;
    }
}
