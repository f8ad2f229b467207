//! Storage: an embedded SQLite database by default, opened with durable settings and migrated
//! at start.

use std::str::FromStr;
use std::time::Duration;

pub mod audit;
pub mod devices;
pub mod drafts;
pub mod instance;
pub mod mail_outbox;
pub mod organisations;
pub mod patients;
pub mod procedures;
pub mod rate_limits;
pub mod secrets;
pub mod sessions;
pub mod users;

use std::sync::Arc;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::audit::AuditKey;

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("the database URL is not valid: {0}")]
    Url(sqlx::Error),
    #[error("cannot connect: {0}")]
    Connect(sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database file: {0}")]
    Create(std::io::Error),
}

/// Creates a new database file readable by this user only (SQLite gives its WAL and shared
/// memory files the database file's permissions).
fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if path.as_os_str().is_empty() || path == std::path::Path::new(":memory:") || path.exists() {
        return Ok(());
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone, Debug)]
pub struct Database {
    pool: SqlitePool,
    /// Writers queue here, in order, instead of in SQLite's busy handler, which sleeps in
    /// steps and gives a long tail of slow requests under load.
    write_gate: Arc<Mutex<()>>,
    /// The key that chains audit entries; set once the keys are loaded at start.
    audit_key: Option<Arc<AuditKey>>,
}

/// A write transaction holding the write gate until it commits or is dropped.
pub struct WriteTransaction {
    transaction: sqlx::Transaction<'static, sqlx::Sqlite>,
    _gate: OwnedMutexGuard<()>,
    audit_key: Option<Arc<AuditKey>>,
}

impl WriteTransaction {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.transaction.commit().await
    }

    /// The key audit entries written in this transaction are chained with.
    pub fn audit_key(&self) -> Option<Arc<AuditKey>> {
        self.audit_key.clone()
    }
}

impl std::ops::Deref for WriteTransaction {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        &self.transaction
    }
}

impl std::ops::DerefMut for WriteTransaction {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.transaction
    }
}

impl Database {
    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self, DatabaseError> {
        let options = SqliteConnectOptions::from_str(url).map_err(DatabaseError::Url)?;
        create_private(options.get_filename()).map_err(DatabaseError::Create)?;
        let options = options
            .create_if_missing(true)
            // WAL lets readers work while a submission commits; FULL makes every commit
            // durable before the client is told it was accepted.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(DatabaseError::Connect)?;
        MIGRATIONS.run(&pool).await?;
        Ok(Self {
            pool,
            write_gate: Arc::new(Mutex::new(())),
            audit_key: None,
        })
    }

    /// The same database, chaining audit entries with `key`.
    pub fn with_audit_key(mut self, key: AuditKey) -> Self {
        self.audit_key = Some(Arc::new(key));
        self
    }

    pub fn audit_key(&self) -> Option<Arc<AuditKey>> {
        self.audit_key.clone()
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A connection for reading (writes go through [`Database::write`]).
    pub async fn connection(
        &self,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// A write transaction, begun IMMEDIATE: it takes the write lock at once (waiting up to
    /// the busy timeout), so it cannot fail half-way on a lock upgrade, and audit entries
    /// written in it chain in order.
    pub async fn write(&self) -> Result<WriteTransaction, sqlx::Error> {
        let gate = self.write_gate.clone().lock_owned().await;
        let transaction = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTransaction {
            transaction,
            _gate: gate,
            audit_key: self.audit_key.clone(),
        })
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .map(drop)
    }

    /// The storage engine's name and version, e.g. `SQLite 3.46.0`.
    pub async fn engine(&self) -> Result<String, sqlx::Error> {
        let version: String = sqlx::query_scalar("SELECT sqlite_version()")
            .fetch_one(&self.pool)
            .await?;
        Ok(format!("SQLite {version}"))
    }

    /// The random identifier this instance was given when its database was created.
    pub async fn instance_id(&self) -> Result<String, sqlx::Error> {
        sqlx::query_scalar("SELECT instance_id FROM instance WHERE id = 1")
            .fetch_one(&self.pool)
            .await
    }

    /// The number of migrations applied.
    pub async fn schema_version(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_a_new_file_in_wal_mode_with_foreign_keys_and_migrations_applied() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", folder.path().join("test.sqlite3").display());
        let database = Database::open(&url).await.unwrap();

        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(database.pool())
            .await
            .unwrap();
        assert_eq!(journal, "wal");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(database.pool())
            .await
            .unwrap();
        assert_eq!(foreign_keys, 1);
        assert_eq!(
            database.schema_version().await.unwrap(),
            MIGRATIONS.iter().count() as i64
        );
        assert!(database.engine().await.unwrap().starts_with("SQLite 3."));
    }

    #[tokio::test]
    async fn reopening_applies_nothing_twice() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", folder.path().join("test.sqlite3").display());
        let first = Database::open(&url).await.unwrap();
        let version = first.schema_version().await.unwrap();
        drop(first);
        let second = Database::open(&url).await.unwrap();
        assert_eq!(second.schema_version().await.unwrap(), version);
    }
}
