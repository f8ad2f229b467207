//! Implant cards (what EU MDR article 18 asks the patient be given) and their one-time claim
//! codes.

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::procedures::ImplantCard;
use domain::patient::ClaimCode;
use rand::RngCore;

use super::{CLAIM_CODE_VALID, Procedures, views};
use crate::audit::{self, Action, Event};
use crate::auth::keys::SealedFor;
use crate::auth::tokens;
use crate::db::organisations;
use crate::db::procedures::{self as records, StoredClaimCode};
use crate::services::error::{ServiceError, ServiceResult};

/// A fresh claim code from the operating system's random source.
pub fn new_claim_code() -> ClaimCode {
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    ClaimCode::from_random_bytes(bytes)
}

impl Procedures {
    /// A new claim code for record `procedure_id`: hashed for claiming, sealed (bound to the
    /// record) for reprinting the card.
    pub(super) fn stored_claim_code(&self, procedure_id: i64) -> StoredClaimCode {
        let code = new_claim_code();
        StoredClaimCode {
            hash: tokens::hash_token(code.normalised()),
            sealed: self.secrets.seal(
                code.to_string().as_bytes(),
                SealedFor::ClaimCode { procedure_id },
            ),
            expires_at: self.database.now() + CLAIM_CODE_VALID,
        }
    }

    pub(super) async fn card(
        &self,
        context: &RequestContext,
        principal: &Principal,
        record_id: i64,
    ) -> ServiceResult<ImplantCard> {
        let mut connection = self.database.read().await?;
        let header = self
            .visible_header(&mut connection, principal, record_id)
            .await?;
        let version = records::current_version(&mut connection, record_id)
            .await?
            .map(views::version)
            .ok_or_else(|| ApiError::not_found("That record"))?;
        drop(connection);
        let claim_code = match (&header.claim_code_sealed, &header.claimed_at) {
            (Some(sealed), None) => Some(
                String::from_utf8(
                    self.secrets
                        .open(
                            sealed,
                            SealedFor::ClaimCode {
                                procedure_id: record_id,
                            },
                        )
                        .ok_or_else(|| ServiceError::internal("a claim code does not decrypt"))?,
                )
                .map_err(ServiceError::internal)?,
            ),
            _ => None,
        };
        let mut event = Event::new(Action::ImplantCardPrinted)
            .by(principal)
            .on("procedure", record_id)
            .from_ip(context.client.ip.as_deref());
        if let Some(pseudonym) = header.patient_pseudonym.as_deref() {
            event = event.for_patient(pseudonym);
        }
        audit::record_alone(&self.database, event).await?;
        let clinic_contact =
            organisations::contact(&mut self.database.read().await?, header.organisation_id)
                .await?;
        Ok(ImplantCard {
            record_id,
            clinic: header.organisation,
            clinic_contact,
            site: version.site,
            procedure_date: version.procedure_date,
            body_site: version.body_site,
            laterality: version.laterality,
            devices: version.components,
            claim_code_expires: claim_code
                .as_ref()
                .and(header.claim_code_expires_at.map(|at| at.day())),
            claim_code,
            portal_address: self
                .portal_address
                .as_ref()
                .map(|url| format!("{url}{}", app::routes::MY_IMPLANTS)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_codes_are_grouped_and_read_back() {
        let code = new_claim_code();
        let printed = code.to_string();
        assert_eq!(printed.len(), 14);
        assert_eq!(printed.matches('-').count(), 2);
        assert_eq!(
            ClaimCode::parse(&printed.to_lowercase().replace('-', " ")),
            Ok(code)
        );
    }
}
