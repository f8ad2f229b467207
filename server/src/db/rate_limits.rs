//! Rate-limit counters: one row per bucket, key and fixed window.

use sqlx::SqliteConnection;

/// The counts of a key in the current window and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCounts {
    pub current: i64,
    pub previous: i64,
}

/// Counts one more attempt in the current window; returns the counts including it.
pub async fn count_attempt(
    connection: &mut SqliteConnection,
    bucket: &str,
    key: &str,
    window_start: i64,
    previous_start: i64,
) -> Result<WindowCounts, sqlx::Error> {
    let current: i64 = sqlx::query_scalar(
        "INSERT INTO rate_counters (bucket, key, window_start, count) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (bucket, key, window_start) DO UPDATE SET count = count + 1 RETURNING count",
    )
    .bind(bucket)
    .bind(key)
    .bind(window_start)
    .fetch_one(&mut *connection)
    .await?;
    let previous = previous_count(connection, bucket, key, previous_start).await?;
    Ok(WindowCounts { current, previous })
}

async fn previous_count(
    connection: &mut SqliteConnection,
    bucket: &str,
    key: &str,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query_scalar(
        "SELECT count FROM rate_counters WHERE bucket = $1 AND key = $2 AND window_start = $3",
    )
    .bind(bucket)
    .bind(key)
    .bind(window_start)
    .fetch_optional(connection)
    .await?
    .unwrap_or(0))
}

/// The counts without counting anything.
pub async fn counts(
    connection: &mut SqliteConnection,
    bucket: &str,
    key: &str,
    window_start: i64,
    previous_start: i64,
) -> Result<WindowCounts, sqlx::Error> {
    Ok(WindowCounts {
        current: previous_count(&mut *connection, bucket, key, window_start).await?,
        previous: previous_count(connection, bucket, key, previous_start).await?,
    })
}

/// Takes back an attempt that was refused (refusals do not use up the allowance) and counts
/// the refusal; returns how many refusals this window has had, this one included.
pub async fn record_refusal(
    connection: &mut SqliteConnection,
    bucket: &str,
    key: &str,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE rate_counters SET count = count - 1, refused = refused + 1 \
         WHERE bucket = $1 AND key = $2 AND window_start = $3 RETURNING refused",
    )
    .bind(bucket)
    .bind(key)
    .bind(window_start)
    .fetch_one(connection)
    .await
}

/// Gives back one attempt of this window (a sign-in that succeeded).
pub async fn give_back(
    connection: &mut SqliteConnection,
    bucket: &str,
    key: &str,
    window_start: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE rate_counters SET count = count - 1 \
         WHERE bucket = $1 AND key = $2 AND window_start = $3 AND count > 0",
    )
    .bind(bucket)
    .bind(key)
    .bind(window_start)
    .execute(connection)
    .await
    .map(drop)
}

/// The busiest keys of a bucket in a window, busiest first.
pub async fn busiest(
    connection: &mut SqliteConnection,
    bucket: &str,
    window_start: i64,
    limit: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT key, count FROM rate_counters WHERE bucket = $1 AND window_start = $2 \
         ORDER BY count DESC, key LIMIT $3",
    )
    .bind(bucket)
    .bind(window_start)
    .bind(limit)
    .fetch_all(connection)
    .await
}

/// Removes windows that ended before `before` (unix seconds); returns how many.
pub async fn purge(connection: &mut SqliteConnection, before: i64) -> Result<u64, sqlx::Error> {
    // A window is needed until the one after it has ended too (it weighs in the sliding count).
    sqlx::query("DELETE FROM rate_counters WHERE window_start < $1")
        .bind(before)
        .execute(connection)
        .await
        .map(|done| done.rows_affected())
}
