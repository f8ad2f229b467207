//! Reading an import file's rows on a blocking thread, handed over in batches of `BATCH`
//! (one transaction each), counting the bytes read for the progress bar.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::register::{ImportError, RowRejection};
use tokio::sync::mpsc;

/// Rows per transaction.
pub(super) const BATCH: usize = 1000;

pub(super) struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.count.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

pub(super) type Batch<T> = Result<Vec<Result<T, RowRejection>>, String>;

/// Reads `path`'s rows with `open` on a blocking thread and hands them over in batches.
pub(super) fn stream<T, I, F>(
    path: PathBuf,
    count: Arc<AtomicU64>,
    open: F,
) -> mpsc::Receiver<Batch<T>>
where
    T: Send + 'static,
    I: Iterator<Item = Result<T, RowRejection>>,
    F: FnOnce(Counting<BufReader<File>>) -> Result<I, ImportError> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(error) => {
                let _ = sender
                    .blocking_send(Err(format!("{} cannot be opened: {error}", path.display())));
                return;
            }
        };
        let rows = match open(Counting {
            inner: BufReader::with_capacity(256 * 1024, file),
            count,
        }) {
            Ok(rows) => rows,
            Err(error) => {
                let _ = sender.blocking_send(Err(error.to_string()));
                return;
            }
        };
        let mut batch = Vec::with_capacity(BATCH);
        for row in rows {
            batch.push(row);
            if batch.len() == BATCH
                && sender
                    .blocking_send(Ok(std::mem::take(&mut batch)))
                    .is_err()
            {
                return;
            }
        }
        if !batch.is_empty() {
            let _ = sender.blocking_send(Ok(batch));
        }
    });
    receiver
}
