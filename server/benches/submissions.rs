//! Load benchmark: accepted procedure submissions per second, and p50/p99 latency, at 1, 8
//! and 32 concurrent clients over real HTTP on loopback, next to the raw rate of durable
//! single-row SQLite commits on the same disk. Prints a table.
//!
//! Run: `cargo bench -p server --bench submissions` (optionally `-- <seconds per level>`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::api::session::Role;
use clap::Parser;
use domain::calendar::CalendarDate;
use domain::procedure::{
    BodySite, ComponentEntry, ComponentIdentity, Consent, Laterality, ProcedureType, Sex,
    Submission,
};
use domain::pseudonym::Pseudonym;
use server::app::{AppState, router};
use server::auth::tokens;
use server::config::Config;
use server::db::devices::{self, NewDevice};
use server::db::sessions::{self, Stage};
use server::db::users::{self, NewUser};
use server::seed::demo_gtin;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

const LEVELS: [usize; 3] = [1, 8, 32];

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * fraction).round() as usize]
}

fn submission(key: String, site_id: i64, gtin: &str, lot: usize) -> Submission {
    Submission {
        idempotency_key: key,
        site_id,
        consultant_gmc: "1234567".into(),
        procedure_date: CalendarDate::new(2026, 11, 2).unwrap(),
        procedure_type: ProcedureType::Primary,
        body_site: BodySite::Hip,
        laterality: Laterality::Left,
        revision_reasons: Vec::new(),
        components: vec![ComponentEntry {
            identity: ComponentIdentity::Udi {
                text: format!("(01){gtin}(17)281231(10)LOAD{lot}"),
            },
        }],
        consent: Consent::Given,
        // Benchmarks measure storage, not the browser's OPRF: any well-formed pseudonym does.
        pseudonym: Some(Pseudonym::try_from(format!("{lot:064x}")).unwrap()),
        year_of_birth: 1960,
        sex: Sex::Female,
        postcode_district: "LS1".into(),
        acknowledged_warnings: Vec::new(),
    }
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
    let mut connection = state.database.write().await.unwrap();
    let organisation = server::db::organisations::insert(&mut connection, "Load Test Clinic")
        .await
        .unwrap()
        .unwrap();
    let site = server::db::organisations::insert_site(&mut connection, organisation, "Theatre")
        .await
        .unwrap()
        .unwrap();
    let user = users::insert(
        &mut connection,
        NewUser {
            email: "load@example.test",
            display_name: "Load",
            role: Role::ClinicUser,
            organisation_id: Some(organisation),
            password_hash: None,
            first_enrolment_by_password: false,
        },
    )
    .await
    .unwrap()
    .unwrap();
    let gtin = demo_gtin("0506000134001");
    devices::insert(
        &mut connection,
        NewDevice {
            device_identifier: &gtin,
            agency: "GS1",
            manufacturer: "Acme",
            name: "Stem",
            catalogue_number: None,
            body_site: Some(BodySite::Hip),
            side: None,
        },
    )
    .await
    .unwrap();
    let token = tokens::new_token();
    sessions::create(
        &mut connection,
        &tokens::hash_token(&token),
        user,
        Stage::Full,
        time::Duration::hours(12),
    )
    .await
    .unwrap();
    connection.commit().await.unwrap();

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
    let cookie = Arc::new(format!("__Host-mdis_session={token}"));

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
            let (client, url, cookie, gtin) =
                (client.clone(), url.clone(), cookie.clone(), gtin.clone());
            let first = serial + worker * 1_000_000;
            workers.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut index = first;
                while started.elapsed().as_secs_f64() < seconds {
                    index += 1;
                    let body = serde_json::json!({ "submission": submission(format!("load-{index:020}"), site, &gtin, index) });
                    let sent = Instant::now();
                    let response = client.post(url.as_str()).header("cookie", cookie.as_str()).json(&body).send().await.unwrap();
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
