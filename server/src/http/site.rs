//! The built browser app (Trunk's `dist/`), served from the same origin as the API.
//!
//! Content-hashed files (`app-1a2b…_bg.wasm`) are cached for a year; `index.html` is never
//! cached, so a new release is picked up at the next visit. Any path that is not a file gets
//! `index.html`, and the app's router shows the page; a path that is none of the app's pages
//! (`app::routes`) gets it with status 404, so that the app's "Page not found" is a real 404.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::security::content_security_policy;
use crate::app::AppState;

const HASHED_ASSET_CACHE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

const NOT_BUILT: &str = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
<title>Implant Registry</title></head><body><main><h1>Implant Registry</h1>\
<p>The browser app has not been built on this server. Run <code>./scripts/run</code> \
from the project folder, or set <code>--dist-dir</code> to the folder Trunk built.</p>\
</main></body></html>";

#[derive(Debug)]
pub struct Site {
    dist: PathBuf,
    index_html: Option<String>,
    content_security_policy: HeaderValue,
}

impl Site {
    /// Reads `index.html` once, at start, to compute the hashes of its inline scripts.
    pub fn load(dist: &Path) -> Self {
        let index_html = std::fs::read_to_string(dist.join("index.html")).ok();
        if index_html.is_none() {
            tracing::warn!(dist = %dist.display(), "no built app found: serving a notice instead");
        }
        let hashes = index_html
            .as_deref()
            .map(inline_script_hashes)
            .unwrap_or_default();
        let policy = content_security_policy(&hashes);
        Self {
            dist: dist.to_path_buf(),
            index_html,
            content_security_policy: HeaderValue::from_str(&policy)
                .expect("the policy is built from ASCII parts"),
        }
    }

    pub fn content_security_policy(&self) -> &HeaderValue {
        &self.content_security_policy
    }

    fn index_response(&self, status: StatusCode) -> Response {
        let (status, body) = match &self.index_html {
            Some(html) => (status, html.clone()),
            None => (StatusCode::SERVICE_UNAVAILABLE, NOT_BUILT.to_string()),
        };
        (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, REVALIDATE),
            ],
            body,
        )
            .into_response()
    }
}

/// Serves a file of the built app, or `index.html` for the app's own routes.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let site = &state.site;
    let path = request.uri().path().to_owned();
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    if path == "/" || path == "/index.html" {
        return site.index_response(StatusCode::OK);
    }
    // The build writes brotli and gzip copies (scripts/build-shell.mjs): sent as they are to
    // browsers that ask, at a better ratio than compressing on the fly.
    let files = ServeDir::new(&site.dist)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip();
    let mut response = match files.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(infallible) => match infallible {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        // A missing asset stays a 404; anything else is a page of the app.
        return if looks_like_a_file(&path) {
            (StatusCode::NOT_FOUND, "Not found").into_response()
        } else if app::routes::is_app_route(&path) {
            site.index_response(StatusCode::OK)
        } else {
            // The app still starts and shows its "Page not found"; the status says so too.
            site.index_response(StatusCode::NOT_FOUND)
        };
    }
    let cache = if is_content_hashed(&path) {
        HASHED_ASSET_CACHE
    } else {
        REVALIDATE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // The same address answers brotli, gzip or plain bytes: caches must keep them apart.
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Trunk names built files `<name>-<16 hex digits>[_bg].<ext>`: their content never changes.
pub fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, _extension)) = file.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash)) => {
            !name.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

fn looks_like_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|segment| segment.contains('.'))
}

/// The base64 SHA-256 of each inline `<script>` in the page, as CSP source expressions need.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(tag_end) = after_tag.find('>') else {
            break;
        };
        let tag = &after_tag[..tag_end];
        let body_and_rest = &after_tag[tag_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let body = &body_and_rest[..close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        rest = &body_and_rest[close..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_content_hashed("/app-4b9a0f3b2a1c9d8e.js"));
        assert!(is_content_hashed("/app-4b9a0f3b2a1c9d8e_bg.wasm"));
        assert!(is_content_hashed("/main-0123456789abcdef.css"));
        assert!(!is_content_hashed("/favicon.svg"));
        assert!(!is_content_hashed("/manifest.webmanifest"));
        assert!(!is_content_hashed(
            "/assets/images/nhsuk-icon-arrow-down.svg"
        ));
        assert!(!is_content_hashed("/-0123456789abcdef.css"));
    }

    #[test]
    fn hashes_inline_scripts_but_not_external_ones() {
        let html = "<head><script src=\"/x.js\"></script>\
                    <script type=\"module\">import init from '/app.js';</script></head>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/app.js';"));
        assert_eq!(hashes[0], expected);
    }
}
