//! Signing in (password, then second factor), sessions, passwords and account links.

use std::sync::Arc;
use std::time::Duration;

use app::api::ApiError;
use app::api::auth::{AccountLink, AuthService, EnrolmentDetails, LinkPurpose};
use app::api::context::{Caller, PendingStep, Principal, RequestContext};
use app::api::session::{OrganisationSummary, Role, SessionInfo, SessionState};
use serde_json::json;

use super::internal_error;
use crate::audit::{self, Event};
use crate::auth::keys::SecretBox;
use crate::auth::passwords::{self, PasswordProblem};
use crate::auth::rate_limit::AttemptLimiter;
use crate::auth::{tokens, totp};
use crate::clock;
use crate::db::Database;
use crate::db::sessions::{self, Stage};
use crate::db::users::{self, Account, LinkPurpose as StoredPurpose};
use crate::mailer::Mailer;

/// Consecutive failures (password or second factor) before an account is locked.
pub const MAX_ACCOUNT_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// Failed sign-ins from one client address in `CLIENT_WINDOW` before it must wait.
pub const MAX_CLIENT_FAILURES: usize = 20;
pub const CLIENT_WINDOW: Duration = Duration::from_secs(15 * 60);
pub const INVITATION_VALID: time::Duration = time::Duration::days(7);
pub const RESET_VALID: time::Duration = time::Duration::minutes(30);
pub const RECOVERY_CODE_COUNT: usize = 10;
const ISSUER: &str = "Implant Registry";

#[derive(Debug, Clone)]
pub struct SessionPolicy {
    pub idle: time::Duration,
    pub absolute: time::Duration,
}

pub struct Auth {
    database: Database,
    secrets: SecretBox,
    policy: SessionPolicy,
    mailer: Arc<dyn Mailer>,
    public_url: String,
    clients: AttemptLimiter,
    unknown_accounts: AttemptLimiter,
}

const WRONG_CREDENTIALS: &str = "Enter a correct email address and password";

fn wrong_credentials() -> ApiError {
    ApiError::Invalid {
        errors: vec![app::api::FieldError::new("email", WRONG_CREDENTIALS)],
    }
}

fn password_error(field: &str, problem: PasswordProblem) -> ApiError {
    ApiError::invalid(field, problem.to_string())
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Auth {
    pub fn new(
        database: Database,
        secrets: SecretBox,
        policy: SessionPolicy,
        mailer: Arc<dyn Mailer>,
        public_url: String,
    ) -> Self {
        Self {
            database,
            secrets,
            policy,
            mailer,
            public_url,
            clients: AttemptLimiter::new(MAX_CLIENT_FAILURES, CLIENT_WINDOW),
            unknown_accounts: AttemptLimiter::new(
                MAX_ACCOUNT_FAILURES as usize,
                Duration::from_secs(LOCK_MINUTES as u64 * 60),
            ),
        }
    }

    pub fn mailer(&self) -> &dyn Mailer {
        self.mailer.as_ref()
    }

    /// Who a session token belongs to, for building each request's context.
    pub async fn caller_for(&self, token: Option<&str>) -> Caller {
        let Some(token) = token else {
            return Caller::Anonymous;
        };
        let hash = tokens::hash_token(token);
        let live = match sessions::find_live(self.database.pool(), &hash, self.policy.idle).await {
            Ok(Some(live)) => live,
            Ok(None) => return Caller::Anonymous,
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return Caller::Anonymous;
            }
        };
        // Idle time is counted from the last request; record it at most once a minute.
        let stale = clock::parse(&live.last_seen_at)
            .is_none_or(|seen| clock::now() - seen > time::Duration::minutes(1));
        if stale && let Err(error) = sessions::touch(self.database.pool(), &hash).await {
            tracing::warn!(%error, "could not record session activity");
        }
        let principal = Principal {
            user_id: live.user_id,
            role: Role::parse(&live.role).unwrap_or(Role::Patient),
            organisation_id: live.organisation_id,
            session: hash,
        };
        match live.stage {
            Stage::Full => Caller::SignedIn(principal),
            Stage::Password => Caller::PartlySignedIn {
                principal,
                step: PendingStep::SecondFactor,
            },
            Stage::Enrolment => Caller::PartlySignedIn {
                principal,
                step: PendingStep::Enrolment,
            },
        }
    }

    fn client_key(context: &RequestContext) -> String {
        context
            .client
            .ip
            .clone()
            .unwrap_or_else(|| "unknown".into())
    }

    async fn account(&self, id: i64) -> Result<Account, ApiError> {
        users::by_id(self.database.pool(), id)
            .await
            .map_err(internal_error)?
            .ok_or(ApiError::Unauthenticated)
    }

    fn info(account: &Account) -> SessionInfo {
        SessionInfo {
            user_id: account.id,
            email: account.email.clone(),
            display_name: account.display_name.clone(),
            role: account.role(),
            organisation: account.organisation_id.map(|id| OrganisationSummary {
                id,
                name: account.organisation_name.clone().unwrap_or_default(),
            }),
            second_factor_enrolled: account.mfa_enrolled_at.is_some(),
        }
    }

    fn state(account: &Account, stage: &Stage) -> SessionState {
        match stage {
            Stage::Full => SessionState::SignedIn(Self::info(account)),
            Stage::Password => SessionState::SecondFactorRequired {
                display_name: account.display_name.clone(),
            },
            Stage::Enrolment => SessionState::EnrolmentRequired {
                display_name: account.display_name.clone(),
            },
        }
    }

    /// Counts a failure against the account (locking it at the limit) and the client.
    async fn record_failure(
        &self,
        context: &RequestContext,
        account: &Account,
        action: &str,
    ) -> Result<ApiError, ApiError> {
        self.clients.record(&Self::client_key(context));
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        let locked = users::record_failure(
            &mut transaction,
            account.id,
            MAX_ACCOUNT_FAILURES,
            LOCK_MINUTES,
        )
        .await
        .map_err(internal_error)?;
        audit::record(
            &mut transaction,
            Event::new(action)
                .on("user", account.id)
                .with(json!({ "locked": locked.is_some() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        Ok(match locked {
            Some(seconds) => ApiError::RateLimited {
                retry_after_seconds: seconds,
            },
            None => wrong_credentials(),
        })
    }

    fn check_client(&self, context: &RequestContext) -> Result<(), ApiError> {
        self.clients
            .check(&Self::client_key(context))
            .map_err(|seconds| ApiError::RateLimited {
                retry_after_seconds: seconds,
            })
    }

    /// Starts a session at `stage` under a new token, replacing any session this browser had.
    async fn start_session(
        &self,
        context: &RequestContext,
        account: &Account,
        stage: Stage,
    ) -> Result<(), ApiError> {
        let token = tokens::new_token();
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        if let Caller::SignedIn(old) | Caller::PartlySignedIn { principal: old, .. } =
            &context.caller
        {
            sessions::delete(&mut *transaction, &old.session)
                .await
                .map_err(internal_error)?;
        }
        sessions::create(
            &mut *transaction,
            &tokens::hash_token(&token),
            account.id,
            stage.clone(),
            self.policy.absolute,
        )
        .await
        .map_err(internal_error)?;
        users::clear_failures(&mut *transaction, account.id)
            .await
            .map_err(internal_error)?;
        let action = if stage == Stage::Full {
            "sign_in.succeeded"
        } else {
            "sign_in.password_accepted"
        };
        audit::record(
            &mut transaction,
            Event::new(action)
                .on("user", account.id)
                .with(json!({ "next": stage.as_str() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        self.clients.clear(&Self::client_key(context));
        context.cookie.set(token);
        Ok(())
    }

    /// Completes a partial session under a new token.
    async fn promote(
        &self,
        context: &RequestContext,
        principal: &Principal,
        transaction: &mut sqlx::SqliteConnection,
    ) -> Result<(), ApiError> {
        let token = tokens::new_token();
        sessions::promote(
            &mut *transaction,
            &principal.session,
            &tokens::hash_token(&token),
            Stage::Full,
        )
        .await
        .map_err(internal_error)?;
        context.cookie.set(token);
        Ok(())
    }

    fn link(&self, token: &str) -> String {
        format!(
            "{}/account/set-password?token={token}",
            self.public_url.trim_end_matches('/')
        )
    }

    /// Creates a single-use link that lets `user_id` choose a password.
    async fn issue_link(
        &self,
        connection: &mut sqlx::SqliteConnection,
        user_id: i64,
    ) -> Result<String, ApiError> {
        let token = tokens::new_token();
        users::create_link(
            connection,
            user_id,
            &tokens::hash_token(&token),
            StoredPurpose::Invitation,
            INVITATION_VALID,
        )
        .await
        .map_err(internal_error)?;
        Ok(self.link(&token))
    }

    /// Creates an invitation link for `user_id` and sends it; returns the link when mail
    /// stays on this machine (development).
    pub async fn send_invitation(
        &self,
        connection: &mut sqlx::SqliteConnection,
        user_id: i64,
        email: &str,
        display_name: &str,
    ) -> Result<Option<String>, ApiError> {
        let link = self.issue_link(connection, user_id).await?;
        let body = format!(
            "Dear {display_name},\n\nYou have been invited to the Implant Registry. Choose your password here (the link works once, for 7 days):\n\n{link}\n\nIf you did not expect this, you can ignore this email."
        );
        self.mailer
            .send(email, "Your Implant Registry account", &body)
            .await
            .map_err(internal_error)?;
        Ok(self.mailer.is_local().then_some(link))
    }

    /// Sends a person who asked for a patient account the link that confirms their address
    /// and lets them choose a password. The link is never shown to whoever filled the form.
    pub async fn send_registration_link(
        &self,
        connection: &mut sqlx::SqliteConnection,
        user_id: i64,
        email: &str,
        display_name: &str,
    ) -> Result<(), ApiError> {
        let link = self.issue_link(connection, user_id).await?;
        let body = format!(
            "Dear {display_name},\n\nTo finish creating your Implant Registry account, choose your password here (the link works once, for 7 days):\n\n{link}\n\nThen sign in and add your record with the claim code from your implant card.\n\nIf you did not ask for an account, ignore this email: no account will be made."
        );
        self.mailer
            .send(
                email,
                "Finish creating your Implant Registry account",
                &body,
            )
            .await
            .map_err(internal_error)
    }

    /// Counts a request that sends email against the client's address, refusing it once the
    /// client has sent too many (so the form cannot be used to flood someone's inbox).
    pub fn note_mail_request(&self, context: &RequestContext) -> Result<(), ApiError> {
        self.check_client(context)?;
        self.clients.record(&Self::client_key(context));
        Ok(())
    }
}

#[async_trait::async_trait]
impl AuthService for Auth {
    async fn session_state(&self, context: &RequestContext) -> Result<SessionState, ApiError> {
        let (principal, stage) = match &context.caller {
            Caller::Anonymous => return Ok(SessionState::SignedOut),
            Caller::SignedIn(principal) => (principal, Stage::Full),
            Caller::PartlySignedIn {
                principal,
                step: PendingStep::SecondFactor,
            } => (principal, Stage::Password),
            Caller::PartlySignedIn {
                principal,
                step: PendingStep::Enrolment,
            } => (principal, Stage::Enrolment),
        };
        let account = self.account(principal.user_id).await?;
        Ok(Self::state(&account, &stage))
    }

    async fn sign_in(
        &self,
        context: &RequestContext,
        email: String,
        password: String,
    ) -> Result<SessionState, ApiError> {
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
            return Err(ApiError::Invalid { errors });
        }
        self.check_client(context)?;
        let account = users::by_email(self.database.pool(), &email)
            .await
            .map_err(internal_error)?;
        let Some(account) = account else {
            // Same work and same answers as for a real account, so that guessing cannot tell
            // which addresses have accounts.
            let _ = passwords::verify(password, passwords::DECOY_HASH.clone()).await;
            self.clients.record(&Self::client_key(context));
            if let Err(seconds) = self.unknown_accounts.check(&email) {
                return Err(ApiError::RateLimited {
                    retry_after_seconds: seconds,
                });
            }
            self.unknown_accounts.record(&email);
            return Err(wrong_credentials());
        };
        if let Some(seconds) = account.locked() {
            return Err(ApiError::RateLimited {
                retry_after_seconds: seconds,
            });
        }
        let stored = account
            .password_hash
            .clone()
            .unwrap_or_else(|| passwords::DECOY_HASH.clone());
        let correct = passwords::verify(password, stored).await && account.password_hash.is_some();
        if !correct {
            return Err(self
                .record_failure(context, &account, "sign_in.failed")
                .await?);
        }
        if account.disabled_at.is_some() {
            return Err(ApiError::Denied {
                message: "This account has been disabled. Contact your organisation's manager or the registry helpdesk".into(),
            });
        }
        let role = account.role();
        let stage = match (
            account.mfa_enrolled_at.is_some(),
            role.requires_second_factor(),
        ) {
            (true, _) => Stage::Password,
            (false, true) => Stage::Enrolment,
            (false, false) => Stage::Full,
        };
        self.start_session(context, &account, stage.clone()).await?;
        Ok(Self::state(&account, &stage))
    }

    async fn verify_second_factor(
        &self,
        context: &RequestContext,
        principal: &Principal,
        code: String,
    ) -> Result<SessionState, ApiError> {
        if code.trim().is_empty() {
            return Err(ApiError::invalid(
                "code",
                "Enter the 6-digit code from your authenticator app",
            ));
        }
        self.check_client(context)?;
        let account = self.account(principal.user_id).await?;
        if let Some(seconds) = account.locked() {
            return Err(ApiError::RateLimited {
                retry_after_seconds: seconds,
            });
        }
        let sealed = account
            .totp_secret
            .as_deref()
            .ok_or(ApiError::Unauthenticated)?;
        let secret = self
            .secrets
            .open(sealed)
            .ok_or_else(|| internal_error("a second-factor secret does not decrypt"))?;
        let now = clock::now().unix_timestamp() as u64;
        let last = account.totp_last_step.map(|step| step as u64);
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        let method = if let Some(step) = totp::verify(&secret, &code, now, last) {
            users::set_last_step(&mut *transaction, account.id, step as i64)
                .await
                .map_err(internal_error)?;
            "authenticator"
        } else if users::use_recovery_code(
            &mut *transaction,
            account.id,
            &tokens::hash_token(&tokens::normalise_recovery_code(&code)),
        )
        .await
        .map_err(internal_error)?
        {
            "recovery_code"
        } else {
            drop(transaction);
            let error = self
                .record_failure(context, &account, "second_factor.failed")
                .await?;
            return Err(match error {
                ApiError::RateLimited { .. } => error,
                _ => ApiError::invalid(
                    "code",
                    "The code is not right. Enter the current code from your authenticator app, or a recovery code",
                ),
            });
        };
        self.promote(context, principal, &mut transaction).await?;
        users::clear_failures(&mut *transaction, account.id)
            .await
            .map_err(internal_error)?;
        audit::record(
            &mut transaction,
            Event::new("sign_in.succeeded")
                .by(principal)
                .on("user", account.id)
                .with(json!({ "second_factor": method }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        self.clients.clear(&Self::client_key(context));
        Ok(SessionState::SignedIn(Self::info(&account)))
    }

    async fn start_enrolment(
        &self,
        _context: &RequestContext,
        principal: &Principal,
    ) -> Result<EnrolmentDetails, ApiError> {
        let account = self.account(principal.user_id).await?;
        let secret = totp::new_secret();
        users::set_pending_secret(
            self.database.pool(),
            account.id,
            &self.secrets.seal(&secret),
        )
        .await
        .map_err(internal_error)?;
        let uri = totp::otpauth_uri(ISSUER, &account.email, &secret);
        let qr_svg = qrcode::QrCode::new(uri.as_bytes())
            .map_err(internal_error)?
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .build();
        Ok(EnrolmentDetails {
            secret: totp::base32(&secret),
            otpauth_uri: uri,
            qr_svg,
        })
    }

    async fn confirm_enrolment(
        &self,
        context: &RequestContext,
        principal: &Principal,
        code: String,
    ) -> Result<Vec<String>, ApiError> {
        self.check_client(context)?;
        let account = self.account(principal.user_id).await?;
        let sealed = account
            .totp_pending_secret
            .as_deref()
            .ok_or_else(|| ApiError::Conflict { message: "Start setting up your authenticator again: the code shown earlier has been replaced".into() })?;
        let secret = self
            .secrets
            .open(sealed)
            .ok_or_else(|| internal_error("a pending second-factor secret does not decrypt"))?;
        let now = clock::now().unix_timestamp() as u64;
        let Some(step) = totp::verify(&secret, &code, now, None) else {
            self.clients.record(&Self::client_key(context));
            return Err(ApiError::invalid(
                "code",
                "The code is not right. Check the time on your phone is set automatically, then enter the code your app shows now",
            ));
        };
        let codes: Vec<String> = (0..RECOVERY_CODE_COUNT)
            .map(|_| tokens::new_recovery_code())
            .collect();
        let hashes: Vec<String> = codes.iter().map(|code| tokens::hash_token(code)).collect();
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        users::activate_pending_secret(&mut *transaction, account.id, step as i64)
            .await
            .map_err(internal_error)?;
        users::replace_recovery_codes(&mut transaction, account.id, &hashes)
            .await
            .map_err(internal_error)?;
        if matches!(context.caller, Caller::PartlySignedIn { .. }) {
            self.promote(context, principal, &mut transaction).await?;
        }
        audit::record(
            &mut transaction,
            Event::new("second_factor.enrolled")
                .by(principal)
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        Ok(codes)
    }

    async fn sign_out(&self, context: &RequestContext) -> Result<(), ApiError> {
        let principal = match &context.caller {
            Caller::SignedIn(principal) | Caller::PartlySignedIn { principal, .. } => principal,
            Caller::Anonymous => {
                context.cookie.clear();
                return Ok(());
            }
        };
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        sessions::delete(&mut *transaction, &principal.session)
            .await
            .map_err(internal_error)?;
        audit::record(
            &mut transaction,
            Event::new("sign_out")
                .by(principal)
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        context.cookie.clear();
        Ok(())
    }

    async fn sign_out_everywhere(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<(), ApiError> {
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        let ended = sessions::delete_all_for_user(&mut *transaction, principal.user_id, None)
            .await
            .map_err(internal_error)?;
        audit::record(
            &mut transaction,
            Event::new("sign_out.everywhere")
                .by(principal)
                .with(json!({ "sessions_ended": ended }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        context.cookie.clear();
        Ok(())
    }

    async fn change_password(
        &self,
        context: &RequestContext,
        principal: &Principal,
        current: String,
        new: String,
    ) -> Result<(), ApiError> {
        self.check_client(context)?;
        let account = self.account(principal.user_id).await?;
        let stored = account
            .password_hash
            .clone()
            .ok_or(ApiError::Unauthenticated)?;
        if !passwords::verify(current, stored).await {
            let error = self
                .record_failure(context, &account, "password.change_failed")
                .await?;
            return Err(match error {
                ApiError::RateLimited { .. } => error,
                _ => ApiError::invalid("current_password", "Your current password is not right"),
            });
        }
        passwords::check_policy(&new, &account.email, &account.display_name)
            .map_err(|problem| password_error("new_password", problem))?;
        let hash = passwords::hash(new).await;
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        users::set_password(&mut *transaction, account.id, &hash)
            .await
            .map_err(internal_error)?;
        // Other sessions may be someone else's: end them; this one stays.
        sessions::delete_all_for_user(&mut *transaction, account.id, Some(&principal.session))
            .await
            .map_err(internal_error)?;
        audit::record(
            &mut transaction,
            Event::new("password.changed")
                .by(principal)
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        Ok(())
    }

    async fn request_password_reset(
        &self,
        context: &RequestContext,
        email: String,
    ) -> Result<(), ApiError> {
        let email = normalise_email(&email);
        if email.is_empty() || !email.contains('@') {
            return Err(ApiError::invalid(
                "email",
                "Enter your email address, like name@example.org",
            ));
        }
        self.note_mail_request(context)?;
        let Some(account) = users::by_email(self.database.pool(), &email)
            .await
            .map_err(internal_error)?
        else {
            return Ok(());
        };
        if account.disabled_at.is_some() {
            return Ok(());
        }
        let token = tokens::new_token();
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        users::create_link(
            &mut transaction,
            account.id,
            &tokens::hash_token(&token),
            StoredPurpose::PasswordReset,
            RESET_VALID,
        )
        .await
        .map_err(internal_error)?;
        audit::record(
            &mut transaction,
            Event::new("password.reset_requested")
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        let body = format!(
            "Dear {},\n\nSomeone asked to reset the password of your Implant Registry account. If it was you, choose a new password here (the link works once, for 30 minutes):\n\n{}\n\nYou will still need your authenticator app to sign in. If you did not ask for this, ignore this email: your password has not changed.",
            account.display_name,
            self.link(&token)
        );
        self.mailer
            .send(
                &account.email,
                "Reset your Implant Registry password",
                &body,
            )
            .await
            .map_err(internal_error)
    }

    async fn account_link(
        &self,
        _context: &RequestContext,
        token: String,
    ) -> Result<AccountLink, ApiError> {
        let (user_id, purpose) =
            users::open_link(self.database.pool(), &tokens::hash_token(&token))
                .await
                .map_err(internal_error)?
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

    async fn set_password_from_link(
        &self,
        context: &RequestContext,
        token: String,
        new_password: String,
    ) -> Result<(), ApiError> {
        let hash_of_token = tokens::hash_token(&token);
        let (user_id, purpose) = users::open_link(self.database.pool(), &hash_of_token)
            .await
            .map_err(internal_error)?
            .ok_or_else(expired_link)?;
        let account = self.account(user_id).await?;
        passwords::check_policy(&new_password, &account.email, &account.display_name)
            .map_err(|problem| password_error("new_password", problem))?;
        let hash = passwords::hash(new_password).await;
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        if !users::consume_link(&mut *transaction, &hash_of_token)
            .await
            .map_err(internal_error)?
        {
            return Err(expired_link());
        }
        users::set_password(&mut *transaction, account.id, &hash)
            .await
            .map_err(internal_error)?;
        sessions::delete_all_for_user(&mut *transaction, account.id, None)
            .await
            .map_err(internal_error)?;
        let action = match purpose {
            StoredPurpose::Invitation => "password.set_from_invitation",
            StoredPurpose::PasswordReset => "password.reset_completed",
        };
        audit::record(
            &mut transaction,
            Event::new(action)
                .on("user", account.id)
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        transaction.commit().await.map_err(internal_error)?;
        Ok(())
    }
}

fn expired_link() -> ApiError {
    ApiError::Conflict {
        message: "This link has expired or has already been used. Ask for a new one: use \"Forgot your password?\" on the sign-in page, or ask your manager to send your invitation again".into(),
    }
}
