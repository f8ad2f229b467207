//! Managing the registry: accounts, organisations, the audit trail.

pub mod account;
pub mod audit;
pub mod claims;
pub mod organisations;
pub mod security;
pub mod users;
