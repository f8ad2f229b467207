//! Identity and access: passwords, second factors, sessions, tokens, rate limits, and the
//! cross-site request check.

pub mod csrf;
pub mod keys;
pub mod passwords;
pub mod rate_limit;
pub mod session_cookie;
pub mod tokens;
pub mod totp;
