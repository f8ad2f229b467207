//! What a manager changes on someone else's account: their authenticator reset, their name,
//! role and organisation.

use app::api::session::Role;

use super::{Connection, on_engine};

/// Removes the account's authenticator and recovery codes: the person sets up a new one from
/// the link they are sent (a password alone will not let them choose it).
pub async fn reset_second_factor(db: &mut impl Connection, id: i64) -> Result<(), sqlx::Error> {
    on_engine!(db, c => {
        sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL, \
             mfa_enrolled_at = NULL, first_enrolment_by_password = FALSE WHERE id = $1",
        )
        .bind(id)
        .execute(&mut *c)
        .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(id)
            .execute(&mut *c)
            .await
            .map(drop)
    })
}

/// The account's name, role and organisation as they are to be.
pub struct Profile<'a> {
    pub display_name: &'a str,
    pub role: Role,
    pub organisation_id: Option<i64>,
}

pub async fn update_profile(
    db: &mut impl Connection,
    id: i64,
    profile: Profile<'_>,
) -> Result<(), sqlx::Error> {
    on_engine!(db, c => sqlx::query(
        "UPDATE users SET display_name = $1, role = $2, organisation_id = $3 WHERE id = $4",
    )
    .bind(profile.display_name)
    .bind(profile.role.as_str())
    .bind(profile.organisation_id)
    .bind(id)
    .execute(c)
    .await
    .map(drop))
}
