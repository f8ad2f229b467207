//! The services' one error type. Inside the server every operation returns `ServiceError`;
//! it becomes the user-facing `ApiError` once, at the edge (the service traits the server
//! functions call, and the REST handlers), where internal causes are logged with a reference
//! that the person is given instead of the cause.

use app::api::ApiError;

use crate::mailer::MailError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Refused for a reason the person is told (invalid input, no permission, too many tries).
    #[error(transparent)]
    Refused(#[from] ApiError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("email: {0}")]
    Mail(#[from] MailError),
    /// Something that should not happen did (a secret that does not decrypt, stored data that
    /// does not parse): the person is given a reference, the log gets the cause.
    #[error("{0}")]
    Internal(String),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Too many password checks at once: the person is asked to try again in a few seconds.
impl From<crate::auth::passwords::Busy> for ServiceError {
    fn from(_: crate::auth::passwords::Busy) -> Self {
        Self::Refused(ApiError::Busy {
            retry_after_seconds: 5,
        })
    }
}

impl ServiceError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }
}

/// A database or other failure while answering a request: logged here, once, with a fresh
/// reference; the person sees only the reference.
impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Refused(refusal) => refusal,
            ServiceError::Database(cause) if storage_unavailable(&cause) => {
                tracing::warn!(error = ?cause.to_string(), "the database cannot take requests now");
                ApiError::Unavailable {
                    retry_after_seconds: 30,
                }
            }
            internal => {
                let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
                tracing::error!(%reference, error = ?internal.to_string(), "internal error");
                ApiError::Internal { reference }
            }
        }
    }
}

/// Whether a database error means the storage cannot be used just now (and trying again later
/// may work), rather than that this request is wrong: the disk is full or read-only, the
/// server is restarting or unreachable, every connection is taken.
pub fn storage_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(database) => {
            let code = database.code().unwrap_or_default();
            match code.parse::<i32>() {
                // SQLite's result codes (extended codes keep the primary in the low byte):
                // BUSY, READONLY, IOERR, FULL, CANTOPEN.
                Ok(number) => matches!(number & 0xff, 5 | 8 | 10 | 13 | 14),
                // PostgreSQL's SQLSTATE: connection exceptions, insufficient resources (disk
                // full), shutting down or starting up, a read-only (standby) server.
                Err(_) => {
                    code.starts_with("08")
                        || code.starts_with("53")
                        || code.starts_with("57P")
                        || code == "25006"
                }
            }
        }
        _ => false,
    }
}

/// Implements a service trait declared in the app by delegating each method to the inherent
/// method of the same name (inherent methods win name resolution), turning its
/// `ServiceError` into the `ApiError` the browser receives. This is the edge: no service
/// method converts errors itself.
#[macro_export]
macro_rules! at_the_edge {
    (impl $service:ident for $type:ty {
        $(fn $name:ident(&self $(, $arg:ident: $arg_type:ty)* $(,)?) -> $output:ty;)*
    }) => {
        #[async_trait::async_trait]
        impl $service for $type {
            $(
                async fn $name(&self $(, $arg: $arg_type)*) -> Result<$output, app::api::ApiError> {
                    Ok(<$type>::$name(self $(, $arg)*).await?)
                }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_pass_through_and_causes_become_a_reference() {
        let refusal = ApiError::Forbidden;
        assert_eq!(ApiError::from(ServiceError::from(refusal.clone())), refusal);
        let internal = ApiError::from(ServiceError::internal("a key does not decrypt"));
        match internal {
            ApiError::Internal { reference } => assert_eq!(reference.len(), 12),
            other => panic!("expected an internal error, got {other:?}"),
        }
    }
}
