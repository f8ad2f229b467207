//! Starting a real server for a test: a fresh temporary data folder (so a fresh SQLite file, or
//! a fresh database on the test PostgreSQL server), a small built-app folder, port 0 on
//! loopback, real HTTP. And what the server did that a test checks afterwards: the mail it
//! sent, the audit entries it wrote.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Parser;
use server::app::{AppState, router};
use server::config::Config;
use server::mailer::RecordingMailer;
use tempfile::TempDir;

use crate::database::fresh_database_url;

/// The inline start-up script of the test `index.html`; the CSP must allow exactly it.
pub const INLINE_SCRIPT: &str = "import init from '/app-0123456789abcdef.js'; await init();";

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    pub mailer: Arc<RecordingMailer>,
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

pub async fn config_for(data_dir: &Path, dist_dir: &Path) -> Config {
    config_with(data_dir, dist_dir, &[]).await
}

/// The test configuration with `extra` flags after the usual ones.
pub async fn config_with(data_dir: &Path, dist_dir: &Path, extra: &[&str]) -> Config {
    let database = fresh_database_url().await;
    let mut args = vec![
        "mdis-server",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        data_dir.to_str().unwrap(),
        "--dist-dir",
        dist_dir.to_str().unwrap(),
        "--dev-mail",
    ];
    if let Some(url) = &database {
        args.extend_from_slice(&["--database-url", url]);
    }
    args.extend_from_slice(extra);
    Config::try_parse_from(args).expect("test configuration")
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
    // The service worker, and a copy compressed at build time (scripts/build-shell.mjs).
    write("sw.js", b"self.addEventListener('fetch', () => {});\n");
    write("sw.js.br", FAKE_PRECOMPRESSED);
    dist
}

/// With `MDIS_TEST_LOG` set (e.g. `MDIS_TEST_LOG=debug`), the servers' logs go to the test
/// output: what to look at when a test gets a 500.
fn log_when_asked() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("MDIS_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

/// Stands in for a brotli file the build wrote: served as it is, never compressed again.
pub const FAKE_PRECOMPRESSED: &[u8] = b"precompressed by the build";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[], Arc::new(RecordingMailer::default()), None).await
}

/// A test app with extra configuration flags, a mailer of the test's (whose messages
/// `TestApp::emails` reads when it is a `RecordingMailer`), and optionally its own mail server.
pub async fn spawn_app_with(
    extra: &[&str],
    mailer: Arc<RecordingMailer>,
    sending: Option<Arc<dyn server::mailer::Mailer>>,
) -> TestApp {
    log_when_asked();
    let data_dir = tempfile::tempdir().expect("temporary data folder");
    let dist_dir = fake_dist();
    let config = config_with(data_dir.path(), dist_dir.path(), extra).await;
    let state = AppState::open_with_mailer(&config, sending.unwrap_or_else(|| mailer.clone()))
        .await
        .expect("open the app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
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
        mailer,
        data_dir,
        _dist_dir: dist_dir,
        _shutdown: shutdown,
    }
}

/// What the server sent and recorded.
impl TestApp {
    /// The emails sent so far, once the outbox has sent everything queued (the sender runs
    /// after the request that queued a message has been answered).
    pub async fn emails(&self) -> Vec<server::mailer::SentMessage> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            self.state.mail.wake();
            if self.state.mail.waiting().await.unwrap() == 0 {
                return self.mailer.messages();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the outbox did not empty"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The emails sent so far whose subject starts with `subject`.
    pub async fn emails_about(&self, subject: &str) -> Vec<server::mailer::SentMessage> {
        self.emails()
            .await
            .into_iter()
            .filter(|message| message.subject.starts_with(subject))
            .collect()
    }

    /// Audit actions recorded so far, oldest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        self.sql_column("SELECT action FROM audit_log ORDER BY id")
            .await
    }

    /// Whether `action` has been audited.
    pub async fn audited(&self, action: &str) -> bool {
        self.audit_actions()
            .await
            .iter()
            .any(|recorded| recorded == action)
    }

    /// How many times `action` has been audited.
    pub async fn audit_count(&self, action: &str) -> usize {
        self.audit_actions()
            .await
            .iter()
            .filter(|recorded| *recorded == action)
            .count()
    }
}
