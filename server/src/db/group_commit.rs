//! Group commit for SQLite: several writers' transactions made durable by one commit.
//!
//! SQLite has one writer at a time, and each durable commit waits for the disk (one fsync of
//! the WAL). Under load, writers queue at the write gate anyway; so a writer that finishes
//! while others are waiting leaves the transaction open for them instead of committing it:
//! each writer's work runs in a savepoint of one shared transaction, and the last writer of
//! the group (nobody else waiting, or the group is full) commits it for everyone. Nobody is
//! answered before the commit that holds their work is durable; if that commit fails, every
//! writer of the group gets the failure, so nothing is acknowledged that was not stored.
//!
//! A writer that gives up (an error, a dropped request) rolls back its own savepoint only.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sqlx::Sqlite;
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

/// By default at most this many writers share one commit, so nobody waits behind a long queue.
pub const MOST_WRITERS: usize = 32;
/// A group older than this is committed by its next writer, whoever is waiting.
const OLDEST: Duration = Duration::from_millis(20);

type Outcome = Result<(), String>;

struct Group {
    id: u64,
    transaction: sqlx::Transaction<'static, Sqlite>,
    /// The writers whose work is in the group, waiting for its commit.
    members: Vec<oneshot::Sender<Outcome>>,
    opened: Instant,
}

#[derive(Default)]
pub(super) struct Slot {
    group: Option<Group>,
    next_id: u64,
}

/// The write gate with the group in progress behind it.
#[derive(Clone)]
pub(super) struct Gate {
    slot: Arc<Mutex<Slot>>,
    /// Writers waiting for the gate: while there are some, a finishing writer leaves the
    /// group open for them.
    queued: Arc<AtomicUsize>,
    /// How many writers may share one commit (1: every writer commits alone).
    most_writers: usize,
    /// Writers committed, and the commits that made them durable (writers per commit is
    /// what grouping saves).
    writers_committed: Arc<AtomicUsize>,
    commits: Arc<AtomicUsize>,
}

impl Gate {
    pub(super) fn new(most_writers: usize) -> Self {
        Self {
            slot: Arc::default(),
            queued: Arc::default(),
            most_writers: most_writers.max(1),
            writers_committed: Arc::default(),
            commits: Arc::default(),
        }
    }

    /// (writers committed, durable commits) since start.
    pub(super) fn counts(&self) -> (usize, usize) {
        (
            self.writers_committed.load(Ordering::Relaxed),
            self.commits.load(Ordering::Relaxed),
        )
    }
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Gate")
            .field("queued", &self.queued.load(Ordering::Relaxed))
            .finish()
    }
}

/// One writer's turn: the gate, and its savepoint in the group's transaction.
pub(super) struct Turn {
    slot: Option<OwnedMutexGuard<Slot>>,
    gate: Gate,
}

impl Gate {
    /// Waits for the gate, then joins the open group (or opens one) in a savepoint.
    pub(super) async fn enter(&self, pool: &SqlitePool) -> Result<Turn, sqlx::Error> {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let mut slot = self.slot.clone().lock_owned().await;
        self.queued.fetch_sub(1, Ordering::SeqCst);
        if slot.group.is_none() {
            let transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
            slot.next_id += 1;
            slot.group = Some(Group {
                id: slot.next_id,
                transaction,
                members: Vec::new(),
                opened: Instant::now(),
            });
        }
        let group = slot.group.as_mut().expect("a group is open");
        if let Err(error) = sqlx::query("SAVEPOINT writer")
            .execute(&mut *group.transaction)
            .await
        {
            fail(&mut slot, &error.to_string());
            return Err(error);
        }
        Ok(Turn {
            slot: Some(slot),
            gate: self.clone(),
        })
    }
}

impl Turn {
    pub(super) fn connection(&mut self) -> &mut SqliteConnection {
        let slot = self.slot.as_mut().expect("the turn is not over");
        &mut slot.group.as_mut().expect("a group is open").transaction
    }

    /// Keeps this writer's work and returns once it is durable (or with why it is not).
    pub(super) async fn commit(mut self) -> Result<(), sqlx::Error> {
        let mut slot = self.slot.take().expect("the turn is not over");
        let group = slot.group.as_mut().expect("a group is open");
        if let Err(error) = sqlx::query("RELEASE writer")
            .execute(&mut *group.transaction)
            .await
        {
            fail(&mut slot, &error.to_string());
            return Err(error);
        }
        let (done, durable) = oneshot::channel();
        group.members.push(done);
        self.gate.hand_on(&mut slot).await;
        drop(slot);
        match durable.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(reason)) => Err(commit_failed(reason)),
            Err(_) => Err(commit_failed("the group commit was abandoned".into())),
        }
    }
}

impl Gate {
    /// After a writer's turn: commit the group now if nobody is waiting to join it (or it is
    /// full or old); otherwise leave it to the writers queued, with a flusher queued behind
    /// them in case they all give up.
    async fn hand_on(&self, slot: &mut Slot) {
        let Some(group) = slot.group.as_ref() else {
            return;
        };
        let full = group.members.len() >= self.most_writers || group.opened.elapsed() >= OLDEST;
        if self.queued.load(Ordering::SeqCst) == 0 || full {
            self.commit_group(slot).await;
        } else {
            let (gate, id) = (self.clone(), group.id);
            tokio::spawn(async move {
                let mut slot = gate.slot.clone().lock_owned().await;
                if slot.group.as_ref().map(|group| group.id) == Some(id) {
                    gate.commit_group(&mut slot).await;
                }
            });
        }
    }

    async fn commit_group(&self, slot: &mut Slot) {
        let Some(group) = slot.group.take() else {
            return;
        };
        let outcome = group
            .transaction
            .commit()
            .await
            .map_err(|error| error.to_string());
        if outcome.is_ok() {
            self.commits.fetch_add(1, Ordering::Relaxed);
            self.writers_committed
                .fetch_add(group.members.len(), Ordering::Relaxed);
        }
        for member in group.members {
            let _ = member.send(outcome.clone());
        }
    }
}

/// A turn that ends without `commit` (an error returned early, a request dropped): its
/// savepoint is rolled back and the group carries on without it.
impl Drop for Turn {
    fn drop(&mut self) {
        let Some(mut slot) = self.slot.take() else {
            return;
        };
        let gate = self.gate.clone();
        tokio::spawn(async move {
            let Some(group) = slot.group.as_mut() else {
                return;
            };
            let undone = sqlx::query("ROLLBACK TO writer; RELEASE writer")
                .execute(&mut *group.transaction)
                .await;
            match undone {
                Err(error) => fail(&mut slot, &error.to_string()),
                // Nobody else's work is in it: end it (rolled back as it is dropped).
                Ok(_) if group.members.is_empty() => drop(slot.group.take()),
                Ok(_) => gate.hand_on(&mut slot).await,
            }
        });
    }
}

/// The group cannot go on (SQLite may have rolled it back itself, e.g. on a full disk): every
/// writer in it is told, and the transaction is dropped.
fn fail(slot: &mut Slot, reason: &str) {
    if let Some(group) = slot.group.take() {
        tracing::warn!(%reason, writers = group.members.len(), "a group commit failed");
        for member in group.members {
            let _ = member.send(Err(reason.to_string()));
        }
    }
}

/// Shaped as the storage trouble it is (answered 503: try again), whatever its first cause.
fn commit_failed(reason: String) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(format!(
        "the commit holding this write failed: {reason}"
    )))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::clock::ServerClock;
    use crate::db::{Conn, Connection, Database};

    async fn database(folder: &tempfile::TempDir) -> Database {
        let url = format!("sqlite://{}", folder.path().join("group.sqlite3").display());
        let database = Database::open(&url, Arc::new(ServerClock::default()))
            .await
            .unwrap();
        let mut connection = database.read().await.unwrap();
        let Conn::Sqlite(c) = connection.conn() else {
            unreachable!()
        };
        sqlx::query("CREATE TABLE things (name TEXT NOT NULL)")
            .execute(&mut *c)
            .await
            .unwrap();
        drop(connection);
        database
    }

    async fn insert(database: &Database, name: &str, keep: bool) {
        let mut transaction = database.write().await.unwrap();
        let Conn::Sqlite(c) = transaction.conn() else {
            unreachable!()
        };
        sqlx::query("INSERT INTO things (name) VALUES ($1)")
            .bind(name)
            .execute(&mut *c)
            .await
            .unwrap();
        // Give the others time to queue behind this writer.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        if keep {
            transaction.commit().await.unwrap();
        }
    }

    async fn names(database: &Database) -> Vec<String> {
        let mut connection = database.read().await.unwrap();
        let Conn::Sqlite(c) = connection.conn() else {
            unreachable!()
        };
        sqlx::query_scalar("SELECT name FROM things ORDER BY name")
            .fetch_all(&mut *c)
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writers_queued_together_share_commits_and_a_writer_that_gives_up_loses_only_its_own_work()
     {
        let folder = tempfile::tempdir().unwrap();
        let database = database(&folder).await;
        let writers: Vec<_> = (0..24)
            .map(|index| {
                let database = database.clone();
                // Every fourth writer gives up after writing.
                tokio::spawn(async move {
                    insert(&database, &format!("w{index:02}"), index % 4 != 3).await
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        // The last give-up's rollback runs in a task of its own.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let expected: Vec<String> = (0..24)
            .filter(|index| index % 4 != 3)
            .map(|index| format!("w{index:02}"))
            .collect();
        assert_eq!(names(&database).await, expected);
        let (writers, commits) = database.write_gate.counts();
        assert_eq!(writers, 18);
        assert!(commits < writers, "{writers} writers in {commits} commits");
    }

    #[tokio::test]
    async fn one_writer_per_commit_when_grouping_is_off() {
        let folder = tempfile::tempdir().unwrap();
        let database = database(&folder).await.with_group_commit(1);
        let writers: Vec<_> = (0..8)
            .map(|index| {
                let database = database.clone();
                tokio::spawn(async move { insert(&database, &format!("w{index}"), true).await })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        assert_eq!(names(&database).await.len(), 8);
        assert_eq!(database.write_gate.counts(), (8, 8));
    }
}
