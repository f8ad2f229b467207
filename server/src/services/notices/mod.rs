//! Field safety notices: the registry drafts, reviews, publishes (in versions) and closes
//! them ([`publish`]); the match finds every record concerned ([`matching`]); the registry
//! follows each clinic's progress ([`progress`]); clinics see their records and say what they
//! did ([`clinics`]); a new submission is warned and patients see notices on their implants
//! ([`in_force`]). A notice is never deleted.

pub mod clinics;
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

    /// The form parsed (with today bounding the FSN date) and its devices resolved.
    async fn read_form(
        &self,
        connection: &mut impl Connection,
        form: &NoticeForm,
    ) -> ServiceResult<(NoticeDraft, Vec<i64>)> {
        let mut draft = form
            .parse(self.today())
            .map_err(|errors| ApiError::Invalid { errors })?;
        let (scope, ids) = resolve_scope(connection, &draft.scope).await?;
        draft.scope = scope;
        Ok((draft, ids))
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

    async fn create(
        &self,
        context: &RequestContext,
        principal: &Principal,
        form: NoticeForm,
    ) -> ServiceResult<i64> {
        let mut transaction = self.database.write().await?;
        let (draft, device_ids) = self.read_form(&mut transaction, &form).await?;
        let Some(id) =
            notices::insert(&mut transaction, &draft.reference, principal.user_id).await?
        else {
            return Err(ApiError::invalid(
                "reference",
                format!(
                    "There is already a notice {}: give this one its own reference",
                    draft.reference
                ),
            )
            .into());
        };
        let version_id =
            notices::insert_version(&mut transaction, id, 1, &draft, principal.user_id).await?;
        index_version(&mut transaction, version_id, &draft.scope, &device_ids).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::NoticeDrafted)
                .by(principal)
                .on("safety_notice", id)
                .with(json!({ "reference": draft.reference, "devices": device_ids.len() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    async fn detail(
        &self,
        _context: &RequestContext,
        _principal: &Principal,
        id: i64,
    ) -> ServiceResult<NoticeDetail> {
        let mut connection = self.database.read().await?;
        let notice = notices::get(&mut connection, id)
            .await?
            .ok_or_else(|| ApiError::not_found("That safety notice"))?;
        let stored = notices::versions(&mut connection, &notice).await?;
        views::detail(&mut connection, notice, stored).await
    }

    async fn save_draft(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
        form: NoticeForm,
    ) -> ServiceResult<()> {
        let mut transaction = self.database.write().await?;
        let notice = notices::lock(&mut transaction, id)
            .await?
            .ok_or_else(|| ApiError::not_found("That safety notice"))?;
        let draft_version = notices::versions(&mut transaction, &notice)
            .await?
            .into_iter()
            .next()
            .filter(|version| version.published_at.is_none())
            .ok_or_else(|| ApiError::Conflict {
                message: "This notice has no draft to change: start a new version first".into(),
            })?;
        let (draft, device_ids) = self.read_form(&mut transaction, &form).await?;
        if !draft.reference.eq(&notice.reference) {
            let renamed = notice.status == NoticeStatus::Draft
                && notices::set_reference(&mut transaction, id, &draft.reference).await?;
            if !renamed {
                let message = if notice.status == NoticeStatus::Draft {
                    format!("There is already a notice {}", draft.reference)
                } else {
                    format!(
                        "A published notice keeps its reference: {}",
                        notice.reference
                    )
                };
                return Err(ApiError::invalid("reference", message).into());
            }
        }
        notices::update_draft(
            &mut transaction,
            draft_version.id,
            &draft,
            principal.user_id,
        )
        .await?;
        index_version(
            &mut transaction,
            draft_version.id,
            &draft.scope,
            &device_ids,
        )
        .await?;
        audit::record(
            &mut transaction,
            Event::new(Action::NoticeEdited)
                .by(principal)
                .on("safety_notice", id)
                .with(json!({ "reference": draft.reference, "version": draft_version.version }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn start_version(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> ServiceResult<()> {
        let mut transaction = self.database.write().await?;
        let notice = notices::lock(&mut transaction, id)
            .await?
            .ok_or_else(|| ApiError::not_found("That safety notice"))?;
        let next = notice
            .status
            .apply(NoticeAction::PublishNewVersion)
            .map_err(refused)?;
        let versions = notices::versions(&mut transaction, &notice).await?;
        if versions.first().is_some_and(|v| v.published_at.is_none()) {
            return Err(ApiError::Conflict {
                message: "A new version of this notice is already being prepared: edit it".into(),
            }
            .into());
        }
        let current = versions
            .into_iter()
            .next()
            .ok_or_else(|| ServiceError::internal("a published notice without versions"))?;
        let number = next.version().unwrap_or(current.version + 1);
        let (scope, device_ids) = resolve_scope(&mut transaction, &current.content.scope).await?;
        let content = NoticeDraft {
            scope,
            ..current.content
        };
        let version_id =
            notices::insert_version(&mut transaction, id, number, &content, principal.user_id)
                .await?;
        index_version(&mut transaction, version_id, &content.scope, &device_ids).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::NoticeVersionStarted)
                .by(principal)
                .on("safety_notice", id)
                .with(json!({ "reference": notice.reference, "version": number }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn close(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> ServiceResult<()> {
        let mut transaction = self.database.write().await?;
        let notice = notices::lock(&mut transaction, id)
            .await?
            .ok_or_else(|| ApiError::not_found("That safety notice"))?;
        let closed = notice.status.apply(NoticeAction::Close).map_err(refused)?;
        notices::set_status(&mut transaction, id, closed, principal.user_id).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::NoticeClosed)
                .by(principal)
                .on("safety_notice", id)
                .with(json!({ "reference": notice.reference, "version": closed.version() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
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
