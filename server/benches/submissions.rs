//! Load benchmark: accepted procedure submissions per second, and p50/p99 latency, at 1, 8
//! and 32 concurrent clients over real HTTP on loopback, next to the raw rate of durable
//! single-row commits of the same engine on the same disk, measured in the same run. Prints a
//! table.
//!
//! Run: `cargo bench -p server --bench submissions` (SQLite) and
//! `scripts/with-postgres cargo bench -p server --bench submissions` (PostgreSQL); optionally
//! `-- <seconds per level>`.

#[path = "../tests/support/database.rs"]
mod database;
#[path = "../tests/support/load.rs"]
mod load;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use load::LoadClinic;
use server::app::{AppState, router};
use server::config::Config;
use sqlx::Connection as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

const LEVELS: [usize; 3] = [1, 8, 32];

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * fraction).round() as usize]
}

/// Durable single-row commits per second on one connection: the engine's own ceiling for
/// one-commit-per-request, on this disk.
async fn raw_commits_per_second(
    folder: &std::path::Path,
    postgres: Option<&str>,
    seconds: f64,
) -> f64 {
    let started = Instant::now();
    let mut commits = 0u64;
    if let Some(url) = postgres {
        let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query("CREATE TABLE raw_rows (id BIGSERIAL PRIMARY KEY, value TEXT NOT NULL)")
            .execute(&mut connection)
            .await
            .unwrap();
        while started.elapsed().as_secs_f64() < seconds {
            let mut transaction = connection.begin().await.unwrap();
            sqlx::query("INSERT INTO raw_rows (value) VALUES ($1)")
                .bind("x")
                .execute(&mut *transaction)
                .await
                .unwrap();
            transaction.commit().await.unwrap();
            commits += 1;
        }
        return commits as f64 / started.elapsed().as_secs_f64();
    }
    let options = SqliteConnectOptions::new()
        .filename(folder.join("raw.sqlite3"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    while started.elapsed().as_secs_f64() < seconds {
        let mut transaction = pool.begin().await.unwrap();
        sqlx::query("INSERT INTO rows (value) VALUES (?)")
            .bind("x")
            .execute(&mut *transaction)
            .await
            .unwrap();
        transaction.commit().await.unwrap();
        commits += 1;
    }
    commits as f64 / started.elapsed().as_secs_f64()
}

/// One portal in this process on a fresh registry; the levels run against it; a table row each.
async fn run_levels(seconds: f64, raw: f64, postgres: Option<&str>, group_commit: usize) {
    let folder = tempfile::tempdir().unwrap();
    let mut arguments = vec![
        "mdis-server".to_string(),
        "--data-dir".to_string(),
        folder.path().display().to_string(),
        "--dist-dir".to_string(),
        folder.path().join("no-dist").display().to_string(),
        "--dev-mail".to_string(),
        "--sqlite-group-commit".to_string(),
        group_commit.to_string(),
    ];
    if let Some(url) = postgres {
        arguments.extend(["--database-url".to_string(), url.to_string()]);
    }
    let config = Config::try_parse_from(arguments).unwrap();
    let state = AppState::open(&config).await.unwrap();
    let database = state.database.clone();
    let clinic = Arc::new(LoadClinic::create(&database).await);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    let url = Arc::new(format!("http://{address}/api/procedures/submit"));
    let mode = match (postgres, group_commit) {
        (Some(_), _) => "PostgreSQL".to_string(),
        (None, 1) => "one commit each".to_string(),
        (None, writers) => format!("group commit ≤ {writers}"),
    };
    let mut serial = 0usize;
    for clients in LEVELS {
        let started = Instant::now();
        let commits_before = database.group_commit_counts();
        let mut workers = Vec::new();
        for worker in 0..clients {
            let (client, url, clinic) = (client.clone(), url.clone(), clinic.clone());
            let first = serial + worker * 1_000_000;
            workers.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut index = first;
                while started.elapsed().as_secs_f64() < seconds {
                    index += 1;
                    let body = serde_json::json!({ "submission": clinic.submission(format!("load-{index:020}"), index) });
                    let sent = Instant::now();
                    let response = client.post(url.as_str()).header("cookie", clinic.cookie.as_str()).json(&body).send().await.unwrap();
                    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
                    response.bytes().await.unwrap();
                    latencies.push(sent.elapsed());
                }
                latencies
            }));
        }
        let mut latencies = Vec::new();
        for worker in workers {
            latencies.extend(worker.await.unwrap());
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort();
        serial += clients * 1_000_000 + 1;
        let rate = latencies.len() as f64 / elapsed;
        let (writers, commits) = database.group_commit_counts();
        let per_commit = match commits - commits_before.1 {
            0 => "-".to_string(),
            grouped => format!(
                "{:.1}",
                (writers - commits_before.0) as f64 / grouped as f64
            ),
        };
        println!(
            "| {mode:<20} | {clients:>7} | {rate:>10.0} | {:>5.0} % | {:>6.1} | {:>6.1} | {per_commit:>14} | {:>11} |",
            100.0 * rate / raw,
            percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
            percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
            latencies.len()
        );
    }
    let _ = stop.send(());
    server.await.unwrap();
}

#[tokio::main]
async fn main() {
    let seconds: f64 = std::env::args()
        .filter_map(|arg| arg.parse().ok())
        .next()
        .unwrap_or(5.0);
    let scratch = tempfile::tempdir().unwrap();
    let postgres = database::fresh_database_url().await;
    let engine = if postgres.is_some() {
        "PostgreSQL, fsync on, read committed"
    } else {
        "SQLite WAL, synchronous=FULL"
    };
    let raw = raw_commits_per_second(scratch.path(), postgres.as_deref(), seconds.min(3.0)).await;
    println!("Implant Registry: procedure submissions over HTTP on loopback ({engine})");
    println!(
        "{seconds} s per level; each submission: 1 component, register lookup, claim code, audit entry"
    );
    println!("Raw durable single-row commits, one connection, same engine and disk: {raw:.0}/s\n");
    println!(
        "| mode                 | clients | accepted/s | of raw | p50 ms | p99 ms | writers/commit | submissions |"
    );
    println!(
        "|----------------------|--------:|-----------:|-------:|-------:|-------:|---------------:|------------:|"
    );
    match postgres {
        Some(url) => run_levels(seconds, raw, Some(&url), 1).await,
        None => {
            run_levels(seconds, raw, None, 1).await;
            run_levels(seconds, raw, None, server::db::GROUP_COMMIT_WRITERS).await;
        }
    }
}
