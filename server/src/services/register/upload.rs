//! Imports from the page: files uploaded in chunks (each a server-function call well inside the
//! body limit, so the limit is not raised anywhere), written to `<data-dir>/imports/<id>/`,
//! then imported in the background while the page polls the progress the import notes after
//! each batch. Bounded: files up to `MAX_FILE_BYTES`, two imports at a time per administrator,
//! uploads not finished within a day given up and removed.

use std::path::PathBuf;

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::register::import::{
    CHUNK_BYTES, FileProgress, FileRole, ImportFile, ImportKind, ImportReport, ImportStarted,
    ImportState, ImportStatus, MAX_FILE_BYTES,
};
use base64::Engine;
use tokio::io::AsyncWriteExt;

use super::Register;
use super::importer::{self, Actor, Source};
use crate::auth::tokens;
use crate::db::{Database, imports};
use crate::services::error::{ServiceError, ServiceResult};

/// Imports one administrator may have uploading or running at once.
const OPEN_IMPORTS: i64 = 2;
const NAME_MAX: usize = 200;

fn kind_code(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Gudid => "gudid",
        ImportKind::Csv => "csv",
    }
}

fn kind_of(code: &str) -> ServiceResult<ImportKind> {
    match code {
        "gudid" => Ok(ImportKind::Gudid),
        "csv" => Ok(ImportKind::Csv),
        other => Err(ServiceError::internal(format!("import kind {other:?}"))),
    }
}

fn files_of(row: &imports::ImportRow) -> ServiceResult<Vec<FileProgress>> {
    serde_json::from_str(&row.files).map_err(ServiceError::internal)
}

/// The source the uploaded files make.
fn source_of(folder: &std::path::Path, files: &[FileProgress]) -> ServiceResult<Source> {
    let path = |role: FileRole| -> ServiceResult<PathBuf> {
        files
            .iter()
            .position(|file| file.role == role)
            .map(|index| folder.join(index.to_string()))
            .ok_or_else(|| ServiceError::internal("an import without one of its files"))
    };
    match files.first().map(|file| file.role) {
        Some(FileRole::RegisterCsv) => Ok(Source::Csv {
            path: path(FileRole::RegisterCsv)?,
        }),
        _ => Ok(Source::Gudid {
            devices: path(FileRole::GudidDevices)?,
            identifiers: path(FileRole::GudidIdentifiers)?,
        }),
    }
}

impl Register {
    fn folder(&self, import_id: &str) -> PathBuf {
        self.uploads.join(import_id)
    }

    /// The import, if it is the caller's.
    async fn own_import(
        &self,
        principal: &Principal,
        import_id: &str,
    ) -> ServiceResult<imports::ImportRow> {
        let mut connection = self.database.read().await?;
        imports::get(&mut connection, import_id)
            .await?
            .filter(|row| row.started_by == Some(principal.user_id))
            .ok_or_else(|| ApiError::not_found("That import").into())
    }

    pub(super) async fn import_start(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        kind: ImportKind,
        files: Vec<ImportFile>,
    ) -> ServiceResult<ImportStarted> {
        let roles: Vec<FileRole> = files.iter().map(|file| file.role).collect();
        if roles != FileRole::of(kind) {
            let wanted: Vec<&str> = FileRole::of(kind).iter().map(|r| r.label()).collect();
            return Err(ApiError::invalid(
                "files",
                format!("Choose the files of this import: {}", wanted.join(" and ")),
            )
            .into());
        }
        let mut errors = Vec::new();
        for file in &files {
            if file.size == 0 {
                errors.push(domain::FieldError::new(
                    "files",
                    format!("{} is empty", file.role.label()),
                ));
            } else if file.size > MAX_FILE_BYTES {
                errors.push(domain::FieldError::new("files", format!(
                    "{} is {} MB: the page takes files up to {} MB. Import larger files on the server with mdis-server import-devices",
                    file.role.label(), file.size / 1_000_000, MAX_FILE_BYTES / 1_000_000
                )));
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Invalid { errors }.into());
        }
        let mut transaction = self.database.write().await?;
        for abandoned in imports::abandon_older_than(
            &mut transaction,
            self.database.now() - time::Duration::days(1),
        )
        .await?
        {
            let _ = tokio::fs::remove_dir_all(self.folder(&abandoned)).await;
        }
        if imports::open_of(&mut transaction, principal.user_id).await? >= OPEN_IMPORTS {
            return Err(ApiError::Conflict {
                message: "You have two imports uploading or running: wait for one to finish".into(),
            }
            .into());
        }
        let import_id = tokens::new_token()[..24].to_string();
        let progress: Vec<FileProgress> = files
            .into_iter()
            .map(|file| FileProgress {
                role: file.role,
                name: file
                    .name
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(NAME_MAX)
                    .collect(),
                size: file.size,
                received: 0,
            })
            .collect();
        let stored = serde_json::to_string(&progress).map_err(ServiceError::internal)?;
        tokio::fs::create_dir_all(self.folder(&import_id))
            .await
            .map_err(ServiceError::internal)?;
        imports::insert(
            &mut transaction,
            &import_id,
            kind_code(kind),
            &stored,
            Some(principal.user_id),
        )
        .await?;
        transaction.commit().await?;
        Ok(ImportStarted {
            import_id,
            chunk_bytes: CHUNK_BYTES,
        })
    }

    pub(super) async fn import_chunk(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        import_id: String,
        file: usize,
        offset: u64,
        data: String,
    ) -> ServiceResult<u64> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_bytes())
            .map_err(|_| {
                ApiError::invalid(
                    "files",
                    "A piece of the file arrived damaged: try the upload again",
                )
            })?;
        if bytes.is_empty() || bytes.len() as u64 > CHUNK_BYTES {
            return Err(ApiError::invalid(
                "files",
                format!("Send the file in pieces of at most {CHUNK_BYTES} bytes"),
            )
            .into());
        }
        self.own_import(principal, &import_id).await?;
        let mut transaction = self.database.write().await?;
        let row = imports::get(&mut transaction, &import_id)
            .await?
            .ok_or_else(|| ApiError::not_found("That import"))?;
        if ImportState::from_code(&row.state) != Some(ImportState::Uploading) {
            return Err(ApiError::Conflict {
                message: "This import is no longer taking files".into(),
            }
            .into());
        }
        let mut files = files_of(&row)?;
        let target = files
            .get_mut(file)
            .ok_or_else(|| ApiError::invalid("files", "That file is not part of this import"))?;
        if offset != target.received {
            return Err(ApiError::Conflict {
                message: format!(
                    "The upload of {} goes on from byte {}",
                    target.name, target.received
                ),
            }
            .into());
        }
        if target.received + bytes.len() as u64 > target.size {
            return Err(ApiError::invalid(
                "files",
                format!("{} is larger than it said it was", target.name),
            )
            .into());
        }
        let mut output = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.folder(&import_id).join(file.to_string()))
            .await
            .map_err(ServiceError::internal)?;
        output
            .write_all(&bytes)
            .await
            .map_err(ServiceError::internal)?;
        output.flush().await.map_err(ServiceError::internal)?;
        target.received += bytes.len() as u64;
        let received = target.received;
        let stored = serde_json::to_string(&files).map_err(ServiceError::internal)?;
        imports::set_files(&mut transaction, &import_id, &stored).await?;
        transaction.commit().await?;
        Ok(received)
    }

    pub(super) async fn import_run(
        &self,
        context: &RequestContext,
        principal: &Principal,
        import_id: String,
    ) -> ServiceResult<ImportStatus> {
        let row = self.own_import(principal, &import_id).await?;
        let files = files_of(&row)?;
        if let Some(file) = files.iter().find(|file| file.received != file.size) {
            return Err(ApiError::Conflict {
                message: format!(
                    "{} has not finished uploading ({} of {} bytes)",
                    file.name, file.received, file.size
                ),
            }
            .into());
        }
        let mut transaction = self.database.write().await?;
        if !imports::change_state(&mut transaction, &import_id, "uploading", "running").await? {
            return Err(ApiError::Conflict {
                message: "This import has already been started".into(),
            }
            .into());
        }
        transaction.commit().await?;
        let folder = self.folder(&import_id);
        let source = source_of(&folder, &files)?;
        let names: Vec<String> = files.iter().map(|file| file.name.clone()).collect();
        let database = self.database.clone();
        let owner = principal.clone();
        let client_ip = context.client.ip.clone();
        let id = import_id.clone();
        tokio::spawn(async move {
            let actor = Actor {
                principal: Some(&owner),
                client_ip: client_ip.as_deref(),
            };
            let outcome = importer::run(&database, &id, &source, &names, actor).await;
            if let Err(error) = outcome {
                record_failure(&database, &id, error).await;
            }
            let _ = tokio::fs::remove_dir_all(&folder).await;
        });
        self.import_status(context, principal, import_id).await
    }

    pub(super) async fn import_status(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        import_id: String,
    ) -> ServiceResult<ImportStatus> {
        let row = self.own_import(principal, &import_id).await?;
        status_of(row)
    }
}

/// Stores why an import stopped: what the person can act on, or a reference to the log.
async fn record_failure(database: &Database, import_id: &str, error: ServiceError) {
    let message = match error {
        ServiceError::Refused(ApiError::Invalid { errors }) => errors
            .into_iter()
            .map(|error| error.message)
            .collect::<Vec<_>>()
            .join("; "),
        other => ApiError::from(other).to_string(),
    };
    let stored = async {
        let mut transaction = database.write().await?;
        imports::finish(&mut transaction, import_id, Err(&message)).await?;
        transaction.commit().await
    };
    if let Err(error) = stored.await {
        tracing::error!(error = ?error.to_string(), import = import_id, "could not record an import's failure");
    }
}

pub fn status_of(row: imports::ImportRow) -> ServiceResult<ImportStatus> {
    let files = files_of(&row)?;
    let work_total = files
        .iter()
        .map(|file| match file.role {
            FileRole::GudidIdentifiers => 2 * file.size,
            _ => file.size,
        })
        .sum();
    let report: Option<ImportReport> = row
        .report
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(ServiceError::internal)?;
    Ok(ImportStatus {
        kind: kind_of(&row.kind)?,
        state: ImportState::from_code(&row.state)
            .ok_or_else(|| ServiceError::internal(format!("import state {:?}", row.state)))?,
        files,
        rows_read: row.rows_read as u64,
        work_done: row.bytes_read as u64,
        work_total,
        report,
        failure: row.failure,
        import_id: row.id,
    })
}
