//! Copies of the database: SQLite's consistent online copy, and what a copy (or a target for
//! a restore) holds.

use std::path::Path;
use std::str::FromStr;

use sqlx::Connection as _;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use super::{Conn, Connection, Database};

/// Writes a consistent copy of the SQLite database into `path` (a new, empty file) while
/// readers and writers carry on: the copy is of one committed moment.
pub async fn copy_sqlite_into(database: &Database, path: &Path) -> Result<(), sqlx::Error> {
    let mut connection = database.read().await?;
    match connection.conn() {
        Conn::Sqlite(c) => {
            sqlx::query("VACUUM INTO $1")
                .bind(path.display().to_string())
                .execute(&mut *c)
                .await?;
            Ok(())
        }
        Conn::Postgres(_) => Err(sqlx::Error::Configuration(
            "VACUUM INTO is SQLite's; PostgreSQL is copied with pg_dump".into(),
        )),
    }
}

/// What an SQLite copy holds, read from the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySummary {
    /// `PRAGMA integrity_check`'s answer: `ok` for a sound file.
    pub integrity: String,
    pub procedures: i64,
    pub audit_head: i64,
}

/// Opens the SQLite file at `path` read-only and says what it holds.
pub async fn sqlite_copy_summary(path: &Path) -> Result<CopySummary, sqlx::Error> {
    let options =
        SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?.read_only(true);
    let mut connection = SqliteConnection::connect_with(&options).await?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await?;
    let procedures = sqlx::query_scalar("SELECT COUNT(*) FROM procedures")
        .fetch_one(&mut connection)
        .await?;
    let audit_head = sqlx::query_scalar("SELECT last_id FROM audit_head WHERE id = 1")
        .fetch_one(&mut connection)
        .await?;
    connection.close().await?;
    Ok(CopySummary {
        integrity,
        procedures,
        audit_head,
    })
}

/// Whether the PostgreSQL database at `url` holds no tables of ours (a restore's target must
/// be empty: restoring over a live registry would mix two).
pub async fn postgres_is_empty(url: &str) -> Result<bool, sqlx::Error> {
    let mut connection = PgConnection::connect(url).await?;
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&mut connection)
    .await?;
    connection.close().await?;
    Ok(tables == 0)
}

/// How many procedure records the database holds (printed after a backup or restore).
pub async fn procedure_count(db: &mut impl Connection) -> Result<i64, sqlx::Error> {
    super::on_engine!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM procedures")
        .fetch_one(c)
        .await)
}
