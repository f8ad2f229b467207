//! Cross-site request forgery defence for state-changing requests, on top of SameSite=Strict
//! cookies: a browser says where a request comes from (`Sec-Fetch-Site`, `Origin`); anything
//! but this site is refused.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;
use crate::http::json_error;

pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if is_state_changing(request.method())
        && let Some(reason) = cross_site_reason(&request, state.public_origin.as_deref())
    {
        tracing::warn!(path = %request.uri().path(), %reason, "refused a cross-site request");
        return json_error(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "This request came from another website, so it was refused. Use the Implant Registry's own pages.",
        );
    }
    next.run(request).await
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Why the request looks cross-site, or `None` if it is same-site (or not from a browser).
fn cross_site_reason(request: &Request, public_origin: Option<&str>) -> Option<String> {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Some(format!("Sec-Fetch-Site: {site}"));
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())?;
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let same_host = origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority == host);
    let configured = public_origin.is_some_and(|public| public.trim_end_matches('/') == origin);
    (!same_host && !configured).then(|| format!("Origin: {origin}"))
}
