//! `mdis-server extract --out FILE.csv`: the event-level, pseudonymised analysis data for
//! analysts, one row per procedure's current version, streamed from the database to the file
//! (never held whole in memory), and recorded in the audit trail.
//!
//! Columns, codes as stored: `procedure_id, patient_pseudonym, procedure_date, procedure_type,
//! body_site, laterality, device_identifiers` (`;` between them, in component order), then
//! `year_of_birth, sex, clinic` (the organisation's name).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Instant;

use serde_json::json;

use crate::audit::{self, Action, Event};
use crate::config::Config;
use crate::db::Database;
use crate::db::statistics::{self as stored, ExtractRow};
use crate::export::defused;

pub const COLUMNS: [&str; 10] = [
    "procedure_id",
    "patient_pseudonym",
    "procedure_date",
    "procedure_type",
    "body_site",
    "laterality",
    "device_identifiers",
    "year_of_birth",
    "sex",
    "clinic",
];

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("cannot write {0}: {1}")]
    File(String, std::io::Error),
    #[error("cannot write a row: {0}")]
    Csv(#[from] csv::Error),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Audit(#[from] crate::services::error::ServiceError),
}

fn cells(row: ExtractRow) -> [String; 10] {
    [
        row.procedure_id.to_string(),
        row.patient_pseudonym.unwrap_or_default(),
        row.facts.procedure_date.to_iso(),
        row.facts.procedure_type.code().to_string(),
        row.facts.body_site.code().to_string(),
        row.facts.laterality.code().to_string(),
        row.device_identifiers.unwrap_or_default(),
        row.year_of_birth.to_string(),
        row.sex.code().to_string(),
        // Names are typed by people: keep a spreadsheet from reading one as a formula.
        defused(&row.clinic),
    ]
}

/// Writes the extract to `out` (a new file, readable by this user only: it is pseudonymised
/// patient data) and returns how many rows it has.
pub async fn write(database: &Database, out: &Path) -> Result<u64, ExtractError> {
    let shown = out.display().to_string();
    let file = File::options()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .map_err(|error| ExtractError::File(shown.clone(), error))?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BufWriter::with_capacity(1 << 20, file));
    writer.write_record(COLUMNS)?;
    let mut rows = 0u64;
    let mut connection = database.read().await?;
    stored::for_each_extract_row(&mut connection, |row| -> Result<(), ExtractError> {
        writer.write_record(cells(row))?;
        rows += 1;
        Ok(())
    })
    .await?;
    drop(connection);
    writer
        .into_inner()
        .map_err(|error| ExtractError::File(shown.clone(), error.into_error()))?
        .flush()
        .map_err(|error| ExtractError::File(shown.clone(), error))?;
    let mut transaction = database.write().await?;
    audit::record(
        &mut transaction,
        Event::new(Action::StatisticsExtracted).with(json!({ "rows": rows, "file": shown })),
    )
    .await?;
    transaction.commit().await?;
    Ok(rows)
}

pub async fn run(config: &Config, out: &Path) -> Result<(), String> {
    let state = super::open_state(config).await?;
    let started = Instant::now();
    let rows = write(&state.database, out)
        .await
        .map_err(|error| error.to_string())?;
    println!(
        "Wrote {rows} procedures to {} in {:.1} s (pseudonymised patient data: keep it safe).",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
