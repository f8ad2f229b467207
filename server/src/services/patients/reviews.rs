//! Claims the registry looks at: two accounts claiming one person, a claim within minutes of
//! the record being made, a claim from an address the clinic's staff use. An administrator
//! keeps the claim, or removes it (the account then no longer sees that organisation's
//! records). Both are audited against the patient.

use app::api::ApiError;
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::patients::{ClaimFlag, ClaimReview, ReviewOutcome};
use serde_json::json;

use super::Patients;
use crate::audit::{self, Action, Event};
use crate::db::patients;
use crate::services::error::ServiceResult;

impl Patients {
    pub(super) async fn claim_reviews(
        &self,
        context: &RequestContext,
        principal: &Principal,
        page: u32,
    ) -> ServiceResult<Page<ClaimReview>> {
        let page = page.max(1);
        let mut connection = self.database.read().await?;
        let (rows, total) = patients::open_reviews(
            &mut connection,
            PAGE_SIZE,
            (page - 1).saturating_mul(PAGE_SIZE),
        )
        .await?;
        drop(connection);
        audit::record_alone(
            &self.database,
            Event::new(Action::ClaimReviewsListed)
                .by(principal)
                .with(json!({ "page": page, "shown": rows.len() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(|row| ClaimReview {
                    id: row.id,
                    account_email: row.email,
                    account_name: row.display_name,
                    organisation: row.organisation,
                    record_id: row.procedure_id,
                    flags: row
                        .reasons
                        .split_whitespace()
                        .filter_map(ClaimFlag::from_code)
                        .collect(),
                    flagged_at: row.created_at.to_iso(),
                    other_accounts: row.other_accounts,
                })
                .collect(),
            page,
            page_size: PAGE_SIZE,
            total,
        })
    }

    pub(super) async fn resolve_claim_review(
        &self,
        context: &RequestContext,
        principal: &Principal,
        review_id: i64,
        outcome: ReviewOutcome,
    ) -> ServiceResult<()> {
        let mut transaction = self.database.write().await?;
        let review = patients::review(&mut transaction, review_id)
            .await?
            .ok_or_else(|| ApiError::not_found("That claim review"))?;
        let pseudonym = patients::linked_pseudonym(&mut transaction, review.user_id).await?;
        let code = match outcome {
            ReviewOutcome::Keep => "kept",
            ReviewOutcome::Remove => {
                patients::remove_claim(&mut transaction, review.user_id, review.organisation_id)
                    .await?;
                "removed"
            }
        };
        patients::close_review(&mut transaction, review_id, principal.user_id, code).await?;
        let mut event = Event::new(match outcome {
            ReviewOutcome::Keep => Action::PatientClaimKept,
            ReviewOutcome::Remove => Action::PatientClaimRemoved,
        })
        .by(principal)
        .on("procedure", review.procedure_id)
        .with(json!({ "review": review_id, "account": review.user_id }))
        .from_ip(context.client.ip.as_deref());
        if let Some(pseudonym) = pseudonym.as_deref() {
            event = event.for_patient(pseudonym);
        }
        audit::record(&mut transaction, event).await?;
        transaction.commit().await?;
        Ok(())
    }
}
