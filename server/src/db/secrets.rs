//! Every sealed value, for sealing again bound to its row (a one-off at start for databases
//! from before values were bound).

use super::{Connection, on_engine};

/// A sealed value and where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedColumn {
    /// `users.totp_secret` and `users.totp_pending_secret`, by user id.
    TotpSecret,
    TotpPendingSecret,
    /// `procedures.claim_code_sealed`, by procedure id.
    ClaimCode,
    /// `draft_keys.sealed_key`, by user id.
    DraftKey,
}

impl SealedColumn {
    pub const ALL: [SealedColumn; 4] = [
        Self::TotpSecret,
        Self::TotpPendingSecret,
        Self::ClaimCode,
        Self::DraftKey,
    ];

    fn select(self) -> &'static str {
        match self {
            Self::TotpSecret => "SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL",
            Self::TotpPendingSecret => {
                "SELECT id, totp_pending_secret FROM users WHERE totp_pending_secret IS NOT NULL"
            }
            Self::ClaimCode => {
                "SELECT id, claim_code_sealed FROM procedures WHERE claim_code_sealed IS NOT NULL"
            }
            Self::DraftKey => "SELECT user_id, sealed_key FROM draft_keys",
        }
    }

    fn update(self) -> &'static str {
        match self {
            Self::TotpSecret => "UPDATE users SET totp_secret = $1 WHERE id = $2",
            Self::TotpPendingSecret => "UPDATE users SET totp_pending_secret = $1 WHERE id = $2",
            Self::ClaimCode => "UPDATE procedures SET claim_code_sealed = $1 WHERE id = $2",
            Self::DraftKey => "UPDATE draft_keys SET sealed_key = $1 WHERE user_id = $2",
        }
    }
}

pub async fn all(
    db: &mut impl Connection,
    column: SealedColumn,
) -> Result<Vec<(i64, Vec<u8>)>, sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query_as(column.select()).fetch_all(c).await
    })
}

pub async fn replace(
    db: &mut impl Connection,
    column: SealedColumn,
    row: i64,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
    sqlx::query(column.update())
        .bind(sealed)
        .bind(row)
        .execute(c)
        .await
        .map(drop)
    })
}
