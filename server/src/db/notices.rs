//! Safety notices and their versions. A notice is never deleted; each published version is
//! kept as it was, and the row after the last published version (no `published_at`) is the
//! draft being prepared. The criteria each version's match runs on are in
//! [`super::notice_match`].

use domain::calendar::CalendarDate;
use domain::register::{NoticeDraft, NoticeScope, NoticeStatus};
use sqlx::FromRow;

use super::types::{Day, Timestamp};
use super::{Connection, on_engine};

#[derive(Debug, Clone, FromRow)]
struct NoticeRow {
    id: i64,
    reference: String,
    status: String,
    published_version: i64,
    first_published_at: Option<Timestamp>,
}

/// A notice's own row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub reference: String,
    pub status: NoticeStatus,
    pub first_published_at: Option<Timestamp>,
}

impl TryFrom<NoticeRow> for Notice {
    type Error = String;

    fn try_from(row: NoticeRow) -> Result<Self, String> {
        let version = u32::try_from(row.published_version).map_err(|e| e.to_string())?;
        let status = match (row.status.as_str(), version) {
            ("draft", 0) => NoticeStatus::Draft,
            ("published", 1..) => NoticeStatus::Published { version },
            ("closed", 1..) => NoticeStatus::Closed { version },
            (status, version) => {
                return Err(format!("notice status {status:?} at version {version}"));
            }
        };
        Ok(Self {
            id: row.id,
            reference: row.reference,
            status,
            first_published_at: row.first_published_at,
        })
    }
}

fn decode<R: TryInto<T, Error = String>, T>(row: R) -> Result<T, sqlx::Error> {
    row.try_into()
        .map_err(|error| sqlx::Error::Decode(error.into()))
}

fn status_code(status: NoticeStatus) -> (&'static str, i64) {
    match status {
        NoticeStatus::Draft => ("draft", 0),
        NoticeStatus::Published { version } => ("published", i64::from(version)),
        NoticeStatus::Closed { version } => ("closed", i64::from(version)),
    }
}

/// A new notice with no versions yet; `Ok(None)` if the reference is taken (in any case).
pub async fn insert(
    db: &mut impl Connection,
    reference: &str,
    created_by: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let now = db.now();
    let inserted = on_engine!(db, c => sqlx::query_scalar(
        "INSERT INTO safety_notices (reference, status, published_version, created_by, created_at) \
         VALUES ($1, 'draft', 0, $2, $3) RETURNING id",
    )
    .bind(reference)
    .bind(created_by)
    .bind(now)
    .fetch_one(c)
    .await);
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Renames a notice that was never published; `Ok(false)` if the reference is taken.
pub async fn set_reference(
    db: &mut impl Connection,
    id: i64,
    reference: &str,
) -> Result<bool, sqlx::Error> {
    let renamed = on_engine!(db, c => sqlx::query(
        "UPDATE safety_notices SET reference = $2 WHERE id = $1 AND status = 'draft'",
    )
    .bind(id)
    .bind(reference)
    .execute(c)
    .await
    .map(drop));
    match renamed {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(false),
        Err(error) => Err(error),
    }
}

/// Reads a notice, locking it for the write transaction that asks (a no-op update): two
/// administrators publishing at once take turns.
pub async fn lock(db: &mut impl Connection, id: i64) -> Result<Option<Notice>, sqlx::Error> {
    on_engine!(db, c => sqlx::query("UPDATE safety_notices SET status = status WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(drop))?;
    get(db, id).await
}

pub async fn get(db: &mut impl Connection, id: i64) -> Result<Option<Notice>, sqlx::Error> {
    let row: Option<NoticeRow> = on_engine!(db, c => sqlx::query_as(
        "SELECT id, reference, status, published_version, first_published_at FROM safety_notices WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)?;
    row.map(decode).transpose()
}

/// Moves a notice to `status` (the domain decided it may).
pub async fn set_status(
    db: &mut impl Connection,
    id: i64,
    status: NoticeStatus,
    by: i64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    let (code, version) = status_code(status);
    on_engine!(db, c => sqlx::query(
        "UPDATE safety_notices SET status = $2, published_version = $3, \
         first_published_at = CASE WHEN $2 = 'published' THEN COALESCE(first_published_at, $4) ELSE first_published_at END, \
         closed_at = CASE WHEN $2 = 'closed' THEN $4 ELSE closed_at END, \
         closed_by = CASE WHEN $2 = 'closed' THEN $5 ELSE closed_by END WHERE id = $1",
    )
    .bind(id)
    .bind(code)
    .bind(version)
    .bind(now)
    .bind(by)
    .execute(c)
    .await
    .map(drop))
}

#[derive(Debug, Clone, FromRow)]
struct VersionRow {
    id: i64,
    version: i64,
    title: String,
    manufacturer_reference: String,
    fsn_date: Day,
    problem: String,
    risk: String,
    clinic_action: String,
    patient_action: String,
    scope: String,
    published_at: Option<Timestamp>,
    published_by: Option<String>,
    criteria_indexed: bool,
}

/// A version of a notice as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVersion {
    pub id: i64,
    pub version: u32,
    pub content: NoticeDraft,
    /// `None` for the draft.
    pub published_at: Option<Timestamp>,
    pub published_by: Option<String>,
    pub criteria_indexed: bool,
}

impl StoredVersion {
    pub fn fsn_date(&self) -> CalendarDate {
        self.content.fsn_date
    }
}

fn version_of(row: VersionRow, reference: &str) -> Result<StoredVersion, String> {
    let scope: NoticeScope = serde_json::from_str(&row.scope)
        .map_err(|error| format!("the stored scope of notice version {}: {error}", row.id))?;
    Ok(StoredVersion {
        id: row.id,
        version: u32::try_from(row.version).map_err(|e| e.to_string())?,
        content: NoticeDraft {
            reference: reference.to_string(),
            title: row.title,
            manufacturer_reference: row.manufacturer_reference,
            fsn_date: row.fsn_date.into(),
            problem: row.problem,
            risk: row.risk,
            clinic_action: row.clinic_action,
            patient_action: row.patient_action,
            scope,
        },
        published_at: row.published_at,
        published_by: row.published_by,
        criteria_indexed: row.criteria_indexed,
    })
}

const VERSION_COLUMNS: &str = "v.id, v.version, v.title, v.manufacturer_reference, v.fsn_date, v.problem, v.risk, \
     v.clinic_action, v.patient_action, v.scope, v.published_at, u.display_name AS published_by, v.criteria_indexed";

/// A notice's versions, newest (the draft, if any) first.
pub async fn versions(
    db: &mut impl Connection,
    notice: &Notice,
) -> Result<Vec<StoredVersion>, sqlx::Error> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM safety_notice_versions v LEFT JOIN users u ON u.id = v.published_by \
         WHERE v.notice_id = $1 ORDER BY v.version DESC"
    );
    let rows: Vec<VersionRow> =
        on_engine!(db, c => sqlx::query_as(&sql).bind(notice.id).fetch_all(c).await)?;
    rows.into_iter()
        .map(|row| version_of(row, &notice.reference).map_err(|e| sqlx::Error::Decode(e.into())))
        .collect()
}

/// One version by its number.
pub async fn version(
    db: &mut impl Connection,
    notice: &Notice,
    number: u32,
) -> Result<Option<StoredVersion>, sqlx::Error> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM safety_notice_versions v LEFT JOIN users u ON u.id = v.published_by \
         WHERE v.notice_id = $1 AND v.version = $2"
    );
    let row: Option<VersionRow> = on_engine!(db, c => sqlx::query_as(&sql)
        .bind(notice.id)
        .bind(i64::from(number))
        .fetch_optional(c)
        .await)?;
    row.map(|row| version_of(row, &notice.reference).map_err(|e| sqlx::Error::Decode(e.into())))
        .transpose()
}

/// Versions whose criteria have not been written yet (made by SQL migrations).
pub async fn unindexed(db: &mut impl Connection) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    on_engine!(db, c => sqlx::query_as(
        "SELECT id, notice_id FROM safety_notice_versions WHERE NOT criteria_indexed ORDER BY id",
    )
    .fetch_all(c)
    .await)
}

/// Stores a version (the draft of `number`); returns its row id.
pub async fn insert_version(
    db: &mut impl Connection,
    notice_id: i64,
    number: u32,
    content: &NoticeDraft,
    saved_by: i64,
) -> Result<i64, sqlx::Error> {
    let now = db.now();
    let scope = serde_json::to_string(&content.scope).expect("a scope serialises");
    on_engine!(db, c => sqlx::query_scalar(
        "INSERT INTO safety_notice_versions (notice_id, version, title, manufacturer_reference, fsn_date, problem, risk, \
         clinic_action, patient_action, scope, saved_by, saved_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(notice_id)
    .bind(i64::from(number))
    .bind(&content.title)
    .bind(&content.manufacturer_reference)
    .bind(Day(content.fsn_date))
    .bind(&content.problem)
    .bind(&content.risk)
    .bind(&content.clinic_action)
    .bind(&content.patient_action)
    .bind(scope)
    .bind(saved_by)
    .bind(now)
    .fetch_one(c)
    .await)
}

/// Replaces the draft's content (published versions are never changed).
pub async fn update_draft(
    db: &mut impl Connection,
    version_id: i64,
    content: &NoticeDraft,
    saved_by: i64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    let scope = serde_json::to_string(&content.scope).expect("a scope serialises");
    on_engine!(db, c => sqlx::query(
        "UPDATE safety_notice_versions SET title = $2, manufacturer_reference = $3, fsn_date = $4, problem = $5, \
         risk = $6, clinic_action = $7, patient_action = $8, scope = $9, saved_by = $10, saved_at = $11, \
         criteria_indexed = FALSE WHERE id = $1 AND published_at IS NULL",
    )
    .bind(version_id)
    .bind(&content.title)
    .bind(&content.manufacturer_reference)
    .bind(Day(content.fsn_date))
    .bind(&content.problem)
    .bind(&content.risk)
    .bind(&content.clinic_action)
    .bind(&content.patient_action)
    .bind(scope)
    .bind(saved_by)
    .bind(now)
    .execute(c)
    .await
    .map(drop))
}

pub async fn mark_published(
    db: &mut impl Connection,
    version_id: i64,
    by: i64,
) -> Result<(), sqlx::Error> {
    let now = db.now();
    on_engine!(db, c => sqlx::query(
        "UPDATE safety_notice_versions SET published_at = $2, published_by = $3 WHERE id = $1 AND published_at IS NULL",
    )
    .bind(version_id)
    .bind(now)
    .bind(by)
    .execute(c)
    .await
    .map(drop))
}

/// A notice in the registry's list.
#[derive(Debug, Clone, FromRow)]
pub struct ListRow {
    pub id: i64,
    pub reference: String,
    pub status: String,
    pub published_version: i64,
    pub first_published_at: Option<Timestamp>,
    pub title: String,
    pub has_draft: bool,
}

impl ListRow {
    pub fn notice(&self) -> Result<Notice, sqlx::Error> {
        decode(NoticeRow {
            id: self.id,
            reference: self.reference.clone(),
            status: self.status.clone(),
            published_version: self.published_version,
            first_published_at: self.first_published_at,
        })
    }
}

/// A page of notices, newest first, with their latest version's title.
pub async fn list(
    db: &mut impl Connection,
    page: u32,
    page_size: u32,
) -> Result<(Vec<ListRow>, u64), sqlx::Error> {
    let offset = i64::from(page.max(1) - 1) * i64::from(page_size);
    on_engine!(db, c => {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM safety_notices")
            .fetch_one(&mut *c)
            .await?;
        let rows = sqlx::query_as(
            "SELECT n.id, n.reference, n.status, n.published_version, n.first_published_at, v.title, \
             (v.published_at IS NULL) AS has_draft FROM safety_notices n JOIN safety_notice_versions v \
             ON v.notice_id = n.id AND v.version = (SELECT MAX(w.version) FROM safety_notice_versions w WHERE w.notice_id = n.id) \
             ORDER BY n.id DESC LIMIT $1 OFFSET $2",
        )
        .bind(i64::from(page_size))
        .bind(offset)
        .fetch_all(&mut *c)
        .await?;
        Ok((rows, total as u64))
    })
}

/// Notices whose version in force clinics see (published or closed), newest first.
pub async fn visible(db: &mut impl Connection) -> Result<Vec<Notice>, sqlx::Error> {
    let rows: Vec<NoticeRow> = on_engine!(db, c => sqlx::query_as(
        "SELECT id, reference, status, published_version, first_published_at FROM safety_notices \
         WHERE status IN ('published', 'closed') ORDER BY id DESC",
    )
    .fetch_all(c)
    .await)?;
    rows.into_iter().map(decode).collect()
}
