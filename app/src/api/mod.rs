//! The app's API: server functions, grouped by area.
//!
//! Each server function is a thin adapter: take the request context (caller and services)
//! provided by the server, check the caller may do this, call the service, return its result.
//! Every function has an explicit `endpoint`, so its URL does not depend on where the crate
//! was built and the server's registration test can find each one.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod common;
pub mod error;
pub mod notices;
pub mod patients;
pub mod procedures;
pub mod register;
pub mod session;
pub mod statistics;
pub mod status;

#[cfg(feature = "ssr")]
pub mod context;

pub use error::{ApiError, FieldError};
