//! Pseudonym evaluations for clinics (patients evaluate only within a claim), limited per
//! person, per organisation and across all clinics, in the database so that every server
//! process counts together and a restart forgets nothing. Near a ceiling, the log and the
//! administrators' audit page say so.

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::procedures::PseudonymEvaluation;
use serde_json::json;

use super::Procedures;
use crate::audit::{self, Action, Event};
use crate::auth::rate_limit::{Limit, Usage};
use crate::services::error::ServiceResult;

/// Per person: far above a busy theatre list, far below what enumerating NHS numbers needs.
pub const PER_USER: Limit = Limit {
    bucket: "pseudonym.user",
    max: 300,
    window_seconds: 3600,
};
/// Per organisation: many staff together still cannot enumerate.
pub const PER_ORGANISATION: Limit = Limit {
    bucket: "pseudonym.organisation",
    max: 2_000,
    window_seconds: 3600,
};
/// Across every clinic: a national registry's busiest hour with room to spare.
pub const ALL_CLINICS: Limit = Limit {
    bucket: "pseudonym.clinics",
    max: 20_000,
    window_seconds: 3600,
};

fn warn_if_near(usage: Usage, what: &str) {
    if usage.nearly_exhausted() {
        tracing::warn!(
            used = usage.used,
            ceiling = usage.max,
            what,
            "pseudonym evaluations near their hourly ceiling"
        );
    }
}

impl Procedures {
    pub(super) async fn evaluate_pseudonym(
        &self,
        context: &RequestContext,
        principal: &Principal,
        blinded: Vec<u8>,
    ) -> ServiceResult<PseudonymEvaluation> {
        let organisation = Self::organisation_of(principal)?;
        let ip = context.client.ip.as_deref();
        self.limits
            .take(
                &PER_USER,
                &principal.user_id.to_string(),
                Some(principal),
                ip,
            )
            .await?;
        let usage = self
            .limits
            .take(
                &PER_ORGANISATION,
                &organisation.to_string(),
                Some(principal),
                ip,
            )
            .await?;
        warn_if_near(usage, "organisation");
        let usage = self
            .limits
            .take(&ALL_CLINICS, "all", Some(principal), ip)
            .await?;
        warn_if_near(usage, "all clinics");
        let evaluation = self
            .evaluator
            .evaluate(&mut rand_core::OsRng, &blinded)
            .map_err(|_| {
                ApiError::invalid(
                    "nhs_number",
                    "The pseudonymisation request was malformed: reload the page and try again",
                )
            })?;
        audit::record_alone(
            &self.database,
            Event::new(Action::PseudonymEvaluated)
                .by(principal)
                .with(json!({ "key_id": evaluation.key_id }))
                .from_ip(ip),
        )
        .await?;
        Ok(PseudonymEvaluation {
            evaluated: evaluation.evaluated,
            proof: evaluation.proof,
            key_id: evaluation.key_id,
        })
    }
}
