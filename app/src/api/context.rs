//! What the server provides to each server-function call: who is calling and the services.
//!
//! The traits are declared here and implemented in the `server` crate, so the app never
//! depends on the server and the server functions stay thin.

use std::sync::Arc;

use super::ApiError;
use super::status::StatusService;

/// Who is calling, established by the server from the request before the function runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
}

/// Who may call a server function. Every server function names one, so that forgetting to
/// check is visible in review and in the access-table test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: only for information that is public anyway.
    Public,
}

/// The services the server functions call, each behind a trait the server implements.
#[derive(Clone)]
pub struct Services {
    pub status: Arc<dyn StatusService>,
}

#[derive(Clone)]
pub struct RequestContext {
    pub caller: Caller,
    pub services: Services,
}

impl RequestContext {
    /// The context of the current server-function call, provided by the server.
    pub fn current() -> Result<Self, ApiError> {
        leptos::prelude::use_context::<Self>().ok_or_else(|| ApiError::Internal {
            reference: "no-request-context".into(),
        })
    }

    /// Checks the caller against what the function allows and returns them.
    pub fn authorize(&self, access: Access) -> Result<&Caller, ApiError> {
        match access {
            Access::Public => Ok(&self.caller),
        }
    }
}
