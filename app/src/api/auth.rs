//! Signing in and out, the second factor, and passwords.

use leptos::server;
use serde::{Deserialize, Serialize};

use super::ApiError;
#[cfg(feature = "ssr")]
use super::context::{Principal, RequestContext};
use super::session::SessionState;

/// What a person needs to set up an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentDetails {
    /// The secret in base32, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://` URI the QR code carries.
    pub otpauth_uri: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// What a single-use link is for, shown on the page that opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLink {
    pub purpose: LinkPurpose,
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    Invitation,
    PasswordReset,
}

/// Where the current browser is in signing in.
#[server(endpoint = "session")]
pub async fn current_session() -> Result<SessionState, ApiError> {
    let context = RequestContext::current()?;
    context.allow_anyone();
    context.services.auth.session_state(&context).await
}

/// Email and password: the first step of signing in.
#[server(endpoint = "sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<SessionState, ApiError> {
    let context = RequestContext::current()?;
    context.allow_anyone();
    context
        .services
        .auth
        .sign_in(&context, email, password)
        .await
}

/// The authenticator code, or a recovery code: the second step.
#[server(endpoint = "sign-in/second-factor")]
pub async fn verify_second_factor(code: String) -> Result<SessionState, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::SecondFactorPending)?;
    context
        .services
        .auth
        .verify_second_factor(&context, principal, code)
        .await
}

/// Starts setting up an authenticator: a new secret, not active until confirmed. Someone fully
/// signed in (adding or replacing an authenticator) must give their password again: a session
/// left open must not be enough to take over the account's second factor.
#[server(endpoint = "second-factor/enrolment")]
pub async fn start_enrolment(
    current_password: Option<String>,
) -> Result<EnrolmentDetails, ApiError> {
    let context = RequestContext::current()?;
    let principal = enrolling_principal(&context)?;
    context
        .services
        .auth
        .start_enrolment(&context, principal, current_password)
        .await
}

/// Confirms the authenticator with a code from it; returns the one-time recovery codes.
#[server(endpoint = "second-factor/enrolment/confirm")]
pub async fn confirm_enrolment(code: String) -> Result<Vec<String>, ApiError> {
    let context = RequestContext::current()?;
    let principal = enrolling_principal(&context)?;
    context
        .services
        .auth
        .confirm_enrolment(&context, principal, code)
        .await
}

/// Staff who must enrol (mid sign-in), or any signed-in person adding an authenticator.
#[cfg(feature = "ssr")]
fn enrolling_principal(context: &RequestContext) -> Result<&Principal, ApiError> {
    use super::context::{Access, Caller, PendingStep};
    match &context.caller {
        Caller::PartlySignedIn {
            principal,
            step: PendingStep::Enrolment,
        } => Ok(principal),
        _ => context.require(Access::SignedIn),
    }
}

#[server(endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    context.allow_anyone();
    context.services.auth.sign_out(&context).await
}

/// Ends every session of the signed-in person, on every device.
#[server(endpoint = "sign-out/everywhere")]
pub async fn sign_out_everywhere() -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::SignedIn)?;
    context
        .services
        .auth
        .sign_out_everywhere(&context, principal)
        .await
}

#[server(endpoint = "password/change")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::SignedIn)?;
    context
        .services
        .auth
        .change_password(&context, principal, current_password, new_password)
        .await
}

/// Sends a reset link if an account exists; answers the same either way.
#[server(endpoint = "password/reset-request")]
pub async fn request_password_reset(email: String) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    context.allow_anyone();
    context
        .services
        .auth
        .request_password_reset(&context, email)
        .await
}

/// What an invitation or reset link is for, before the person chooses a password.
#[server(endpoint = "account-link")]
pub async fn describe_account_link(token: String) -> Result<AccountLink, ApiError> {
    let context = RequestContext::current()?;
    context.allow_anyone();
    context.services.auth.account_link(&context, token).await
}

/// Sets a password from an invitation or reset link. An invitation (which proves the address)
/// goes straight on: staff to setting up their authenticator, patients signed in. After a
/// reset the person signs in again with the new password and their second factor.
#[server(endpoint = "account-link/set-password")]
pub async fn set_password_from_link(
    token: String,
    new_password: String,
) -> Result<SessionState, ApiError> {
    let context = RequestContext::current()?;
    context.allow_anyone();
    context
        .services
        .auth
        .set_password_from_link(&context, token, new_password)
        .await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AuthService: Send + Sync {
    async fn session_state(&self, context: &RequestContext) -> Result<SessionState, ApiError>;
    async fn sign_in(
        &self,
        context: &RequestContext,
        email: String,
        password: String,
    ) -> Result<SessionState, ApiError>;
    async fn verify_second_factor(
        &self,
        context: &RequestContext,
        principal: &Principal,
        code: String,
    ) -> Result<SessionState, ApiError>;
    async fn start_enrolment(
        &self,
        context: &RequestContext,
        principal: &Principal,
        current_password: Option<String>,
    ) -> Result<EnrolmentDetails, ApiError>;
    async fn confirm_enrolment(
        &self,
        context: &RequestContext,
        principal: &Principal,
        code: String,
    ) -> Result<Vec<String>, ApiError>;
    async fn sign_out(&self, context: &RequestContext) -> Result<(), ApiError>;
    async fn sign_out_everywhere(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<(), ApiError>;
    async fn change_password(
        &self,
        context: &RequestContext,
        principal: &Principal,
        current: String,
        new: String,
    ) -> Result<(), ApiError>;
    async fn request_password_reset(
        &self,
        context: &RequestContext,
        email: String,
    ) -> Result<(), ApiError>;
    async fn account_link(
        &self,
        context: &RequestContext,
        token: String,
    ) -> Result<AccountLink, ApiError>;
    async fn set_password_from_link(
        &self,
        context: &RequestContext,
        token: String,
        new_password: String,
    ) -> Result<SessionState, ApiError>;
}
