//! Opening a database: an SQLite file (created readable by this user only, WAL, every commit
//! durable) or a PostgreSQL pool, each with its own migrations applied.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::DatabaseError;

pub(super) static SQLITE_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/sqlite");
pub(super) static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/postgres");

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

pub(super) async fn open_sqlite(url: &str) -> Result<SqlitePool, DatabaseError> {
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
        // A commit that fails on a full disk (SQLite rolls back by itself), then a rollback
        // that finds no transaction, leave sqlx believing the connection is still in one:
        // every later transaction on it would fail. Such a connection is closed, not reused.
        .after_release(|connection, _| {
            Box::pin(async move {
                use sqlx::Connection as _;
                if !connection.is_in_transaction() {
                    return Ok(true);
                }
                // A rollback may still be queued on the connection: let it run, then look again.
                connection.ping().await?;
                Ok(!connection.is_in_transaction())
            })
        })
        .connect_with(options)
        .await
        .map_err(DatabaseError::Connect)?;
    SQLITE_MIGRATIONS.run(&pool).await?;
    Ok(pool)
}

pub(super) async fn open_postgres(url: &str) -> Result<PgPool, DatabaseError> {
    let options = PgConnectOptions::from_str(url).map_err(DatabaseError::Url)?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(DatabaseError::Connect)?;
    POSTGRES_MIGRATIONS.run(&pool).await?;
    Ok(pool)
}
