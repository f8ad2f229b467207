//! Structured logs with `tracing`. Log lines carry methods, paths, statuses and timings, never
//! request bodies: those may hold patient data.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Arc;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;

use crate::config::LogFormat;

pub fn init(format: LogFormat, file: Option<&Path>) {
    let filter = EnvFilter::try_from_env("MDIS_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let file = file.and_then(|path| {
        match OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
        {
            Ok(file) => Some(Arc::new(file)),
            Err(error) => {
                eprintln!(
                    "cannot open the log file {}: {error}; logging to standard output",
                    path.display()
                );
                None
            }
        }
    });
    let colours = file.is_none();
    let writer = BoxMakeWriter::new(move || -> Box<dyn Write> {
        match &file {
            Some(file) => Box::new(SharedFile(file.clone())),
            None => Box::new(std::io::stdout()),
        }
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        // A log write that fails (a full disk) must not take the request with it: the
        // subscriber's own report of the failure goes to standard error, whose write on the
        // same full disk panics.
        .log_internal_errors(false)
        .with_ansi(colours);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

struct SharedFile(Arc<File>);

impl Write for SharedFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        (&*self.0).write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&*self.0).flush()
    }
}
