//! One registry for a fault test: its own data folder and database (a fresh SQLite file, or a
//! fresh database on the test PostgreSQL server), the flags that point servers at it, and a
//! client that submits procedures the way the browser's outbox does.

use std::sync::Arc;

use app::api::procedures::Receipt;
use clap::Parser;
use server::clock::ServerClock;
use server::config::Config;
use server::db::Database;
use tempfile::TempDir;

use crate::database::fresh_database_url;
use crate::load::LoadClinic;
use crate::portal::{Portal, registry_flags};

/// Fault tests stop servers (and on PostgreSQL the database server itself): one at a time.
pub async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    SERIAL.lock().await
}

/// A fault test's usual start: its turn, a fresh registry, one portal on it, the test's own
/// connection to its database, and a clinic. Bind every field: the turn is held until the
/// test ends, and the portal stops before its data folder goes.
pub struct Running {
    pub portal: Portal,
    pub database: Database,
    pub clinic: LoadClinic,
    pub registry: Registry,
    pub _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Running {
    pub async fn start() -> Running {
        let _turn = one_at_a_time().await;
        let registry = Registry::new().await;
        let portal = Portal::start(registry.flags.clone(), registry.log_path("server")).await;
        let database = registry.open_database().await;
        let clinic = LoadClinic::create(&database).await;
        Running {
            portal,
            database,
            clinic,
            registry,
            _turn,
        }
    }
}

pub struct Registry {
    pub folder: TempDir,
    pub flags: Vec<String>,
}

impl Registry {
    pub async fn new() -> Registry {
        let folder = tempfile::tempdir().expect("a temporary data folder");
        let url = fresh_database_url().await;
        let flags = registry_flags(folder.path(), url.as_deref());
        Registry { folder, flags }
    }

    /// The database the servers use, opened by the test itself (to set up and to inspect).
    pub async fn open_database(&self) -> Database {
        let arguments = std::iter::once("mdis-server".to_string()).chain(self.flags.clone());
        let config = Config::try_parse_from(arguments).expect("the registry's flags parse");
        Database::open(&config.database_url(), Arc::new(ServerClock::default()))
            .await
            .expect("open the registry's database")
    }

    pub fn log_path(&self, name: &str) -> std::path::PathBuf {
        self.folder.path().join(format!("{name}.log"))
    }
}

/// What one attempt to submit got back.
#[derive(Debug)]
pub enum Outcome {
    Accepted(Receipt),
    /// 503: the server is up but its storage cannot take the record just now.
    Unavailable,
    /// No answer: refused connection, reset, timeout (the server is down or was killed).
    NoAnswer,
    /// Anything else: a failure of the test.
    Refused {
        status: u16,
        body: String,
    },
}

/// Submits submission `serial` with idempotency `key` to the server at `base_url`.
pub async fn submit(
    client: &reqwest::Client,
    base_url: &str,
    clinic: &LoadClinic,
    key: &str,
    serial: usize,
) -> Outcome {
    let body = serde_json::json!({ "submission": clinic.submission(key.to_string(), serial) });
    let sent = client
        .post(format!("{base_url}/api/procedures/submit"))
        .header("cookie", &clinic.cookie)
        .json(&body)
        .send()
        .await;
    let Ok(response) = sent else {
        return Outcome::NoAnswer;
    };
    let status = response.status();
    let Ok(text) = response.text().await else {
        return Outcome::NoAnswer;
    };
    match status.as_u16() {
        200 => Outcome::Accepted(
            serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}")),
        ),
        503 => Outcome::Unavailable,
        status => Outcome::Refused { status, body: text },
    }
}

/// A client that gives up on an attempt after `seconds` (a killed server's half-open
/// connection must not hang a test).
pub fn client(seconds: u64) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(seconds))
        .build()
        .expect("an HTTP client")
}
