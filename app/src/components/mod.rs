//! Reusable pieces of the interface, grouped by kind.

pub mod layout;
pub mod udi;
