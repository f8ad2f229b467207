//! Recording procedures. Here: the service, who may see a record, the form's options, and
//! the clinic's list and detail (each read audited against the patient). Idempotent
//! submission with the domain's rules re-applied is in [`submission`], corrections as new
//! versions in [`corrections`], implant cards with one-time claim codes in [`cards`],
//! pseudonym evaluation for clinics in [`pseudonyms`], the drafts key in [`drafts`].

mod cards;
mod corrections;
mod drafts;
pub mod pseudonyms;
mod submission;
pub mod views;

pub use cards::new_claim_code;

use std::sync::Arc;

use app::api::ApiError;
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::procedures::{
    Correction, FormOptions, ImplantCard, ProcedureDetail, ProcedureQuery, ProcedureService,
    ProcedureSummary, PseudonymEvaluation, PseudonymKey, Receipt,
};
use app::api::session::Role;
use domain::calendar::CalendarDate;
use domain::procedure::{DeviceFacts, Submission};
use domain::pseudonym::Evaluator;
use serde_json::json;

use super::error::ServiceResult;
use crate::at_the_edge;
use crate::audit::{self, Action, Event};
use crate::auth::keys::SecretBox;
use crate::auth::rate_limit::RateLimiter;
use crate::db::procedures as records;
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
