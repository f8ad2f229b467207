//! Drafting a notice: a new one (version 1, a draft), its draft saved again (renamed while
//! it was never published), and a new version started from the one in force. Each version's
//! devices are resolved against the register and indexed for the match as it is saved.

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use domain::register::{NoticeAction, NoticeDraft, NoticeForm, NoticeStatus};
use serde_json::json;

use super::{Notices, audit_and_commit, draft_of, index_version, refused, resolve_scope};
use crate::audit::Action;
use crate::db::{Connection, notices};
use crate::services::error::{ServiceError, ServiceResult};

impl Notices {
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

    pub(super) async fn create(
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
        let details = json!({ "reference": draft.reference, "devices": device_ids.len() });
        audit_and_commit(
            transaction,
            context,
            principal,
            Action::NoticeDrafted,
            id,
            details,
        )
        .await?;
        Ok(id)
    }

    pub(super) async fn save_draft(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
        form: NoticeForm,
    ) -> ServiceResult<()> {
        let (mut transaction, notice) = self.write_to(id).await?;
        let draft_version =
            draft_of(&mut transaction, &notice)
                .await?
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
        let details = json!({ "reference": draft.reference, "version": draft_version.version });
        audit_and_commit(
            transaction,
            context,
            principal,
            Action::NoticeEdited,
            id,
            details,
        )
        .await
    }

    pub(super) async fn start_version(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> ServiceResult<()> {
        let (mut transaction, notice) = self.write_to(id).await?;
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
        let details = json!({ "reference": notice.reference, "version": number });
        audit_and_commit(
            transaction,
            context,
            principal,
            Action::NoticeVersionStarted,
            id,
            details,
        )
        .await
    }
}
