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

use std::time::Instant;

use app::api::statistics::StatisticsQuery;
use domain::calendar::CalendarDate;
use domain::statistics::{Audience, DeviceKey};
use server::services::statistics::{Statistics, SurvivalOf};

mod support;

use support::seconds;

async fn timed<T>(what: &str, work: impl std::future::Future<Output = T>) -> T {
    let started = Instant::now();
    let result = work.await;
    println!("  {what:<52} {}", seconds(started.elapsed()));
    result
}

async fn run(procedures: u64, postgres: Option<&str>) {
    let (config, state, _folder) = support::open_registry(procedures, postgres, "mdis_bench").await;
    println!(
        "\n{procedures} synthetic procedures on {}",
        state.database.engine().name()
    );
    let label = "synthetic registry generated and written (bulk)";
    if let Some(summary) = support::fill_registry(&state, procedures, label, 52).await {
        println!(
            "    ({} primaries, {} revisions and removals)",
            summary.primaries, summary.revisions_and_removals
        );
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
    let sizes = support::sizes(&[100_000, 1_000_000]);
    let postgres = std::env::var("MDIS_BENCH_POSTGRES_URL").ok();
    println!("Registry statistics benchmark ({} cores)", support::cores());
    // One engine a run: SQLite, or the PostgreSQL server named.
    for &size in &sizes {
        run(size, postgres.as_deref()).await;
    }
}
