//! Which engine a test runs on, shared by the test binaries.

/// Whether the suite runs on PostgreSQL (`MDIS_TEST_DATABASE=postgres`, with
/// `MDIS_TEST_POSTGRES_URL` naming a throwaway server that `scripts/with-postgres` starts) or
/// on SQLite (the default).
pub fn on_postgres() -> bool {
    std::env::var("MDIS_TEST_DATABASE").as_deref() == Ok("postgres")
}

/// A fresh, empty database for one test: on PostgreSQL a new database in the test server, on
/// SQLite (`None`) the file in the test's own data folder.
pub async fn fresh_database_url() -> Option<String> {
    if !on_postgres() {
        return None;
    }
    use sqlx::Connection;
    let admin = std::env::var("MDIS_TEST_POSTGRES_URL")
        .expect("MDIS_TEST_POSTGRES_URL names the test server (see scripts/with-postgres)");
    let name = format!("mdis_test_{}", uuid::Uuid::new_v4().simple());
    let mut connection = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut connection)
        .await
        .expect("create a database for the test");
    let (server, _) = admin.rsplit_once('/').expect("a URL with a database name");
    Some(format!("{server}/{name}"))
}
