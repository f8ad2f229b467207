//! Starting a real server for a test: a fresh temporary data folder (so a fresh SQLite file), a
//! small built-app folder, port 0 on loopback, real HTTP.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;
use server::app::{AppState, router};
use server::config::Config;
use tempfile::TempDir;

/// The inline start-up script of the test `index.html`; the CSP must allow exactly it.
pub const INLINE_SCRIPT: &str = "import init from '/app-0123456789abcdef.js'; await init();";

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    pub data_dir: TempDir,
    _dist_dir: TempDir,
    /// Dropping the test app drops this, which shuts the server down gracefully.
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Calls a server function the way the browser does (form-encoded POST).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .expect("POST server function")
    }
}

pub fn config_for(data_dir: &Path, dist_dir: &Path) -> Config {
    Config::try_parse_from([
        "mdis-server",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        data_dir.to_str().unwrap(),
        "--dist-dir",
        dist_dir.to_str().unwrap(),
    ])
    .expect("test configuration")
}

/// A built-app folder shaped like Trunk's output.
pub fn fake_dist() -> TempDir {
    let dist = tempfile::tempdir().expect("temporary dist folder");
    let write = |name: &str, contents: &[u8]| {
        let path: PathBuf = dist.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    };
    write(
        "index.html",
        format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><head><title>Implant Registry</title>\
             <link rel=\"stylesheet\" href=\"/main-fedcba9876543210.css\">\
             <script type=\"module\">{INLINE_SCRIPT}</script></head><body></body></html>"
        )
        .as_bytes(),
    );
    write(
        "app-0123456789abcdef.js",
        b"export default async function init() {}\n",
    );
    // Compressible and larger than the compression threshold.
    write(
        "app-0123456789abcdef_bg.wasm",
        &[b"\0asm\x01\0\0\0".as_slice(), &[0u8; 4096]].concat(),
    );
    write(
        "main-fedcba9876543210.css",
        "body { margin: 0; }\n".repeat(200).as_bytes(),
    );
    write(
        "favicon.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    dist
}

pub async fn spawn_app() -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary data folder");
    let dist_dir = fake_dist();
    let config = config_for(data_dir.path(), dist_dir.path());
    let state = AppState::open(&config).await.expect("open the app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(state.clone());
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .expect("serve");
    });
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        state,
        data_dir,
        _dist_dir: dist_dir,
        _shutdown: shutdown,
    }
}
