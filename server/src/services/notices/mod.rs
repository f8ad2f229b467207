//! Field safety notices: the registry drafts them ([`drafting`]), publishes them in versions
//! ([`publish`]) and closes them; the match finds every record concerned ([`matching`]); the
//! registry follows each clinic's progress ([`progress`]); clinics see their records and say
//! what they did ([`clinics`]); a new submission is warned and patients see notices on their
//! implants ([`in_force`]). A notice is never deleted. Here: the service, the helpers its
//! parts share (resolving a scope, locking, auditing), the list, the detail and closing.

pub mod clinics;
mod drafting;
pub mod in_force;
pub mod matching;
mod progress;
mod publish;
mod views;

use std::sync::Arc;

use app::api::ApiError;
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::notices::clinic::{
    AcknowledgementRequest, AcknowledgementView, ClinicNotice, ClinicNoticeDetail,
};
use app::api::notices::{NoticeDetail, NoticeProgress, NoticeService, NoticeSummary, Published};
use app::api::patients::DataFile;
use domain::FieldError;
use domain::calendar::CalendarDate;
use domain::register::notice_text::scope_field;
use domain::register::{NoticeAction, NoticeDraft, NoticeForm, NoticeScope, NoticeStatus};
use serde_json::json;

use super::error::{ServiceError, ServiceResult};
use super::mail::MailQueue;
use crate::at_the_edge;
use crate::audit::{self, Action, Event};
use crate::db::notices::{Notice, StoredVersion};
use crate::db::{Connection, Database, WriteTransaction, notice_match, notices, register};

pub use in_force::{backfill, warn_on_submission};

pub struct Notices {
    database: Database,
    mail: Arc<MailQueue>,
    public_url: String,
}

/// The scope with each DI replaced by its register entry's primary DI, and the entries' ids;
/// or, for each DI the register does not know, what to do.
pub async fn resolve_scope(
    connection: &mut impl Connection,
    scope: &NoticeScope,
) -> ServiceResult<(NoticeScope, Vec<i64>)> {
    let mut resolved = scope.clone();
    let mut ids = Vec::with_capacity(scope.devices.len());
    let mut errors = Vec::new();
    for (index, device) in resolved.devices.iter_mut().enumerate() {
        match register::by_identifier(connection, device.device_identifier.as_str()).await? {
            Some(stored) => {
                device.device_identifier = stored.entry.device_identifier;
                ids.push(stored.id);
            }
            None => errors.push(FieldError::new(
                scope_field(index, "device_identifier"),
                format!(
                    "Device {}: {} is not in the device register. Add it (or import it) first, so that the notice can find the records that have it",
                    index + 1,
                    device.device_identifier
                ),
            )),
        }
    }
    if errors.is_empty() {
        Ok((resolved, ids))
    } else {
        Err(ApiError::Invalid { errors }.into())
    }
}

/// Stores `scope`'s criteria for version `version_id`, the scope already resolved.
async fn index_version(
    transaction: &mut WriteTransaction,
    version_id: i64,
    scope: &NoticeScope,
    device_ids: &[i64],
) -> ServiceResult<()> {
    notice_match::write_criteria(transaction, version_id, scope, device_ids).await?;
    Ok(())
}

/// Stores `draft` as a notice already published at version 1, without telling anyone: for
/// data made outside the portal's pages (the demo). Returns its id.
pub async fn record_published(
    transaction: &mut WriteTransaction,
    draft: &NoticeDraft,
    by: i64,
) -> ServiceResult<i64> {
    let (scope, device_ids) = resolve_scope(transaction, &draft.scope).await?;
    let id = notices::insert(transaction, &draft.reference, by)
        .await?
        .ok_or_else(|| ServiceError::internal(format!("notice {} exists", draft.reference)))?;
    let version_id = notices::insert_version(transaction, id, 1, draft, by).await?;
    index_version(transaction, version_id, &scope, &device_ids).await?;
    notices::mark_published(transaction, version_id, by).await?;
    notices::set_status(transaction, id, NoticeStatus::Published { version: 1 }, by).await?;
    Ok(id)
}

fn refused(refusal: domain::register::TransitionRefused) -> ServiceError {
    ApiError::Conflict {
        message: refusal.message,
    }
    .into()
}

/// Notice `id`, to read.
async fn found(connection: &mut impl Connection, id: i64) -> ServiceResult<Notice> {
    Ok(notices::get(connection, id)
        .await?
        .ok_or_else(|| ApiError::not_found("That safety notice"))?)
}

/// The version being drafted (the newest, not yet published), if there is one.
async fn draft_of(
    connection: &mut impl Connection,
    notice: &Notice,
) -> ServiceResult<Option<StoredVersion>> {
    Ok(notices::versions(connection, notice)
        .await?
        .into_iter()
        .next()
        .filter(|version| version.published_at.is_none()))
}

/// Audits the change `action` to notice `id` and commits the transaction it was made in.
async fn audit_and_commit(
    mut transaction: WriteTransaction,
    context: &RequestContext,
    principal: &Principal,
    action: Action,
    id: i64,
    details: serde_json::Value,
) -> ServiceResult<()> {
    audit::record(
        &mut transaction,
        Event::new(action)
            .by(principal)
            .on("safety_notice", id)
            .with(details)
            .from_ip(context.client.ip.as_deref()),
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

impl Notices {
    pub fn new(database: Database, mail: Arc<MailQueue>, public_url: &str) -> Self {
        Self {
            database,
            mail,
            public_url: public_url.trim_end_matches('/').to_string(),
        }
    }

    fn today(&self) -> CalendarDate {
        self.database.now().day()
    }

    /// A write to notice `id`: its transaction, and the notice locked in it (two changes to
    /// one notice take turns).
    async fn write_to(&self, id: i64) -> ServiceResult<(WriteTransaction, Notice)> {
        let mut transaction = self.database.write().await?;
        let notice = notices::lock(&mut transaction, id)
            .await?
            .ok_or_else(|| ApiError::not_found("That safety notice"))?;
        Ok((transaction, notice))
    }

    async fn list(
        &self,
        _context: &RequestContext,
        _principal: &Principal,
        page: u32,
    ) -> ServiceResult<Page<NoticeSummary>> {
        let mut connection = self.database.read().await?;
        let (rows, total) = notices::list(&mut connection, page, PAGE_SIZE).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                Ok(NoticeSummary {
                    id: row.id,
                    status: row.notice()?.status,
                    reference: row.reference,
                    title: row.title,
                    has_draft: row.has_draft,
                    first_published_at: row.first_published_at.map(|at| at.to_iso()),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Page {
            items,
            page: page.max(1),
            page_size: PAGE_SIZE,
            total,
        })
    }

    async fn detail(
        &self,
        _context: &RequestContext,
        _principal: &Principal,
        id: i64,
    ) -> ServiceResult<NoticeDetail> {
        let mut connection = self.database.read().await?;
        let notice = found(&mut connection, id).await?;
        let stored = notices::versions(&mut connection, &notice).await?;
        views::detail(&mut connection, notice, stored).await
    }

    async fn close(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> ServiceResult<()> {
        let (mut transaction, notice) = self.write_to(id).await?;
        let closed = notice.status.apply(NoticeAction::Close).map_err(refused)?;
        notices::set_status(&mut transaction, id, closed, principal.user_id).await?;
        let details = json!({ "reference": notice.reference, "version": closed.version() });
        audit_and_commit(
            transaction,
            context,
            principal,
            Action::NoticeClosed,
            id,
            details,
        )
        .await
    }
}

at_the_edge! {
    impl NoticeService for Notices {
        fn list(&self, context: &RequestContext, principal: &Principal, page: u32) -> Page<NoticeSummary>;
        fn create(&self, context: &RequestContext, principal: &Principal, form: NoticeForm) -> i64;
        fn detail(&self, context: &RequestContext, principal: &Principal, id: i64) -> NoticeDetail;
        fn save_draft(&self, context: &RequestContext, principal: &Principal, id: i64, form: NoticeForm) -> ();
        fn start_version(&self, context: &RequestContext, principal: &Principal, id: i64) -> ();
        fn publish(&self, context: &RequestContext, principal: &Principal, id: i64) -> Published;
        fn close(&self, context: &RequestContext, principal: &Principal, id: i64) -> ();
        fn progress(&self, context: &RequestContext, principal: &Principal, id: i64) -> NoticeProgress;
        fn progress_csv(&self, context: &RequestContext, principal: &Principal, id: i64) -> DataFile;
        fn clinic_list(&self, context: &RequestContext, principal: &Principal) -> Vec<ClinicNotice>;
        fn clinic_detail(&self, context: &RequestContext, principal: &Principal, id: i64) -> ClinicNoticeDetail;
        fn acknowledge(&self, context: &RequestContext, principal: &Principal, request: AcknowledgementRequest) -> AcknowledgementView;
    }
}
