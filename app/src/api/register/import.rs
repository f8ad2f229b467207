//! Importing into the register: a GUDID release (`device.txt` with `identifiers.txt`) or the
//! register's CSV, uploaded in chunks (each well within the server functions' body limit),
//! then imported by the server row by row while the page follows its progress.

use domain::register::RowRejection;
use serde::{Deserialize, Serialize};

/// Bytes of a file in one chunk (sent as base64, so about 175 KB on the wire).
pub const CHUNK_BYTES: u64 = 128 * 1024;
/// The largest file the register takes from the page (a full GUDID `device.txt` is larger:
/// import that with `mdis-server import-devices` on the server).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// Rejected rows and changes listed one by one in a report; the rest are counted.
pub const REPORT_ROWS_SHOWN: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// AccessGUDID delimited: `device.txt` and `identifiers.txt`.
    Gudid,
    /// The register's own CSV (its columns are documented in `domain::register::csv_import`).
    Csv,
}

/// What a file of an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    GudidDevices,
    GudidIdentifiers,
    RegisterCsv,
}

impl FileRole {
    pub fn label(self) -> &'static str {
        match self {
            Self::GudidDevices => "device.txt",
            Self::GudidIdentifiers => "identifiers.txt",
            Self::RegisterCsv => "CSV file",
        }
    }

    /// The files an import of `kind` takes, in the order they are uploaded.
    pub fn of(kind: ImportKind) -> &'static [FileRole] {
        match kind {
            ImportKind::Gudid => &[Self::GudidDevices, Self::GudidIdentifiers],
            ImportKind::Csv => &[Self::RegisterCsv],
        }
    }
}

/// A file about to be uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFile {
    pub role: FileRole,
    /// The file's name on the person's computer (shown in the report).
    pub name: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStarted {
    pub import_id: String,
    pub chunk_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    Uploading,
    Running,
    Finished,
    Failed,
}

impl ImportState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Uploading => "uploading",
            Self::Running => "running",
            Self::Finished => "finished",
            Self::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Uploading, Self::Running, Self::Finished, Self::Failed]
            .into_iter()
            .find(|state| state.code() == code)
    }
}

/// A file of an import, and how much of it has arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProgress {
    pub role: FileRole,
    pub name: String,
    pub size: u64,
    pub received: u64,
}

/// Where an import has got to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStatus {
    pub import_id: String,
    pub kind: ImportKind,
    pub state: ImportState,
    pub files: Vec<FileProgress>,
    /// Rows read so far, in every file.
    pub rows_read: u64,
    /// Bytes the import has read, of all it will read (`identifiers.txt` is read twice: once
    /// for the agencies of non-GS1 primary DIs, once for the identifiers).
    pub work_done: u64,
    pub work_total: u64,
    pub report: Option<ImportReport>,
    /// Why the import stopped, when it failed as a whole.
    pub failure: Option<String>,
}

impl ImportStatus {
    /// Percent of the whole: uploading is the first half, importing the second.
    pub fn percent(&self) -> u32 {
        let size: u64 = self.files.iter().map(|file| file.size).sum();
        let received: u64 = self.files.iter().map(|file| file.received).sum();
        let part = |done: u64, total: u64| {
            if total == 0 {
                1.0
            } else {
                done as f64 / total as f64
            }
        };
        let whole = match self.state {
            ImportState::Uploading => 0.5 * part(received, size),
            ImportState::Running => 0.5 + 0.5 * part(self.work_done, self.work_total),
            ImportState::Finished | ImportState::Failed => 1.0,
        };
        (whole.clamp(0.0, 1.0) * 100.0).floor() as u32
    }
}

/// What changed a register entry or identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Updated,
}

/// A row that changed the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowChange {
    pub line: u64,
    pub identifier: String,
    pub change: Change,
}

/// What one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    pub rows: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// GUDID records older than the version the register holds: left as they are.
    pub older_ignored: u64,
    pub rejected_total: u64,
    /// The first `REPORT_ROWS_SHOWN` rejected rows, with their line and every reason.
    pub rejected: Vec<RowRejection>,
    /// The first `REPORT_ROWS_SHOWN` rows that added or changed something.
    pub changes: Vec<RowChange>,
}

impl FileReport {
    pub fn changed(&self) -> u64 {
        self.added + self.updated
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    /// Components recorded before with an identifier the import added, now linked to their
    /// device (and off the review queue).
    pub linked_components: u64,
}

impl ImportReport {
    /// Whether the import changed nothing at all (importing the same files again).
    pub fn changed_nothing(&self) -> bool {
        self.linked_components == 0 && self.files.iter().all(|file| file.changed() == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: ImportState, received: u64, done: u64) -> ImportStatus {
        ImportStatus {
            import_id: "x".into(),
            kind: ImportKind::Csv,
            state,
            files: vec![FileProgress {
                role: FileRole::RegisterCsv,
                name: "r.csv".into(),
                size: 200,
                received,
            }],
            rows_read: 0,
            work_done: done,
            work_total: 200,
            report: None,
            failure: None,
        }
    }

    #[test]
    fn progress_is_half_upload_and_half_import() {
        assert_eq!(status(ImportState::Uploading, 100, 0).percent(), 25);
        assert_eq!(status(ImportState::Running, 200, 100).percent(), 75);
        assert_eq!(status(ImportState::Finished, 200, 200).percent(), 100);
        assert_eq!(
            ImportState::from_code("running"),
            Some(ImportState::Running)
        );
    }
}
