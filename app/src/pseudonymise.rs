//! Pseudonymising in the browser: blind the NHS number and date of birth, let the registry
//! evaluate the blinded element, check its proof against the registry's key, unblind.

use std::cell::RefCell;

use domain::pseudonym::{PatientIdentifiers, Pseudonym, blind_securely};

use crate::api::ApiError;
use crate::api::patients::evaluate_for_claim;
use crate::api::procedures::{
    PseudonymEvaluation, PseudonymKey, evaluate_pseudonym, pseudonymisation_key,
};

thread_local! {
    /// The registry's public key, fetched once per page: a key that changed mid-session is
    /// noticed (evaluations carry the key id).
    static KEY: RefCell<Option<PseudonymKey>> = const { RefCell::new(None) };
}

async fn key() -> Result<PseudonymKey, ApiError> {
    if let Some(key) = KEY.with(|key| key.borrow().clone()) {
        return Ok(key);
    }
    let key = pseudonymisation_key().await?;
    KEY.with(|cell| *cell.borrow_mut() = Some(key.clone()));
    Ok(key)
}

/// For a clinic recording a procedure.
pub async fn pseudonymise(identifiers: PatientIdentifiers) -> Result<Pseudonym, ApiError> {
    pseudonymise_with(identifiers, evaluate_pseudonym).await
}

/// For a patient claiming the record whose card carries `claim_code`: the registry evaluates
/// only for a real claim code, counting the attempt.
pub async fn pseudonymise_for_claim(
    identifiers: PatientIdentifiers,
    claim_code: String,
) -> Result<Pseudonym, ApiError> {
    pseudonymise_with(identifiers, move |blinded| {
        evaluate_for_claim(claim_code, blinded)
    })
    .await
}

async fn pseudonymise_with<Evaluation>(
    identifiers: PatientIdentifiers,
    evaluate: impl FnOnce(Vec<u8>) -> Evaluation,
) -> Result<Pseudonym, ApiError>
where
    Evaluation: std::future::Future<Output = Result<PseudonymEvaluation, ApiError>>,
{
    let key = key().await?;
    let blinded = blind_securely(identifiers);
    let evaluation = evaluate(blinded.message.clone()).await?;
    if evaluation.key_id != key.key_id {
        KEY.with(|cell| *cell.borrow_mut() = None);
        return Err(ApiError::Conflict {
            message: "The registry's pseudonymisation key changed while this page was open. Reload the page, then submit again".into(),
        });
    }
    blinded
        .finish(&evaluation.evaluated, &evaluation.proof, &key.public_key)
        .map_err(|problem| ApiError::Conflict {
            message: format!("Pseudonymisation failed: {problem}. Nothing was sent; try again"),
        })
}
