//! Identity: who is calling, signing in (password, then second factor), setting up an
//! authenticator, passwords and account links. Split by job: [`sign_in`], [`enrolment`],
//! [`links`] (invitations, resets, password changes).

mod enrolment;
mod links;
mod sign_in;

use std::sync::Arc;

use app::api::auth::{AccountLink, AuthService, EnrolmentDetails};
use app::api::context::{Caller, PendingStep, Principal, RequestContext};
use app::api::session::{OrganisationSummary, SessionInfo, SessionState};
use app::api::{ApiError, FieldError};

use crate::at_the_edge;
use crate::auth::keys::SecretBox;
use crate::auth::rate_limit::{Limit, RateLimiter, address_key};
use crate::auth::tokens;
use crate::db::sessions::{self, Stage};
use crate::db::users::{self, Account};
use crate::db::{Database, WriteTransaction};
use crate::services::error::{ServiceError, ServiceResult};
use crate::services::mail::MailQueue;

/// Consecutive failures (password or second factor) before an account is locked.
pub const MAX_ACCOUNT_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;
pub const INVITATION_VALID: time::Duration = time::Duration::days(7);
pub const RESET_VALID: time::Duration = time::Duration::minutes(30);
pub const RECOVERY_CODE_COUNT: usize = 10;

/// Credentials tried from one client address (an IPv6 /64), successes given back.
pub const SIGN_IN_PER_ADDRESS: Limit = Limit {
    bucket: "sign_in.address",
    max: 20,
    window_seconds: 15 * 60,
};
/// Passwords tried for an email address that has no account: as for a real account, so the
/// answers do not tell which addresses have one.
pub const SIGN_IN_UNKNOWN_ACCOUNT: Limit = Limit {
    bucket: "sign_in.unknown_account",
    max: MAX_ACCOUNT_FAILURES as u32,
    window_seconds: LOCK_MINUTES * 60,
};
/// Requests that send an email (registration, reset) from one client address.
pub const MAIL_PER_ADDRESS: Limit = Limit {
    bucket: "mail.address",
    max: 10,
    window_seconds: 60 * 60,
};

#[derive(Debug, Clone)]
pub struct SessionPolicy {
    pub idle: time::Duration,
    pub absolute: time::Duration,
}

pub struct Auth {
    database: Database,
    secrets: SecretBox,
    policy: SessionPolicy,
    mail: Arc<MailQueue>,
    public_url: String,
    limits: RateLimiter,
}

pub(crate) const WRONG_CREDENTIALS: &str = "Enter a correct email address and password";

/// Tries left before a lock are told from this many on (earlier, they would only be noise).
pub const WARN_WHEN_TRIES_LEFT: i64 = 2;

/// "You have 2 more tries before this account is locked for 15 minutes", once few are left.
pub(crate) fn tries_left_warning(tries_left: i64) -> Option<String> {
    (1..=WARN_WHEN_TRIES_LEFT).contains(&tries_left).then(|| {
        format!(
            "You have {tries_left} more {} before this account is locked for {LOCK_MINUTES} minutes",
            if tries_left == 1 { "try" } else { "tries" }
        )
    })
}

/// A wrong email address or password, with a warning (against the password box, which is
/// emptied) when the account is close to being locked. Unknown addresses are answered alike.
fn wrong_credentials(tries_left: i64) -> ServiceError {
    let mut errors = vec![FieldError::new("email", WRONG_CREDENTIALS)];
    if let Some(warning) = tries_left_warning(tries_left) {
        errors.push(FieldError::new("password", warning));
    }
    ApiError::Invalid { errors }.into()
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Auth {
    pub fn new(
        database: Database,
        secrets: SecretBox,
        policy: SessionPolicy,
        mail: Arc<MailQueue>,
        public_url: String,
    ) -> Self {
        Self {
            limits: RateLimiter::new(database.clone()),
            database,
            secrets,
            policy,
            mail,
            public_url,
        }
    }

    pub fn mail(&self) -> &MailQueue {
        &self.mail
    }

    pub fn limits(&self) -> &RateLimiter {
        &self.limits
    }

    /// Who a session token belongs to, for building each request's context. A lookup that
    /// fails is an error, not "nobody": treating it as signed out would clear the cookie and
    /// sign everyone out while the database is briefly unreachable.
    pub async fn caller_for(&self, token: Option<&str>) -> ServiceResult<Caller> {
        let Some(token) = token else {
            return Ok(Caller::Anonymous);
        };
        let hash = tokens::hash_token(token);
        let Some(live) = self.live_session(&hash).await? else {
            return Ok(Caller::Anonymous);
        };
        // Idle time is counted from the last request; record it at most once a minute.
        let stale = self.database.now() - live.last_seen_at > time::Duration::minutes(1);
        if stale && let Err(error) = self.touch_session(&hash).await {
            tracing::warn!(%error, "could not record session activity");
        }
        let principal = Principal {
            user_id: live.user_id,
            role: live.role,
            organisation_id: live.organisation_id,
            session: hash,
        };
        Ok(match live.stage {
            Stage::Full => Caller::SignedIn(principal),
            Stage::Password => Caller::PartlySignedIn {
                principal,
                step: PendingStep::SecondFactor,
            },
            Stage::Enrolment => Caller::PartlySignedIn {
                principal,
                step: PendingStep::Enrolment,
            },
        })
    }

    async fn live_session(&self, hash: &str) -> Result<Option<sessions::Live>, sqlx::Error> {
        sessions::find_live(&mut self.database.read().await?, hash, self.policy.idle).await
    }

    async fn touch_session(&self, hash: &str) -> Result<(), sqlx::Error> {
        let mut transaction = self.database.write().await?;
        sessions::touch(&mut transaction, hash).await?;
        transaction.commit().await
    }

    fn address(context: &RequestContext) -> String {
        address_key(context.client.ip.as_deref())
    }

    async fn account(&self, id: i64) -> ServiceResult<Account> {
        users::by_id(&mut self.database.read().await?, id)
            .await?
            .ok_or_else(|| ApiError::Unauthenticated.into())
    }

    fn info(account: &Account) -> SessionInfo {
        SessionInfo {
            user_id: account.id,
            email: account.email.clone(),
            display_name: account.display_name.clone(),
            role: account.role,
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

    /// Starts a session at `stage` under a new token in `transaction`, replacing any session
    /// this browser had; the cookie is set for the response.
    async fn start_session(
        &self,
        transaction: &mut WriteTransaction,
        context: &RequestContext,
        account: &Account,
        stage: &Stage,
    ) -> ServiceResult<()> {
        let token = tokens::new_token();
        if let Caller::SignedIn(old) | Caller::PartlySignedIn { principal: old, .. } =
            &context.caller
        {
            sessions::delete(&mut *transaction, &old.session).await?;
        }
        sessions::create(
            &mut *transaction,
            &tokens::hash_token(&token),
            account.id,
            stage.clone(),
            self.policy.absolute,
        )
        .await?;
        context.cookie.set(token);
        Ok(())
    }

    /// Completes a partial session under a new token.
    async fn promote(
        &self,
        context: &RequestContext,
        principal: &Principal,
        transaction: &mut WriteTransaction,
    ) -> ServiceResult<()> {
        let token = tokens::new_token();
        sessions::promote(
            &mut *transaction,
            &principal.session,
            &tokens::hash_token(&token),
            Stage::Full,
        )
        .await?;
        context.cookie.set(token);
        Ok(())
    }

    /// Counts a request that sends email against the client's address, refusing it once the
    /// client has sent too many (so the form cannot be used to flood someone's inbox).
    pub async fn note_mail_request(&self, context: &RequestContext) -> ServiceResult<()> {
        self.limits
            .take(
                &MAIL_PER_ADDRESS,
                &Self::address(context),
                None,
                context.client.ip.as_deref(),
            )
            .await
            .map(drop)
    }

    async fn session_state(&self, context: &RequestContext) -> ServiceResult<SessionState> {
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
}

at_the_edge! {
    impl AuthService for Auth {
        fn session_state(&self, context: &RequestContext) -> SessionState;
        fn sign_in(&self, context: &RequestContext, email: String, password: String) -> SessionState;
        fn verify_second_factor(&self, context: &RequestContext, principal: &Principal, code: String) -> SessionState;
        fn start_enrolment(&self, context: &RequestContext, principal: &Principal, current_password: Option<String>) -> EnrolmentDetails;
        fn confirm_enrolment(&self, context: &RequestContext, principal: &Principal, code: String) -> Vec<String>;
        fn sign_out(&self, context: &RequestContext) -> ();
        fn sign_out_everywhere(&self, context: &RequestContext, principal: &Principal) -> ();
        fn change_password(&self, context: &RequestContext, principal: &Principal, current: String, new: String) -> ();
        fn request_password_reset(&self, context: &RequestContext, email: String) -> ();
        fn account_link(&self, context: &RequestContext, token: String) -> AccountLink;
        fn set_password_from_link(&self, context: &RequestContext, token: String, new_password: String) -> SessionState;
    }
}
