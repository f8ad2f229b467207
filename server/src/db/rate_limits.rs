//! Rate-limit counters: one row per bucket, key and fixed window.

use super::{Connection, on_engine};

/// The counts of a key in the current window and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCounts {
    pub current: i64,
    pub previous: i64,
}

/// Counts one more attempt in the current window; returns the counts including it. The
/// upsert is one statement, atomic on either engine (PostgreSQL locks the counter's row).
pub async fn count_attempt(
    db: &mut impl Connection,
    bucket: &str,
    key: &str,
    window_start: i64,
    previous_start: i64,
) -> Result<WindowCounts, sqlx::Error> {
    let current: i64 = on_engine!(db, c => sqlx::query_scalar(
        "INSERT INTO rate_counters (bucket, key, window_start, count) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (bucket, key, window_start) DO UPDATE SET count = rate_counters.count + 1 \
         RETURNING count",
    )
    .bind(bucket)
    .bind(key)
    .bind(window_start)
    .fetch_one(c)
    .await)?;
    let previous = count_in(db, bucket, key, previous_start).await?;
    Ok(WindowCounts { current, previous })
}

async fn count_in(
    db: &mut impl Connection,
    bucket: &str,
    key: &str,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    let count: Option<i64> = on_engine!(db, c => sqlx::query_scalar(
        "SELECT count FROM rate_counters WHERE bucket = $1 AND key = $2 AND window_start = $3",
    )
    .bind(bucket)
    .bind(key)
    .bind(window_start)
    .fetch_optional(c)
    .await)?;
    Ok(count.unwrap_or(0))
}

/// The counts without counting anything.
pub async fn counts(
    db: &mut impl Connection,
    bucket: &str,
    key: &str,
    window_start: i64,
    previous_start: i64,
) -> Result<WindowCounts, sqlx::Error> {
    Ok(WindowCounts {
        current: count_in(db, bucket, key, window_start).await?,
        previous: count_in(db, bucket, key, previous_start).await?,
    })
}

/// Takes back an attempt that was refused (refusals do not use up the allowance) and counts
/// the refusal; returns how many refusals this window has had, this one included.
pub async fn record_refusal(
    db: &mut impl Connection,
    bucket: &str,
    key: &str,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    on_engine!(db, c => sqlx::query_scalar(
        "UPDATE rate_counters SET count = count - 1, refused = refused + 1 \
         WHERE bucket = $1 AND key = $2 AND window_start = $3 RETURNING refused",
    )
    .bind(bucket)
    .bind(key)
    .bind(window_start)
    .fetch_one(c)
    .await)
}

/// Gives back one attempt of this window (a sign-in that succeeded).
pub async fn give_back(
    db: &mut impl Connection,
    bucket: &str,
    key: &str,
    window_start: i64,
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => sqlx::query(
        "UPDATE rate_counters SET count = count - 1 \
         WHERE bucket = $1 AND key = $2 AND window_start = $3 AND count > 0",
    )
    .bind(bucket)
    .bind(key)
    .bind(window_start)
    .execute(c)
    .await
    .map(drop))
}

/// The busiest keys of a bucket in a window, busiest first.
pub async fn busiest(
    db: &mut impl Connection,
    bucket: &str,
    window_start: i64,
    limit: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT key, count FROM rate_counters WHERE bucket = $1 AND window_start = $2 \
         ORDER BY count DESC, key LIMIT $3",
    )
    .bind(bucket)
    .bind(window_start)
    .bind(limit)
    .fetch_all(c)
    .await)
}

/// Removes windows that started before `before` (unix seconds); returns how many. A window is
/// needed until the one after it has ended too (it weighs in the sliding count).
pub async fn purge(db: &mut impl Connection, before: i64) -> Result<u64, sqlx::Error> {
    on_engine!(db, c => sqlx::query("DELETE FROM rate_counters WHERE window_start < $1")
        .bind(before)
        .execute(c)
        .await
        .map(|done| done.rows_affected()))
}
