//! Checking the audit trail: every link, the head row, and every anchor kept outside the
//! database. Entries are read in batches, so a long trail is never all in memory.

use app::api::audit::{BrokenLink, ChainReport};

use super::anchors::Anchors;
use super::{GENESIS, KEYED, UNKEYED};
use crate::db::Database;
use crate::db::audit as stored;
use crate::services::error::{ServiceError, ServiceResult};

const BATCH: i64 = 5_000;

fn broken(checked: u64, anchors_checked: u64, entry_id: i64, reason: String) -> ChainReport {
    ChainReport {
        entries_checked: checked,
        anchors_checked,
        first_broken: Some(BrokenLink { entry_id, reason }),
    }
}

/// Walks the chain from the first entry and stops at the first problem.
pub async fn verify(database: &Database, anchors: Option<&Anchors>) -> ServiceResult<ChainReport> {
    let key = database
        .audit_key()
        .ok_or_else(|| ServiceError::internal("the audit key is not loaded"))?;
    let anchored = match anchors {
        Some(anchors) => anchors.read().map_err(ServiceError::internal)?,
        None => Default::default(),
    };
    let mut connection = database.read().await?;
    let mut expected_previous = GENESIS.to_string();
    let mut last_id = 0;
    let mut checked = 0u64;
    let mut anchors_checked = 0u64;
    let mut keyed_seen = false;
    loop {
        let batch = stored::entries_after(&mut connection, last_id, BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for entry in batch {
            let expected_id = last_id + 1;
            if entry.id != expected_id {
                return Ok(broken(
                    checked,
                    anchors_checked,
                    entry.id,
                    format!(
                        "entry {expected_id} is missing: the entries jump from {last_id} to {}",
                        entry.id
                    ),
                ));
            }
            if entry.previous_hash != expected_previous {
                return Ok(broken(
                    checked,
                    anchors_checked,
                    entry.id,
                    "its link to the previous entry does not match that entry's hash (an entry before it was changed or removed)".into(),
                ));
            }
            if entry.mac == UNKEYED && keyed_seen {
                return Ok(broken(
                    checked,
                    anchors_checked,
                    entry.id,
                    "it carries the old unkeyed hash after entries with the keyed one: it was written by someone without the audit key".into(),
                ));
            }
            keyed_seen |= entry.mac == KEYED;
            if key.hash(&entry).as_deref() != Some(entry.hash.as_str()) {
                return Ok(broken(
                    checked,
                    anchors_checked,
                    entry.id,
                    "its contents no longer match its hash (the entry was changed)".into(),
                ));
            }
            if let Some(anchor) = anchored.get(&entry.id) {
                if anchor.hash != entry.hash {
                    return Ok(broken(
                        checked,
                        anchors_checked,
                        entry.id,
                        format!(
                            "it differs from the copy of the trail's head kept outside the database at {} (the trail was rewritten)",
                            anchor.at
                        ),
                    ));
                }
                anchors_checked += 1;
            }
            expected_previous = entry.hash;
            last_id = entry.id;
            checked += 1;
        }
    }
    if let Some((&id, anchor)) = anchored.range(last_id + 1..).next() {
        return Ok(broken(
            checked,
            anchors_checked,
            id,
            format!(
                "the trail ends at entry {last_id}, but the copy of its head kept outside the database at {} names entry {id}: entries were removed from the end",
                anchor.at
            ),
        ));
    }
    let (head_id, head_hash) = stored::head(&mut connection).await?;
    if head_id != last_id || head_hash != expected_previous {
        return Ok(broken(
            checked,
            anchors_checked,
            head_id.max(last_id),
            format!(
                "the chain's head row names entry {head_id}, but the last entry is {last_id} (entries were removed or added outside the portal)"
            ),
        ));
    }
    Ok(ChainReport {
        entries_checked: checked,
        anchors_checked,
        first_broken: None,
    })
}
