//! A backup taken while the portal runs, restored: the restored registry holds exactly what
//! was accepted before the backup, its audit trail verifies, and the portal runs on it.

use crate::database::{fresh_database_url, on_postgres};
use crate::portal::{Portal, registry_flags, run_subcommand, try_subcommand};
use crate::registry::{Outcome, Running, client, submit};

fn key(serial: usize) -> String {
    format!("backup-test-{serial:06}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_running_restores_and_verifies() {
    let Running {
        mut portal,
        database,
        clinic,
        registry,
        _turn,
    } = Running::start().await;
    let client = client(10);
    let base = portal.url("");
    for serial in 1..=3 {
        let outcome = submit(&client, &base, &clinic, &key(serial), serial).await;
        assert!(matches!(outcome, Outcome::Accepted(_)), "{outcome:?}");
    }

    let file = registry.folder.path().join("registry.backup");
    let file_name = file.display().to_string();
    let made = run_subcommand(&registry.flags, &["backup", "--out", &file_name]);
    assert!(made.contains("Backup written to"), "{made}");
    assert!(
        made.contains("keys folder"),
        "the keys are named as a separate backup: {made}"
    );
    let (again, refused) = try_subcommand(&registry.flags, &["backup", "--out", &file_name]);
    assert!(!again && refused.contains("already exists"), "{refused}");

    // Accepted after the backup: the restore will not have it.
    let after = submit(&client, &base, &clinic, &key(4), 4).await;
    assert!(matches!(after, Outcome::Accepted(_)), "{after:?}");

    let restored_flags = if on_postgres() {
        // Into a new, empty database; the same keys folder.
        let url = fresh_database_url().await.expect("a PostgreSQL database");
        registry_flags(registry.folder.path(), Some(&url))
    } else {
        let (running, refused) =
            try_subcommand(&registry.flags, &["restore", "--from", &file_name]);
        assert!(!running && refused.contains("stop the portal"), "{refused}");
        registry.flags.clone()
    };
    portal.stop();
    drop(database);

    let restored = run_subcommand(&restored_flags, &["restore", "--from", &file_name]);
    assert!(restored.contains("3 procedure records"), "{restored}");
    let audit = run_subcommand(&restored_flags, &["verify-audit"]);
    assert!(audit.contains("Audit trail intact"), "{audit}");

    let portal = Portal::start(restored_flags, registry.log_path("restored")).await;
    let base = portal.url("");
    let kept = submit(&client, &base, &clinic, &key(1), 1).await;
    assert!(
        matches!(&kept, Outcome::Accepted(receipt) if receipt.duplicate),
        "a record from before the backup is there: {kept:?}"
    );
    let lost = submit(&client, &base, &clinic, &key(4), 4).await;
    assert!(
        matches!(&lost, Outcome::Accepted(receipt) if !receipt.duplicate),
        "the record accepted after the backup is not (it is accepted anew): {lost:?}"
    );
}
