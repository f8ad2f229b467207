//! The registry statistics at national scale: prints figures (it is not a pass/fail test).
//!
//! ```sh
//! cargo run --release -p server --example statistics_bench                     # 100k and 1M, SQLite
//! cargo run --release -p server --example statistics_bench -- 20000            # one size
//! MDIS_BENCH_DIR=/tmp/scale-bench cargo run --release -p server --example statistics_bench -- 1000000
//! scripts/with-postgres sh -c 'MDIS_BENCH_POSTGRES_URL=$MDIS_TEST_POSTGRES_URL \
//!   cargo run --release -p server --example statistics_bench -- 100000 1000000'  # PostgreSQL instead
//! ```
//!
//! For each size: a database filled by the synthetic registry's bulk path (seed 14; kept in
//! `MDIS_BENCH_DIR` when set, and an earlier run's reused), then the statistics service as the
//! pages and the REST API use it: the background refresh a server runs at start and after
//! writes (the registry read from the database, today's analysis set built), then what page
//! requests cost: one device's survival, the outlier screen, the dashboard's data, another
//! analysis date, a clinic's view.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::api::statistics::StatisticsQuery;
use clap::Parser;
use domain::calendar::CalendarDate;
use domain::statistics::{Audience, DeviceKey};
use server::app::AppState;
use server::config::Config;
use server::services::statistics::{Statistics, SurvivalOf};
use server::synthetic::{self, Plan};

fn seconds(duration: Duration) -> String {
    format!("{:>8.3} s", duration.as_secs_f64())
}

async fn timed<T>(what: &str, work: impl std::future::Future<Output = T>) -> T {
    let started = Instant::now();
    let result = work.await;
    println!("  {what:<52} {}", seconds(started.elapsed()));
    result
}

async fn postgres_database(admin: &str, name: &str) -> String {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect(admin)
        .await
        .expect("connect to PostgreSQL");
    // Kept when it exists: an earlier run's registry is reused (the fill refuses to add to it).
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_optional(&mut connection)
        .await
        .expect("look for the benchmark database");
    if exists.is_none() {
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut connection)
            .await
            .expect("create the benchmark database");
    }
    let (server, _) = admin.rsplit_once('/').expect("a URL with a database name");
    format!("{server}/{name}")
}

/// Where each size's database (SQLite) or keys (PostgreSQL) live: `MDIS_BENCH_DIR/sqlite-N`
/// or `postgres-N` when set (kept, and reused by the next run, or by `notices_bench`), else a
/// temporary folder.
fn data_folder(name: &str) -> (std::path::PathBuf, Option<tempfile::TempDir>) {
    match std::env::var("MDIS_BENCH_DIR") {
        Ok(root) => {
            let folder = std::path::Path::new(&root).join(name);
            std::fs::create_dir_all(&folder).expect("the benchmark folder");
            (folder, None)
        }
        Err(_) => {
            let temporary = tempfile::tempdir().expect("a temporary folder");
            (temporary.path().to_path_buf(), Some(temporary))
        }
    }
}

async fn run(procedures: u64, postgres: Option<&str>) {
    let engine = if postgres.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let (folder, temporary) = data_folder(&format!("{engine}-{procedures}"));
    let mut args = vec![
        "mdis-server".to_string(),
        "--data-dir".into(),
        folder.display().to_string(),
    ];
    let engine = match postgres {
        Some(admin) => {
            // Reused only with its keys (MDIS_BENCH_DIR); a fresh one otherwise.
            let name = match &temporary {
                None => format!("mdis_bench_{procedures}"),
                Some(_) => format!("mdis_bench_{procedures}_{}", std::process::id()),
            };
            let url = postgres_database(admin, &name).await;
            args.extend(["--database-url".into(), url]);
            "PostgreSQL"
        }
        None => "SQLite",
    };
    let config = Config::try_parse_from(args).expect("configuration");
    let state = AppState::open_with_mailer(&config, Arc::new(server::mailer::LogMailer))
        .await
        .expect("open the database");
    let end = CalendarDate::new(2026, 6, 30).expect("a date");
    println!("\n{procedures} synthetic procedures on {engine}");
    let started = Instant::now();
    let filled = synthetic::fill(
        &state.database,
        &Plan {
            procedures,
            seed: 14,
            end,
        },
    )
    .await;
    match filled {
        Ok(summary) => println!(
            "  {:<52} {}\n    ({} primaries, {} revisions and removals)",
            "synthetic registry generated and written (bulk)",
            seconds(started.elapsed()),
            summary.primaries,
            summary.revisions_and_removals
        ),
        Err(synthetic::SyntheticError::NotEmpty(count)) => {
            println!("  (the registry of an earlier run: {count} procedures)")
        }
        Err(error) => panic!("fill: {error}"),
    }

    // A server that has just started: its refresher reads the registry and builds today's
    // set before any figure is served from it (what every write costs later, in the background).
    let statistics = Statistics::new(
        state.database.clone(),
        config.disclosure_control(),
        server::auth::rate_limit::RateLimiter::new(state.database.clone()),
    );
    let started = Instant::now();
    let loaded = statistics
        .cache()
        .refresh(&state.database)
        .await
        .expect("refresh");
    let refreshed = started.elapsed();
    println!(
        "  {:<52} {}",
        "background: registry read (one streaming query)",
        seconds(loaded.took)
    );
    println!(
        "  {:<52} {}",
        "background: today's analysis set built",
        seconds(refreshed.saturating_sub(loaded.took))
    );
    println!(
        "  {:<52} {}",
        "background: refresh in all (start, or after writes)",
        seconds(refreshed)
    );
    let as_of = state.database.now().day();
    let (_, set) = timed(
        "analysis set of today, from the cache",
        statistics.cache().analysis(&state.database, as_of),
    )
    .await
    .expect("set");
    let busiest = set
        .devices()
        .iter()
        .copied()
        .max_by_key(|device| set.revision_rate_for_device(*device).component_years as u64)
        .unwrap_or(DeviceKey(0));
    let identifier = loaded.identifier(busiest).to_string();
    timed(
        "survival for the most used device (service)",
        statistics.survival(SurvivalOf::Device(identifier.clone()), None, None, None),
    )
    .await
    .expect("survival");
    let started = Instant::now();
    let screen = set.outlier_screen();
    println!(
        "  {:<52} {}",
        "outlier screen over all devices (domain)",
        seconds(started.elapsed())
    );
    println!(
        "    ({} devices screened, {} flagged)",
        screen.len(),
        screen.iter().filter(|row| row.flagged).count()
    );
    timed(
        "outliers (service)",
        statistics.outliers(None, None, None, None),
    )
    .await
    .expect("outliers");
    timed(
        "dashboard page data (public)",
        statistics.dashboard(None, &Default::default(), Audience::Public),
    )
    .await
    .expect("dashboard");
    timed(
        "dashboard page data (registry administrator, exact)",
        statistics.dashboard(None, &Default::default(), Audience::RegistryAdministrator),
    )
    .await
    .expect("dashboard");
    let year_ago = StatisticsQuery {
        as_of: CalendarDate::from_days_since_epoch(as_of.days_since_epoch() - 365)
            .expect("a date")
            .to_iso(),
        ..StatisticsQuery::default()
    };
    timed(
        "dashboard page data, another analysis date (builds)",
        statistics.dashboard(None, &year_ago, Audience::Public),
    )
    .await
    .expect("dashboard");
    let clinic: i64 = 1;
    timed(
        "a clinic's view",
        statistics.clinic_view(clinic, &Default::default()),
    )
    .await
    .expect("clinic");
    state.database.close().await;
}

#[tokio::main]
async fn main() {
    let sizes: Vec<u64> = std::env::args()
        .skip(1)
        .map(|size| {
            size.replace(['_', ','], "")
                .parse()
                .expect("sizes are numbers")
        })
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100_000, 1_000_000]
    } else {
        sizes
    };
    let postgres = std::env::var("MDIS_BENCH_POSTGRES_URL").ok();
    println!(
        "Registry statistics benchmark ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    // One engine a run: SQLite, or the PostgreSQL server named.
    for &size in &sizes {
        run(size, postgres.as_deref()).await;
    }
}
