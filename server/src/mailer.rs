//! Sending account emails (invitations, password resets). Without an SMTP server configured
//! (development, with `--dev-mail` or `--demo`), the message, link included, goes to the
//! server log instead.

use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the email could not be built: {0}")]
    Build(String),
    #[error("the mail server refused or failed: {0}")]
    Send(String),
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError>;

    /// True when messages do not leave this machine (development): the link may then be
    /// shown to the person who sent the invitation.
    fn is_local(&self) -> bool;
}

/// Writes messages to the log. For development and tests.
pub struct LogMailer;

#[async_trait::async_trait]
impl Mailer for LogMailer {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        // Debug formatting escapes line breaks: a message cannot write log lines of its own.
        tracing::info!(to = ?to, subject = ?subject, body = ?body, "email not sent (no SMTP server configured)");
        Ok(())
    }

    fn is_local(&self) -> bool {
        true
    }
}

/// Keeps messages in memory, for tests that follow links from emails.
#[derive(Default)]
pub struct RecordingMailer {
    messages: std::sync::Mutex<Vec<SentMessage>>,
}

#[derive(Debug, Clone)]
pub struct SentMessage {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl RecordingMailer {
    pub fn messages(&self) -> Vec<SentMessage> {
        self.messages
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone()
    }
}

#[async_trait::async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        self.messages
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(SentMessage {
                to: to.into(),
                subject: subject.into(),
                body: body.into(),
            });
        Ok(())
    }

    fn is_local(&self) -> bool {
        true
    }
}

/// Sends through an SMTP server, e.g. `smtps://user:password@mail.example.org:465`.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| MailError::Build(format!("SMTP URL: {error}")))?
            .build();
        let from = from
            .parse()
            .map_err(|error| MailError::Build(format!("sender address {from}: {error}")))?;
        Ok(Self { transport, from })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|error| MailError::Build(format!("recipient: {error}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body.to_string())
            .map_err(|error| MailError::Build(error.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|error| MailError::Send(error.to_string()))
    }

    fn is_local(&self) -> bool {
        false
    }
}
