//! Corrections: a record's new version, with the reason, the rules applied again, the
//! patient link kept unless the correction changes it, and the same idempotency as a
//! submission.

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::procedures::{Correction, Receipt};
use serde_json::json;

use super::Procedures;
use super::submission::{previous_receipt, submission_key};
use crate::audit::{self, Action, Event};
use crate::db::procedures::{self as records, NewVersion};
use crate::services::error::{ServiceError, ServiceResult};

impl Procedures {
    pub(super) async fn correct(
        &self,
        context: &RequestContext,
        principal: &Principal,
        correction: Correction,
    ) -> ServiceResult<Receipt> {
        let reason = correction.reason.trim().to_string();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(ApiError::invalid(
                "correction_reason",
                "Say what was wrong and what you corrected (up to 500 characters)",
            )
            .into());
        }
        let key = submission_key(
            &correction.submission.idempotency_key,
            "The correction has no valid key: reload the page and try again",
        )?;
        {
            let mut connection = self.database.read().await?;
            self.visible_header(&mut connection, principal, correction.record_id)
                .await?;
            if let Some(receipt) = previous_receipt(&mut connection, &key, principal).await? {
                return Ok(receipt);
            }
        }
        let mut correction = correction;
        if correction.submission.consent == domain::procedure::Consent::Given
            && correction.submission.pseudonym.is_none()
        {
            // Kept link: the corrected version keeps the record's pseudonym.
            let mut connection = self.database.read().await?;
            let header = self
                .visible_header(&mut connection, principal, correction.record_id)
                .await?;
            correction.submission.pseudonym = header
                .patient_pseudonym
                .map(domain::pseudonym::Pseudonym::try_from)
                .transpose()
                .map_err(ServiceError::internal)?;
        }
        let (components, notices) = self.validate(principal, &correction.submission).await?;
        let mut transaction = self.database.write().await?;
        if let Some(receipt) = previous_receipt(&mut transaction, &key, principal).await? {
            return Ok(receipt);
        }
        records::lock(&mut transaction, correction.record_id).await?;
        let header = self
            .visible_header(&mut transaction, principal, correction.record_id)
            .await?;
        if principal.organisation_id != Some(header.organisation_id) {
            return Err(ApiError::Forbidden.into());
        }
        let version = header.current_version + 1;
        let pseudonym = correction
            .submission
            .pseudonym
            .as_ref()
            .map(|p| p.as_str().to_string());
        records::insert_version(
            &mut transaction,
            NewVersion {
                organisation_id: header.organisation_id,
                procedure_id: correction.record_id,
                version,
                submission: &correction.submission,
                components: &components,
                created_by: principal.user_id,
                correction_reason: Some(&reason),
            },
        )
        .await?;
        records::set_current(
            &mut transaction,
            correction.record_id,
            version,
            pseudonym.as_deref(),
        )
        .await?;
        if !records::insert_submission(
            &mut transaction,
            &key,
            principal.user_id,
            correction.record_id,
            version,
        )
        .await?
        {
            drop(transaction);
            return self.receipt_of_taken_key(&key, principal).await;
        }
        let mut notices = notices;
        notices.extend(
            crate::services::notices::warn_on_submission(
                &mut transaction,
                header.organisation_id,
                &components,
            )
            .await?,
        );
        let mut event = Event::new(Action::ProcedureCorrected)
            .by(principal)
            .on("procedure", correction.record_id)
            .with(json!({ "version": version, "reason": reason }))
            .from_ip(context.client.ip.as_deref());
        if let Some(pseudonym) = pseudonym.as_deref().or(header.patient_pseudonym.as_deref()) {
            event = event.for_patient(pseudonym);
        }
        audit::record(&mut transaction, event).await?;
        transaction.commit().await?;
        Ok(Receipt {
            record_id: correction.record_id,
            version,
            duplicate: false,
            notices,
        })
    }
}
