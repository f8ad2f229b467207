//! What follows a notice: each clinic's acknowledgement per record, when each clinic was told
//! of each version, which patients were emailed, and whom to tell.

use domain::register::Acknowledgement;
use sqlx::FromRow;

use super::types::Timestamp;
use super::{Connection, on_engine};

/// A clinic's acknowledgement as stored, with who gave it.
#[derive(Debug, Clone, FromRow)]
pub struct AcknowledgementRow {
    pub organisation_id: i64,
    pub procedure_id: i64,
    pub kind: String,
    pub reason: Option<String>,
    pub acknowledged_by: String,
    pub acknowledged_at: Timestamp,
}

impl AcknowledgementRow {
    pub fn acknowledgement(&self) -> Result<Acknowledgement, sqlx::Error> {
        Acknowledgement::parse(&self.kind, self.reason.as_deref().unwrap_or(""))
            .map_err(|error| sqlx::Error::Decode(error.message.into()))
    }
}

/// A notice's acknowledgements, of one organisation or all.
pub async fn acknowledgements(
    db: &mut impl Connection,
    notice_id: i64,
    organisation: Option<i64>,
) -> Result<Vec<AcknowledgementRow>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT a.organisation_id, a.procedure_id, a.kind, a.reason, u.display_name AS acknowledged_by, a.acknowledged_at \
         FROM safety_notice_acknowledgements a JOIN users u ON u.id = a.acknowledged_by \
         WHERE a.notice_id = $1 AND ($2 IS NULL OR a.organisation_id = $2)",
    )
    .bind(notice_id)
    .bind(organisation)
    .fetch_all(c)
    .await)
}

/// Records (or replaces) what a clinic did for a record.
pub async fn acknowledge(
    db: &mut impl Connection,
    organisation_id: i64,
    notice_id: i64,
    procedure_id: i64,
    acknowledgement: &Acknowledgement,
    by: i64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    let reason = match acknowledgement {
        Acknowledgement::NotAffected { reason } => Some(reason.as_str()),
        _ => None,
    };
    on_engine!(db, c => sqlx::query(
        "INSERT INTO safety_notice_acknowledgements (organisation_id, notice_id, procedure_id, kind, reason, \
         acknowledged_by, acknowledged_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (organisation_id, notice_id, procedure_id) DO UPDATE SET kind = excluded.kind, \
         reason = excluded.reason, acknowledged_by = excluded.acknowledged_by, acknowledged_at = excluded.acknowledged_at",
    )
    .bind(organisation_id)
    .bind(notice_id)
    .bind(procedure_id)
    .bind(acknowledgement.code())
    .bind(reason)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(drop))
}

/// How a clinic was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    /// Its managers were emailed when the version was published.
    Published,
    /// It was warned when it submitted a record the notice concerns.
    Submission,
}

impl Told {
    pub fn code(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Submission => "submission",
        }
    }
}

/// Notes that a clinic was told of a version (the first time counts).
pub async fn note_clinic_told(
    db: &mut impl Connection,
    organisation_id: i64,
    notice_id: i64,
    version: u32,
    how: Told,
    managers_emailed: u64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => sqlx::query(
        "INSERT INTO safety_notice_clinic_notifications (organisation_id, notice_id, version, told_at, how, managers_emailed) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organisation_id, notice_id, version) DO NOTHING",
    )
    .bind(organisation_id)
    .bind(notice_id)
    .bind(i64::from(version))
    .bind(now)
    .bind(how.code())
    .bind(managers_emailed as i64)
    .execute(c)
    .await
    .map(drop))
}

/// When each clinic was first told of any version of a notice: (organisation, when, how).
pub async fn clinics_told(
    db: &mut impl Connection,
    notice_id: i64,
) -> Result<Vec<(i64, Timestamp, String)>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT organisation_id, told_at, how FROM safety_notice_clinic_notifications n WHERE notice_id = $1 \
         AND told_at = (SELECT MIN(m.told_at) FROM safety_notice_clinic_notifications m \
                        WHERE m.notice_id = n.notice_id AND m.organisation_id = n.organisation_id) \
         ORDER BY organisation_id",
    )
    .bind(notice_id)
    .fetch_all(c)
    .await)
}

/// Someone to email: id, address, name.
pub type Recipient = (i64, String, String);

/// The active managers of these organisations, by organisation.
pub async fn clinic_managers(
    db: &mut impl Connection,
    organisations: &[i64],
) -> Result<Vec<(i64, Recipient)>, sqlx::Error> {
    if organisations.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=organisations.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT organisation_id, id, email, display_name FROM users WHERE role = 'clinic_manager' \
         AND disabled_at IS NULL AND password_hash IS NOT NULL AND organisation_id IN ({}) ORDER BY organisation_id, id",
        placeholders.join(", ")
    );
    let rows: Vec<(i64, i64, String, String)> = on_engine!(db, c => {
        let mut query = sqlx::query_as(&sql);
        for id in organisations {
            query = query.bind(id);
        }
        query.fetch_all(c).await?
    });
    Ok(rows
        .into_iter()
        .map(|(organisation, id, email, name)| (organisation, (id, email, name)))
        .collect())
}

/// The patient accounts that see these records (linked by pseudonym, claimed at the record's
/// organisation), each once.
pub async fn patients_of(
    db: &mut impl Connection,
    procedure_ids: &[i64],
) -> Result<Vec<Recipient>, sqlx::Error> {
    let mut recipients: Vec<Recipient> = Vec::new();
    for batch in procedure_ids.chunks(500) {
        let placeholders: Vec<String> = (1..=batch.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT DISTINCT u.id, u.email, u.display_name FROM procedures p \
             JOIN patient_links l ON l.patient_pseudonym = p.patient_pseudonym \
             JOIN patient_claims c ON c.user_id = l.user_id AND c.organisation_id = p.organisation_id \
             JOIN users u ON u.id = l.user_id WHERE u.disabled_at IS NULL AND p.id IN ({})",
            placeholders.join(", ")
        );
        let rows: Vec<Recipient> = on_engine!(db, c => {
            let mut query = sqlx::query_as(&sql);
            for id in batch {
                query = query.bind(id);
            }
            query.fetch_all(c).await?
        });
        recipients.extend(rows);
    }
    recipients.sort();
    recipients.dedup();
    Ok(recipients)
}

/// Notes that a patient was emailed about a version; `false` if they already were.
pub async fn note_patient_emailed(
    db: &mut impl Connection,
    notice_id: i64,
    version: u32,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let now = db.now();
    let inserted = on_engine!(db, c => sqlx::query(
        "INSERT INTO safety_notice_patient_notifications (notice_id, version, user_id, emailed_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (notice_id, version, user_id) DO NOTHING",
    )
    .bind(notice_id)
    .bind(i64::from(version))
    .bind(user_id)
    .bind(now)
    .execute(c)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(inserted == 1)
}
