//! Requests must name a host this portal answers to: a forged `Host` would otherwise reach
//! the app under a name it does not own (links in pages, cache poisoning at a proxy).

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;
use crate::http::json_error;

/// Whether `host` (a `Host` header value) is one of `allowed`; any host when none are listed.
pub fn is_allowed(allowed: &[String], host: Option<&str>) -> bool {
    if allowed.is_empty() {
        return true;
    }
    host.map(str::to_lowercase)
        .is_some_and(|host| allowed.contains(&host))
}

pub async fn refuse_unknown_host(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    // Health checks come from load balancers that name the machine, not the service.
    if request.uri().path() != "/healthz" && !is_allowed(&state.allowed_hosts, host) {
        tracing::warn!(host = ?host, "refused a request for another host");
        return json_error(
            StatusCode::MISDIRECTED_REQUEST,
            "unknown_host",
            "This server does not answer for that host name.",
        );
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_hosts_pass_when_there_is_a_list() {
        let allowed = vec!["implants.example.org".to_string()];
        assert!(is_allowed(&allowed, Some("Implants.Example.org")));
        assert!(!is_allowed(&allowed, Some("evil.example")));
        assert!(!is_allowed(&allowed, None));
        assert!(is_allowed(&[], Some("anything")));
    }
}
