//! Recording a new procedure: the submission's key (a retry is answered with the first
//! receipt), the domain's rules applied again with today's date and the register, the record
//! stored with its claim code, and the clinic warned of any safety notice it concerns.
//! Corrections ([`super::corrections`]) share the rules and the key.

use std::collections::BTreeMap;

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::procedures::Receipt;
use domain::FieldError;
use domain::procedure::{
    CheckContext, Checked, PatientLink, ReadComponents, Submission, check_read,
};
use serde_json::json;

use super::Procedures;
use crate::audit::{self, Action, Event};
use crate::db::procedures::{self as records, NewVersion, StoredComponent};
use crate::db::{Connection, devices, organisations};
use crate::services::error::{ServiceError, ServiceResult};

/// A submission's idempotency key, trimmed, or `problem` against its field when it is not one.
pub(super) fn submission_key(key: &str, problem: &str) -> ServiceResult<String> {
    let key = key.trim();
    if key.len() < 16 || key.len() > 64 {
        return Err(ApiError::invalid("idempotency_key", problem).into());
    }
    Ok(key.to_string())
}

impl Procedures {
    /// The receipt for a key a concurrent copy of the submission took first.
    pub(super) async fn receipt_of_taken_key(
        &self,
        key: &str,
        principal: &Principal,
    ) -> ServiceResult<Receipt> {
        let mut connection = self.database.read().await?;
        previous_receipt(&mut connection, key, principal)
            .await?
            .ok_or_else(|| ServiceError::internal("a submission key was taken, then not found"))
    }

    /// Applies the rules with today's date and the register; returns the components to store.
    pub(super) async fn validate(
        &self,
        principal: &Principal,
        submission: &Submission,
    ) -> ServiceResult<(Vec<StoredComponent>, Vec<String>)> {
        let organisation = Self::organisation_of(principal)?;
        let sites = {
            let mut connection = self.database.read().await?;
            organisations::details(&mut connection, Some(organisation)).await?
        };
        let mut errors = Vec::new();
        if !sites
            .iter()
            .flat_map(|o| &o.sites)
            .any(|site| site.id == submission.site_id)
        {
            errors.push(FieldError::new(
                "site_id",
                "Choose one of your organisation's sites",
            ));
        }
        let today = self.today();
        let read = ReadComponents::read(&submission.components, today.year());
        let identifiers = read.device_identifiers();
        let known = devices::find(&mut self.database.read().await?, &identifiers).await?;
        let context = CheckContext {
            today: Some(today),
            devices: known
                .iter()
                .map(|device| (device.facts.device_identifier.clone(), device.facts.clone()))
                .collect::<BTreeMap<_, _>>(),
        };
        let Checked {
            findings,
            components: read,
        } = check_read(submission, read, &context, PatientLink::of(submission));
        errors.extend(findings.errors.clone());
        errors.extend(
            findings
                .unconfirmed(&submission.acknowledged_warnings)
                .map(|warning| {
                    FieldError::new(format!("warning-{}", warning.code), warning.message.clone())
                }),
        );
        if !errors.is_empty() {
            return Err(ApiError::Invalid { errors }.into());
        }
        let components = read
            .into_iter()
            .map(|component| {
                let device_id = component
                    .device_identifier
                    .as_ref()
                    .and_then(|di| {
                        known
                            .iter()
                            .find(|device| &device.facts.device_identifier == di)
                    })
                    .map(|device| device.id);
                StoredComponent {
                    device_identifier: component.device_identifier,
                    agency: component.agency,
                    udi: component.udi,
                    manufacturer: component.manufacturer,
                    catalogue_number: component.catalogue_number,
                    lot: component.lot,
                    serial: component.serial,
                    expiry: component.expiry,
                    manufactured: component.manufactured,
                    device_id,
                }
            })
            .collect();
        Ok((components, findings.notices))
    }

    pub(super) async fn submit(
        &self,
        context: &RequestContext,
        principal: &Principal,
        submission: Submission,
    ) -> ServiceResult<Receipt> {
        let key = submission_key(
            &submission.idempotency_key,
            "The submission has no valid key: reload the page and submit again",
        )?;
        // A retry of an accepted submission is answered before anything else is checked.
        {
            let mut connection = self.database.read().await?;
            if let Some(receipt) = previous_receipt(&mut connection, &key, principal).await? {
                return Ok(receipt);
            }
        }
        let (components, notices) = self.validate(principal, &submission).await?;
        let organisation = Self::organisation_of(principal)?;
        let mut transaction = self.database.write().await?;
        // Checked again under the write lock: two copies of one submission in flight at once
        // still make one record.
        if let Some(receipt) = previous_receipt(&mut transaction, &key, principal).await? {
            return Ok(receipt);
        }
        let pseudonym = submission
            .pseudonym
            .as_ref()
            .map(|p| p.as_str().to_string());
        let record_id = records::insert_procedure(
            &mut transaction,
            organisation,
            principal.user_id,
            pseudonym.as_deref(),
        )
        .await?;
        if pseudonym.is_some() {
            let claim = self.stored_claim_code(record_id);
            records::set_claim_code(&mut transaction, record_id, &claim).await?;
        }
        records::insert_version(
            &mut transaction,
            NewVersion {
                organisation_id: organisation,
                procedure_id: record_id,
                version: 1,
                submission: &submission,
                components: &components,
                created_by: principal.user_id,
                correction_reason: None,
            },
        )
        .await?;
        if !records::insert_submission(&mut transaction, &key, principal.user_id, record_id, 1)
            .await?
        {
            drop(transaction);
            return self.receipt_of_taken_key(&key, principal).await;
        }
        let mut notices = notices;
        notices.extend(
            crate::services::notices::warn_on_submission(
                &mut transaction,
                organisation,
                &components,
            )
            .await?,
        );
        let mut event = Event::new(Action::ProcedureCreated)
            .by(principal)
            .on("procedure", record_id)
            .with(json!({ "components": components.len(), "flagged_for_review": components.iter().filter(|c| c.device_id.is_none()).count() }))
            .from_ip(context.client.ip.as_deref());
        if let Some(pseudonym) = pseudonym.as_deref() {
            event = event.for_patient(pseudonym);
        }
        audit::record(&mut transaction, event).await?;
        transaction.commit().await?;
        Ok(Receipt {
            record_id,
            version: 1,
            duplicate: false,
            notices,
        })
    }
}

/// The receipt of an earlier submission with this key, if any (another person's key is refused).
pub(super) async fn previous_receipt(
    connection: &mut impl Connection,
    key: &str,
    principal: &Principal,
) -> ServiceResult<Option<Receipt>> {
    match records::find_submission(connection, key).await? {
        None => Ok(None),
        Some((user_id, _, _)) if user_id != principal.user_id => Err(ApiError::Conflict {
            message: "This submission key belongs to someone else's submission: reload the page and submit again".into(),
        }.into()),
        Some((_, record_id, version)) => Ok(Some(Receipt { record_id, version, duplicate: true, notices: Vec::new() })),
    }
}
