//! Starting a real server for a test: a fresh temporary data folder (so a fresh SQLite file), a
//! small built-app folder, port 0 on loopback, real HTTP.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use app::api::session::Role;
use clap::Parser;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::Value;
use server::app::{AppState, router};
use server::auth::{passwords, totp};
use server::config::Config;
use server::db::users::{self, NewUser};
use server::mailer::RecordingMailer;
use tempfile::TempDir;

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

pub use crate::database::{fresh_database_url, on_postgres};

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

/// The password every test account gets.
pub const PASSWORD: &str = "copper kettle orbit meadow";

/// A browser: keeps its session cookie between calls, as a real one does.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    cookie: Mutex<Option<String>>,
    /// The authenticator secret, once enrolled.
    pub secret: Mutex<Option<Vec<u8>>>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookie: Mutex::new(None),
            secret: Mutex::new(None),
        }
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    pub fn set_session_cookie(&self, cookie: Option<String>) {
        *self.cookie.lock().unwrap() = cookie;
    }

    /// Calls a form-encoded server function, sending and keeping the session cookie.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let request = self
            .app
            .client
            .post(self.app.url(&format!("/api/{endpoint}")))
            .form(form);
        self.send(request).await
    }

    /// Calls a JSON-encoded server function.
    pub async fn call_json(&self, endpoint: &str, body: &Value) -> reqwest::Response {
        let request = self
            .app
            .client
            .post(self.app.url(&format!("/api/{endpoint}")))
            .json(body);
        self.send(request).await
    }

    async fn send(&self, mut request: reqwest::RequestBuilder) -> reqwest::Response {
        if let Some(cookie) = self.session_cookie() {
            request = request.header(COOKIE, format!("__Host-mdis_session={cookie}"));
        }
        let response = request.send().await.expect("request");
        for value in response.headers().get_all(SET_COOKIE) {
            let value = value.to_str().unwrap();
            let token = value.split(';').next().unwrap().split_once('=').unwrap().1;
            self.set_session_cookie((!token.is_empty()).then(|| token.to_string()));
        }
        response
    }

    /// A current authenticator code for a step not used yet (`offset` steps ahead).
    pub fn code(&self, offset: u64) -> String {
        let secret = self.secret.lock().unwrap().clone().expect("enrolled");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        totp::code_at_step(&secret, totp::step_at(now) + offset, totp::DIGITS)
    }

    /// Signs in with the password and, for staff, sets up or uses the authenticator.
    pub async fn sign_in(&self, email: &str) -> Value {
        let response = self
            .call("sign-in", &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(
            response.status(),
            200,
            "sign in {email}: {}",
            response.text().await.unwrap()
        );
        let state: Value = response.json().await.unwrap();
        if state.get("EnrolmentRequired").is_some() {
            self.enrol().await;
        } else if state.get("SecondFactorRequired").is_some() {
            let response = self
                .call("sign-in/second-factor", &[("code", &self.code(1))])
                .await;
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        }
        let state: Value = self.call("session", &[]).await.json().await.unwrap();
        assert!(state.get("SignedIn").is_some(), "{state}");
        state
    }

    /// Sets up an authenticator; returns the recovery codes.
    pub async fn enrol(&self) -> Vec<String> {
        let details: Value = self
            .call("second-factor/enrolment", &[])
            .await
            .json()
            .await
            .unwrap();
        let secret = totp::from_base32(details["secret"].as_str().unwrap()).unwrap();
        *self.secret.lock().unwrap() = Some(secret);
        let response = self
            .call(
                "second-factor/enrolment/confirm",
                &[("code", &self.code(0))],
            )
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }
}

/// A value a test reads straight from the database, on either engine.
pub trait Stored:
    for<'r> sqlx::Decode<'r, sqlx::Sqlite>
    + sqlx::Type<sqlx::Sqlite>
    + for<'r> sqlx::Decode<'r, sqlx::Postgres>
    + sqlx::Type<sqlx::Postgres>
    + Send
    + Unpin
{
}

impl<T> Stored for T where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>
        + for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + Send
        + Unpin
{
}

/// Reading and changing the database directly, the way an attacker with database access or a
/// test checking what was stored would, on whichever engine the suite runs.
impl TestApp {
    /// The one value `sql` selects.
    pub async fn sql_scalar<T: Stored>(&self, sql: &str) -> T {
        let mut connection = self.state.database.read().await.unwrap();
        server::on_engine!(&mut connection, c => sqlx::query_scalar(sql).fetch_one(c).await)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    /// The first column of every row `sql` selects.
    pub async fn sql_column<T: Stored>(&self, sql: &str) -> Vec<T> {
        let mut connection = self.state.database.read().await.unwrap();
        server::on_engine!(&mut connection, c => sqlx::query_scalar(sql).fetch_all(c).await)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    /// Runs a statement outside the portal.
    pub async fn sql_execute(&self, sql: &str) {
        self.sql_try_execute(sql)
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    /// Runs a statement outside the portal; the database's refusal, if it refuses.
    pub async fn sql_try_execute(&self, sql: &str) -> Result<(), String> {
        let mut connection = self.state.database.read().await.unwrap();
        server::on_engine!(&mut connection, c => sqlx::query(sql).execute(c).await.map(drop))
            .map_err(|error| error.to_string())
    }

    /// Removes the triggers that keep the audit trail append-only, as someone with full
    /// database access could.
    pub async fn allow_audit_tampering(&self) {
        let mut connection = self.state.database.read().await.unwrap();
        match server::db::Connection::conn(&mut connection) {
            server::db::Conn::Sqlite(c) => {
                for trigger in [
                    "audit_log_is_append_only_update",
                    "audit_log_is_append_only_delete",
                ] {
                    sqlx::query(&format!("DROP TRIGGER IF EXISTS {trigger}"))
                        .execute(&mut *c)
                        .await
                        .unwrap();
                }
            }
            server::db::Conn::Postgres(c) => {
                sqlx::query("DROP TRIGGER IF EXISTS audit_log_is_append_only ON audit_log")
                    .execute(&mut *c)
                    .await
                    .unwrap();
            }
        }
    }

    /// An organisation with one site; returns its id.
    pub async fn organisation(&self, name: &str) -> i64 {
        let mut connection = self.state.database.write().await.unwrap();
        let id = server::db::organisations::insert(&mut connection, name)
            .await
            .unwrap()
            .unwrap();
        server::db::organisations::insert_site(&mut connection, id, "Main theatre")
            .await
            .unwrap();
        connection.commit().await.unwrap();
        id
    }

    /// An account with `PASSWORD`, created directly in the database. Staff accounts stand
    /// for someone who followed their invitation: they set up their authenticator at their
    /// first sign-in.
    pub async fn user(&self, email: &str, role: Role, organisation_id: Option<i64>) -> i64 {
        let hash = passwords::hash(PASSWORD.to_string()).await.unwrap();
        let mut connection = self.state.database.write().await.unwrap();
        let id = users::insert(
            &mut connection,
            NewUser {
                email,
                display_name: "Test Person",
                role,
                organisation_id,
                password_hash: Some(&hash),
                first_enrolment_by_password: role.requires_second_factor(),
            },
        )
        .await
        .unwrap()
        .expect("new email");
        connection.commit().await.unwrap();
        id
    }

    /// A browser signed in as a new account of `role` (staff enrolled in a second factor).
    pub async fn signed_in(
        &self,
        email: &str,
        role: Role,
        organisation_id: Option<i64>,
    ) -> Browser<'_> {
        self.user(email, role, organisation_id).await;
        let browser = Browser::new(self);
        browser.sign_in(email).await;
        browser
    }

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
}
