//! The key a clinic user's browser encrypts drafts and queued records with: made once per
//! user, sealed with the server's account key, released only to that user's sessions.

use app::api::context::{Principal, RequestContext};
use rand::RngCore;

use super::Procedures;
use crate::auth::keys::SealedFor;
use crate::db::drafts;
use crate::services::error::{ServiceError, ServiceResult};

impl Procedures {
    pub(super) async fn draft_key(
        &self,
        _context: &RequestContext,
        principal: &Principal,
    ) -> ServiceResult<Vec<u8>> {
        let row = SealedFor::DraftKey {
            user_id: principal.user_id,
        };
        let mut connection = self.database.read().await?;
        let sealed = match drafts::sealed_key(&mut connection, principal.user_id).await? {
            Some(sealed) => sealed,
            None => {
                drop(connection);
                let mut key = vec![0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                let mut transaction = self.database.write().await?;
                let stored = drafts::store_first(
                    &mut transaction,
                    principal.user_id,
                    &self.secrets.seal(&key, row),
                )
                .await?;
                transaction.commit().await?;
                stored
            }
        };
        self.secrets
            .open(&sealed, row)
            .ok_or_else(|| ServiceError::internal("a draft key does not decrypt"))
    }
}
