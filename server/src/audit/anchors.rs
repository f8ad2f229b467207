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
        if last.is_none() {
            self.cut_torn_tail().map_err(|error| self.io(error))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.path)
            .map_err(|error| self.io(error))?;
        // One write of the whole line: two servers sharing the folder, or a kill between
        // the text and its newline, must not splice two anchors into one line.
        let mut line = serde_json::to_string(anchor).expect("an anchor serialises");
        line.push('\n');
        file.write_all(line.as_bytes())
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

    /// A power cut while a line was being written leaves it without its newline; appending
    /// after it would splice the next anchor onto it, making a bad line that is no longer the
    /// last. Before this process's first anchor, such a torn tail is cut off (it was never a
    /// complete anchor).
    fn cut_torn_tail(&self) -> std::io::Result<()> {
        let contents = match std::fs::read(&self.path) {
            Ok(contents) => contents,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(error),
        };
        if contents.is_empty() || contents.ends_with(b"\n") {
            return Ok(());
        }
        let keep = contents
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |at| at + 1);
        tracing::warn!(path = %self.path.display(), "the last audit anchor line was incomplete (a crash while writing it): cut off");
        let file = std::fs::OpenOptions::new().write(true).open(&self.path)?;
        file.set_len(keep as u64)?;
        file.sync_all()
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

    #[test]
    fn a_torn_last_line_is_cut_off_before_the_next_anchor() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("audit-anchors.jsonl");
        std::fs::write(
            &path,
            "{\"at\":\"2026-12-01T10:00:00.000Z\",\"id\":3,\"hash\":\"ab\"}\n{\"at\":\"2026-12",
        )
        .unwrap();
        let anchors = Anchors::new(path.clone());
        assert_eq!(
            anchors.read().unwrap().len(),
            1,
            "the torn line alone is tolerated"
        );
        let next = Anchor {
            at: "2026-12-01T10:05:00.000Z".into(),
            id: 7,
            hash: "ef".into(),
        };
        assert!(anchors.write(&next).unwrap());
        let read = anchors.read().expect("no spliced, malformed line");
        assert_eq!(read.keys().copied().collect::<Vec<_>>(), vec![3, 7]);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .ends_with("\"ef\"}\n")
        );
    }
}
