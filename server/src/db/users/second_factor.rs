//! The second factor of an account: the authenticator (TOTP) secret, pending until a code
//! from it is confirmed, the last step used (so no code is accepted twice), and the
//! one-time recovery codes (`recovery_codes`, stored as hashes).

use crate::db::{Connection, on_engine};

pub async fn set_pending_secret(
    db: &mut impl Connection,
    id: i64,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("UPDATE users SET totp_pending_secret = $1 WHERE id = $2")
        .bind(sealed)
        .bind(id)
        .execute(c)
        .await
        .map(drop)
    })
}

/// Makes the pending secret the active one, after a code from it was confirmed at `step`.
pub async fn activate_pending_secret(
    db: &mut impl Connection,
    id: i64,
    step: i64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query(
        "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = $1, \
         mfa_enrolled_at = $2 WHERE id = $3 AND totp_pending_secret IS NOT NULL",
    )
    .bind(step)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(drop)
    })
}

/// Records the step of an accepted code, so that the code cannot be used again.
pub async fn set_last_step(
    db: &mut impl Connection,
    id: i64,
    step: i64,
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2")
        .bind(step)
        .bind(id)
        .execute(c)
        .await
        .map(drop)
    })
}

pub async fn replace_recovery_codes(
    db: &mut impl Connection,
    id: i64,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(id)
            .bind(hash)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
    })
}

/// Marks an unused recovery code used; true if there was one.
pub async fn use_recovery_code(
    db: &mut impl Connection,
    id: i64,
    hash: &str,
) -> Result<bool, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let result = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(hash)
    .execute(c)
    .await?;
    Ok(result.rows_affected() == 1)
    })
}
