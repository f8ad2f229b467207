//! The session cookie: `__Host-` prefixed (so only this host, path `/`, over a secure
//! context), HttpOnly, SameSite=Strict, no lifetime (it ends with the browser; the server
//! also ends sessions after idle and absolute timeouts).

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const NAME: &str = "__Host-mdis_session";

pub fn set(token: &str) -> String {
    format!("{NAME}={token}; Path=/; Secure; HttpOnly; SameSite=Strict")
}

pub fn clear() -> String {
    format!("{NAME}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The session token the browser sent, if any.
pub fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == NAME)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; __Host-mdis_session=tok; b=2".parse().unwrap());
        assert_eq!(token(&headers).as_deref(), Some("tok"));
        headers.insert(COOKIE, "__Host-mdis_session=".parse().unwrap());
        assert_eq!(token(&headers), None);
    }
}
