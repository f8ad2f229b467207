//! ≥ 1,000 submissions from 16 clients while the server is killed (SIGKILL) at random points
//! and restarted; then exactly-once and an intact audit chain.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::Mutex;

use crate::database::on_postgres;
use crate::load::{LoadClinic, lot_of};
use crate::portal::{Portal, run_subcommand};
use crate::registry::{Outcome, Registry, client, one_at_a_time, submit};

const CLIENTS: usize = 16;
const PER_CLIENT: usize = 64;
const KILLS: usize = 6;

/// The first receipt each submission was answered with, by idempotency key.
type Answers = BTreeMap<String, (usize, i64)>;

#[derive(Default)]
struct Tally {
    attempts: AtomicUsize,
    accepted: AtomicUsize,
    /// Accepted as a retry of a submission whose earlier attempt was stored but whose
    /// answer was lost to a kill.
    accepted_as_retry: AtomicUsize,
    unavailable: AtomicUsize,
    no_answer: AtomicUsize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn accepted_submissions_survive_kills_exactly_once() {
    let _serial = one_at_a_time().await;
    let registry = Registry::new().await;
    // On PostgreSQL two servers share the database and the clients use both.
    let servers = if on_postgres() { 2 } else { 1 };
    let mut portals = Vec::new();
    for index in 0..servers {
        portals.push(
            Portal::start(
                registry.flags.clone(),
                registry.log_path(&format!("server-{index}")),
            )
            .await,
        );
    }
    let database = registry.open_database().await;
    let clinic = Arc::new(LoadClinic::create(&database).await);
    let urls: Arc<Vec<String>> = Arc::new(portals.iter().map(|p| p.url("")).collect());
    let portals = Arc::new(Mutex::new(portals));

    let seed: u64 = std::env::var("MDIS_FAULT_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().r#gen());
    println!("fault harness seed {seed} (MDIS_FAULT_SEED={seed} repeats the kill points)");
    let mut rng = StdRng::seed_from_u64(seed);
    let total = CLIENTS * PER_CLIENT;
    // Kill when this many answers have come back, plus a few milliseconds more, so the kills
    // fall mid-load whatever this machine's speed.
    let mut kill_points: Vec<(usize, u64, usize)> = (0..KILLS)
        .map(|_| {
            (
                rng.gen_range(total / 20..total * 9 / 10),
                rng.gen_range(0..8),
                rng.gen_range(0..servers),
            )
        })
        .collect();
    kill_points.sort();

    let tally = Arc::new(Tally::default());
    let answers = Arc::new(Mutex::new(Answers::new()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..CLIENTS {
        let (clinic, urls, tally, answers) =
            (clinic.clone(), urls.clone(), tally.clone(), answers.clone());
        workers.push(tokio::spawn(async move {
            let client = client(10);
            for index in 0..PER_CLIENT {
                let serial = worker * PER_CLIENT + index;
                let key = format!("fault-harness-{serial:06}");
                let mut attempt = 0usize;
                let receipt = loop {
                    let url = &urls[(serial + attempt) % urls.len()];
                    attempt += 1;
                    tally.attempts.fetch_add(1, Ordering::Relaxed);
                    match submit(&client, url, &clinic, &key, serial).await {
                        Outcome::Accepted(receipt) => break receipt,
                        Outcome::Unavailable => tally.unavailable.fetch_add(1, Ordering::Relaxed),
                        Outcome::NoAnswer => tally.no_answer.fetch_add(1, Ordering::Relaxed),
                        Outcome::Refused { status, body } => {
                            panic!("submission {key} got {status}: {body}")
                        }
                    };
                    tokio::time::sleep(Duration::from_millis(25)).await;
                };
                if receipt.duplicate {
                    tally.accepted_as_retry.fetch_add(1, Ordering::Relaxed);
                }
                tally.accepted.fetch_add(1, Ordering::Relaxed);
                answers
                    .lock()
                    .await
                    .insert(key, (serial, receipt.record_id));
            }
        }));
    }

    let killer = {
        let (tally, portals) = (tally.clone(), portals.clone());
        tokio::spawn(async move {
            let mut kills = 0;
            for (answered, delay_ms, server) in kill_points {
                while tally.accepted.load(Ordering::Relaxed) < answered {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                let mut portals = portals.lock().await;
                portals[server].kill();
                kills += 1;
                portals[server].restart().await;
            }
            kills
        })
    };
    for worker in workers {
        worker.await.expect("a client finished");
    }
    let kills = killer.await.expect("the killer finished");
    let elapsed = started.elapsed();
    for portal in portals.lock().await.iter_mut() {
        portal.stop();
    }
    let audit = run_subcommand(&registry.flags, &["verify-audit"]);

    let stored = stored_submissions(&database).await;
    let lots = lots_stored(&database).await;
    let procedures: i64 = scalar(&database, "SELECT COUNT(*) FROM procedures").await;
    let answers = answers.lock().await;
    let lost: Vec<_> = answers
        .iter()
        .filter(|(key, (_, record))| stored.get(*key) != Some(record))
        .map(|(key, _)| key.clone())
        .collect();
    let duplicated: Vec<_> = lots.iter().filter(|(_, count)| **count > 1).collect();
    let missing_lots = answers
        .values()
        .filter(|(serial, _)| !lots.contains_key(&lot_of(*serial)))
        .count();

    println!(
        "fault harness ({engine}, {servers} server(s)): {total} submissions from {CLIENTS} clients in {:.1} s; \
         {attempts} attempts; answered accepted {accepted} (of which {retried} on a retry after a lost answer); \
         {unavailable} answered 503, {no_answer} without an answer; found {found}; duplicates {dups}; \
         lost {lost}; kills survived {kills}",
        elapsed.as_secs_f64(),
        engine = if on_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        attempts = tally.attempts.load(Ordering::Relaxed),
        accepted = tally.accepted.load(Ordering::Relaxed),
        retried = tally.accepted_as_retry.load(Ordering::Relaxed),
        unavailable = tally.unavailable.load(Ordering::Relaxed),
        no_answer = tally.no_answer.load(Ordering::Relaxed),
        found = stored.len(),
        dups = duplicated.len(),
        lost = lost.len() + missing_lots,
    );
    assert_eq!(
        answers.len(),
        total,
        "every submission was answered accepted in the end"
    );
    assert!(
        lost.is_empty(),
        "accepted but not stored under its key: {lost:?}"
    );
    assert_eq!(missing_lots, 0, "accepted but its component is missing");
    assert!(
        duplicated.is_empty(),
        "stored more than once: {duplicated:?}"
    );
    assert_eq!(stored.len(), total, "one stored submission per key");
    assert_eq!(
        procedures as usize, total,
        "one record per submission, no strays"
    );
    assert_eq!(kills, KILLS, "every planned kill happened");
    assert!(audit.contains("Audit trail intact"), "{audit}");
}

async fn stored_submissions(database: &server::db::Database) -> BTreeMap<String, i64> {
    let mut connection = database.read().await.unwrap();
    let rows: Vec<(String, i64)> = server::on_engine!(&mut connection, c => sqlx::query_as(
        "SELECT idempotency_key, procedure_id FROM submissions",
    )
    .fetch_all(c)
    .await)
    .unwrap();
    rows.into_iter().collect()
}

/// How many components carry each lot (each submission has its own lot).
async fn lots_stored(database: &server::db::Database) -> BTreeMap<String, i64> {
    let mut connection = database.read().await.unwrap();
    let rows: Vec<(String, i64)> = server::on_engine!(&mut connection, c => sqlx::query_as(
        "SELECT lot, COUNT(*) FROM procedure_components GROUP BY lot",
    )
    .fetch_all(c)
    .await)
    .unwrap();
    rows.into_iter().collect()
}

pub async fn scalar(database: &server::db::Database, sql: &str) -> i64 {
    let mut connection = database.read().await.unwrap();
    server::on_engine!(&mut connection, c => sqlx::query_scalar(sql).fetch_one(c).await)
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}
