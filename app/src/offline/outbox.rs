//! The outbox: records submitted on this device, sent when there is a connection, retried
//! with back-off, each showing where it has got to. A record waiting offline keeps its NHS
//! number and date of birth encrypted; they are pseudonymised and deleted once it is sent.

use std::cell::Cell;

use domain::calendar::CalendarDate;
use domain::procedure::ProcedureForm;
use serde::{Deserialize, Serialize};

use super::crypto::{Cipher, CryptoError};
use super::store::{self, OutboxRow, OutboxState, StoreError};
use super::{new_key, now_ms, online};
use crate::api::procedures::{Correction, Receipt, correct_procedure, submit_procedure};
use crate::api::{ApiError, FieldError};
use crate::pseudonymise::pseudonymise;

/// What an outbox item holds, encrypted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub form: ProcedureForm,
    pub correction_reason: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum OutboxError {
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The longest wait between tries.
const MAX_BACKOFF_MS: f64 = 5.0 * 60.0 * 1000.0;

/// Wait after `attempts` failed tries: 2, 4, 8 … seconds, up to five minutes.
pub fn backoff_ms(attempts: u32) -> f64 {
    (2f64.powi(attempts.min(20) as i32) * 1000.0).min(MAX_BACKOFF_MS)
}

pub fn today() -> CalendarDate {
    let now = js_sys::Date::new_0();
    CalendarDate::new(
        now.get_full_year() as u16,
        now.get_month() as u8 + 1,
        now.get_date() as u8,
    )
    .expect("today is a date")
}

/// Puts a record in the outbox; returns its key.
pub async fn enqueue(
    owner: i64,
    form: &ProcedureForm,
    label: String,
    corrects: Option<(i64, String)>,
) -> Result<String, OutboxError> {
    let cipher = Cipher::for_user(owner).await?;
    let payload = Payload {
        form: form.clone(),
        correction_reason: corrects.as_ref().map(|(_, reason)| reason.clone()),
    };
    let row = OutboxRow {
        id: new_key()?,
        owner,
        label,
        state: OutboxState::Waiting,
        attempts: 0,
        next_attempt_at: 0.0,
        created_at: now_ms(),
        problems: Vec::new(),
        record_id: None,
        corrects: corrects.map(|(record, _)| record),
        sealed: Some(cipher.seal_json(&payload).await?),
    };
    store::save_outbox(&row).await?;
    Ok(row.id)
}

/// Opens an item's form again, to fix what the registry refused.
pub async fn payload(owner: i64, row: &OutboxRow) -> Result<Option<Payload>, OutboxError> {
    let Some(sealed) = &row.sealed else {
        return Ok(None);
    };
    Ok(Some(
        Cipher::for_user(owner).await?.open_json(sealed).await?,
    ))
}

enum Outcome {
    Accepted(Receipt),
    Rejected(Vec<FieldError>),
    Retry(String),
}

fn outcome_of(error: ApiError) -> Outcome {
    match error {
        ApiError::Invalid { errors } => Outcome::Rejected(errors),
        ApiError::Transport { .. }
        | ApiError::Internal { .. }
        | ApiError::RateLimited { .. }
        | ApiError::Busy { .. }
        | ApiError::Unavailable { .. } => Outcome::Retry(error.to_string()),
        ApiError::Unauthenticated => Outcome::Retry("Sign in again to send it".into()),
        other => Outcome::Rejected(vec![FieldError::new("outbox", other.to_string())]),
    }
}

async fn send(owner: i64, row: &OutboxRow) -> Outcome {
    let Some(sealed) = &row.sealed else {
        return Outcome::Rejected(vec![FieldError::new("outbox", "Nothing to send")]);
    };
    let payload: Payload = match Cipher::for_user(owner).await {
        Ok(cipher) => match cipher.open_json(sealed).await {
            Ok(payload) => payload,
            Err(error) => {
                return Outcome::Rejected(vec![FieldError::new("outbox", error.to_string())]);
            }
        },
        Err(error) => return Outcome::Retry(error.to_string()),
    };
    let parsed = match payload.form.parse(&row.id, today()) {
        Ok(parsed) => parsed,
        Err(errors) => return Outcome::Rejected(errors),
    };
    let mut submission = parsed.submission;
    if let Some(identifiers) = parsed.identifiers {
        match pseudonymise(identifiers).await {
            Ok(pseudonym) => submission.pseudonym = Some(pseudonym),
            Err(error) => return outcome_of(error),
        }
    }
    let result = match (row.corrects, payload.correction_reason) {
        (Some(record_id), Some(reason)) => {
            correct_procedure(Correction {
                record_id,
                reason,
                submission,
            })
            .await
        }
        _ => submit_procedure(submission).await,
    };
    match result {
        Ok(receipt) => Outcome::Accepted(receipt),
        Err(error) => outcome_of(error),
    }
}

thread_local! {
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// Set by the running outbox: starts a pass now instead of at the next tick.
    static WAKER: std::cell::RefCell<Option<Box<dyn Fn()>>> = const { std::cell::RefCell::new(None) };
}

/// Registers what `wake` calls.
pub fn set_waker(waker: impl Fn() + 'static) {
    WAKER.with(|cell| *cell.borrow_mut() = Some(Box::new(waker)));
}

/// Asks the outbox to try sending now (after something was queued, or the connection returned).
pub fn wake() {
    WAKER.with(|cell| {
        if let Some(waker) = cell.borrow().as_ref() {
            waker();
        }
    });
}

/// Sends what is due for `owner`. Returns whether anything changed. One pass at a time.
pub async fn process(owner: i64) -> bool {
    if BUSY.with(|busy| busy.replace(true)) {
        return false;
    }
    let mut changed = false;
    let mut rows = store::outbox_of(owner).await.unwrap_or_default();
    // The oldest first: sent in the order they were made.
    rows.reverse();
    for mut row in rows {
        let due = matches!(row.state, OutboxState::Waiting | OutboxState::Sending)
            && row.next_attempt_at <= now_ms();
        if !due || !online() {
            continue;
        }
        row.state = OutboxState::Sending;
        let _ = store::save_outbox(&row).await;
        changed = true;
        match send(owner, &row).await {
            Outcome::Accepted(receipt) => {
                row.state = OutboxState::Accepted;
                row.record_id = Some(receipt.record_id);
                row.problems = receipt
                    .notices
                    .into_iter()
                    .map(|notice| FieldError::new("notice", notice))
                    .collect();
                // The identifiers are no longer needed anywhere on this device.
                row.sealed = None;
            }
            Outcome::Rejected(problems) => {
                row.state = OutboxState::Rejected;
                row.problems = problems;
            }
            Outcome::Retry(message) => {
                row.state = OutboxState::Waiting;
                row.attempts += 1;
                row.next_attempt_at = now_ms() + backoff_ms(row.attempts);
                row.problems = vec![FieldError::new("outbox", message)];
            }
        }
        let _ = store::save_outbox(&row).await;
    }
    BUSY.with(|busy| busy.set(false));
    changed
}

/// Makes a waiting item due now (the "Send now" button).
pub async fn retry_now(id: &str) -> Result<(), OutboxError> {
    if let Some(mut row) = store::outbox_item(id).await? {
        row.next_attempt_at = 0.0;
        if row.state == OutboxState::Rejected {
            row.state = OutboxState::Waiting;
        }
        store::save_outbox(&row).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_five_minutes() {
        assert_eq!(backoff_ms(1), 2000.0);
        assert_eq!(backoff_ms(3), 8000.0);
        assert_eq!(backoff_ms(30), MAX_BACKOFF_MS);
    }
}
