//! Recording procedures: the rules re-applied on the server, idempotent submission, who sees
//! which records, corrections, implant cards, and pseudonymisation by OPRF over HTTP.

// The fixtures live in `helpers::records`; other areas' tests name them from here too.
pub(crate) use crate::helpers::records::{
    pseudonymise, register, site_of, submission, submit, udi,
};

mod pseudonyms;
mod records;
mod submitting;
