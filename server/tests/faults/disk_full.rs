//! SQLite on a full disk: the server stays up and answers 503 (try again later), nothing half-
//! written is left, and submissions are accepted again as soon as there is room, without a
//! restart. A file-size limit on the running server (`prlimit --fsize`) stands in for the full
//! disk: every write past the first byte of any file fails as it would with no space left.

use std::process::Command;
use std::time::Duration;

use crate::database::on_postgres;
use crate::faults::kills::scalar;
use crate::portal::run_subcommand;
use crate::registry::{Outcome, Running, client, submit};

fn limit_file_size(pid: u32, limit: &str) {
    let status = Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &format!("--fsize={limit}:")])
        .status()
        .expect("run prlimit (util-linux)");
    assert!(status.success(), "prlimit --fsize={limit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_and_recovers_without_a_restart() {
    if on_postgres() {
        println!("SQLite only: PostgreSQL's own disk is the database server's concern");
        return;
    }
    let Running {
        mut portal,
        database,
        clinic,
        registry,
        _turn,
    } = Running::start().await;
    let client = client(10);
    let base = portal.url("");
    assert!(matches!(
        submit(&client, &base, &clinic, "disk-full-test-0001", 1).await,
        Outcome::Accepted(_)
    ));

    limit_file_size(portal.pid(), "1");
    for attempt in 0..3 {
        let outcome = submit(&client, &base, &clinic, "disk-full-test-0002", 2).await;
        assert!(
            matches!(outcome, Outcome::Unavailable),
            "attempt {attempt} on a full disk: {outcome:?}\n{}",
            portal.log()
        );
    }
    let health = client.get(portal.url("/healthz")).send().await.unwrap();
    assert!(
        health.status().is_success(),
        "the server itself is still up"
    );

    limit_file_size(portal.pid(), "unlimited");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let receipt = match submit(&client, &base, &clinic, "disk-full-test-0002", 2).await {
        Outcome::Accepted(receipt) => receipt,
        other => panic!(
            "not accepted again once there is room: {other:?}\n{}",
            portal.log()
        ),
    };
    assert!(
        !receipt.duplicate,
        "nothing of the refused attempts was kept"
    );
    assert!(matches!(
        submit(&client, &base, &clinic, "disk-full-test-0003", 3).await,
        Outcome::Accepted(_)
    ));
    portal.stop();

    let integrity: String = {
        let mut connection = database.read().await.unwrap();
        server::on_engine!(&mut connection, c => sqlx::query_scalar("PRAGMA integrity_check").fetch_one(c).await)
            .unwrap()
    };
    assert_eq!(integrity, "ok");
    assert_eq!(
        scalar(&database, "SELECT COUNT(*) FROM procedures").await,
        3
    );
    assert_eq!(
        scalar(&database, "SELECT COUNT(*) FROM submissions").await,
        3
    );
    let audit = run_subcommand(&registry.flags, &["verify-audit"]);
    assert!(audit.contains("Audit trail intact"), "{audit}");
}
