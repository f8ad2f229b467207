//! Account emails, sent from an outbox: a message is queued in the transaction of the action
//! that causes it (so it is sent exactly when that action commits) and a background sender
//! delivers it afterwards, retrying a failing mail server with growing waits. No request waits
//! for the mail server: a slow one stalls nothing, and answering takes as long whether or not
//! a message was sent (which would otherwise tell whether an address has an account).

pub mod texts;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::auth::keys::{SealedFor, SecretBox};
use crate::db::{Database, WriteTransaction, mail_outbox};
use crate::mailer::Mailer;
use crate::services::error::ServiceResult;

/// A message's subject and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// Attempts before a message is given up (the last waits about a day after the first).
pub const MAX_ATTEMPTS: i64 = 10;
const BATCH: i64 = 20;
const LEASE: time::Duration = time::Duration::minutes(2);
const IDLE_CHECK: Duration = Duration::from_secs(15);

/// The wait after `attempts` failures: 30 s, 1 min, 2 min, … up to 4 hours.
pub fn retry_delay(attempts: i64) -> time::Duration {
    let seconds = 30i64.saturating_mul(1 << attempts.clamp(0, 16));
    time::Duration::seconds(seconds.min(4 * 3600))
}

pub struct MailQueue {
    database: Database,
    secrets: SecretBox,
    mailer: Arc<dyn Mailer>,
    wake: Notify,
}

impl MailQueue {
    pub fn new(database: Database, secrets: SecretBox, mailer: Arc<dyn Mailer>) -> Self {
        Self {
            database,
            secrets,
            mailer,
            wake: Notify::new(),
        }
    }

    /// True when messages do not leave this machine (development mail).
    pub fn is_local(&self) -> bool {
        self.mailer.is_local()
    }

    /// Queues a message in `transaction`; it is sent once the transaction commits and
    /// [`MailQueue::wake`] (or the sender's next round) runs.
    pub async fn queue(
        &self,
        transaction: &mut WriteTransaction,
        recipient: &str,
        message: Message,
    ) -> ServiceResult<()> {
        let id = mail_outbox::insert(transaction, recipient, &message.subject).await?;
        let sealed = self.secrets.seal(
            message.body.as_bytes(),
            SealedFor::MailBody { message_id: id },
        );
        mail_outbox::set_body(transaction, id, &sealed).await?;
        Ok(())
    }

    /// Tells the sender there is something to send (call after committing).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Sends what is due; returns how many were sent.
    pub async fn send_due(&self) -> ServiceResult<usize> {
        let mut sent = 0;
        loop {
            let due = {
                let mut transaction = self.database.write().await?;
                let lease = self.database.now() + LEASE;
                let due = mail_outbox::take_due(&mut transaction, BATCH, lease).await?;
                transaction.commit().await?;
                due
            };
            if due.is_empty() {
                return Ok(sent);
            }
            for mail in due {
                let body = mail
                    .body_sealed
                    .as_deref()
                    .and_then(|sealed| {
                        self.secrets.open(
                            sealed,
                            SealedFor::MailBody {
                                message_id: mail.id,
                            },
                        )
                    })
                    .and_then(|body| String::from_utf8(body).ok());
                let outcome = match body {
                    Some(body) => self
                        .mailer
                        .send(&mail.recipient, &mail.subject, &body)
                        .await
                        .map_err(|error| error.to_string()),
                    None => Err("the queued body does not decrypt".to_string()),
                };
                let mut transaction = self.database.write().await?;
                match outcome {
                    Ok(()) => {
                        mail_outbox::mark_sent(&mut transaction, mail.id).await?;
                        sent += 1;
                    }
                    Err(error) => {
                        let attempts = mail.attempts + 1;
                        let retry_at = (attempts < MAX_ATTEMPTS)
                            .then(|| self.database.now() + retry_delay(attempts));
                        if retry_at.is_some() {
                            tracing::warn!(message = mail.id, attempts, error = ?error, "email not sent; will try again");
                        } else {
                            tracing::error!(message = mail.id, attempts, error = ?error, "email given up after repeated failures");
                        }
                        mail_outbox::mark_failed(&mut transaction, mail.id, &error, retry_at)
                            .await?;
                    }
                }
                transaction.commit().await?;
            }
        }
    }

    /// Runs the sender until the process ends: woken after each queued message, and every
    /// few seconds for retries and for messages other processes queued.
    pub fn spawn_sender(self: &Arc<Self>) {
        let queue = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = queue.send_due().await {
                    tracing::warn!(error = ?error.to_string(), "the email sender could not read its outbox");
                }
                let _ = tokio::time::timeout(IDLE_CHECK, queue.wake.notified()).await;
            }
        });
    }

    /// Messages still waiting to be sent (for tests and the status page).
    pub async fn waiting(&self) -> ServiceResult<i64> {
        let mut connection = self.database.read().await?;
        Ok(mail_outbox::waiting(&mut connection).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_four_hours() {
        assert_eq!(retry_delay(1), time::Duration::seconds(60));
        assert_eq!(retry_delay(2), time::Duration::seconds(120));
        assert_eq!(retry_delay(12), time::Duration::hours(4));
    }
}
