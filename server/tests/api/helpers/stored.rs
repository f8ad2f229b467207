//! Reading and changing the database directly, on whichever engine the suite runs, and the
//! organisations and accounts a test starts from (made in the database, as an administrator's
//! earlier work would have left them).

use app::api::session::Role;
use server::auth::passwords;
use server::db::users::{self, NewUser};

use super::people::PASSWORD;
use super::spawn::TestApp;

/// A value a test reads straight from the database, on either engine.
pub trait Stored:
    for<'r> sqlx::Decode<'r, sqlx::Sqlite>
    + sqlx::Type<sqlx::Sqlite>
    + for<'r> sqlx::Decode<'r, sqlx::Postgres>
    + sqlx::Type<sqlx::Postgres>
    + Send
    + Unpin
{
}

impl<T> Stored for T where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>
        + for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + Send
        + Unpin
{
}

/// Reading and changing the database directly, the way an attacker with database access or a
/// test checking what was stored would, on whichever engine the suite runs.
impl TestApp {
    /// The one value `sql` selects.
    pub async fn sql_scalar<T: Stored>(&self, sql: &str) -> T {
        let mut connection = self.state.database.read().await.unwrap();
        server::on_engine!(&mut connection, c => sqlx::query_scalar(sql).fetch_one(c).await)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    /// The first column of every row `sql` selects.
    pub async fn sql_column<T: Stored>(&self, sql: &str) -> Vec<T> {
        let mut connection = self.state.database.read().await.unwrap();
        server::on_engine!(&mut connection, c => sqlx::query_scalar(sql).fetch_all(c).await)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    /// Runs a statement outside the portal.
    pub async fn sql_execute(&self, sql: &str) {
        self.sql_try_execute(sql)
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    /// Runs a statement outside the portal; the database's refusal, if it refuses.
    pub async fn sql_try_execute(&self, sql: &str) -> Result<(), String> {
        let mut connection = self.state.database.read().await.unwrap();
        server::on_engine!(&mut connection, c => sqlx::query(sql).execute(c).await.map(drop))
            .map_err(|error| error.to_string())
    }

    /// Removes the triggers that keep the audit trail append-only, as someone with full
    /// database access could.
    pub async fn allow_audit_tampering(&self) {
        let mut connection = self.state.database.read().await.unwrap();
        match server::db::Connection::conn(&mut connection) {
            server::db::Conn::Sqlite(c) => {
                for trigger in [
                    "audit_log_is_append_only_update",
                    "audit_log_is_append_only_delete",
                ] {
                    sqlx::query(&format!("DROP TRIGGER IF EXISTS {trigger}"))
                        .execute(&mut *c)
                        .await
                        .unwrap();
                }
            }
            server::db::Conn::Postgres(c) => {
                sqlx::query("DROP TRIGGER IF EXISTS audit_log_is_append_only ON audit_log")
                    .execute(&mut *c)
                    .await
                    .unwrap();
            }
        }
    }

    /// An organisation with one site; returns its id.
    pub async fn organisation(&self, name: &str) -> i64 {
        let mut connection = self.state.database.write().await.unwrap();
        let id = server::db::organisations::insert(&mut connection, name)
            .await
            .unwrap()
            .unwrap();
        server::db::organisations::insert_site(&mut connection, id, "Main theatre")
            .await
            .unwrap();
        connection.commit().await.unwrap();
        id
    }

    /// An account with `PASSWORD`, created directly in the database. Staff accounts stand
    /// for someone who followed their invitation: they set up their authenticator at their
    /// first sign-in.
    pub async fn user(&self, email: &str, role: Role, organisation_id: Option<i64>) -> i64 {
        let hash = passwords::hash(PASSWORD.to_string()).await.unwrap();
        let mut connection = self.state.database.write().await.unwrap();
        let id = users::insert(
            &mut connection,
            NewUser {
                email,
                display_name: "Test Person",
                role,
                organisation_id,
                password_hash: Some(&hash),
                first_enrolment_by_password: role.requires_second_factor(),
            },
        )
        .await
        .unwrap()
        .expect("new email");
        connection.commit().await.unwrap();
        id
    }
}
