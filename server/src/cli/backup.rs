//! `backup` and `restore`. A backup is the database only: the keys folder (pseudonymisation
//! key, account key, audit key) is backed up separately, because a copy of the data next to
//! its keys is a copy anyone can read and link. A restore without the same keys folder cannot
//! open sealed values, verify the audit trail, or link new records to a patient's earlier ones.

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::json;

use super::open_state;
use crate::audit::{self, Event};
use crate::config::Config;
use crate::db::{self, Engine};
use app::api::audit::Action;

pub async fn backup(config: &Config, out: &Path) -> Result<(), String> {
    if out.exists() {
        return Err(format!(
            "{} already exists: choose a new file name (a backup never overwrites)",
            out.display()
        ));
    }
    let state = open_state(config).await?;
    let database = &state.database;
    // Recorded (and anchored) before the copy, so the copy holds its own making.
    audit::record_alone(
        database,
        Event::new(Action::BackupCreated)
            .with(json!({ "file": out.display().to_string(), "engine": database.engine().name() })),
    )
    .await
    .map_err(|error| error.to_string())?;
    audit::anchor(database, &state.anchors)
        .await
        .map_err(|error| error.to_string())?;
    match database.engine() {
        Engine::Sqlite => {
            // An empty file of our own first, so the copy is readable by this user only.
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(out)
                .map_err(|error| format!("cannot create {}: {error}", out.display()))?;
            db::backup::copy_sqlite_into(database, out)
                .await
                .map_err(|error| format!("the copy failed: {error}"))?;
            let copy = db::backup::sqlite_copy_summary(out)
                .await
                .map_err(|error| format!("the copy cannot be read back: {error}"))?;
            if copy.integrity != "ok" {
                return Err(format!(
                    "the copy failed its integrity check: {}",
                    copy.integrity
                ));
            }
            println!(
                "Backup written to {}: {} procedure records, audit trail to entry {}.",
                out.display(),
                copy.procedures,
                copy.audit_head
            );
        }
        Engine::Postgres => {
            let status = Process::new(postgres_tool("pg_dump")?)
                .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(out)
                .arg(config.database_url())
                .status()
                .map_err(|error| format!("cannot run pg_dump: {error}"))?;
            if !status.success() {
                return Err(format!("pg_dump failed ({status})"));
            }
            restrict_to_owner(out)?;
            println!(
                "Backup written to {} (pg_dump custom format).",
                out.display()
            );
        }
    }
    println!(
        "Back up the keys folder {} separately (not next to this file): without its \
         pseudonymisation key a restored registry cannot link new records to earlier ones, and \
         without its audit key the audit trail cannot be verified.",
        config.keys_dir().display()
    );
    Ok(())
}

pub async fn restore(config: &Config, from: &Path) -> Result<(), String> {
    if !from.is_file() {
        return Err(format!("{} is not a backup file", from.display()));
    }
    let url = config.database_url();
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    if let Some(path) = url.strip_prefix("sqlite://") {
        restore_sqlite(config, from, Path::new(path), stamp)?;
    } else {
        if !db::backup::postgres_is_empty(&url)
            .await
            .map_err(|error| format!("cannot reach the target database: {error}"))?
        {
            return Err(
                "the target database is not empty: create a new database and name it with \
                 --database-url (a restore never mixes two registries)"
                    .to_string(),
            );
        }
        let status = Process::new(postgres_tool("pg_restore")?)
            .args([
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
            ])
            .arg(&url)
            .arg(from)
            .status()
            .map_err(|error| format!("cannot run pg_restore: {error}"))?;
        if !status.success() {
            return Err(format!("pg_restore failed ({status})"));
        }
    }
    // The anchors kept since the backup name entries the restored trail no longer has: kept
    // aside as the record of what the restore lost, and a new file started from the backup.
    let anchors = config.audit_anchors_path();
    if anchors.exists() {
        let aside = with_suffix(&anchors, &format!("before-restore-{stamp}"));
        std::fs::rename(&anchors, &aside)
            .map_err(|error| format!("cannot move {} aside: {error}", anchors.display()))?;
        println!(
            "The audit anchors kept until now are in {}.",
            aside.display()
        );
    }
    let state = open_state(config).await?;
    let report = audit::verify(&state.database, Some(&state.anchors))
        .await
        .map_err(|error| error.to_string())?;
    if let Some(broken) = report.first_broken {
        return Err(format!(
            "the restored audit trail is broken at entry {}: {}",
            broken.entry_id, broken.reason
        ));
    }
    audit::record_alone(
        &state.database,
        Event::new(Action::BackupRestored).with(json!({ "file": from.display().to_string() })),
    )
    .await
    .map_err(|error| error.to_string())?;
    audit::anchor(&state.database, &state.anchors)
        .await
        .map_err(|error| error.to_string())?;
    let mut connection = state.database.read().await.map_err(|e| e.to_string())?;
    let procedures = db::backup::procedure_count(&mut connection)
        .await
        .map_err(|error| error.to_string())?;
    println!(
        "Restored from {}: {procedures} procedure records; audit trail intact ({} entries).",
        from.display(),
        report.entries_checked
    );
    Ok(())
}

/// SQLite: the portal must be stopped (it holds the data folder's lock while it runs); the
/// database it had is kept aside, not deleted.
fn restore_sqlite(config: &Config, from: &Path, database: &Path, stamp: i64) -> Result<(), String> {
    let _lock = crate::data_folder::lock(&config.data_dir)
        .map_err(|error| format!("{error}: stop the portal before restoring"))?;
    if database.exists() {
        let aside = with_suffix(database, &format!("before-restore-{stamp}"));
        std::fs::rename(database, &aside)
            .map_err(|error| format!("cannot move {} aside: {error}", database.display()))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
        }
        println!("The database it replaces is kept in {}.", aside.display());
    }
    std::fs::copy(from, database)
        .map_err(|error| format!("cannot copy {} into place: {error}", from.display()))?;
    restrict_to_owner(database)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}.{suffix}", path.display()))
}

fn restrict_to_owner(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|error| format!("cannot restrict {}: {error}", path.display()))
}

/// A PostgreSQL client tool: on the PATH, or in Debian's versioned folder (newest first).
fn postgres_tool(name: &str) -> Result<PathBuf, String> {
    if Process::new(name).arg("--version").output().is_ok() {
        return Ok(PathBuf::from(name));
    }
    let mut folders: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin").join(name))
        .filter(|path| path.is_file())
        .collect();
    folders.sort();
    folders.pop().ok_or_else(|| {
        format!("{name} is not installed: install the PostgreSQL client tools (Debian: postgresql-client)")
    })
}
