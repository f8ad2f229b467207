//! Signing in and out. Every attempt is counted before it is checked, against the account
//! (locked after `MAX_ACCOUNT_FAILURES`) and against the client's address; a success starts
//! the account's count again and gives back only its own attempt at the address, so an
//! attacker's own account cannot wipe the address's record of failures.

use app::api::ApiError;
use app::api::context::{Caller, Principal, RequestContext};
use app::api::session::SessionState;
use serde_json::json;

use super::{
    Auth, LOCK_MINUTES, MAX_ACCOUNT_FAILURES, SIGN_IN_PER_ADDRESS, SIGN_IN_UNKNOWN_ACCOUNT,
    normalise_email, tries_left_warning, wrong_credentials,
};
use crate::audit::{self, Action, Event};
use crate::auth::passwords;
use crate::auth::{tokens, totp};
use crate::db::sessions::{self, Stage};
use crate::db::users::{self, Account, Attempt};
use crate::services::error::{ServiceError, ServiceResult};

fn locked(seconds: u64) -> ServiceError {
    ApiError::RateLimited {
        retry_after_seconds: seconds,
    }
    .into()
}

const NOT_SET_UP: &str = "Your account is not set up yet: it has no authenticator app. Use the link in the latest email we sent you (your invitation, or the one saying your authenticator was reset) to set one up, or ask your manager to send the invitation again";

impl Auth {
    /// Counts an attempt at `account`'s credentials; refuses a locked account. Returns the
    /// attempt's number.
    pub(super) async fn count_account_attempt(
        &self,
        context: &RequestContext,
        account: &Account,
    ) -> ServiceResult<i64> {
        let mut transaction = self.database.write().await?;
        match users::count_attempt(&mut transaction, account.id).await? {
            Attempt::Counted(number) if number <= MAX_ACCOUNT_FAILURES => {
                transaction.commit().await?;
                Ok(number)
            }
            // Over the limit without a lock: attempts arriving together. Lock now.
            Attempt::Counted(_) => {
                users::lock(&mut transaction, account.id, LOCK_MINUTES).await?;
                audit::record(
                    &mut transaction,
                    Event::new(Action::AccountLocked)
                        .on("user", account.id)
                        .from_ip(context.client.ip.as_deref()),
                )
                .await?;
                transaction.commit().await?;
                Err(locked(LOCK_MINUTES as u64 * 60))
            }
            Attempt::Locked(seconds) => Err(locked(seconds)),
        }
    }

    /// Records a wrong password or code (already counted); locks the account on the last try.
    pub(super) async fn refuse_attempt(
        &self,
        context: &RequestContext,
        account: &Account,
        attempt: i64,
        action: Action,
    ) -> ServiceResult<Option<u64>> {
        let lock = attempt >= MAX_ACCOUNT_FAILURES;
        let mut transaction = self.database.write().await?;
        if lock {
            users::lock(&mut transaction, account.id, LOCK_MINUTES).await?;
        }
        audit::record(
            &mut transaction,
            Event::new(action)
                .on("user", account.id)
                .with(json!({ "attempt": attempt, "locked": lock }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        Ok(lock.then_some(LOCK_MINUTES as u64 * 60))
    }

    async fn count_address_attempt(&self, context: &RequestContext) -> ServiceResult<()> {
        self.limits
            .take(
                &SIGN_IN_PER_ADDRESS,
                &Self::address(context),
                None,
                context.client.ip.as_deref(),
            )
            .await
            .map(drop)
    }

    /// A password for an address without an account: the same work, counts and answers as for
    /// a real account, so that guessing cannot tell which addresses have accounts.
    async fn refuse_unknown_account(
        &self,
        context: &RequestContext,
        email: &str,
        password: String,
    ) -> ServiceResult<SessionState> {
        let usage = self
            .limits
            .take(
                &SIGN_IN_UNKNOWN_ACCOUNT,
                email,
                None,
                context.client.ip.as_deref(),
            )
            .await?;
        passwords::verify(password, passwords::DECOY_HASH.clone()).await?;
        audit::record_alone(
            &self.database,
            Event::new(Action::SignInFailedUnknownAccount)
                .with(json!({ "email": email }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        // Counted as for a real account, so that the warning does not tell them apart.
        let attempt = usage.used.ceil() as i64;
        Err(wrong_credentials(MAX_ACCOUNT_FAILURES - attempt))
    }

    pub(super) async fn sign_in(
        &self,
        context: &RequestContext,
        email: String,
        password: String,
    ) -> ServiceResult<SessionState> {
        let email = normalise_email(&email);
        let mut errors = Vec::new();
        if email.is_empty() {
            errors.push(app::api::FieldError::new(
                "email",
                "Enter your email address",
            ));
        }
        if password.is_empty() {
            errors.push(app::api::FieldError::new("password", "Enter your password"));
        }
        if !errors.is_empty() {
            return Err(ApiError::Invalid { errors }.into());
        }
        self.count_address_attempt(context).await?;
        let Some(account) = users::by_email(&mut self.database.read().await?, &email).await? else {
            return self.refuse_unknown_account(context, &email, password).await;
        };
        let attempt = self.count_account_attempt(context, &account).await?;
        let stored = account
            .password_hash
            .clone()
            .unwrap_or_else(|| passwords::DECOY_HASH.clone());
        let correct = passwords::verify(password, stored).await? && account.password_hash.is_some();
        if !correct {
            return Err(
                match self
                    .refuse_attempt(context, &account, attempt, Action::SignInFailed)
                    .await?
                {
                    Some(seconds) => locked(seconds),
                    None => wrong_credentials(MAX_ACCOUNT_FAILURES - attempt),
                },
            );
        }
        if account.disabled_at.is_some() {
            return Err(ApiError::Denied {
                message: "This account has been disabled. Contact your organisation's manager or the registry helpdesk".into(),
            }
            .into());
        }
        let stage = match (
            account.mfa_enrolled_at.is_some(),
            account.role.requires_second_factor(),
        ) {
            (true, _) => Stage::Password,
            // Staff set up their first authenticator from their invitation link: a password
            // alone (perhaps guessed or reused) must not be enough to choose it.
            (false, true) if account.first_enrolment_by_password => Stage::Enrolment,
            (false, true) => {
                return Err(ApiError::Denied {
                    message: NOT_SET_UP.into(),
                }
                .into());
            }
            (false, false) => Stage::Full,
        };
        let mut transaction = self.database.write().await?;
        self.start_session(&mut transaction, context, &account, &stage)
            .await?;
        users::clear_failures(&mut transaction, account.id).await?;
        let action = if stage == Stage::Full {
            Action::SignInSucceeded
        } else {
            Action::SignInPasswordAccepted
        };
        audit::record(
            &mut transaction,
            Event::new(action)
                .on("user", account.id)
                .with(json!({ "next": stage.as_str() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        self.limits
            .give_back(&SIGN_IN_PER_ADDRESS, &Self::address(context))
            .await?;
        Ok(Self::state(&account, &stage))
    }

    pub(super) async fn verify_second_factor(
        &self,
        context: &RequestContext,
        principal: &Principal,
        code: String,
    ) -> ServiceResult<SessionState> {
        if code.trim().is_empty() {
            return Err(ApiError::invalid(
                "code",
                "Enter the 6-digit code from your authenticator app",
            )
            .into());
        }
        self.count_address_attempt(context).await?;
        let account = self.account(principal.user_id).await?;
        let attempt = self.count_account_attempt(context, &account).await?;
        let sealed = account
            .totp_secret
            .as_deref()
            .ok_or(ApiError::Unauthenticated)?;
        let secret = self
            .secrets
            .open(
                sealed,
                crate::auth::keys::SealedFor::Authenticator {
                    user_id: account.id,
                },
            )
            .ok_or_else(|| ServiceError::internal("a second-factor secret does not decrypt"))?;
        let now = self.database.now().unix_seconds() as u64;
        let last = account.totp_last_step.map(|step| step as u64);
        let mut transaction = self.database.write().await?;
        let method = if let Some(step) = totp::verify(&secret, &code, now, last) {
            users::set_last_step(&mut transaction, account.id, step as i64).await?;
            "authenticator"
        } else if users::use_recovery_code(
            &mut transaction,
            account.id,
            &tokens::hash_token(&tokens::normalise_recovery_code(&code)),
        )
        .await?
        {
            "recovery_code"
        } else {
            drop(transaction);
            return Err(
                match self
                    .refuse_attempt(context, &account, attempt, Action::SecondFactorFailed)
                    .await?
                {
                    Some(seconds) => locked(seconds),
                    None => {
                        let message = "The code is not right. Enter the current code from your authenticator app, or a recovery code";
                        ApiError::invalid(
                            "code",
                            match tries_left_warning(MAX_ACCOUNT_FAILURES - attempt) {
                                Some(warning) => format!("{message}. {warning}"),
                                None => message.to_string(),
                            },
                        )
                        .into()
                    }
                },
            );
        };
        self.promote(context, principal, &mut transaction).await?;
        users::clear_failures(&mut transaction, account.id).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::SignInSucceeded)
                .by(principal)
                .on("user", account.id)
                .with(json!({ "second_factor": method }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        self.limits
            .give_back(&SIGN_IN_PER_ADDRESS, &Self::address(context))
            .await?;
        Ok(SessionState::SignedIn(Self::info(&account)))
    }

    pub(super) async fn sign_out(&self, context: &RequestContext) -> ServiceResult<()> {
        let principal = match &context.caller {
            Caller::SignedIn(principal) | Caller::PartlySignedIn { principal, .. } => principal,
            Caller::Anonymous => {
                context.cookie.clear();
                return Ok(());
            }
        };
        let mut transaction = self.database.write().await?;
        sessions::delete(&mut transaction, &principal.session).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::SignOut)
                .by(principal)
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        context.cookie.clear();
        Ok(())
    }

    pub(super) async fn sign_out_everywhere(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> ServiceResult<()> {
        let mut transaction = self.database.write().await?;
        let ended =
            sessions::delete_all_for_user(&mut transaction, principal.user_id, None).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::SignOutEverywhere)
                .by(principal)
                .with(json!({ "sessions_ended": ended }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        context.cookie.clear();
        Ok(())
    }
}
