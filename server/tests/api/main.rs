//! The server's integration tests: one test binary, each test with its own server on port 0
//! and its own SQLite file.

#[path = "../support/database.rs"]
mod database;
mod helpers;
#[path = "../support/submission.rs"]
mod submission;

mod access;
mod accounts;
mod foundation;
mod notices;
mod patients;
mod procedures;
mod register;
mod responses;
mod security;
mod statistics;
mod test_clock;
mod udi;
