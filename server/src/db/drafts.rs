//! The key each clinic user's browser encrypts drafts and queued records with, sealed.

use super::{Connection, on_engine};

pub async fn sealed_key(
    db: &mut impl Connection,
    user_id: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar("SELECT sealed_key FROM draft_keys WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(c)
        .await)
}

/// Stores a key unless the user has one already (two tabs may ask at once: the first stored
/// wins); returns the key that is stored.
pub async fn store_first(
    db: &mut impl Connection,
    user_id: i64,
    sealed: &[u8],
) -> Result<Vec<u8>, sqlx::Error> {
    on_engine!(db, c => {
        sqlx::query(
            "INSERT INTO draft_keys (user_id, sealed_key) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(sealed)
        .execute(&mut *c)
        .await?;
        sqlx::query_scalar("SELECT sealed_key FROM draft_keys WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(&mut *c)
            .await
    })
}
