//! One portal per SQLite data folder: the server holds an exclusive lock on a file in it while
//! it runs, so a second server started on the same folder by mistake, or a restore while the
//! portal runs, is refused instead of corrupting the database under a live process. (On
//! PostgreSQL several servers share one database by design; each has its own data folder.)

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot open the lock file in {folder}: {source}")]
    Open {
        folder: String,
        source: std::io::Error,
    },
    #[error("another mdis-server is using the data folder {folder}")]
    InUse { folder: String },
}

/// The lock, held until the returned file is dropped.
pub fn lock(folder: &Path) -> Result<File, LockError> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(folder.join("portal.lock"))
        .map_err(|source| LockError::Open {
            folder: folder.display().to_string(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(LockError::InUse {
            folder: folder.display().to_string(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(LockError::Open {
            folder: folder.display().to_string(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_folder_is_refused_until_the_first_is_dropped() {
        let folder = tempfile::tempdir().unwrap();
        let first = lock(folder.path()).unwrap();
        assert!(matches!(lock(folder.path()), Err(LockError::InUse { .. })));
        drop(first);
        assert!(lock(folder.path()).is_ok());
    }
}
