//! Recording procedures: idempotent submission with the domain's rules re-applied, the
//! clinic's list and detail (each read audited against the patient), corrections as new
//! versions (in [`corrections`]), and implant cards with one-time claim codes (in [`cards`]).
//! Pseudonym evaluation for clinics is in [`pseudonyms`], the drafts key in [`drafts`].

mod cards;
mod corrections;
mod drafts;
pub mod pseudonyms;
pub mod views;

pub use cards::new_claim_code;

use std::collections::BTreeMap;
use std::sync::Arc;

use app::api::ApiError;
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::procedures::{
    Correction, FormOptions, ImplantCard, ProcedureDetail, ProcedureQuery, ProcedureService,
    ProcedureSummary, PseudonymEvaluation, PseudonymKey, Receipt,
};
use app::api::session::Role;
use domain::FieldError;
use domain::calendar::CalendarDate;
use domain::procedure::{
    CheckContext, Checked, DeviceFacts, PatientLink, ReadComponents, Submission, check_read,
};
use domain::pseudonym::Evaluator;
use serde_json::json;

use super::error::{ServiceError, ServiceResult};
use crate::at_the_edge;
use crate::audit::{self, Action, Event};
use crate::auth::keys::{SealedFor, SecretBox};
use crate::auth::rate_limit::RateLimiter;
use crate::auth::tokens;
use crate::db::procedures::{self as records, NewVersion, StoredClaimCode, StoredComponent};
use crate::db::{Connection, Database, devices, organisations};

pub const CLAIM_CODE_VALID: time::Duration = time::Duration::days(365);

pub struct Procedures {
    database: Database,
    evaluator: Arc<Evaluator>,
    secrets: SecretBox,
    limits: RateLimiter,
    /// The portal's public address, for implant cards.
    portal_address: Option<String>,
}

impl Procedures {
    /// The receipt for a key a concurrent copy of the submission took first.
    async fn receipt_of_taken_key(
        &self,
        key: &str,
        principal: &Principal,
    ) -> ServiceResult<Receipt> {
        let mut connection = self.database.read().await?;
        previous_receipt(&mut connection, key, principal)
            .await?
            .ok_or_else(|| ServiceError::internal("a submission key was taken, then not found"))
    }

    /// `portal_address`: the public address printed on implant cards (none for loopback).
    pub fn new(
        database: Database,
        evaluator: Arc<Evaluator>,
        secrets: SecretBox,
        limits: RateLimiter,
        portal_address: Option<String>,
    ) -> Self {
        Self {
            database,
            evaluator,
            secrets,
            limits,
            portal_address,
        }
    }

    fn today(&self) -> CalendarDate {
        self.database.now().day()
    }

    fn organisation_of(principal: &Principal) -> ServiceResult<i64> {
        Ok(principal.organisation_id.ok_or(ApiError::Forbidden)?)
    }

    /// The record, if the caller may see it: their own organisation's, or any for the registry.
    async fn visible_header(
        &self,
        connection: &mut impl Connection,
        principal: &Principal,
        record_id: i64,
    ) -> ServiceResult<records::Header> {
        let header = records::header(connection, record_id)
            .await?
            .ok_or_else(|| ApiError::not_found("That record"))?;
        let visible = principal.role == Role::RegistryAdmin
            || principal.organisation_id == Some(header.organisation_id);
        if visible {
            Ok(header)
        } else {
            Err(ApiError::not_found("That record").into())
        }
    }

    /// Applies the rules with today's date and the register; returns the components to store.
    async fn validate(
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

    /// A new claim code for record `procedure_id`: hashed for claiming, sealed (bound to the
    /// record) for reprinting the card.
    fn new_claim_code(&self, procedure_id: i64) -> StoredClaimCode {
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
}

impl Procedures {
    async fn form_options(
        &self,
        _context: &RequestContext,
        principal: &Principal,
    ) -> ServiceResult<FormOptions> {
        let organisation = Self::organisation_of(principal)?;
        let mut connection = self.database.read().await?;
        let detail = organisations::details(&mut connection, Some(organisation))
            .await?
            .pop()
            .ok_or(ApiError::Forbidden)?;
        Ok(FormOptions {
            organisation: detail.name,
            sites: detail.sites,
        })
    }

    async fn pseudonym_key(&self) -> ServiceResult<PseudonymKey> {
        Ok(PseudonymKey {
            key_id: self.evaluator.key_id().to_string(),
            public_key: self.evaluator.public_key(),
        })
    }

    async fn lookup_devices(&self, identifiers: Vec<String>) -> ServiceResult<Vec<DeviceFacts>> {
        let identifiers: Vec<String> = identifiers.into_iter().take(100).collect();
        Ok(
            devices::find(&mut self.database.read().await?, &identifiers)
                .await?
                .into_iter()
                .map(|device| device.facts)
                .collect(),
        )
    }

    async fn submit(
        &self,
        context: &RequestContext,
        principal: &Principal,
        submission: Submission,
    ) -> ServiceResult<Receipt> {
        let key = submission.idempotency_key.trim().to_string();
        if key.len() < 16 || key.len() > 64 {
            return Err(ApiError::invalid(
                "idempotency_key",
                "The submission has no valid key: reload the page and submit again",
            )
            .into());
        }
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
            let claim = self.new_claim_code(record_id);
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

    async fn list(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: ProcedureQuery,
    ) -> ServiceResult<Page<ProcedureSummary>> {
        for (field, value) in [("from", &query.from), ("to", &query.to)] {
            if !value.trim().is_empty() && CalendarDate::from_iso(value.trim()).is_none() {
                return Err(
                    ApiError::invalid(field, "Enter a real date, for example 2026-11-23").into(),
                );
            }
        }
        let organisation = if principal.role == Role::RegistryAdmin {
            None
        } else {
            Some(Self::organisation_of(principal)?)
        };
        let mut connection = self.database.read().await?;
        let (rows, total) = records::list(&mut connection, organisation, &query, PAGE_SIZE).await?;
        let items: Vec<ProcedureSummary> = rows.into_iter().map(views::summary).collect();
        drop(connection);
        if organisation.is_none() {
            // A list across every clinic shows many patients' records: who looked is recorded.
            audit::record_alone(
                &self.database,
                Event::new(Action::ProceduresListed)
                    .by(principal)
                    .with(json!({ "device": query.device, "from": query.from, "to": query.to, "page": query.page.max(1), "shown": items.len() }))
                    .from_ip(context.client.ip.as_deref()),
            )
            .await?;
        }
        Ok(Page {
            items,
            page: query.page.max(1),
            page_size: PAGE_SIZE,
            total,
        })
    }

    async fn detail(
        &self,
        context: &RequestContext,
        principal: &Principal,
        record_id: i64,
    ) -> ServiceResult<ProcedureDetail> {
        let mut connection = self.database.read().await?;
        let header = self
            .visible_header(&mut connection, principal, record_id)
            .await?;
        let versions = records::versions(&mut connection, record_id)
            .await?
            .into_iter()
            .map(views::version)
            .collect();
        drop(connection);
        let mut event = Event::new(Action::ProcedureViewed)
            .by(principal)
            .on("procedure", record_id)
            .from_ip(context.client.ip.as_deref());
        if let Some(pseudonym) = header.patient_pseudonym.as_deref() {
            event = event.for_patient(pseudonym);
        }
        audit::record_alone(&self.database, event).await?;
        Ok(ProcedureDetail {
            id: record_id,
            organisation: header.organisation,
            versions,
            claimed: header.claimed_at.is_some(),
        })
    }
}

at_the_edge! {
    impl ProcedureService for Procedures {
        fn form_options(&self, context: &RequestContext, principal: &Principal) -> FormOptions;
        fn pseudonym_key(&self) -> PseudonymKey;
        fn evaluate_pseudonym(&self, context: &RequestContext, principal: &Principal, blinded: Vec<u8>) -> PseudonymEvaluation;
        fn draft_key(&self, context: &RequestContext, principal: &Principal) -> Vec<u8>;
        fn lookup_devices(&self, identifiers: Vec<String>) -> Vec<DeviceFacts>;
        fn submit(&self, context: &RequestContext, principal: &Principal, submission: Submission) -> Receipt;
        fn list(&self, context: &RequestContext, principal: &Principal, query: ProcedureQuery) -> Page<ProcedureSummary>;
        fn detail(&self, context: &RequestContext, principal: &Principal, record_id: i64) -> ProcedureDetail;
        fn correct(&self, context: &RequestContext, principal: &Principal, correction: Correction) -> Receipt;
        fn card(&self, context: &RequestContext, principal: &Principal, record_id: i64) -> ImplantCard;
    }
}

/// The receipt of an earlier submission with this key, if any (another person's key is refused).
async fn previous_receipt(
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
