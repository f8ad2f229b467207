//! The registry's domain, in plain Rust.
//!
//! Nothing here depends on the browser, the web framework or the database: the same rules run
//! in the clinician's browser (compiled to WASM) and again on the server, which never trusts
//! the client. Every value type has a fallible constructor, so a value that exists is valid.

pub mod calendar;
#[macro_use]
mod choice;
pub mod forms;
pub mod names;
pub mod nhs_number;
pub mod patient;
pub mod procedure;
pub mod pseudonym;
pub mod register;
pub mod statistics;
pub mod udi;
pub mod uk_time;

pub use forms::FieldError;
pub use nhs_number::{NhsNumber, NhsNumberError};
