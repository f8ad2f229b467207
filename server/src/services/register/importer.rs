//! The import itself, for the page's uploads and for `mdis-server import-devices`: files are
//! read row by row on a blocking thread (never whole into memory) and written in batches, one
//! transaction each, with the progress noted after each batch. What each row does is the
//! domain's `classify_import` / `merge_import`: importing the same files again changes
//! nothing; a newer GUDID version updates; a deactivated record withdraws its entry.
//!
//! A GUDID import reads `identifiers.txt` twice: first for the agencies of primary DIs that
//! are not all digits (`device.txt` does not say who issued them), then, after `device.txt`,
//! to give each device its package, previous and other identifiers. A failure part-way leaves
//! the batches already written; importing the files again carries on (what is there is
//! unchanged).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use app::api::context::Principal;
use app::api::register::import::{Change, FileReport, ImportReport};
use domain::register::gudid::{read_devices, read_identifiers};
use domain::register::{
    DeviceEntry, IdentifierKind, ImportOutcome, RowRejection, classify_import, merge_import,
    read_register_csv,
};
use domain::udi::IssuingAgency;
use serde_json::json;
use tokio::sync::mpsc;

use crate::audit::{self, Action, Event};
use crate::db::identifiers::{self, Given, IdentifierRow};
use crate::db::{Database, WriteTransaction, imports, register};
use crate::services::error::{ServiceError, ServiceResult};

mod report;
mod rows;

use report::{Tally, kind_code};
use rows::{Batch, stream};

/// The files of an import.
#[derive(Debug, Clone)]
pub enum Source {
    Gudid {
        devices: PathBuf,
        identifiers: PathBuf,
    },
    Csv {
        path: PathBuf,
    },
}

impl Source {
    /// How many bytes the import reads in all.
    pub fn work_total(&self) -> u64 {
        let size = |path: &PathBuf| std::fs::metadata(path).map_or(0, |m| m.len());
        match self {
            Self::Gudid {
                devices,
                identifiers,
            } => size(devices) + 2 * size(identifiers),
            Self::Csv { path } => size(path),
        }
    }
}

/// Who runs an import: an administrator on the page, or the command line (no one signed in).
pub struct Actor<'a> {
    pub principal: Option<&'a Principal>,
    pub client_ip: Option<&'a str>,
}

struct Run<'a> {
    database: &'a Database,
    import_id: &'a str,
    read: Arc<AtomicU64>,
    rows: u64,
    linked: u64,
}

impl Run<'_> {
    /// The next batch of rows read and the transaction it is written in; `None` once the
    /// file is read to its end.
    async fn next_batch<T>(
        &self,
        rows: &mut mpsc::Receiver<Batch<T>>,
    ) -> ServiceResult<Option<(Vec<Result<T, RowRejection>>, WriteTransaction)>> {
        let Some(batch) = rows.recv().await else {
            return Ok(None);
        };
        let batch = readable(batch)?;
        Ok(Some((batch, self.database.write().await?)))
    }

    /// A row read: counted, and rejected in `tally` when it could not be read.
    fn take<T>(&mut self, row: Result<T, RowRejection>, tally: &mut Tally) -> Option<T> {
        self.rows += 1;
        tally.0.rows += 1;
        match row {
            Ok(row) => Some(row),
            Err(rejection) => {
                tally.reject(rejection);
                None
            }
        }
    }

    async fn batch_done(
        &mut self,
        mut transaction: WriteTransaction,
        new_identifiers: &[String],
    ) -> ServiceResult<()> {
        self.linked +=
            identifiers::link_waiting_components(&mut transaction, new_identifiers).await?;
        let bytes = self.read.load(Ordering::Relaxed);
        imports::set_progress(&mut transaction, self.import_id, self.rows, bytes).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Adds, updates or leaves the entry `incoming` describes.
    async fn upsert(
        &self,
        transaction: &mut WriteTransaction,
        line: u64,
        incoming: DeviceEntry,
        tally: &mut Tally,
        added: &mut Vec<String>,
    ) -> ServiceResult<()> {
        let di = incoming.device_identifier.to_string();
        let existing = register::by_identifier(transaction, &di).await?;
        if let Some(existing) = &existing
            && existing.entry.device_identifier != incoming.device_identifier
        {
            tally.reject_line(line, format!(
                "{di} is already an identifier (a package's or a previous one) of register entry {}, {}: it cannot also be a device's own DI",
                existing.entry.device_identifier,
                register::display_name(&existing.entry)
            ));
            return Ok(());
        }
        if existing.is_none()
            && let Some(record) = &incoming.gudid_record
            && let Some(other) = register::by_record_key(transaction, &record.record_key).await?
        {
            tally.reject_line(line, format!(
                "GUDID record {} is register entry {} already: a record's primary DI does not change",
                record.record_key, other.entry.device_identifier
            ));
            return Ok(());
        }
        match (
            classify_import(existing.as_ref().map(|e| &e.entry), &incoming),
            existing,
        ) {
            (ImportOutcome::Added, _) => {
                register::insert(transaction, &incoming, Some(self.import_id)).await?;
                tally.change(line, &di, Change::Added);
                added.push(di);
            }
            (ImportOutcome::Updated, Some(existing)) => {
                let merged = merge_import(&existing.entry, &incoming);
                register::update(transaction, existing.id, &merged, Some(self.import_id)).await?;
                tally.change(line, &di, Change::Updated);
            }
            (ImportOutcome::Unchanged, _) => tally.0.unchanged += 1,
            (ImportOutcome::OlderVersionIgnored { .. }, _) => tally.0.older_ignored += 1,
            (ImportOutcome::Updated, None) => {
                return Err(ServiceError::internal("an update without an entry"));
            }
        }
        Ok(())
    }

    async fn csv(&mut self, path: PathBuf, name: &str) -> ServiceResult<FileReport> {
        let mut tally = Tally::new(name);
        let mut rows = stream(path, self.read.clone(), |input| {
            read_register_csv(input).map(|rows| rows.numbered())
        });
        while let Some((batch, mut transaction)) = self.next_batch(&mut rows).await? {
            let mut added = Vec::new();
            for row in batch {
                if let Some((line, entry)) = self.take(row, &mut tally) {
                    self.upsert(&mut transaction, line, entry, &mut tally, &mut added)
                        .await?;
                }
            }
            self.batch_done(transaction, &added).await?;
        }
        Ok(tally.0)
    }

    async fn gudid(
        &mut self,
        devices: PathBuf,
        identifiers_file: PathBuf,
        names: (&str, &str),
    ) -> ServiceResult<Vec<FileReport>> {
        // 1. The agencies of primary DIs that are not GTINs.
        let mut agencies: HashMap<String, IssuingAgency> = HashMap::new();
        let mut rows = stream(
            identifiers_file.clone(),
            self.read.clone(),
            read_identifiers,
        );
        while let Some(batch) = rows.recv().await {
            for row in readable(batch)?.into_iter().flatten() {
                if row.kind == IdentifierKind::Primary && row.primary_di.evident_agency().is_none()
                {
                    agencies.insert(row.primary_di.to_string(), row.agency);
                }
            }
        }
        // 2. The devices.
        let mut device_tally = Tally::new(names.0);
        let mut rows = stream(devices, self.read.clone(), read_devices);
        while let Some((batch, mut transaction)) = self.next_batch(&mut rows).await? {
            let mut added = Vec::new();
            for row in batch {
                let Some(device) = self.take(row, &mut device_tally) else {
                    continue;
                };
                let line = device.line;
                let Some(agency) = device
                    .agency
                    .or_else(|| agencies.get(device.primary_di.as_str()).copied())
                else {
                    device_tally.reject_line(line, format!(
                        "PrimaryDI {}: who issued it is not known. A DI that is not all digits takes its agency from its Primary row in identifiers.txt, and there is none",
                        device.primary_di
                    ));
                    continue;
                };
                let primary = device.primary_di.to_string();
                match device.into_entry(agency) {
                    Ok(entry) => {
                        self.upsert(&mut transaction, line, entry, &mut device_tally, &mut added)
                            .await?
                    }
                    Err(error) => {
                        device_tally.reject_line(line, format!("PrimaryDI {primary}: {error}"))
                    }
                }
            }
            self.batch_done(transaction, &added).await?;
        }
        // 3. Every identifier, to its device.
        let mut identifier_tally = Tally::new(names.1);
        let mut rows = stream(identifiers_file, self.read.clone(), read_identifiers);
        while let Some((batch, mut transaction)) = self.next_batch(&mut rows).await? {
            let mut added = Vec::new();
            for row in batch {
                let Some(row) = self.take(row, &mut identifier_tally) else {
                    continue;
                };
                let Some(device) =
                    register::by_identifier(&mut transaction, row.primary_di.as_str()).await?
                else {
                    identifier_tally.reject_line(row.line, format!(
                        "PrimaryDI {} is not in the register: its device.txt row is missing or was rejected",
                        row.primary_di
                    ));
                    continue;
                };
                if row.kind == IdentifierKind::Primary {
                    if row.device_identifier == device.entry.device_identifier {
                        identifier_tally.0.unchanged += 1;
                    } else {
                        identifier_tally.reject_line(
                            row.line,
                            format!(
                                "{} is given as the Primary DI of {}, whose primary DI is {}",
                                row.device_identifier,
                                row.primary_di,
                                device.entry.device_identifier
                            ),
                        );
                    }
                    continue;
                }
                let identifier = row.device_identifier.to_string();
                let given = identifiers::give(
                    &mut transaction,
                    &IdentifierRow {
                        identifier: identifier.clone(),
                        device_id: device.id,
                        agency: row.agency.name().to_string(),
                        kind: kind_code(row.kind).to_string(),
                        contains: row.contains.as_ref().map(ToString::to_string),
                        quantity: row.package_quantity.map(i64::from),
                    },
                )
                .await?;
                match given {
                    Given::Added => {
                        identifier_tally.change(row.line, &identifier, Change::Added);
                        added.push(identifier);
                    }
                    Given::Updated => identifier_tally.change(row.line, &identifier, Change::Updated),
                    Given::Unchanged => identifier_tally.0.unchanged += 1,
                    Given::TakenBy(other) => identifier_tally.reject_line(row.line, format!(
                        "{identifier} already belongs to another register entry (number {other}): one identifier, one device"
                    )),
                }
            }
            self.batch_done(transaction, &added).await?;
        }
        Ok(vec![device_tally.0, identifier_tally.0])
    }
}

/// A batch's rows, or why the file cannot be imported at all: said to the person as it is.
fn readable<T>(batch: Batch<T>) -> ServiceResult<Vec<Result<T, RowRejection>>> {
    batch.map_err(|failure| app::api::ApiError::invalid("files", failure).into())
}

/// Imports `source` as import `import_id` (its row already made), audits it, and stores the
/// report; `names` are the files' names as shown in the report.
pub async fn run(
    database: &Database,
    import_id: &str,
    source: &Source,
    names: &[String],
    actor: Actor<'_>,
) -> ServiceResult<ImportReport> {
    let mut run = Run {
        database,
        import_id,
        read: Arc::new(AtomicU64::new(0)),
        rows: 0,
        linked: 0,
    };
    let name = |index: usize, default: &str| {
        names
            .get(index)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    let (kind, files) = match source {
        Source::Gudid {
            devices,
            identifiers,
        } => {
            let (devices_name, identifiers_name) =
                (name(0, "device.txt"), name(1, "identifiers.txt"));
            let files = run
                .gudid(
                    devices.clone(),
                    identifiers.clone(),
                    (&devices_name, &identifiers_name),
                )
                .await?;
            ("gudid", files)
        }
        Source::Csv { path } => (
            "csv",
            vec![run.csv(path.clone(), &name(0, "register.csv")).await?],
        ),
    };
    let report = ImportReport {
        files,
        linked_components: run.linked,
    };
    let mut transaction = database.write().await?;
    let counts: Vec<serde_json::Value> = report
        .files
        .iter()
        .map(|file| json!({
            "file": file.file, "rows": file.rows, "added": file.added, "updated": file.updated,
            "unchanged": file.unchanged, "older_ignored": file.older_ignored, "rejected": file.rejected_total,
        }))
        .collect();
    let mut event = Event::new(Action::DevicesImported)
        .on("device_import", import_id)
        .with(
            json!({ "kind": kind, "files": counts, "components_linked": report.linked_components }),
        )
        .from_ip(actor.client_ip);
    if let Some(principal) = actor.principal {
        event = event.by(principal);
    }
    audit::record(&mut transaction, event).await?;
    let stored = serde_json::to_string(&report).map_err(ServiceError::internal)?;
    imports::finish(&mut transaction, import_id, Ok(&stored)).await?;
    transaction.commit().await?;
    Ok(report)
}
