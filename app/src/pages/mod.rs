//! Pages, by area.

pub mod account;
pub mod admin;
pub mod home;
pub mod not_found;
pub mod patients;
pub mod records;
pub mod staff;
pub mod support;
pub mod udi;
