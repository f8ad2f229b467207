//! The security review's findings, one regression test each: lockouts under concurrency,
//! address counts, proxies, the audit chain's key and anchors, key files, the mail outbox,
//! names in emails, authenticator replacement, mail settings, input limits, file modes,
//! host names and secrets bound to their rows.

mod audit_chain;
mod limits;
mod mail;
mod start_up;
