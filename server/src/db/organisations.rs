//! Organisations and their sites.

use app::api::accounts::OrganisationDetail;
use app::api::common::SiteSummary;

use super::{Connection, on_engine};

/// `Ok(None)` for a unique-constraint violation (the name is taken), the id otherwise.
fn unless_taken(result: Result<i64, sqlx::Error>) -> Result<Option<i64>, sqlx::Error> {
    match result {
        Ok(id) => Ok(Some(id)),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Inserts an organisation; `Ok(None)` if the name is taken (in any letter case).
pub async fn insert(db: &mut impl Connection, name: &str) -> Result<Option<i64>, sqlx::Error> {
    let now = db.now();
    unless_taken(on_engine!(db, c => sqlx::query_scalar(
        "INSERT INTO organisations (name, created_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(name)
    .bind(now)
    .fetch_one(c)
    .await))
}

/// Adds a site; `Ok(None)` if the organisation already has a site of that name.
pub async fn insert_site(
    db: &mut impl Connection,
    organisation_id: i64,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let now = db.now();
    unless_taken(on_engine!(db, c => sqlx::query_scalar(
        "INSERT INTO sites (organisation_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(organisation_id)
    .bind(name)
    .bind(now)
    .fetch_one(c)
    .await))
}

pub async fn exists(db: &mut impl Connection, id: i64) -> Result<bool, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM organisations WHERE id = $1)",
    )
    .bind(id)
    .fetch_one(c)
    .await)
}

/// Organisations with their sites and account counts; one organisation if `only` is set.
pub async fn details(
    db: &mut impl Connection,
    only: Option<i64>,
) -> Result<Vec<OrganisationDetail>, sqlx::Error> {
    type Organisations = Vec<(i64, String, i64, Option<String>)>;
    type Sites = Vec<(i64, i64, String)>;
    let (organisations, sites): (Organisations, Sites) = on_engine!(db, c => {
        let organisations = sqlx::query_as(
            "SELECT o.id, o.name, (SELECT COUNT(*) FROM users u WHERE u.organisation_id = o.id), o.contact \
             FROM organisations o WHERE $1 IS NULL OR o.id = $1 ORDER BY o.name",
        )
        .bind(only)
        .fetch_all(&mut *c)
        .await?;
        let sites = sqlx::query_as(
            "SELECT id, organisation_id, name FROM sites \
             WHERE $1 IS NULL OR organisation_id = $1 ORDER BY name",
        )
        .bind(only)
        .fetch_all(&mut *c)
        .await?;
        (organisations, sites)
    });
    Ok(organisations
        .into_iter()
        .map(|(id, name, user_count, contact)| OrganisationDetail {
            id,
            name,
            contact,
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

/// Sets how patients reach the organisation (`None` clears it).
pub async fn set_contact(
    db: &mut impl Connection,
    id: i64,
    contact: Option<&str>,
) -> Result<bool, sqlx::Error> {
    on_engine!(db, c => sqlx::query("UPDATE organisations SET contact = $1 WHERE id = $2")
        .bind(contact)
        .bind(id)
        .execute(c)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// How patients reach the organisation, if it says.
pub async fn contact(db: &mut impl Connection, id: i64) -> Result<Option<String>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar::<_, Option<String>>(
        "SELECT contact FROM organisations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await
    .map(Option::flatten))
}

/// The email addresses and names of an organisation's clinic managers who can sign in.
pub async fn manager_addresses(
    db: &mut impl Connection,
    organisation_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT email, display_name FROM users WHERE organisation_id = $1 AND role = 'clinic_manager' \
         AND disabled_at IS NULL AND password_hash IS NOT NULL ORDER BY id",
    )
    .bind(organisation_id)
    .fetch_all(c)
    .await)
}
