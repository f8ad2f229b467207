//! Signing in with a second factor, sessions, lockout, passwords, invitations, and what each
//! role may do.

mod admin;
mod links;
mod listing;
mod sessions;
mod sign_in;
