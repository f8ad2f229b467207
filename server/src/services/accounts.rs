//! Organisations and accounts, scoped: a clinic manager manages their own organisation's
//! clinic accounts; a registry administrator manages everything. Changes to one account
//! (authenticator reset, unlock, name, role, organisation) are in [`changes`].

mod changes;

use std::sync::Arc;

use app::api::ApiError;
use app::api::FieldError;
use app::api::accounts::{
    AccountChange, AccountDetail, AccountService, Invitation, InvitationSent, OrganisationDetail,
    UserQuery, UserSummary,
};
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::session::Role;
use serde_json::json;

use domain::names::{NameProblem, OrganisationName, PersonName};

use super::auth::Auth;
use super::error::ServiceResult;
use crate::at_the_edge;
use crate::audit::{self, Action, Event};
use crate::db::users::{self, Account, NewUser};
use crate::db::{Database, organisations, sessions};

pub struct Accounts {
    database: Database,
    auth: Arc<Auth>,
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

fn check_invitation(
    invitation: &Invitation,
    principal: &Principal,
) -> ServiceResult<(String, PersonName, Option<i64>)> {
    let mut errors = Vec::new();
    let (email, name) = read_email_and_name(
        &invitation.email,
        &invitation.display_name,
        "Enter the person's full name",
        &mut errors,
    );
    let organisation = match (principal.role, invitation.role) {
        (_, Role::Patient) => {
            errors.push(FieldError::new(
                "role",
                "Patients create their own accounts: choose a staff role",
            ));
            None
        }
        (Role::ClinicManager, Role::RegistryAdmin) => return Err(ApiError::Forbidden.into()),
        (Role::ClinicManager, _) => principal.organisation_id,
        (_, Role::RegistryAdmin) => None,
        (_, _) => {
            if invitation.organisation_id.is_none() {
                errors.push(FieldError::new(
                    "organisation_id",
                    "Choose the organisation this person works for",
                ));
            }
            invitation.organisation_id
        }
    };
    match name {
        Some(name) if errors.is_empty() => Ok((email, name, organisation)),
        _ => Err(ApiError::Invalid { errors }.into()),
    }
}

/// An email address and a person's name from a form, the address trimmed and lower-cased;
/// problems go to `errors` against `email` and `display_name`.
pub fn read_email_and_name(
    email: &str,
    name: &str,
    name_missing: &str,
    errors: &mut Vec<FieldError>,
) -> (String, Option<PersonName>) {
    let email = email.trim().to_lowercase();
    let valid_email = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid_email {
        errors.push(FieldError::new(
            "email",
            "Enter an email address in the correct format, like name@example.org",
        ));
    }
    let name = PersonName::parse(name)
        .map_err(|problem| {
            errors.push(FieldError::new(
                "display_name",
                describe(problem, name_missing),
            ))
        })
        .ok();
    (email, name)
}

/// The problem with a name, saying what to enter when it is missing.
fn describe(problem: NameProblem, missing: &str) -> String {
    match problem {
        NameProblem::Missing => missing.to_string(),
        other => other.to_string(),
    }
}

/// An organisation's or site's name from a form, or its problem against `field`.
fn read_organisation_name(
    text: &str,
    field: &str,
    missing: &str,
    errors: &mut Vec<FieldError>,
) -> Option<OrganisationName> {
    OrganisationName::parse(text)
        .map_err(|problem| errors.push(FieldError::new(field, describe(problem, missing))))
        .ok()
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
        if let Some(organisation) = organisation
            && !organisations::exists(&mut transaction, organisation).await?
        {
            return Err(ApiError::invalid(
                "organisation_id",
                "Choose an organisation from the list",
            )
            .into());
        }
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
            Event::new(Action::AccountInvited)
                .by(principal)
                .on("user", user_id)
                .with(json!({ "role": invitation.role.as_str(), "organisation_id": organisation }))
                .from_ip(context.client.ip.as_deref()),
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
        if user_id == principal.user_id {
            return Err(ApiError::Denied {
                message: "You cannot disable your own account".into(),
            }
            .into());
        }
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
            Event::new(action)
                .by(principal)
                .on("user", account.id)
                .with(json!({ "sessions_ended": ended }))
                .from_ip(context.client.ip.as_deref()),
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
            Event::new(Action::AccountReinvited)
                .by(principal)
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        self.auth.mail().wake();
        Ok(InvitationSent {
            user_id: account.id,
            link,
        })
    }

    async fn list_organisations(
        &self,
        _context: &RequestContext,
        principal: &Principal,
    ) -> ServiceResult<Vec<OrganisationDetail>> {
        let mut connection = self.database.read().await?;
        Ok(organisations::details(&mut connection, Self::scope(principal)?).await?)
    }

    async fn create_organisation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        name: String,
        sites: Vec<String>,
    ) -> ServiceResult<OrganisationDetail> {
        let mut errors = Vec::new();
        let name =
            read_organisation_name(&name, "name", "Enter the organisation's name", &mut errors);
        let sites: Vec<OrganisationName> = sites
            .iter()
            .filter(|site| !site.trim().is_empty())
            .filter_map(|site| {
                read_organisation_name(site, "sites", "Enter the site's name", &mut errors)
            })
            .collect();
        if sites.is_empty() && errors.iter().all(|error| error.field != "sites") {
            errors.push(FieldError::new(
                "sites",
                "Enter at least one site where procedures take place",
            ));
        }
        let Some(name) = name.filter(|_| errors.is_empty()) else {
            return Err(ApiError::Invalid { errors }.into());
        };
        let mut transaction = self.database.write().await?;
        let id = organisations::insert(&mut transaction, name.as_str())
            .await?
            .ok_or_else(|| {
                ApiError::invalid("name", "An organisation with this name already exists")
            })?;
        for site in &sites {
            organisations::insert_site(&mut transaction, id, site.as_str()).await?;
        }
        audit::record(
            &mut transaction,
            Event::new(Action::OrganisationCreated)
                .by(principal)
                .on("organisation", id)
                .with(json!({ "name": name.as_str(), "sites": sites.iter().map(OrganisationName::as_str).collect::<Vec<_>>() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        let mut connection = self.database.read().await?;
        Ok(organisations::details(&mut connection, Some(id))
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found("The organisation"))?)
    }

    async fn add_site(
        &self,
        context: &RequestContext,
        principal: &Principal,
        organisation_id: i64,
        name: String,
    ) -> ServiceResult<OrganisationDetail> {
        let mut errors = Vec::new();
        let Some(name) =
            read_organisation_name(&name, "site_name", "Enter the site's name", &mut errors)
        else {
            return Err(ApiError::Invalid { errors }.into());
        };
        let mut transaction = self.database.write().await?;
        if !organisations::exists(&mut transaction, organisation_id).await? {
            return Err(ApiError::not_found("That organisation").into());
        }
        let site = organisations::insert_site(&mut transaction, organisation_id, name.as_str())
            .await?
            .ok_or_else(|| {
                ApiError::invalid(
                    "site_name",
                    "This organisation already has a site with this name",
                )
            })?;
        audit::record(
            &mut transaction,
            Event::new(Action::SiteAdded)
                .by(principal)
                .on("site", site)
                .with(json!({ "organisation_id": organisation_id, "name": name.as_str() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        let mut connection = self.database.read().await?;
        Ok(
            organisations::details(&mut connection, Some(organisation_id))
                .await?
                .pop()
                .ok_or_else(|| ApiError::not_found("That organisation"))?,
        )
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
