//! Organisations and accounts, scoped: a clinic manager manages their own organisation's
//! clinic accounts; a registry administrator manages everything.

use std::sync::Arc;

use app::api::ApiError;
use app::api::accounts::{
    AccountService, Invitation, InvitationSent, OrganisationDetail, PAGE_SIZE, Page, UserQuery,
    UserSummary,
};
use app::api::context::{Principal, RequestContext};
use app::api::session::Role;
use serde_json::json;

use super::auth::Auth;
use super::internal_error;
use crate::audit::{self, Event};
use crate::db::users::{self, Account, NewUser};
use crate::db::{Database, organisations, sessions};

pub struct Accounts {
    database: Database,
    auth: Arc<Auth>,
}

const MAX_NAME: usize = 120;

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
    async fn managed_account(
        &self,
        principal: &Principal,
        user_id: i64,
    ) -> Result<Account, ApiError> {
        let account = users::by_id(self.database.pool(), user_id)
            .await
            .map_err(internal_error)?
            .ok_or_else(|| ApiError::not_found("That account"))?;
        match Self::scope(principal)? {
            None => Ok(account),
            Some(organisation)
                if account.organisation_id == Some(organisation)
                    && account.role().belongs_to_organisation() =>
            {
                Ok(account)
            }
            // Outside the manager's organisation: as if it did not exist.
            Some(_) => Err(ApiError::not_found("That account")),
        }
    }
}

fn check_invitation(
    invitation: &Invitation,
    principal: &Principal,
) -> Result<(String, String, Option<i64>), ApiError> {
    let mut errors = Vec::new();
    let (email, name) = read_email_and_name(
        &invitation.email,
        &invitation.display_name,
        "Enter the person's full name",
        &mut errors,
    );
    let organisation = match (principal.role, invitation.role) {
        (_, Role::Patient) => {
            errors.push(app::api::FieldError::new(
                "role",
                "Patients create their own accounts: choose a staff role",
            ));
            None
        }
        (Role::ClinicManager, Role::RegistryAdmin) => return Err(ApiError::Forbidden),
        (Role::ClinicManager, _) => principal.organisation_id,
        (_, Role::RegistryAdmin) => None,
        (_, _) => {
            if invitation.organisation_id.is_none() {
                errors.push(app::api::FieldError::new(
                    "organisation_id",
                    "Choose the organisation this person works for",
                ));
            }
            invitation.organisation_id
        }
    };
    if errors.is_empty() {
        Ok((email, name, organisation))
    } else {
        Err(ApiError::Invalid { errors })
    }
}

/// An email address and a name from a form, trimmed (the address lower-cased); problems go to
/// `errors` against `email` and `display_name`.
pub fn read_email_and_name(
    email: &str,
    name: &str,
    name_missing: &str,
    errors: &mut Vec<app::api::FieldError>,
) -> (String, String) {
    let email = email.trim().to_lowercase();
    let name = name.trim().to_string();
    let valid_email = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if !valid_email {
        errors.push(app::api::FieldError::new(
            "email",
            "Enter an email address in the correct format, like name@example.org",
        ));
    }
    if name.is_empty() || name.chars().count() > MAX_NAME {
        errors.push(app::api::FieldError::new(
            "display_name",
            format!("{name_missing} (up to {MAX_NAME} characters)"),
        ));
    }
    (email, name)
}

#[async_trait::async_trait]
impl AccountService for Accounts {
    async fn list_users(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        query: UserQuery,
    ) -> Result<Page<UserSummary>, ApiError> {
        let organisation = Self::scope(principal)?.or(query.organisation_id);
        let mut connection = self.database.connection().await.map_err(internal_error)?;
        let (accounts, total) = users::search(&mut connection, &query, organisation, PAGE_SIZE)
            .await
            .map_err(internal_error)?;
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
    ) -> Result<InvitationSent, ApiError> {
        let (email, name, organisation) = check_invitation(&invitation, principal)?;
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        if let Some(organisation) = organisation
            && !organisations::exists(&mut *transaction, organisation)
                .await
                .map_err(internal_error)?
        {
            return Err(ApiError::invalid(
                "organisation_id",
                "Choose an organisation from the list",
            ));
        }
        let user_id = users::insert(
            &mut transaction,
            NewUser {
                email: &email,
                display_name: &name,
                role: invitation.role,
                organisation_id: organisation,
                password_hash: None,
            },
        )
        .await
        .map_err(internal_error)?
        .ok_or_else(|| {
            ApiError::invalid("email", "An account with this email address already exists")
        })?;
        let link = self
            .auth
            .send_invitation(&mut transaction, user_id, &email, &name)
            .await?;
        audit::record(
            &mut transaction,
            Event::new("account.invited")
                .by(principal)
                .on("user", user_id)
                .with(json!({ "role": invitation.role.as_str(), "organisation_id": organisation }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        Ok(InvitationSent { user_id, link })
    }

    async fn set_disabled(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
        disabled: bool,
    ) -> Result<UserSummary, ApiError> {
        if user_id == principal.user_id {
            return Err(ApiError::Denied {
                message: "You cannot disable your own account".into(),
            });
        }
        let account = self.managed_account(principal, user_id).await?;
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        users::set_disabled(&mut *transaction, account.id, disabled)
            .await
            .map_err(internal_error)?;
        let ended = if disabled {
            sessions::delete_all_for_user(&mut *transaction, account.id, None)
                .await
                .map_err(internal_error)?
        } else {
            0
        };
        let action = if disabled {
            "account.disabled"
        } else {
            "account.enabled"
        };
        audit::record(
            &mut transaction,
            Event::new(action)
                .by(principal)
                .on("user", account.id)
                .with(json!({ "sessions_ended": ended }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        let updated = users::by_id(self.database.pool(), account.id)
            .await
            .map_err(internal_error)?
            .ok_or_else(|| ApiError::not_found("That account"))?;
        Ok(updated.summary())
    }

    async fn resend_invitation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> Result<InvitationSent, ApiError> {
        let account = self.managed_account(principal, user_id).await?;
        if account.password_hash.is_some() {
            return Err(ApiError::Conflict {
                message: "This person has already set a password. If they have forgotten it, they can reset it from the sign-in page".into(),
            });
        }
        let mut transaction = self.database.write().await.map_err(internal_error)?;
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
            Event::new("account.reinvited")
                .by(principal)
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        Ok(InvitationSent {
            user_id: account.id,
            link,
        })
    }

    async fn list_organisations(
        &self,
        _context: &RequestContext,
        principal: &Principal,
    ) -> Result<Vec<OrganisationDetail>, ApiError> {
        let mut connection = self.database.connection().await.map_err(internal_error)?;
        organisations::details(&mut connection, Self::scope(principal)?)
            .await
            .map_err(internal_error)
    }

    async fn create_organisation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        name: String,
        sites: Vec<String>,
    ) -> Result<OrganisationDetail, ApiError> {
        let name = name.trim().to_string();
        let sites: Vec<String> = sites
            .iter()
            .map(|site| site.trim().to_string())
            .filter(|site| !site.is_empty())
            .collect();
        let mut errors = Vec::new();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            errors.push(app::api::FieldError::new(
                "name",
                format!("Enter the organisation's name (up to {MAX_NAME} characters)"),
            ));
        }
        if sites.is_empty() {
            errors.push(app::api::FieldError::new(
                "sites",
                "Enter at least one site where procedures take place",
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::Invalid { errors });
        }
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        let id = organisations::insert(&mut transaction, &name)
            .await
            .map_err(internal_error)?
            .ok_or_else(|| {
                ApiError::invalid("name", "An organisation with this name already exists")
            })?;
        for site in &sites {
            organisations::insert_site(&mut transaction, id, site)
                .await
                .map_err(internal_error)?;
        }
        audit::record(
            &mut transaction,
            Event::new("organisation.created")
                .by(principal)
                .on("organisation", id)
                .with(json!({ "name": name, "sites": sites }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        let mut connection = self.database.connection().await.map_err(internal_error)?;
        organisations::details(&mut connection, Some(id))
            .await
            .map_err(internal_error)?
            .pop()
            .ok_or_else(|| ApiError::not_found("The organisation"))
    }

    async fn add_site(
        &self,
        context: &RequestContext,
        principal: &Principal,
        organisation_id: i64,
        name: String,
    ) -> Result<OrganisationDetail, ApiError> {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(ApiError::invalid(
                "site_name",
                format!("Enter the site's name (up to {MAX_NAME} characters)"),
            ));
        }
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        if !organisations::exists(&mut *transaction, organisation_id)
            .await
            .map_err(internal_error)?
        {
            return Err(ApiError::not_found("That organisation"));
        }
        let site = organisations::insert_site(&mut transaction, organisation_id, &name)
            .await
            .map_err(internal_error)?
            .ok_or_else(|| {
                ApiError::invalid(
                    "site_name",
                    "This organisation already has a site with this name",
                )
            })?;
        audit::record(
            &mut transaction,
            Event::new("site.added")
                .by(principal)
                .on("site", site)
                .with(json!({ "organisation_id": organisation_id, "name": name }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        let mut connection = self.database.connection().await.map_err(internal_error)?;
        organisations::details(&mut connection, Some(organisation_id))
            .await
            .map_err(internal_error)?
            .pop()
            .ok_or_else(|| ApiError::not_found("That organisation"))
    }
}
