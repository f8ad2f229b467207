//! The registry statistics at national scale: prints figures (it is not a pass/fail test).
//!
//! ```sh
//! cargo run --release -p server --example statistics_bench                     # 100k and 1M, SQLite
//! cargo run --release -p server --example statistics_bench -- 20000            # one size
//! MDIS_BENCH_POSTGRES_URL=postgres://mdis@127.0.0.1:5432/postgres \
//!   cargo run --release -p server --example statistics_bench -- 100000 1000000  # PostgreSQL too
//! ```
//!
//! For each size: a fresh database filled by the synthetic registry (seed 14), then the
//! statistics service as the pages and the REST API use it: the registry read from the
//! database, the analysis set built, one device's survival, the outlier screen, and the public
//! dashboard's data with a cold and a warm cache.

use std::sync::Arc;
use std::time::{Duration, Instant};

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
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut connection)
        .await
        .expect("drop the old benchmark database");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut connection)
        .await
        .expect("create the benchmark database");
    let (server, _) = admin.rsplit_once('/').expect("a URL with a database name");
    format!("{server}/{name}")
}

async fn run(procedures: u64, postgres: Option<&str>) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut args = vec![
        "mdis-server".to_string(),
        "--data-dir".into(),
        folder.path().display().to_string(),
    ];
    let engine = match postgres {
        Some(admin) => {
            let url = postgres_database(admin, &format!("mdis_bench_{procedures}")).await;
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
    let summary = timed(
        "synthetic registry generated and written",
        synthetic::fill(
            &state.database,
            &Plan {
                procedures,
                seed: 14,
                end,
            },
        ),
    )
    .await
    .expect("fill");
    println!(
        "    ({} primaries, {} revisions and removals)",
        summary.primaries, summary.revisions_and_removals
    );

    let statistics = Statistics::new(
        state.database.clone(),
        config.disclosure_control(),
        server::auth::rate_limit::RateLimiter::new(state.database.clone()),
    );
    let loaded = timed(
        "registry read from the database (one streaming query)",
        statistics.cache().current(&state.database),
    )
    .await
    .expect("load");
    let as_of = state.database.now().day();
    let (_, set) = timed(
        "analysis set built (linkage, device index)",
        statistics.cache().analysis(&state.database, as_of),
    )
    .await
    .expect("build");
    let busiest = set
        .devices()
        .iter()
        .copied()
        .max_by_key(|device| set.revision_rate_for_device(*device).component_years as u64)
        .unwrap_or(DeviceKey(0));
    let identifier = loaded.identifier(busiest).to_string();
    timed(
        "survival for the most used device (service, warm)",
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
        "outliers (service, warm)",
        statistics.outliers(None, None, None, None),
    )
    .await
    .expect("outliers");
    timed(
        "dashboard page data (warm: set built)",
        statistics.dashboard(None, &Default::default(), Audience::Public),
    )
    .await
    .expect("dashboard");

    // A server that has just started: nothing in memory.
    let cold = Statistics::new(
        state.database.clone(),
        config.disclosure_control(),
        server::auth::rate_limit::RateLimiter::new(state.database.clone()),
    );
    timed(
        "dashboard page data (cold: read, build, figures)",
        cold.dashboard(None, &Default::default(), Audience::Public),
    )
    .await
    .expect("dashboard");
    timed(
        "dashboard page data (warm, again)",
        cold.dashboard(None, &Default::default(), Audience::Public),
    )
    .await
    .expect("dashboard");
    let clinic: i64 = 1;
    timed(
        "a clinic's view (warm)",
        cold.clinic_view(clinic, &Default::default()),
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
    for &size in &sizes {
        run(size, None).await;
    }
    if let Some(admin) = postgres.as_deref() {
        for &size in &sizes {
            run(size, Some(admin)).await;
        }
    }
}
