//! The patient's pages: creating an account, adding a record with the card's code, their
//! implants and safety notices, who has looked at their record, and downloads.

pub mod access;
pub mod claim;
pub mod implants;
pub mod register;

/// Where the patient's pages live.
pub const MY_IMPLANTS: &str = "/my-implants";
pub const ADD_RECORD: &str = "/my-implants/add";
pub const ACCESS_LOG: &str = "/record-access";
