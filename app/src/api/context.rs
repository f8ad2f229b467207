//! What the server provides to each server-function call: who is calling, from where, and the
//! services. Declared here, provided by the `server` crate, so the app never depends on it.

use std::sync::{Arc, Mutex};

use super::ApiError;
use super::accounts::AccountService;
use super::audit::AuditService;
use super::auth::AuthService;
use super::notices::NoticeService;
use super::patients::PatientService;
use super::procedures::ProcedureService;
use super::register::RegisterService;
use super::session::Role;
use super::statistics::StatisticsService;
use super::status::StatusService;

/// A signed-in person, as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub role: Role,
    pub organisation_id: Option<i64>,
    /// The SHA-256 of the session token (never the token itself).
    pub session: String,
}

/// How far a partly signed-in session has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingStep {
    /// The authenticator code is needed.
    SecondFactor,
    /// A staff account without an authenticator must set one up.
    Enrolment,
}

/// Who is calling, established by the server from the session cookie before the function runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    PartlySignedIn {
        principal: Principal,
        step: PendingStep,
    },
    SignedIn(Principal),
}

/// Who may call a server function. Every server function that acts for someone names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A session that has passed the password and is completing the second factor.
    SecondFactorPending,
    /// Anyone fully signed in: staff or patient.
    SignedIn,
    /// Fully signed in with one of these roles.
    Roles(&'static [Role]),
}

pub use super::session::roles::{ACCOUNT_MANAGERS, ADMINISTRATORS, CLINIC, PATIENTS, STAFF};

/// Where the request came from, for rate limits and the audit trail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: Option<String>,
}

/// A change to the session cookie that the server writes into the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieChange {
    Set { token: String },
    Clear,
}

/// Shared between the function and the server's response handling.
#[derive(Debug, Clone, Default)]
pub struct SessionCookie(Arc<Mutex<Option<CookieChange>>>);

impl SessionCookie {
    pub fn set(&self, token: String) {
        *self.0.lock().unwrap_or_else(|poison| poison.into_inner()) =
            Some(CookieChange::Set { token });
    }

    pub fn clear(&self) {
        *self.0.lock().unwrap_or_else(|poison| poison.into_inner()) = Some(CookieChange::Clear);
    }

    pub fn take(&self) -> Option<CookieChange> {
        self.0
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .take()
    }
}

/// The services the server functions call, each behind a trait the server implements.
#[derive(Clone)]
pub struct Services {
    pub status: Arc<dyn StatusService>,
    pub auth: Arc<dyn AuthService>,
    pub accounts: Arc<dyn AccountService>,
    pub audit: Arc<dyn AuditService>,
    pub procedures: Arc<dyn ProcedureService>,
    pub patients: Arc<dyn PatientService>,
    pub register: Arc<dyn RegisterService>,
    pub notices: Arc<dyn NoticeService>,
    pub statistics: Arc<dyn StatisticsService>,
}

#[derive(Clone)]
pub struct RequestContext {
    pub caller: Caller,
    pub client: ClientInfo,
    pub cookie: SessionCookie,
    pub services: Services,
}

impl RequestContext {
    /// The context of the current server-function call, provided by the server.
    pub fn current() -> Result<Self, ApiError> {
        leptos::prelude::use_context::<Self>().ok_or_else(|| ApiError::Internal {
            reference: "no-request-context".into(),
        })
    }

    /// For functions anyone may call (signed in or not): says so explicitly.
    pub fn allow_anyone(&self) -> &Caller {
        &self.caller
    }

    /// Checks the caller against what the function allows and returns them.
    pub fn require(&self, access: Access) -> Result<&Principal, ApiError> {
        require_for(&self.caller, access)
    }
}

/// The access rule itself: who may pass for each kind of access.
pub fn require_for(caller: &Caller, access: Access) -> Result<&Principal, ApiError> {
    match (caller, access) {
        (Caller::Anonymous, _) => Err(ApiError::Unauthenticated),
        (Caller::PartlySignedIn { principal, .. }, Access::SecondFactorPending) => Ok(principal),
        (Caller::PartlySignedIn { .. }, _) => Err(ApiError::Unauthenticated),
        (Caller::SignedIn(_), Access::SecondFactorPending) => Err(ApiError::Conflict {
            message: "You are already signed in".into(),
        }),
        (Caller::SignedIn(principal), Access::SignedIn) => Ok(principal),
        (Caller::SignedIn(principal), Access::Roles(roles)) => {
            if roles.contains(&principal.role) {
                Ok(principal)
            } else {
                Err(ApiError::Forbidden)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role) -> Principal {
        Principal {
            user_id: 1,
            role,
            organisation_id: None,
            session: "s".into(),
        }
    }

    fn check(caller: &Caller, access: Access) -> Result<(), ApiError> {
        require_for(caller, access).map(drop)
    }

    #[test]
    fn roles_are_enforced() {
        let clinic = Caller::SignedIn(principal(Role::ClinicUser));
        assert_eq!(check(&clinic, Access::Roles(CLINIC)), Ok(()));
        assert_eq!(
            check(&clinic, Access::Roles(ADMINISTRATORS)),
            Err(ApiError::Forbidden)
        );
        assert_eq!(check(&clinic, Access::SignedIn), Ok(()));
        assert_eq!(
            check(&Caller::Anonymous, Access::SignedIn),
            Err(ApiError::Unauthenticated)
        );
    }

    #[test]
    fn a_half_finished_sign_in_opens_only_the_second_factor_step() {
        let pending = Caller::PartlySignedIn {
            principal: principal(Role::RegistryAdmin),
            step: PendingStep::SecondFactor,
        };
        assert_eq!(
            check(&pending, Access::Roles(ADMINISTRATORS)),
            Err(ApiError::Unauthenticated)
        );
        assert_eq!(
            check(&pending, Access::SignedIn),
            Err(ApiError::Unauthenticated)
        );
        assert_eq!(check(&pending, Access::SecondFactorPending), Ok(()));
    }
}
