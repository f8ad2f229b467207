//! Managing the registry: accounts, organisations, the audit trail.

pub mod audit;
pub mod organisations;
pub mod users;
