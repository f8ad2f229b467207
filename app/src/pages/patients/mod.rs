//! The patient's pages: creating an account, adding a record with the card's code, their
//! implants and safety notices, who has looked at their record, and downloads.

pub mod access;
pub mod claim;
pub mod implants;
pub mod register;
pub mod report;
