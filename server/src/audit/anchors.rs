//! Copies of the audit chain's head kept outside the database: an append-only file of
//! `{"at", "id", "hash"}` lines in the keys folder, each also written to the log (where a log
//! collector keeps it beyond this machine). Removing the newest entries of the trail, or
//! rewriting it, leaves a chain that no longer reaches an anchor.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// One copy of the head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub at: String,
    pub id: i64,
    pub hash: String,
}

#[derive(Debug)]
pub struct Anchors {
    path: PathBuf,
    /// The last head written, so an unchanged head is not written again.
    last: Mutex<Option<(i64, String)>>,
}

#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("cannot read or write the audit anchors file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("line {line} of the audit anchors file {path} is not an anchor")]
    Malformed { path: String, line: usize },
}

impl Anchors {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            last: Mutex::new(None),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> AnchorError {
        AnchorError::Io {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Appends the head unless it is the one written last; durable before it returns.
    pub fn write(&self, anchor: &Anchor) -> Result<bool, AnchorError> {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if last.as_ref() == Some(&(anchor.id, anchor.hash.clone())) || anchor.id == 0 {
            return Ok(false);
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.path)
            .map_err(|error| self.io(error))?;
        let line = serde_json::to_string(anchor).expect("an anchor serialises");
        writeln!(file, "{line}")
            .and_then(|()| file.sync_all())
            .map_err(|error| self.io(error))?;
        tracing::info!(
            audit_head_id = anchor.id,
            audit_head_hash = %anchor.hash,
            "audit trail anchored"
        );
        *last = Some((anchor.id, anchor.hash.clone()));
        Ok(true)
    }

    /// Every anchor written, by entry id (the latest copy of each id wins).
    pub fn read(&self) -> Result<BTreeMap<i64, Anchor>, AnchorError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(BTreeMap::new());
            }
            Err(error) => return Err(self.io(error)),
        };
        let mut anchors = BTreeMap::new();
        let lines: Vec<String> = std::io::BufReader::new(file)
            .lines()
            .collect::<Result<_, _>>()
            .map_err(|error| self.io(error))?;
        let last = lines.len();
        for (index, line) in lines.into_iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Anchor>(&line) {
                Ok(anchor) => {
                    anchors.insert(anchor.id, anchor);
                }
                // A server killed while writing leaves its last line torn: the lines before
                // it still stand. A bad line anywhere else is tampering or damage.
                Err(_) if index + 1 == last => {
                    tracing::warn!(path = %self.path.display(), "the last audit anchor line is incomplete (a crash while writing it): ignored");
                }
                Err(_) => {
                    return Err(AnchorError::Malformed {
                        path: self.path.display().to_string(),
                        line: index + 1,
                    });
                }
            }
        }
        Ok(anchors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_appended_once_per_head_and_read_back() {
        let folder = tempfile::tempdir().unwrap();
        let anchors = Anchors::new(folder.path().join("audit-anchors.jsonl"));
        let first = Anchor {
            at: "2026-12-01T10:00:00.000Z".into(),
            id: 3,
            hash: "ab".into(),
        };
        assert!(anchors.write(&first).unwrap());
        assert!(
            !anchors.write(&first).unwrap(),
            "an unchanged head is not written again"
        );
        let second = Anchor {
            id: 9,
            hash: "cd".into(),
            ..first.clone()
        };
        assert!(anchors.write(&second).unwrap());
        let read = anchors.read().unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[&9], second);
    }
}
