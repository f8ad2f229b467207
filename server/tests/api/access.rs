//! Who may call what: every server function against every role, cross-site requests, the
//! audit trail's tamper evidence, and the first accounts.

mod audit_trail;
mod cross_site;
mod first_accounts;
mod matrix;
