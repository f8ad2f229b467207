//! Load benchmark: accepted procedure submissions per second, and p50/p99 latency, at 1, 8
//! and 32 concurrent clients over real HTTP on loopback, next to the raw rate of durable
//! single-row SQLite commits on the same disk. Prints a table.
//!
//! Run: `cargo bench -p server --bench submissions` (optionally `-- <seconds per level>`).

#[path = "../tests/support/load.rs"]
mod load;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use load::LoadClinic;
use server::app::{AppState, router};
use server::config::Config;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

const LEVELS: [usize; 3] = [1, 8, 32];

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * fraction).round() as usize]
}

async fn durable_commits_per_second(folder: &std::path::Path, seconds: f64) -> f64 {
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
    let started = Instant::now();
    let mut commits = 0u64;
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

#[tokio::main]
async fn main() {
    let seconds: f64 = std::env::args()
        .filter_map(|arg| arg.parse().ok())
        .next()
        .unwrap_or(5.0);
    let folder = tempfile::tempdir().unwrap();
    let config = Config::try_parse_from([
        "mdis-server",
        "--data-dir",
        folder.path().to_str().unwrap(),
        "--dist-dir",
        folder.path().join("no-dist").to_str().unwrap(),
        "--dev-mail",
    ])
    .unwrap();
    let state = AppState::open(&config).await.unwrap();
    let database = state.database.clone();
    let clinic = Arc::new(LoadClinic::create(&database).await);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    let url = Arc::new(format!("http://{address}/api/procedures/submit"));

    println!(
        "Implant Registry: procedure submissions over HTTP on loopback (SQLite WAL, synchronous=FULL)"
    );
    println!(
        "{seconds} s per level; each submission: 1 component, register lookup, claim code, audit entry\n"
    );
    println!("| clients | accepted/s | p50 ms | p99 ms | submissions |");
    println!("|--------:|-----------:|-------:|-------:|------------:|");
    let mut serial = 0usize;
    for clients in LEVELS {
        let started = Instant::now();
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
        println!(
            "| {clients:>7} | {:>10.0} | {:>6.1} | {:>6.1} | {:>11} |",
            latencies.len() as f64 / elapsed,
            percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
            percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
            latencies.len()
        );
    }
    let mut connection = database.read().await.unwrap();
    let stored: i64 = server::on_engine!(&mut connection, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM procedures",
    )
    .fetch_one(c)
    .await)
    .unwrap();
    println!("\nRecords stored: {stored}");
    let raw = durable_commits_per_second(folder.path(), seconds.min(3.0)).await;
    println!("Raw durable single-row SQLite commits on the same disk: {raw:.0}/s");
}
