//! Organisations and their sites.

use app::api::accounts::OrganisationDetail;
use app::api::common::SiteSummary;
use sqlx::{SqliteConnection, SqliteExecutor};

/// Inserts an organisation; `Ok(None)` if the name is taken.
pub async fn insert(
    connection: &mut SqliteConnection,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    match sqlx::query("INSERT INTO organisations (name) VALUES ($1)")
        .bind(name)
        .execute(&mut *connection)
        .await
    {
        Ok(done) => Ok(Some(done.last_insert_rowid())),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Adds a site; `Ok(None)` if the organisation already has a site of that name.
pub async fn insert_site(
    connection: &mut SqliteConnection,
    organisation_id: i64,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    match sqlx::query("INSERT INTO sites (organisation_id, name) VALUES ($1, $2)")
        .bind(organisation_id)
        .bind(name)
        .execute(&mut *connection)
        .await
    {
        Ok(done) => Ok(Some(done.last_insert_rowid())),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error),
    }
}

pub async fn exists(executor: impl SqliteExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_one(executor)
        .await
        .map(|count| count == 1)
}

/// Organisations with their sites and account counts; one organisation if `only` is set.
pub async fn details(
    connection: &mut SqliteConnection,
    only: Option<i64>,
) -> Result<Vec<OrganisationDetail>, sqlx::Error> {
    let organisations: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT o.id, o.name, (SELECT COUNT(*) FROM users u WHERE u.organisation_id = o.id) \
         FROM organisations o WHERE $1 IS NULL OR o.id = $1 ORDER BY o.name",
    )
    .bind(only)
    .fetch_all(&mut *connection)
    .await?;
    let sites: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, organisation_id, name FROM sites WHERE $1 IS NULL OR organisation_id = $1 ORDER BY name",
    )
    .bind(only)
    .fetch_all(&mut *connection)
    .await?;
    Ok(organisations
        .into_iter()
        .map(|(id, name, user_count)| OrganisationDetail {
            id,
            name,
            user_count: user_count as u64,
            sites: sites
                .iter()
                .filter(|(_, organisation, _)| *organisation == id)
                .map(|(site, _, name)| SiteSummary {
                    id: *site,
                    name: name.clone(),
                })
                .collect(),
        })
        .collect())
}
