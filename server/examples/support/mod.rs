//! What the benchmarks share: where each size's data lives, opening it on either engine, the
//! synthetic registry they measure, the sizes asked for and how times are printed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use domain::calendar::CalendarDate;
use server::app::AppState;
use server::config::Config;
use server::synthetic::{self, Plan, SyntheticSummary};

/// A time as the benchmarks print it, in a column.
pub fn seconds(duration: Duration) -> String {
    format!("{:>8.3} s", duration.as_secs_f64())
}

/// The sizes named on the command line (`1_000_000` and `1,000,000` read as one million),
/// else `default`.
pub fn sizes(default: &[u64]) -> Vec<u64> {
    let sizes: Vec<u64> = std::env::args()
        .skip(1)
        .map(|size| {
            size.replace(['_', ','], "")
                .parse()
                .expect("sizes are numbers")
        })
        .collect();
    if sizes.is_empty() {
        default.to_vec()
    } else {
        sizes
    }
}

/// This machine's cores, for the heading.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Where a size's database (SQLite) or keys (PostgreSQL) live: `MDIS_BENCH_DIR/<name>` when
/// set (kept, and reused by the next run of either benchmark), else a temporary folder.
pub fn data_folder(name: &str) -> (PathBuf, Option<tempfile::TempDir>) {
    match std::env::var("MDIS_BENCH_DIR") {
        Ok(root) => {
            let folder = Path::new(&root).join(name);
            std::fs::create_dir_all(&folder).expect("the benchmark folder");
            (folder, None)
        }
        Err(_) => {
            let temporary = tempfile::tempdir().expect("a temporary folder");
            (temporary.path().to_path_buf(), Some(temporary))
        }
    }
}

/// Opens the SQLite database in `folder`, or with `postgres` (the server's administration URL
/// and a database name) that PostgreSQL database, created if missing and kept otherwise (an
/// earlier run's registry is reused: the fill refuses to add to it).
pub async fn open(folder: &Path, postgres: Option<(&str, &str)>) -> (Config, AppState) {
    let mut args = vec![
        "mdis-server".to_string(),
        "--data-dir".into(),
        folder.display().to_string(),
    ];
    if let Some((admin, name)) = postgres {
        use sqlx::Connection;
        let mut connection = sqlx::PgConnection::connect(admin)
            .await
            .expect("connect to PostgreSQL");
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
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
        args.extend(["--database-url".into(), format!("{server}/{name}")]);
    }
    let config = Config::try_parse_from(args).expect("configuration");
    let state = AppState::open_with_mailer(&config, Arc::new(server::mailer::LogMailer))
        .await
        .expect("open the database");
    (config, state)
}

/// Opens the database for the synthetic registry of `procedures`, on PostgreSQL when
/// `postgres` names a server. With `MDIS_BENCH_DIR` it is kept (in `<engine>-<procedures>`,
/// and on PostgreSQL as `mdis_bench_<procedures>`, whose keys the folder holds) for the next
/// run of either benchmark; otherwise it is fresh: a temporary folder (returned, to keep it
/// while it is used) and a database `<fresh>_<procedures>_<process id>`.
pub async fn open_registry(
    procedures: u64,
    postgres: Option<&str>,
    fresh: &str,
) -> (Config, AppState, Option<tempfile::TempDir>) {
    let engine = if postgres.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let (folder, temporary) = data_folder(&format!("{engine}-{procedures}"));
    let name = match &temporary {
        None => format!("mdis_bench_{procedures}"),
        Some(_) => format!("{fresh}_{procedures}_{}", std::process::id()),
    };
    let (config, state) = open(&folder, postgres.map(|admin| (admin, name.as_str()))).await;
    (config, state, temporary)
}

/// Fills the synthetic registry of `procedures` (seed 14, ending 30 June 2026) by the bulk
/// path and prints how long it took as `label` in a column `width` wide; `None` when an
/// earlier run's registry is there already (it is used as it is).
pub async fn fill_registry(
    state: &AppState,
    procedures: u64,
    label: &str,
    width: usize,
) -> Option<SyntheticSummary> {
    let started = Instant::now();
    let plan = Plan {
        procedures,
        seed: 14,
        end: CalendarDate::new(2026, 6, 30).expect("a date"),
    };
    match synthetic::fill(&state.database, &plan).await {
        Ok(summary) => {
            println!("  {label:<width$} {}", seconds(started.elapsed()));
            Some(summary)
        }
        Err(synthetic::SyntheticError::NotEmpty(count)) => {
            println!("  (the registry of an earlier run: {count} procedures)");
            None
        }
        Err(error) => panic!("fill: {error}"),
    }
}
