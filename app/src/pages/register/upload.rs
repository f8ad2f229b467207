//! Sending files to the register's import in chunks (each a server-function call inside the
//! body limit), then following the import the server runs, reporting progress as it goes.

use base64::Engine;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;
use crate::api::register::import::{FileRole, ImportFile, ImportKind, ImportState, ImportStatus};
use crate::api::register::{follow_import, run_import, start_import, upload_import_chunk};

fn transport(error: JsValue) -> ApiError {
    ApiError::Transport {
        detail: error
            .as_string()
            .unwrap_or_else(|| "the file could not be read".into()),
    }
}

/// What the page shows while an import is under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Uploading { sent: u64, total: u64 },
    Importing(ImportStatus),
}

impl Progress {
    pub fn percent(&self) -> u32 {
        match self {
            Self::Uploading { sent, total } if *total > 0 => {
                ((*sent as f64 / *total as f64) * 50.0).floor() as u32
            }
            Self::Uploading { .. } => 0,
            Self::Importing(status) => status.percent(),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Uploading { sent, total } => format!(
                "Uploading: {} of {} ({}%)",
                megabytes(*sent),
                megabytes(*total),
                self.percent()
            ),
            Self::Importing(status) => match status.state {
                ImportState::Finished => "Import finished".into(),
                ImportState::Failed => "The import stopped".into(),
                _ => format!(
                    "Importing: {} rows read ({}%)",
                    status.rows_read,
                    self.percent()
                ),
            },
        }
    }
}

pub fn megabytes(bytes: u64) -> String {
    if bytes < 100_000 {
        format!("{:.0} KB", bytes as f64 / 1000.0)
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}

/// Uploads `files`, starts the import, and follows it to its end; `report` hears each step.
pub async fn import(
    kind: ImportKind,
    files: Vec<(FileRole, web_sys::File)>,
    report: impl Fn(Progress),
) -> Result<ImportStatus, ApiError> {
    let described: Vec<ImportFile> = files
        .iter()
        .map(|(role, file)| ImportFile {
            role: *role,
            name: file.name(),
            size: file.size() as u64,
        })
        .collect();
    let total: u64 = described.iter().map(|file| file.size).sum();
    let started = start_import(kind, described).await?;
    let mut sent_before = 0;
    for (index, (_, file)) in files.iter().enumerate() {
        let size = file.size() as u64;
        let mut offset = 0;
        while offset < size {
            let end = (offset + started.chunk_bytes).min(size);
            let blob = file
                .slice_with_f64_and_f64(offset as f64, end as f64)
                .map_err(transport)?;
            let buffer = JsFuture::from(blob.array_buffer())
                .await
                .map_err(transport)?;
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            let data = base64::engine::general_purpose::STANDARD.encode(bytes);
            offset = upload_import_chunk(started.import_id.clone(), index, offset, data).await?;
            report(Progress::Uploading {
                sent: sent_before + offset,
                total,
            });
        }
        sent_before += size;
    }
    let mut status = run_import(started.import_id.clone()).await?;
    loop {
        report(Progress::Importing(status.clone()));
        if matches!(status.state, ImportState::Finished | ImportState::Failed) {
            return Ok(status);
        }
        gloo_timers::future::TimeoutFuture::new(400).await;
        status = follow_import(started.import_id.clone()).await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploading_is_the_first_half() {
        let progress = Progress::Uploading {
            sent: 1_500_000,
            total: 3_000_000,
        };
        assert_eq!(progress.percent(), 25);
        assert_eq!(progress.describe(), "Uploading: 1.5 MB of 3.0 MB (25%)");
        assert_eq!(megabytes(12_000), "12 KB");
    }
}
