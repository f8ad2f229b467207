//! Claiming a record: the card's code, and a pseudonym the patient's browser makes from their
//! NHS number and date of birth.
//!
//! 1. `evaluate_for_claim`: the code must belong to a record that can still be claimed; the
//!    attempt is counted against the account (and a registry-wide ceiling) and only then is
//!    the blinded element evaluated. Patients can get a pseudonym no other way.
//! 2. `claim`: uses up that evaluation; the pseudonym must be the record's. The account then
//!    sees that record and the person's other records at the same organisation (whose staff
//!    could see them anyway); records at another organisation need a claim there. A claim
//!    never blocks another account: claims that look wrong are flagged for review instead.

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::patients::{ClaimFlag, ClaimOutcome};
use app::api::procedures::PseudonymEvaluation;
use domain::patient::ClaimCode;
use domain::pseudonym::Pseudonym;
use serde_json::json;

use super::Patients;
use crate::audit::{self, Action, Event};
use crate::auth::rate_limit::Limit;
use crate::auth::tokens;
use crate::db::WriteTransaction;
use crate::db::patients::{self, ClaimTarget};
use crate::db::types::Timestamp;
use crate::services::error::ServiceResult;

/// Claim attempts (pseudonym evaluations) per account per hour.
pub const CLAIM_ATTEMPTS_PER_HOUR: u32 = 5;
/// Wrong attempts on one claim code, from any accounts, after which the code no longer works.
pub const CODE_FAILURES_BEFORE_LOCK: i64 = 10;
const PER_ACCOUNT: Limit = Limit {
    bucket: "claim.account",
    max: CLAIM_ATTEMPTS_PER_HOUR,
    window_seconds: 3600,
};
/// All patients' evaluations together: a registry-wide ceiling that many self-registered
/// accounts cannot get round.
pub const ALL_PATIENTS: Limit = Limit {
    bucket: "pseudonym.patients",
    max: 600,
    window_seconds: 3600,
};
/// How long an evaluation stays good for the claim that follows it.
const EVALUATION_VALID: time::Duration = time::Duration::minutes(15);
/// A claim this soon after the record was made is flagged: a clinic fabricating a record to
/// claim it would do so at once.
const RECENT: time::Duration = time::Duration::minutes(30);
/// How far back a claim's address is compared with the clinic staff's.
const STAFF_ADDRESS_LOOKBACK: time::Duration = time::Duration::days(90);

fn no_match() -> ApiError {
    ApiError::invalid(
        "claim_code",
        format!(
            "The claim code, your NHS number and your date of birth do not match a record. Check them against your implant card and try again (after {CLAIM_ATTEMPTS_PER_HOUR} wrong attempts in an hour you will have to wait)"
        ),
    )
}

fn parse_code(text: &str) -> Result<ClaimCode, ApiError> {
    ClaimCode::parse(text).map_err(|problem| ApiError::invalid("claim_code", problem.to_string()))
}

impl Patients {
    /// Records a failed claim, against the record's patient when the code was real (so that
    /// they can see someone tried).
    async fn record_failed_claim(
        &self,
        transaction: &mut WriteTransaction,
        context: &RequestContext,
        principal: &Principal,
        target: Option<&ClaimTarget>,
    ) -> ServiceResult<()> {
        let mut event = Event::new(Action::PatientClaimFailed)
            .by(principal)
            .from_ip(context.client.ip.as_deref());
        if let Some(target) = target {
            event = event.on("procedure", target.id);
            if let Some(pseudonym) = target.patient_pseudonym.as_deref() {
                event = event.for_patient(pseudonym);
            }
        }
        audit::record(transaction, event).await?;
        Ok(())
    }

    /// Why the record cannot be claimed by `principal` now, if it cannot.
    fn unclaimable(
        target: &ClaimTarget,
        principal: &Principal,
        now: Timestamp,
    ) -> Option<ApiError> {
        if target.claim_failures >= CODE_FAILURES_BEFORE_LOCK && target.claimed_at.is_none() {
            return Some(ApiError::Conflict {
                message: "This claim code has been locked after too many wrong attempts. Contact the clinic that gave you the card".into(),
            });
        }
        if target.claimed_at.is_some() && target.claimed_by != Some(principal.user_id) {
            return Some(ApiError::Conflict {
                message: "This claim code has already been used. If that was not you, contact the clinic that gave you the card".into(),
            });
        }
        let expired = target
            .claim_code_expires_at
            .is_some_and(|until| until < now);
        (expired && target.claimed_at.is_none()).then(|| ApiError::Conflict {
            message: "This claim code has expired. Ask the clinic that gave you the card to print a new one".into(),
        })
    }

    pub(super) async fn evaluate_for_claim(
        &self,
        context: &RequestContext,
        principal: &Principal,
        claim_code: String,
        blinded: Vec<u8>,
    ) -> ServiceResult<PseudonymEvaluation> {
        let code = parse_code(&claim_code)?;
        let ip = context.client.ip.as_deref();
        let limits = self.auth.limits();
        limits
            .take(
                &PER_ACCOUNT,
                &principal.user_id.to_string(),
                Some(principal),
                ip,
            )
            .await?;
        let usage = limits
            .take(&ALL_PATIENTS, "all", Some(principal), ip)
            .await?;
        if usage.nearly_exhausted() {
            tracing::warn!(
                used = usage.used,
                ceiling = usage.max,
                "patients' pseudonym evaluations near their hourly ceiling"
            );
        }
        let mut transaction = self.database.write().await?;
        let target =
            patients::claim_target(&mut transaction, &tokens::hash_token(code.normalised()))
                .await?;
        let Some(target) = target else {
            self.record_failed_claim(&mut transaction, context, principal, None)
                .await?;
            transaction.commit().await?;
            return Err(no_match().into());
        };
        if let Some(refusal) = Self::unclaimable(&target, principal, self.database.now()) {
            return Err(refusal.into());
        }
        let evaluation = self
            .evaluator
            .evaluate(&mut rand_core::OsRng, &blinded)
            .map_err(|_| {
                ApiError::invalid(
                    "nhs_number",
                    "The pseudonymisation request was malformed: reload the page and try again",
                )
            })?;
        patients::grant_claim_evaluation(&mut transaction, principal.user_id, target.id).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::PseudonymEvaluated)
                .by(principal)
                .on("procedure", target.id)
                .with(json!({ "key_id": evaluation.key_id, "purpose": "claim" }))
                .from_ip(ip),
        )
        .await?;
        transaction.commit().await?;
        Ok(PseudonymEvaluation {
            evaluated: evaluation.evaluated,
            proof: evaluation.proof,
            key_id: evaluation.key_id,
        })
    }

    /// What about this claim should a person at the registry look at.
    async fn flags(
        &self,
        transaction: &mut WriteTransaction,
        context: &RequestContext,
        principal: &Principal,
        target: &ClaimTarget,
        pseudonym: &str,
    ) -> ServiceResult<Vec<ClaimFlag>> {
        let mut flags = Vec::new();
        if patients::other_accounts_linked(transaction, pseudonym, principal.user_id).await? > 0 {
            flags.push(ClaimFlag::SharedPseudonym);
        }
        if self.database.now() - target.created_at < RECENT {
            flags.push(ClaimFlag::RecentRecord);
        }
        if let Some(ip) = context.client.ip.as_deref() {
            let since = self.database.now() - STAFF_ADDRESS_LOOKBACK;
            if patients::staff_used_address(transaction, target.organisation_id, ip, since).await? {
                flags.push(ClaimFlag::StaffAddress);
            }
        }
        Ok(flags)
    }

    pub(super) async fn claim(
        &self,
        context: &RequestContext,
        principal: &Principal,
        claim_code: String,
        pseudonym: Pseudonym,
    ) -> ServiceResult<ClaimOutcome> {
        let code = parse_code(&claim_code)?;
        let mut transaction = self.database.write().await?;
        let Some(target) =
            patients::claim_target(&mut transaction, &tokens::hash_token(code.normalised()))
                .await?
        else {
            return Err(no_match().into());
        };
        let since = self.database.now() - EVALUATION_VALID;
        if !patients::use_claim_evaluation(&mut transaction, principal.user_id, target.id, since)
            .await?
        {
            return Err(ApiError::Conflict {
                message: "Enter your claim code, NHS number and date of birth again, then continue: the check of your details ran out of time".into(),
            }
            .into());
        }
        if let Some(refusal) = Self::unclaimable(&target, principal, self.database.now()) {
            transaction.commit().await?;
            return Err(refusal.into());
        }
        if target.patient_pseudonym.as_deref() != Some(pseudonym.as_str()) {
            // Counted against the code too, wherever the attempts come from: a stolen card
            // cannot be tried from many accounts.
            patients::count_claim_failure(&mut transaction, target.id).await?;
            self.record_failed_claim(&mut transaction, context, principal, Some(&target))
                .await?;
            transaction.commit().await?;
            return Err(no_match().into());
        }
        // From here on the caller has shown the code and the identifiers it was issued for.
        if target.claimed_by == Some(principal.user_id) {
            // A repeat (say, after a lost reply): the record is already theirs.
            let records_linked =
                patients::records_of(&mut transaction, principal.user_id, pseudonym.as_str())
                    .await?
                    .len();
            transaction.commit().await?;
            return Ok(ClaimOutcome {
                record_id: target.id,
                records_linked,
            });
        }
        match patients::linked_pseudonym(&mut transaction, principal.user_id).await? {
            Some(linked) if linked != pseudonym.as_str() => {
                return Err(ApiError::Conflict {
                    message: "This record is for a different person from the records already linked to your account. Each person needs their own account".into(),
                }
                .into());
            }
            Some(_) => {}
            None => patients::link(&mut transaction, principal.user_id, pseudonym.as_str()).await?,
        }
        let flags = self
            .flags(
                &mut transaction,
                context,
                principal,
                &target,
                pseudonym.as_str(),
            )
            .await?;
        patients::add_claim(
            &mut transaction,
            principal.user_id,
            target.organisation_id,
            target.id,
        )
        .await?;
        patients::mark_claimed(&mut transaction, target.id, principal.user_id).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::PatientRecordClaimed)
                .by(principal)
                .on("procedure", target.id)
                .for_patient(pseudonym.as_str())
                .with(
                    json!({ "flagged": flags.iter().map(|flag| flag.code()).collect::<Vec<_>>() }),
                )
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        if !flags.is_empty() {
            let reasons: Vec<&str> = flags.iter().map(|flag| flag.code()).collect();
            let review = patients::flag_claim(
                &mut transaction,
                principal.user_id,
                target.organisation_id,
                target.id,
                &reasons.join(" "),
            )
            .await?;
            tracing::warn!(review, reasons = ?reasons, "a claim was flagged for review");
        }
        let records_linked =
            patients::records_of(&mut transaction, principal.user_id, pseudonym.as_str())
                .await?
                .len();
        transaction.commit().await?;
        Ok(ClaimOutcome {
            record_id: target.id,
            records_linked,
        })
    }
}
