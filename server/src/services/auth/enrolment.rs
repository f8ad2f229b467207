//! Setting up an authenticator app. Mid sign-in (staff from their invitation), the session
//! itself is the proof; someone fully signed in must give their password again, and a new
//! authenticator ends every other session of the account and is told to the account's owner
//! by email: whoever held a session left open cannot quietly take over the second factor.

use app::api::ApiError;
use app::api::auth::EnrolmentDetails;
use app::api::context::{Caller, Principal, RequestContext};
use serde_json::json;

use super::{Auth, RECOVERY_CODE_COUNT, SIGN_IN_PER_ADDRESS};
use crate::audit::{self, Action, Event};
use crate::auth::keys::SealedFor;
use crate::auth::{passwords, tokens, totp};
use crate::db::{sessions, users};
use crate::services::error::{ServiceError, ServiceResult};
use crate::services::mail::texts;

const ISSUER: &str = "Implant Registry";

impl Auth {
    /// For someone fully signed in: their password, counted like a sign-in attempt.
    async fn confirm_password(
        &self,
        context: &RequestContext,
        account: &users::Account,
        password: Option<String>,
    ) -> ServiceResult<()> {
        let Some(password) = password.filter(|password| !password.is_empty()) else {
            return Err(ApiError::invalid(
                "current_password",
                "Enter your password to set up a new authenticator app",
            )
            .into());
        };
        let attempt = self.count_account_attempt(context, account).await?;
        let stored = account
            .password_hash
            .clone()
            .ok_or(ApiError::Unauthenticated)?;
        if passwords::verify(password, stored).await? {
            let mut transaction = self.database.write().await?;
            users::clear_failures(&mut transaction, account.id).await?;
            transaction.commit().await?;
            return Ok(());
        }
        Err(
            match self
                .refuse_attempt(
                    context,
                    account,
                    attempt,
                    Action::SecondFactorReauthenticationFailed,
                )
                .await?
            {
                Some(seconds) => ApiError::RateLimited {
                    retry_after_seconds: seconds,
                }
                .into(),
                None => ApiError::invalid("current_password", "Your password is not right").into(),
            },
        )
    }

    pub(super) async fn start_enrolment(
        &self,
        context: &RequestContext,
        principal: &Principal,
        current_password: Option<String>,
    ) -> ServiceResult<EnrolmentDetails> {
        let account = self.account(principal.user_id).await?;
        if matches!(context.caller, Caller::SignedIn(_)) {
            self.confirm_password(context, &account, current_password)
                .await?;
        }
        let secret = totp::new_secret();
        let mut transaction = self.database.write().await?;
        users::set_pending_secret(
            &mut transaction,
            account.id,
            &self.secrets.seal(
                &secret,
                SealedFor::Authenticator {
                    user_id: account.id,
                },
            ),
        )
        .await?;
        transaction.commit().await?;
        let uri = totp::otpauth_uri(ISSUER, &account.email, &secret);
        let qr_svg = qrcode::QrCode::new(uri.as_bytes())
            .map_err(ServiceError::internal)?
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

    pub(super) async fn confirm_enrolment(
        &self,
        context: &RequestContext,
        principal: &Principal,
        code: String,
    ) -> ServiceResult<Vec<String>> {
        self.limits
            .take(
                &SIGN_IN_PER_ADDRESS,
                &Self::address(context),
                Some(principal),
                context.client.ip.as_deref(),
            )
            .await?;
        let account = self.account(principal.user_id).await?;
        let sealed = account
            .totp_pending_secret
            .as_deref()
            .ok_or_else(|| ApiError::Conflict { message: "Start setting up your authenticator again: the code shown earlier has been replaced".into() })?;
        let secret = self
            .secrets
            .open(
                sealed,
                SealedFor::Authenticator {
                    user_id: account.id,
                },
            )
            .ok_or_else(|| {
                ServiceError::internal("a pending second-factor secret does not decrypt")
            })?;
        let now = self.database.now().unix_seconds() as u64;
        let Some(step) = totp::verify(&secret, &code, now, None) else {
            return Err(ApiError::invalid(
                "code",
                "The code is not right. Check the time on your phone is set automatically, then enter the code your app shows now",
            )
            .into());
        };
        let codes: Vec<String> = (0..RECOVERY_CODE_COUNT)
            .map(|_| tokens::new_recovery_code())
            .collect();
        let hashes: Vec<String> = codes.iter().map(|code| tokens::hash_token(code)).collect();
        let replacing = account.mfa_enrolled_at.is_some();
        let mut transaction = self.database.write().await?;
        users::activate_pending_secret(&mut transaction, account.id, step as i64).await?;
        users::replace_recovery_codes(&mut transaction, account.id, &hashes).await?;
        let sessions_ended = if matches!(context.caller, Caller::PartlySignedIn { .. }) {
            self.promote(context, principal, &mut transaction).await?;
            0
        } else {
            // A new second factor: any other session may be the one it is meant to shut out.
            sessions::delete_all_for_user(&mut transaction, account.id, Some(&principal.session))
                .await?
        };
        audit::record(
            &mut transaction,
            Event::new(if replacing {
                Action::SecondFactorReplaced
            } else {
                Action::SecondFactorEnrolled
            })
            .by(principal)
            .on("user", account.id)
            .with(json!({ "sessions_ended": sessions_ended }))
            .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        self.mail
            .queue(
                &mut transaction,
                &account.email,
                texts::authenticator_set_up(&account.display_name, replacing),
            )
            .await?;
        transaction.commit().await?;
        self.mail.wake();
        self.limits
            .give_back(&SIGN_IN_PER_ADDRESS, &Self::address(context))
            .await?;
        Ok(codes)
    }
}
