//! Pages, by area.

pub mod account;
pub mod admin;
pub mod home;
pub mod not_found;
pub mod notices;
pub mod patients;
pub mod records;
pub mod register;
pub mod staff;
pub mod statistics;
pub mod support;
pub mod udi;
