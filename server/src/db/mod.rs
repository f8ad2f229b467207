//! Storage: SQLite embedded (the default) or PostgreSQL, chosen from the database URL at
//! start. All SQL lives in this module's files; services call their functions and never know
//! which engine answers.
//!
//! Each function takes `&mut impl Connection` (a read connection or a write transaction) and
//! runs its SQL with [`on_engine!`]: one query text, written in the dialect both engines
//! share (numbered `$1` placeholders, `RETURNING`, `ON CONFLICT`), type-checked once per
//! engine. Where the engines differ (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's
//! `FOR UPDATE SKIP LOCKED`), the function matches on [`Conn`] itself. Times and days are
//! [`types::Timestamp`] and [`types::Day`]: native types on PostgreSQL, fixed-width text on
//! SQLite. Each engine has its own migrations folder.
//!
//! Here: the [`Database`] handle, the [`Connection`] seam and [`on_engine!`]. Opening either
//! engine (pool settings, migrations) is in `connect`; SQLite's queued writers sharing one
//! commit in `group_commit`; each table's queries in the module named after it.

pub mod account_changes;
pub mod audit;
pub mod backup;
mod connect;
pub mod devices;
mod group_commit;
pub use group_commit::MOST_WRITERS as GROUP_COMMIT_WRITERS;
pub mod drafts;
pub mod identifiers;
pub mod imports;
pub mod instance;
pub mod mail_outbox;
pub mod notice_follow_up;
pub mod notice_match;
pub mod notices;
pub mod organisations;
pub mod patients;
pub mod procedures;
pub mod rate_limits;
pub mod register;
pub mod review;
pub mod secrets;
pub mod sessions;
pub mod statistics;
pub mod synthetic;
pub mod types;
pub mod users;

use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use sqlx::{Postgres, Sqlite};

use crate::audit::AuditKey;
use crate::clock::{Clock, ServerClock};
use types::Timestamp;

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("the database URL is not valid: {0}")]
    Url(sqlx::Error),
    #[error("the database URL must start with sqlite:// or postgres:// (postgresql://), not {0:?}")]
    UnknownEngine(String),
    #[error("cannot connect: {0}")]
    Connect(sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database file: {0}")]
    Create(std::io::Error),
}

/// Which engine a database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone)]
pub struct Database {
    pool: Pool,
    /// SQLite has one writer at a time: writers queue here, in order, instead of in SQLite's
    /// busy handler, which sleeps in steps and gives a long tail of slow requests under load;
    /// writers that queue together share one durable commit (see [`group_commit`]).
    /// PostgreSQL writers run concurrently; what must be serialised is, by row locks.
    write_gate: group_commit::Gate,
    /// The key that chains audit entries; set once the keys are loaded at start.
    audit_key: Option<Arc<AuditKey>>,
    clock: Arc<ServerClock>,
}

/// A connection of one engine or the other, for the duration of one call.
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// What a query can run on: a read connection or a write transaction. It also tells the
/// time, so that everything stored is stamped by the one clock.
pub trait Connection: Send {
    fn conn(&mut self) -> Conn<'_>;
    fn now(&self) -> Timestamp;
}

/// Runs `$body` with `$c` bound to the engine's own connection (`&mut SqliteConnection` or
/// `&mut PgConnection`): the body is written once and compiled for each engine.
#[macro_export]
macro_rules! on_engine {
    ($db:expr, $c:ident => $body:expr) => {
        match $crate::db::Connection::conn(&mut *$db) {
            $crate::db::Conn::Sqlite($c) => $body,
            $crate::db::Conn::Postgres($c) => $body,
        }
    };
}

pub use crate::on_engine;

enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A borrowed connection is a connection (so `&mut transaction` passes where the caller
/// itself holds `&mut WriteTransaction`).
impl<T: Connection> Connection for &mut T {
    fn conn(&mut self) -> Conn<'_> {
        (**self).conn()
    }

    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

/// A connection for reading (writes go through [`Database::write`]).
pub struct ReadConnection {
    pooled: Pooled,
    clock: Arc<ServerClock>,
}

impl Connection for ReadConnection {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.pooled {
            Pooled::Sqlite(connection) => Conn::Sqlite(connection),
            Pooled::Postgres(connection) => Conn::Postgres(connection),
        }
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

enum Transaction {
    Sqlite(group_commit::Turn),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// A write transaction: on SQLite it holds the write gate until it commits or is dropped.
pub struct WriteTransaction {
    transaction: Transaction,
    audit_key: Option<Arc<AuditKey>>,
    clock: Arc<ServerClock>,
}

impl WriteTransaction {
    /// Makes the transaction's writes durable; returns once they are.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.transaction {
            Transaction::Sqlite(turn) => turn.commit().await,
            Transaction::Postgres(transaction) => transaction.commit().await,
        }
    }

    /// The key audit entries written in this transaction are chained with.
    pub fn audit_key(&self) -> Option<Arc<AuditKey>> {
        self.audit_key.clone()
    }
}

impl Connection for WriteTransaction {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.transaction {
            Transaction::Sqlite(turn) => Conn::Sqlite(turn.connection()),
            Transaction::Postgres(transaction) => Conn::Postgres(transaction),
        }
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

impl Database {
    /// Opens the database at `url` (`sqlite://…` or `postgres://…`), creating an SQLite file
    /// if needed, and applies pending migrations.
    pub async fn open(url: &str, clock: Arc<ServerClock>) -> Result<Self, DatabaseError> {
        let pool = if url.starts_with("sqlite:") {
            Pool::Sqlite(connect::open_sqlite(url).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Pool::Postgres(connect::open_postgres(url).await?)
        } else {
            return Err(DatabaseError::UnknownEngine(
                url.split(':').next().unwrap_or_default().to_string(),
            ));
        };
        Ok(Self {
            pool,
            write_gate: group_commit::Gate::new(group_commit::MOST_WRITERS),
            audit_key: None,
            clock,
        })
    }

    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// The same database with at most `writers` SQLite writers sharing one commit (1: each
    /// commits alone). No effect on PostgreSQL, whose commits group by themselves.
    pub fn with_group_commit(mut self, writers: usize) -> Self {
        self.write_gate = group_commit::Gate::new(writers);
        self
    }

    /// SQLite writers committed and the durable commits that held them, since start.
    pub fn group_commit_counts(&self) -> (usize, usize) {
        self.write_gate.counts()
    }

    /// The same database, chaining audit entries with `key`.
    pub fn with_audit_key(mut self, key: AuditKey) -> Self {
        self.audit_key = Some(Arc::new(key));
        self
    }

    pub fn audit_key(&self) -> Option<Arc<AuditKey>> {
        self.audit_key.clone()
    }

    /// The time, by the server's one clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn clock(&self) -> &Arc<ServerClock> {
        &self.clock
    }

    /// A connection for reading (writes go through [`Database::write`]).
    pub async fn read(&self) -> Result<ReadConnection, sqlx::Error> {
        let pooled = match &self.pool {
            Pool::Sqlite(pool) => Pooled::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Pooled::Postgres(pool.acquire().await?),
        };
        Ok(ReadConnection {
            pooled,
            clock: self.clock.clone(),
        })
    }

    /// A write transaction. On SQLite it runs behind the write gate, in a transaction begun
    /// IMMEDIATE (it takes the write lock at once, so it cannot fail half-way on a lock
    /// upgrade) that writers queued together share. On PostgreSQL it is an ordinary (read
    /// committed) transaction; the rows that order things (the audit chain's head, a counter,
    /// a claim code) are locked by the statements that use them.
    pub async fn write(&self) -> Result<WriteTransaction, sqlx::Error> {
        let transaction = match &self.pool {
            Pool::Sqlite(pool) => Transaction::Sqlite(self.write_gate.enter(pool).await?),
            Pool::Postgres(pool) => Transaction::Postgres(pool.begin().await?),
        };
        Ok(WriteTransaction {
            transaction,
            audit_key: self.audit_key.clone(),
            clock: self.clock.clone(),
        })
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        let mut connection = self.read().await?;
        on_engine!(&mut connection, c => sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(c).await.map(drop))
    }

    /// The storage engine's name and version, e.g. `SQLite 3.46.0`, `PostgreSQL 15.18`.
    pub async fn engine_version(&self) -> Result<String, sqlx::Error> {
        let mut connection = self.read().await?;
        match connection.conn() {
            Conn::Sqlite(c) => {
                let version: String = sqlx::query_scalar("SELECT sqlite_version()")
                    .fetch_one(c)
                    .await?;
                Ok(format!("SQLite {version}"))
            }
            Conn::Postgres(c) => {
                let version: String = sqlx::query_scalar("SHOW server_version")
                    .fetch_one(c)
                    .await?;
                Ok(format!("PostgreSQL {version}"))
            }
        }
    }

    /// The random identifier this instance was given when its database was created.
    pub async fn instance_id(&self) -> Result<String, sqlx::Error> {
        let mut connection = self.read().await?;
        on_engine!(&mut connection, c => sqlx::query_scalar("SELECT instance_id FROM instance WHERE id = 1")
            .fetch_one(c)
            .await)
    }

    /// The number of migrations applied.
    pub async fn schema_version(&self) -> Result<i64, sqlx::Error> {
        let mut connection = self.read().await?;
        on_engine!(&mut connection, c => sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(c)
            .await)
    }

    /// How many migrations this server's engine has (for tests and the status page).
    pub fn migrations_known(&self) -> usize {
        match self.engine() {
            Engine::Sqlite => connect::SQLITE_MIGRATIONS.iter().count(),
            Engine::Postgres => connect::POSTGRES_MIGRATIONS.iter().count(),
        }
    }

    /// Closes every connection (before a backup is restored over the file, say).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests;
