use super::*;

async fn open(folder: &tempfile::TempDir) -> Database {
    let url = format!("sqlite://{}", folder.path().join("test.sqlite3").display());
    Database::open(&url, Arc::new(ServerClock::default()))
        .await
        .unwrap()
}

#[tokio::test]
async fn opens_a_new_file_in_wal_mode_with_foreign_keys_and_migrations_applied() {
    let folder = tempfile::tempdir().unwrap();
    let database = open(&folder).await;
    let mut connection = database.read().await.unwrap();
    let Conn::Sqlite(c) = connection.conn() else {
        panic!("a sqlite:// URL opens SQLite")
    };
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(journal, "wal");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
    drop(connection);
    assert_eq!(
        database.schema_version().await.unwrap(),
        database.migrations_known() as i64
    );
    assert!(
        database
            .engine_version()
            .await
            .unwrap()
            .starts_with("SQLite 3.")
    );
}

#[tokio::test]
async fn reopening_applies_nothing_twice() {
    let folder = tempfile::tempdir().unwrap();
    let first = open(&folder).await;
    let version = first.schema_version().await.unwrap();
    drop(first);
    let second = open(&folder).await;
    assert_eq!(second.schema_version().await.unwrap(), version);
}

#[tokio::test]
async fn an_unknown_engine_is_named() {
    let error = Database::open("mysql://x", Arc::new(ServerClock::default()))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("\"mysql\""), "{error}");
}
