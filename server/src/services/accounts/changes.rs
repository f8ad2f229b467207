//! A manager's changes to someone else's account: reset their authenticator (they set up a new
//! one from an emailed link), unlock it, change their name, role and organisation; and the
//! clinic contact printed on implant cards. Each checks the caller's scope first (their own
//! organisation's clinic accounts for a clinic manager) and is audited.

use app::api::ApiError;
use app::api::FieldError;
use app::api::accounts::{AccountChange, AccountDetail, InvitationSent, OrganisationDetail};
use app::api::context::{Principal, RequestContext};
use app::api::session::Role;
use domain::names::PersonName;
use serde_json::json;

use super::forms::{check_organisation_exists, organisation_for, read_person_name};
use super::{Accounts, account_event, not_own_account};
use crate::audit::{self, Action, Event};
use crate::db::account_changes::{self, Profile};
use crate::db::users::{self, Account};
use crate::db::{organisations, sessions};
use crate::services::error::ServiceResult;

/// The longest contact text printed on a card.
pub const MAX_CONTACT: usize = 300;

impl Accounts {
    pub(super) fn detail_of(&self, account: &Account) -> AccountDetail {
        AccountDetail {
            summary: account.summary(),
            organisation_id: account.organisation_id,
            locked_for_minutes: account
                .locked(self.database.now())
                .map(|seconds| seconds.div_ceil(60)),
        }
    }

    async fn reread(&self, id: i64) -> ServiceResult<Account> {
        Ok(users::by_id(&mut self.database.read().await?, id)
            .await?
            .ok_or_else(|| ApiError::not_found("That account"))?)
    }

    pub(super) async fn detail(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> ServiceResult<AccountDetail> {
        let account = self.managed_account(principal, user_id).await?;
        Ok(self.detail_of(&account))
    }

    pub(super) async fn reset_authenticator(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> ServiceResult<InvitationSent> {
        not_own_account(
            principal,
            user_id,
            "To replace your own authenticator app, use \"Replace it with a new one\" on your account page",
        )?;
        let account = self.managed_account(principal, user_id).await?;
        if !account.role.requires_second_factor() {
            return Err(ApiError::Conflict {
                message: "Patients manage their own sign-in: they can reset their password from the sign-in page".into(),
            }
            .into());
        }
        if account.disabled_at.is_some() {
            return Err(ApiError::Conflict {
                message: "This account is disabled: enable it first".into(),
            }
            .into());
        }
        let mut transaction = self.database.write().await?;
        account_changes::reset_second_factor(&mut transaction, account.id).await?;
        let ended = sessions::delete_all_for_user(&mut transaction, account.id, None).await?;
        let link = self
            .auth
            .send_authenticator_reset(
                &mut transaction,
                account.id,
                &account.email,
                &account.display_name,
            )
            .await?;
        audit::record(
            &mut transaction,
            account_event(
                Action::AccountAuthenticatorReset,
                principal,
                context,
                account.id,
            )
            .with(json!({ "sessions_ended": ended })),
        )
        .await?;
        transaction.commit().await?;
        self.auth.mail().wake();
        Ok(InvitationSent {
            user_id: account.id,
            link,
        })
    }

    pub(super) async fn unlock(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user_id: i64,
    ) -> ServiceResult<AccountDetail> {
        let account = self.managed_account(principal, user_id).await?;
        let mut transaction = self.database.write().await?;
        users::clear_failures(&mut transaction, account.id).await?;
        audit::record(
            &mut transaction,
            account_event(Action::AccountUnlocked, principal, context, account.id)
                .with(json!({ "was_locked": account.locked(self.database.now()).is_some() })),
        )
        .await?;
        transaction.commit().await?;
        Ok(self.detail_of(&self.reread(account.id).await?))
    }

    pub(super) async fn update(
        &self,
        context: &RequestContext,
        principal: &Principal,
        change: AccountChange,
    ) -> ServiceResult<AccountDetail> {
        let account = self.managed_account(principal, change.user_id).await?;
        let (name, organisation) = check_change(&change, &account, principal)?;
        let mut transaction = self.database.write().await?;
        check_organisation_exists(&mut transaction, organisation).await?;
        account_changes::update_profile(
            &mut transaction,
            account.id,
            Profile {
                display_name: name.as_str(),
                role: change.role,
                organisation_id: organisation,
            },
        )
        .await?;
        audit::record(&mut transaction, account_event(Action::AccountChanged, principal, context, account.id).with(json!({
                    "before": { "name": account.display_name, "role": account.role.as_str(), "organisation_id": account.organisation_id },
                    "after": { "name": name.as_str(), "role": change.role.as_str(), "organisation_id": organisation },
                }))).await?;
        transaction.commit().await?;
        Ok(self.detail_of(&self.reread(account.id).await?))
    }

    pub(super) async fn set_contact(
        &self,
        context: &RequestContext,
        principal: &Principal,
        organisation_id: i64,
        contact: String,
    ) -> ServiceResult<OrganisationDetail> {
        if let Some(own) = Self::scope(principal)?
            && own != organisation_id
        {
            return Err(ApiError::not_found("That organisation").into());
        }
        let contact = read_contact(&contact)?;
        let mut transaction = self.database.write().await?;
        if !organisations::set_contact(&mut transaction, organisation_id, contact.as_deref())
            .await?
        {
            return Err(ApiError::not_found("That organisation").into());
        }
        audit::record(
            &mut transaction,
            Event::new(Action::OrganisationContactSet)
                .by(principal)
                .on("organisation", organisation_id)
                .with(json!({ "contact": contact }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        self.organisation_detail(organisation_id, "That organisation")
            .await
    }
}

/// The contact text as printed: trimmed, lines kept, no control characters, bounded.
fn read_contact(text: &str) -> Result<Option<String>, ApiError> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let contact = lines.join("\n");
    if contact.chars().count() > MAX_CONTACT {
        return Err(ApiError::invalid(
            "contact",
            format!("Contact details must be {MAX_CONTACT} characters or fewer"),
        ));
    }
    if contact.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::invalid(
            "contact",
            "Contact details can only contain letters, numbers, spaces and punctuation",
        ));
    }
    Ok((!contact.is_empty()).then_some(contact))
}

/// The account's new name and organisation, if the caller may make this change.
fn check_change(
    change: &AccountChange,
    account: &Account,
    principal: &Principal,
) -> ServiceResult<(PersonName, Option<i64>)> {
    let mut errors = Vec::new();
    let name = read_person_name(
        &change.display_name,
        "Enter the person's full name",
        &mut errors,
    );
    if account.role == Role::Patient || change.role == Role::Patient {
        if change.role != account.role {
            errors.push(FieldError::new(
                "role",
                "A patient's account cannot become a staff account, nor the other way round",
            ));
        }
    } else if change.role != account.role && account.id == principal.user_id {
        errors.push(FieldError::new(
            "role",
            "You cannot change your own role: ask another administrator",
        ));
    }
    let organisation =
        organisation_for(principal, change.role, change.organisation_id, &mut errors)?;
    match name {
        Some(name) if errors.is_empty() => Ok((name, organisation)),
        _ => Err(ApiError::Invalid { errors }.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_tidied_and_bounded() {
        assert_eq!(
            read_contact("  0113 496 0000 \n\n  1 Clinic Road, Leeds  ").unwrap(),
            Some("0113 496 0000\n1 Clinic Road, Leeds".to_string())
        );
        assert_eq!(read_contact("   ").unwrap(), None);
        assert!(read_contact(&"x".repeat(MAX_CONTACT + 1)).is_err());
        assert!(read_contact("call\u{7}me").is_err());
    }
}
