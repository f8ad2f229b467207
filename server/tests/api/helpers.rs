//! What the API tests share: a real server per test ([`spawn`]), browsers that sign in
//! ([`people`]), the database behind the server ([`stored`]), typed answers ([`answers`]) and
//! recorded procedures ([`records`]).

pub mod answers;
pub mod people;
pub mod records;
pub mod spawn;
pub mod stored;

pub use crate::database::on_postgres;
pub use answers::{HttpError, answer, field_errors, fields, read, refusal, wording};
pub use people::{Browser, PASSWORD, link_token};
pub use spawn::{
    FAKE_PRECOMPRESSED, INLINE_SCRIPT, TestApp, config_for, config_with, fake_dist, spawn_app,
    spawn_app_with,
};
