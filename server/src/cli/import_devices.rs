//! `mdis-server import-devices FILE…`: imports a GUDID release (`device.txt` and
//! `identifiers.txt`, in any order) or the register's CSV into the device register, row by
//! row, and prints what each file did, with every rejected row's line and reasons. The files
//! are told apart by their header rows, not their names.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::app::AppState;
use crate::auth::tokens;
use crate::config::Config;
use crate::db::imports;
use crate::mailer::LogMailer;
use crate::services::register::importer::{self, Actor, Source};

/// What a file is, by the columns its header row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    GudidDevices,
    GudidIdentifiers,
    RegisterCsv,
}

fn kind_of(path: &Path) -> Result<FileKind, String> {
    let file = std::fs::File::open(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let mut header = String::new();
    BufReader::new(file)
        .read_line(&mut header)
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let header = header.to_ascii_lowercase().replace(['_', ' '], "");
    if header.contains("deviceidtype") {
        Ok(FileKind::GudidIdentifiers)
    } else if header.contains("publicdevicerecordkey") {
        Ok(FileKind::GudidDevices)
    } else if header.contains("deviceidentifier") {
        Ok(FileKind::RegisterCsv)
    } else {
        Err(format!(
            "{}: its first line is not the header of a GUDID device.txt or identifiers.txt, or of the register's CSV",
            path.display()
        ))
    }
}

/// The import the files make: one CSV, or a GUDID pair.
fn source_of(files: &[PathBuf]) -> Result<(Source, Vec<String>, &'static str), String> {
    let kinds: Vec<FileKind> = files
        .iter()
        .map(|path| kind_of(path))
        .collect::<Result<_, _>>()?;
    let name = |path: &PathBuf| path.display().to_string();
    let find = |kind: FileKind| {
        kinds
            .iter()
            .position(|k| *k == kind)
            .map(|index| files[index].clone())
    };
    match (
        kinds.as_slice(),
        find(FileKind::GudidDevices),
        find(FileKind::GudidIdentifiers),
    ) {
        ([FileKind::RegisterCsv], _, _) => Ok((
            Source::Csv {
                path: files[0].clone(),
            },
            vec![name(&files[0])],
            "csv",
        )),
        ([_, _], Some(devices), Some(identifiers)) => Ok((
            Source::Gudid {
                devices: devices.clone(),
                identifiers: identifiers.clone(),
            },
            vec![name(&devices), name(&identifiers)],
            "gudid",
        )),
        _ => Err("give one register CSV, or a GUDID device.txt with its identifiers.txt".into()),
    }
}

pub async fn run(config: &Config, files: &[PathBuf]) -> Result<(), String> {
    let (source, names, kind) = source_of(files)?;
    let state = AppState::open_with_mailer(config, std::sync::Arc::new(LogMailer))
        .await
        .map_err(|error| error.to_string())?;
    let database = &state.database;
    let import_id = tokens::new_token()[..24].to_string();
    let described = serde_json::json!(names).to_string();
    let mut transaction = database.write().await.map_err(|e| e.to_string())?;
    imports::insert(&mut transaction, &import_id, kind, &described, None)
        .await
        .map_err(|e| e.to_string())?;
    imports::change_state(&mut transaction, &import_id, "uploading", "running")
        .await
        .map_err(|e| e.to_string())?;
    transaction.commit().await.map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let actor = Actor {
        principal: None,
        client_ip: None,
    };
    let report = importer::run(database, &import_id, &source, &names, actor)
        .await
        .map_err(|error| app::api::ApiError::from(error).to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    for file in &report.files {
        println!(
            "{}: {} rows: {} added, {} updated, {} unchanged, {} older versions ignored, {} rejected",
            file.file,
            file.rows,
            file.added,
            file.updated,
            file.unchanged,
            file.older_ignored,
            file.rejected_total
        );
        for change in &file.changes {
            let what = match change.change {
                app::api::register::import::Change::Added => "added",
                app::api::register::import::Change::Updated => "updated",
            };
            println!("  line {}: {} {what}", change.line, change.identifier);
        }
        for rejection in &file.rejected {
            println!("  line {}: rejected: {}", rejection.line, rejection.reason);
        }
        let unlisted = file
            .rejected_total
            .saturating_sub(file.rejected.len() as u64);
        if unlisted > 0 {
            println!("  … and {unlisted} more rejected rows");
        }
    }
    if report.linked_components > 0 {
        println!(
            "{} components recorded before with these identifiers are now linked to their devices.",
            report.linked_components
        );
    }
    let rows: u64 = report.files.iter().map(|file| file.rows).sum();
    println!(
        "Import {import_id} finished in {seconds:.1} s ({:.0} rows/s).",
        rows as f64 / seconds.max(1e-9)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_apart_by_their_headers() {
        let folder = tempfile::tempdir().unwrap();
        let write = |name: &str, header: &str| {
            let path = folder.path().join(name);
            std::fs::write(&path, format!("{header}\n")).unwrap();
            path
        };
        let identifiers = write(
            "a.txt",
            "PrimaryDI|deviceId|deviceIdType|deviceIdIssuingAgency",
        );
        let devices = write("b.txt", "PrimaryDI|publicDeviceRecordKey|brandName");
        let csv = write("c.csv", "device_identifier,agency,brand_name");
        let (source, names, kind) = source_of(&[identifiers.clone(), devices.clone()]).unwrap();
        assert_eq!(kind, "gudid");
        assert!(matches!(source, Source::Gudid { devices: d, .. } if d == devices));
        assert_eq!(names[1], identifiers.display().to_string());
        assert_eq!(source_of(&[csv]).unwrap().2, "csv");
        assert!(source_of(&[devices]).is_err());
    }
}
