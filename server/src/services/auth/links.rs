//! Passwords and single-use account links: invitations (which prove the address and open the
//! way to a first authenticator), resets, and changing a password when signed in.

use app::api::ApiError;
use app::api::auth::{AccountLink, LinkPurpose};
use app::api::context::{Principal, RequestContext};
use app::api::session::SessionState;

use super::{Auth, INVITATION_VALID, RESET_VALID, normalise_email};
use crate::audit::{self, Action, Event};
use crate::auth::passwords::{self, PasswordProblem};
use crate::auth::tokens;
use crate::db::WriteTransaction;
use crate::db::sessions::{self, Stage};
use crate::db::users::{self, LinkPurpose as StoredPurpose};
use crate::services::error::ServiceResult;
use crate::services::mail::texts;

fn password_error(field: &str, problem: PasswordProblem) -> ApiError {
    ApiError::invalid(field, problem.to_string())
}

fn expired_link() -> ApiError {
    ApiError::Conflict {
        message: "This link has expired or has already been used. Ask for a new one: use \"Forgot your password?\" on the sign-in page, or ask your manager to send your invitation again".into(),
    }
}

impl Auth {
    fn link(&self, token: &str) -> String {
        format!(
            "{}/account/set-password?token={token}",
            self.public_url.trim_end_matches('/')
        )
    }

    /// Creates a single-use link that lets `user_id` choose a password (and, for staff, set
    /// up their authenticator).
    async fn issue_link(
        &self,
        transaction: &mut WriteTransaction,
        user_id: i64,
    ) -> ServiceResult<String> {
        let token = tokens::new_token();
        users::create_link(
            transaction,
            user_id,
            &tokens::hash_token(&token),
            StoredPurpose::Invitation,
            INVITATION_VALID,
        )
        .await?;
        Ok(self.link(&token))
    }

    /// Queues an invitation for `user_id` in `transaction`; returns the link when mail stays on
    /// this machine (development), so that whoever invited can pass it on.
    pub async fn send_invitation(
        &self,
        transaction: &mut WriteTransaction,
        user_id: i64,
        email: &str,
        display_name: &str,
    ) -> ServiceResult<Option<String>> {
        let link = self.issue_link(transaction, user_id).await?;
        self.mail
            .queue(transaction, email, texts::invitation(display_name, &link))
            .await?;
        Ok(self.mail.is_local().then_some(link))
    }

    /// Queues, for staff whose authenticator a manager has reset, a single-use link to choose a
    /// password and set up a new authenticator (as an invitation does: a password alone must
    /// not be enough to choose one); returns the link when mail stays on this machine.
    pub async fn send_authenticator_reset(
        &self,
        transaction: &mut WriteTransaction,
        user_id: i64,
        email: &str,
        display_name: &str,
    ) -> ServiceResult<Option<String>> {
        let link = self.issue_link(transaction, user_id).await?;
        self.mail
            .queue(
                transaction,
                email,
                texts::authenticator_reset(display_name, &link),
            )
            .await?;
        Ok(self.mail.is_local().then_some(link))
    }

    /// Queues, for someone who asked for a patient account, the link that confirms their
    /// address and lets them choose a password. The link is never shown to whoever filled the
    /// form.
    pub async fn send_registration_link(
        &self,
        transaction: &mut WriteTransaction,
        user_id: i64,
        email: &str,
        display_name: &str,
    ) -> ServiceResult<()> {
        let link = self.issue_link(transaction, user_id).await?;
        self.mail
            .queue(transaction, email, texts::registration(display_name, &link))
            .await
    }

    pub(super) async fn change_password(
        &self,
        context: &RequestContext,
        principal: &Principal,
        current: String,
        new: String,
    ) -> ServiceResult<()> {
        let account = self.account(principal.user_id).await?;
        let attempt = self.count_account_attempt(context, &account).await?;
        let stored = account
            .password_hash
            .clone()
            .ok_or(ApiError::Unauthenticated)?;
        if !passwords::verify(current, stored).await? {
            return Err(match self
                .refuse_attempt(context, &account, attempt, Action::PasswordChangeFailed)
                .await?
            {
                Some(seconds) => ApiError::RateLimited {
                    retry_after_seconds: seconds,
                },
                None => ApiError::invalid("current_password", "Your current password is not right"),
            }
            .into());
        }
        passwords::check_policy(&new, &account.email, &account.display_name)
            .map_err(|problem| password_error("new_password", problem))?;
        let hash = passwords::hash(new).await?;
        let mut transaction = self.database.write().await?;
        users::set_password(&mut transaction, account.id, &hash).await?;
        // Other sessions may be someone else's: end them; this one stays.
        sessions::delete_all_for_user(&mut transaction, account.id, Some(&principal.session))
            .await?;
        audit::record(
            &mut transaction,
            Event::new(Action::PasswordChanged)
                .by(principal)
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    pub(super) async fn request_password_reset(
        &self,
        context: &RequestContext,
        email: String,
    ) -> ServiceResult<()> {
        let email = normalise_email(&email);
        if email.is_empty() || !email.contains('@') {
            return Err(ApiError::invalid(
                "email",
                "Enter your email address, like name@example.org",
            )
            .into());
        }
        self.note_mail_request(context).await?;
        let Some(account) = users::by_email(&mut self.database.read().await?, &email).await? else {
            return Ok(());
        };
        if account.disabled_at.is_some() {
            return Ok(());
        }
        let token = tokens::new_token();
        let mut transaction = self.database.write().await?;
        users::create_link(
            &mut transaction,
            account.id,
            &tokens::hash_token(&token),
            StoredPurpose::PasswordReset,
            RESET_VALID,
        )
        .await?;
        audit::record(
            &mut transaction,
            Event::new(Action::PasswordResetRequested)
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        self.mail
            .queue(
                &mut transaction,
                &account.email,
                texts::password_reset(&account.display_name, &self.link(&token)),
            )
            .await?;
        transaction.commit().await?;
        self.mail.wake();
        Ok(())
    }

    pub(super) async fn account_link(
        &self,
        _context: &RequestContext,
        token: String,
    ) -> ServiceResult<AccountLink> {
        let (user_id, purpose) = users::open_link(
            &mut self.database.read().await?,
            &tokens::hash_token(&token),
        )
        .await?
        .ok_or_else(expired_link)?;
        let account = self.account(user_id).await?;
        Ok(AccountLink {
            purpose: match purpose {
                StoredPurpose::Invitation => LinkPurpose::Invitation,
                StoredPurpose::PasswordReset => LinkPurpose::PasswordReset,
            },
            email: account.email,
        })
    }

    pub(super) async fn set_password_from_link(
        &self,
        context: &RequestContext,
        token: String,
        new_password: String,
    ) -> ServiceResult<SessionState> {
        let hash_of_token = tokens::hash_token(&token);
        let (user_id, purpose) = users::open_link(&mut self.database.read().await?, &hash_of_token)
            .await?
            .ok_or_else(expired_link)?;
        let account = self.account(user_id).await?;
        passwords::check_policy(&new_password, &account.email, &account.display_name)
            .map_err(|problem| password_error("new_password", problem))?;
        let hash = passwords::hash(new_password).await?;
        let mut transaction = self.database.write().await?;
        if !users::consume_link(&mut transaction, &hash_of_token).await? {
            return Err(expired_link().into());
        }
        users::set_password(&mut transaction, account.id, &hash).await?;
        sessions::delete_all_for_user(&mut transaction, account.id, None).await?;
        // An invitation proves the address: the person goes straight on, staff to setting up
        // their authenticator (the only way to a first one), patients signed in. After a reset
        // they sign in again, second factor and all.
        let next = match purpose {
            StoredPurpose::Invitation if account.mfa_enrolled_at.is_none() => {
                Some(if account.role.requires_second_factor() {
                    Stage::Enrolment
                } else {
                    Stage::Full
                })
            }
            _ => None,
        };
        if let Some(stage) = &next {
            self.start_session(&mut transaction, context, &account, stage)
                .await?;
        }
        let action = match purpose {
            StoredPurpose::Invitation => Action::PasswordSetFromInvitation,
            StoredPurpose::PasswordReset => Action::PasswordResetCompleted,
        };
        audit::record(
            &mut transaction,
            Event::new(action)
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        Ok(match next {
            Some(stage) => Self::state(&account, &stage),
            None => SessionState::SignedOut,
        })
    }
}
