//! The key each clinic user's browser encrypts drafts and queued records with, sealed.

use sqlx::SqliteConnection;

pub async fn sealed_key(
    connection: &mut SqliteConnection,
    user_id: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT sealed_key FROM draft_keys WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(connection)
        .await
}

/// Stores a key unless the user has one already (two tabs may ask at once: the first stored
/// wins); returns the key that is stored.
pub async fn store_first(
    connection: &mut SqliteConnection,
    user_id: i64,
    sealed: &[u8],
) -> Result<Vec<u8>, sqlx::Error> {
    sqlx::query(
        "INSERT INTO draft_keys (user_id, sealed_key) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(sealed)
    .execute(&mut *connection)
    .await?;
    sqlx::query_scalar("SELECT sealed_key FROM draft_keys WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(connection)
        .await
}
