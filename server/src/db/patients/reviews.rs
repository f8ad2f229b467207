//! Claims that look wrong, flagged for the registry to review: the open list, one review,
//! and its closing (the claim kept or removed).

use sqlx::FromRow;

use crate::db::types::Timestamp;
use crate::db::{Connection, on_engine};

/// Flags a claim for the registry to review; `reasons` are codes separated by spaces.
pub async fn flag_claim(
    db: &mut impl Connection,
    user_id: i64,
    organisation_id: i64,
    procedure_id: i64,
    reasons: &str,
) -> Result<i64, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    sqlx::query_scalar(
        "INSERT INTO claim_reviews (user_id, organisation_id, procedure_id, reasons, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(organisation_id)
    .bind(procedure_id)
    .bind(reasons)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

/// A flagged claim, as the registry's review list shows it.
#[derive(Debug, Clone, FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub organisation_id: i64,
    pub organisation: String,
    pub procedure_id: i64,
    pub reasons: String,
    pub created_at: Timestamp,
    /// Other accounts claiming the same person.
    pub other_accounts: i64,
}

/// Flagged claims not yet reviewed, oldest first, and how many there are.
pub async fn open_reviews(
    db: &mut impl Connection,
    limit: u32,
    offset: u32,
) -> Result<(Vec<ReviewRow>, u64), sqlx::Error> {
    on_engine!(db, c => {
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM claim_reviews WHERE reviewed_at IS NULL")
            .fetch_one(&mut *c)
            .await?;
    let rows = sqlx::query_as(
        "SELECT r.id, r.user_id, u.email, u.display_name, r.organisation_id, o.name AS organisation, \
         r.procedure_id, r.reasons, r.created_at, \
         (SELECT COUNT(*) FROM patient_links other JOIN patient_links mine ON mine.user_id = r.user_id \
          WHERE other.patient_pseudonym = mine.patient_pseudonym AND other.user_id <> r.user_id) AS other_accounts \
         FROM claim_reviews r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = r.organisation_id \
         WHERE r.reviewed_at IS NULL ORDER BY r.id LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(c)
    .await?;
    Ok((rows, total as u64))
    })
}

pub async fn review(
    db: &mut impl Connection,
    review_id: i64,
) -> Result<Option<ReviewRow>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(
        "SELECT r.id, r.user_id, u.email, u.display_name, r.organisation_id, o.name AS organisation, \
         r.procedure_id, r.reasons, r.created_at, CAST(0 AS BIGINT) AS other_accounts \
         FROM claim_reviews r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = r.organisation_id \
         WHERE r.id = $1 AND r.reviewed_at IS NULL",
    )
    .bind(review_id)
    .fetch_optional(c)
    .await
    })
}

/// Closes a review with its outcome (`kept` or `removed`).
pub async fn close_review(
    db: &mut impl Connection,
    review_id: i64,
    reviewer: i64,
    outcome: &str,
) -> Result<bool, sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => {
    let closed = sqlx::query(
        "UPDATE claim_reviews SET reviewed_at = $1, reviewed_by = $2, outcome = $3 \
         WHERE id = $4 AND reviewed_at IS NULL",
    )
    .bind(now)
    .bind(reviewer)
    .bind(outcome)
    .bind(review_id)
    .execute(c)
    .await?;
    Ok(closed.rows_affected() == 1)
    })
}
