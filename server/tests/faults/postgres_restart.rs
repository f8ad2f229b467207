//! The PostgreSQL server restarted under a running portal: while it is down submissions get a
//! clear 503 (try again later), and once it is back they are accepted again, without
//! restarting the portal; nothing is stored twice.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::database::on_postgres;
use crate::faults::kills::scalar;
use crate::portal::run_subcommand;
use crate::registry::{Outcome, Running, client, submit};

fn database_server(action: &str) {
    let control = std::env::var("MDIS_TEST_POSTGRES_CONTROL")
        .expect("MDIS_TEST_POSTGRES_CONTROL (scripts/with-postgres sets it)");
    let status = Command::new(control)
        .arg(action)
        .status()
        .expect("run the PostgreSQL control script");
    assert!(status.success(), "PostgreSQL {action}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_database_server_answers_503_then_recovers() {
    if !on_postgres() {
        println!("PostgreSQL only: run under scripts/with-postgres");
        return;
    }
    let Running {
        mut portal,
        database,
        clinic,
        registry,
        _turn,
    } = Running::start().await;
    let client = client(30);
    let base = portal.url("");
    let first = submit(&client, &base, &clinic, "restart-test-00001", 1).await;
    assert!(matches!(first, Outcome::Accepted(_)), "{first:?}");

    database_server("stop");
    let refused = submit(&client, &base, &clinic, "restart-test-00002", 2).await;
    let restarted = Instant::now();
    database_server("start");
    assert!(
        matches!(refused, Outcome::Unavailable),
        "with the database server down: {refused:?}"
    );

    let receipt = loop {
        match submit(&client, &base, &clinic, "restart-test-00002", 2).await {
            Outcome::Accepted(receipt) => break receipt,
            Outcome::Unavailable if restarted.elapsed() < Duration::from_secs(30) => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            other => panic!("not accepted after the database server came back: {other:?}"),
        }
    };
    assert!(!receipt.duplicate, "the refused attempt stored nothing");
    let again = submit(&client, &base, &clinic, "restart-test-00002", 2).await;
    assert!(
        matches!(&again, Outcome::Accepted(receipt) if receipt.duplicate),
        "a retry is answered from the stored record: {again:?}"
    );
    portal.stop();
    assert_eq!(
        scalar(&database, "SELECT COUNT(*) FROM procedures").await,
        2
    );
    let audit = run_subcommand(&registry.flags, &["verify-audit"]);
    assert!(audit.contains("Audit trail intact"), "{audit}");
}
