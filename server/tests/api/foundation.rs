//! The foundation: serving the app, health, security headers, the API's error shape, and the
//! server functions' registration.

use std::path::Path;

use base64::Engine;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use sha2::{Digest, Sha256};

use crate::helpers::{
    FAKE_PRECOMPRESSED, HttpError, INLINE_SCRIPT, config_for, fake_dist, spawn_app,
};

/// What `/healthz` answers (for load balancers and monitoring): these two words, nothing else.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Health {
    status: String,
    database: String,
}

#[tokio::test]
async fn health_check_answers_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Health = response.json().await.unwrap();
    assert_eq!(body.status, "ok");
    assert_eq!(body.database, "ok");
}

#[tokio::test]
async fn health_check_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.database.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Health = response.json().await.unwrap();
    assert_eq!(body.database, "unavailable");
}

#[tokio::test]
async fn the_database_is_where_the_configuration_says() {
    let app = spawn_app().await;
    // SQLite by default, in the data folder; with a PostgreSQL URL, no file at all.
    assert_eq!(
        app.data_dir.path().join("mdis.sqlite3").exists(),
        !crate::helpers::on_postgres()
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/healthz",
        "/api/nothing-here",
        "/app-0123456789abcdef_bg.wasm",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .unwrap_or_else(|| panic!("{path}: no {name}"))
                .to_str()
                .unwrap()
                .to_string()
        };
        let policy = header("content-security-policy");
        assert!(policy.contains("'wasm-unsafe-eval'"), "{path}: {policy}");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(!policy.contains("'unsafe-inline'"), "{path}: {policy}");
        assert!(header("strict-transport-security").starts_with("max-age="));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "no-referrer");
        assert_eq!(header("x-frame-options"), "DENY");
    }
}

#[tokio::test]
async fn the_csp_allows_the_apps_inline_start_up_script_by_its_hash() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(INLINE_SCRIPT));
    assert!(policy.contains(&format!("'sha256-{hash}'")), "{policy}");
}

#[tokio::test]
async fn index_is_served_uncached_for_the_apps_routes_and_unknown_pages_are_404s() {
    let app = spawn_app().await;
    // An unknown page still gets the app (which shows "Page not found"), with status 404.
    for (path, status) in [
        ("/", StatusCode::OK),
        ("/index.html", StatusCode::OK),
        ("/records/42", StatusCode::OK),
        ("/admin/users/7", StatusCode::OK),
        ("/no/such/page", StatusCode::NOT_FOUND),
        ("/records/42/card/extra", StatusCode::NOT_FOUND),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-cache", "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>Implant Registry</title>")
        );
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_with_their_mime_types() {
    let app = spawn_app().await;
    for (path, mime) in [
        ("/app-0123456789abcdef_bg.wasm", "application/wasm"),
        ("/app-0123456789abcdef.js", "text/javascript"),
        ("/main-fedcba9876543210.css", "text/css"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()[CONTENT_TYPE], mime, "{path}");
        assert_eq!(
            response.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
    let favicon = app.get("/favicon.svg").await;
    assert_eq!(favicon.headers()[CONTENT_TYPE], "image/svg+xml");
    assert_eq!(favicon.headers()[CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn the_service_worker_is_revalidated_and_build_time_brotli_is_sent_as_built() {
    let app = spawn_app().await;
    let plain = app.get("/sw.js").await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(plain.headers()[CONTENT_TYPE], "text/javascript");
    assert_eq!(plain.headers()[CACHE_CONTROL], "no-cache");
    let brotli = app
        .client
        .get(app.url("/sw.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(brotli.headers()[CONTENT_ENCODING], "br");
    assert_eq!(brotli.headers()[CONTENT_TYPE], "text/javascript");
    assert_eq!(brotli.headers()["vary"], "accept-encoding");
    assert_eq!(brotli.headers()[CACHE_CONTROL], "no-cache");
    assert_eq!(brotli.bytes().await.unwrap().as_ref(), FAKE_PRECOMPRESSED);
}

#[tokio::test]
async fn a_missing_asset_is_a_404_not_the_app() {
    let app = spawn_app().await;
    let response = app.get("/app-ffffffffffffffff.js").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn responses_are_compressed_when_the_browser_accepts_it() {
    let app = spawn_app().await;
    for encoding in ["gzip", "br"] {
        let response = app
            .client
            .get(app.url("/app-0123456789abcdef_bg.wasm"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()[CONTENT_ENCODING], encoding);
        let compressed = response.bytes().await.unwrap();
        assert!(
            compressed.len() < 4096,
            "{encoding}: {} bytes",
            compressed.len()
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_answer_404_json_not_the_app() {
    let app = spawn_app().await;
    for request in [
        app.client.get(app.url("/api/no-such-thing")),
        app.client.post(app.url("/api/v1/nothing")),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(
            response.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let body: HttpError = response.json().await.unwrap();
        assert_eq!(body.error, "not_found");
        assert!(body.message.contains("/api/"));
    }
}

#[tokio::test]
async fn the_status_server_function_reads_the_database_and_tells_details_only_to_administrators() {
    let app = spawn_app().await;
    let response = app.call("status", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let status: app::api::status::StatusReport = response.json().await.unwrap();
    assert_eq!(status.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        status.details, None,
        "anonymous callers learn nothing of what it runs on"
    );

    let admin = app
        .signed_in(
            "admin@example.test",
            app::api::session::Role::RegistryAdmin,
            None,
        )
        .await;
    let status: app::api::status::StatusReport =
        admin.call("status", &[]).await.json().await.unwrap();
    let details = status.details.expect("administrators see the details");
    let expected = if crate::helpers::on_postgres() {
        "PostgreSQL 1"
    } else {
        "SQLite 3."
    };
    assert!(details.storage.starts_with(expected), "{}", details.storage);
    assert!(details.schema_version >= 1);
    assert_eq!(details.instance_id.len(), 16);
}

/// Every `#[server(...)]` the app declares must name an explicit endpoint and be registered
/// at `/api/<endpoint>`: a function the server does not know fails only at run time,
/// in the user's browser.
#[tokio::test]
async fn every_server_function_declared_in_the_app_is_registered() {
    let declared = declared_endpoints(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src"));
    assert!(!declared.is_empty(), "found no server functions in app/src");
    let app = spawn_app().await;
    let registered: Vec<String> = app
        .state
        .server_fns
        .iter()
        .map(|(p, _)| p.clone())
        .collect();
    for (file, endpoint) in &declared {
        let endpoint = endpoint
            .as_ref()
            .unwrap_or_else(|| panic!("a #[server] function in {file} has no explicit endpoint"));
        let path = format!("/api/{endpoint}");
        assert!(
            registered.contains(&path),
            "{path} (declared in {file}) is not registered; registered: {registered:?}"
        );
    }
}

#[tokio::test]
async fn stops_gracefully_when_asked() {
    let data_dir = tempfile::tempdir().unwrap();
    let dist_dir = fake_dist();
    let config = config_for(data_dir.path(), dist_dir.path()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve(config, listener, async {
        let _ = stopped.await;
    }));
    let health = reqwest::get(format!("http://{address}/healthz"))
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    stop.send(()).unwrap();
    let result = tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops within 10 s")
        .expect("server task");
    assert!(result.is_ok(), "{result:?}");
}

/// `(file, Some(endpoint))` for each `#[server(...)]` attribute under `folder`.
fn declared_endpoints(folder: &Path) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                let mut offset = 0;
                for line in source.split_inclusive('\n') {
                    if line.trim_start().starts_with("#[server") {
                        let rest = &source[offset..];
                        let attribute = &rest[..rest.find(']').unwrap()];
                        let endpoint = attribute
                            .split("endpoint")
                            .nth(1)
                            .and_then(|value| value.split('"').nth(1).map(str::to_string));
                        found.push((path.display().to_string(), endpoint));
                    }
                    offset += line.len();
                }
            }
        }
    }
    found
}
