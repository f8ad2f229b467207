//! Business operations behind the server functions and the REST API. Each service works in
//! [`error::ServiceError`]; the trait implementations the server functions call (made with
//! [`at_the_edge!`](crate::at_the_edge)) turn it into the user-facing `ApiError`.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod error;
pub mod mail;
pub mod notices;
pub mod patients;
pub mod procedures;
pub mod register;
pub mod statistics;
pub mod status;
