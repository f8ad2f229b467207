//! Recording procedures: the form's options, pseudonymisation, submission (idempotent), the
//! clinic's list, a record's detail and corrections, and the patient's implant card.

use domain::calendar::CalendarDate;
use domain::procedure::{
    BodySite, Consent, DeviceFacts, Laterality, ProcedureType, RevisionReason, Sex, Submission,
};
use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::common::{Page, SiteSummary};
#[cfg(feature = "ssr")]
use super::context::{CLINIC, Principal, RequestContext};

/// What the form needs from the server: where the person can record procedures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormOptions {
    pub organisation: String,
    pub sites: Vec<SiteSummary>,
}

/// The registry's public pseudonymisation key, for checking its proofs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PseudonymKey {
    pub key_id: String,
    pub public_key: Vec<u8>,
}

/// The registry's evaluation of a blinded element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PseudonymEvaluation {
    pub evaluated: Vec<u8>,
    pub proof: Vec<u8>,
    pub key_id: String,
}

/// What the registry answers to an accepted submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub record_id: i64,
    pub version: i64,
    /// True when this submission had already been accepted (a retry): nothing new was stored.
    pub duplicate: bool,
    /// Devices not in the register, flagged for review, and similar notes.
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcedureQuery {
    /// Device identifier, lot, manufacturer or catalogue number (part of).
    pub device: String,
    /// From this procedure date (YYYY-MM-DD), inclusive.
    pub from: String,
    /// To this procedure date (YYYY-MM-DD), inclusive.
    pub to: String,
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureSummary {
    pub id: i64,
    pub version: i64,
    pub procedure_date: CalendarDate,
    pub procedure_type: ProcedureType,
    pub body_site: BodySite,
    pub laterality: Laterality,
    pub site: String,
    pub devices: Vec<String>,
    pub linked_to_patient: bool,
    pub needs_review: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentDetail {
    pub device_identifier: Option<String>,
    /// GS1, HIBCC or ICCBBA, when the component was identified by a UDI.
    pub agency: Option<String>,
    pub udi: Option<String>,
    pub name: Option<String>,
    pub manufacturer: Option<String>,
    pub catalogue_number: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<CalendarDate>,
    pub in_register: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionDetail {
    pub version: i64,
    pub site_id: i64,
    pub site: String,
    pub consultant_gmc: String,
    pub procedure_date: CalendarDate,
    pub procedure_type: ProcedureType,
    pub body_site: BodySite,
    pub laterality: Laterality,
    pub revision_reasons: Vec<RevisionReason>,
    pub consent: Consent,
    pub linked_to_patient: bool,
    pub year_of_birth: u16,
    pub sex: Sex,
    pub postcode_district: String,
    pub acknowledged_warnings: Vec<String>,
    pub components: Vec<ComponentDetail>,
    pub recorded_by: String,
    pub recorded_at: String,
    pub correction_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureDetail {
    pub id: i64,
    pub organisation: String,
    /// Newest first.
    pub versions: Vec<VersionDetail>,
    pub claimed: bool,
}

/// What the printed implant card shows (EU MDR article 18: the devices, where and when they
/// were implanted, who did it and how to reach them, and a line for the patient's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImplantCard {
    pub record_id: i64,
    pub clinic: String,
    /// How patients reach the clinic, as it has said (telephone, address).
    pub clinic_contact: Option<String>,
    pub site: String,
    pub procedure_date: CalendarDate,
    pub body_site: BodySite,
    pub laterality: Laterality,
    pub devices: Vec<ComponentDetail>,
    /// For the patient portal; absent without consent, or once used.
    pub claim_code: Option<String>,
    /// The last day the code works.
    pub claim_code_expires: Option<CalendarDate>,
    /// Where patients go to see their record (`--public-url`); `None` when this server has no
    /// public address configured (a loopback address is never printed).
    pub portal_address: Option<String>,
}

/// A correction: the new content of the record and why it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub record_id: i64,
    pub reason: String,
    pub submission: Submission,
}

#[server(endpoint = "procedures/form-options")]
pub async fn procedure_form_options() -> Result<FormOptions, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::Roles(CLINIC))?;
    context
        .services
        .procedures
        .form_options(&context, principal)
        .await
}

#[server(endpoint = "pseudonym/key")]
pub async fn pseudonymisation_key() -> Result<PseudonymKey, ApiError> {
    let context = RequestContext::current()?;
    context.require(super::context::Access::SignedIn)?;
    context.services.procedures.pseudonym_key().await
}

/// Evaluates a blinded NHS number and date of birth for a clinic recording a procedure. The
/// server never sees either. Patients evaluate only as part of a claim
/// (`patients::evaluate_for_claim`).
#[server(endpoint = "pseudonym/evaluate", input = Json)]
pub async fn evaluate_pseudonym(blinded: Vec<u8>) -> Result<PseudonymEvaluation, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::Roles(CLINIC))?;
    context
        .services
        .procedures
        .evaluate_pseudonym(&context, principal, blinded)
        .await
}

/// The key this person's browser encrypts drafts and queued records with.
#[server(endpoint = "procedures/draft-key")]
pub async fn draft_key() -> Result<Vec<u8>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::Roles(CLINIC))?;
    context
        .services
        .procedures
        .draft_key(&context, principal)
        .await
}

/// What the register says about these device identifiers (those it knows).
#[server(endpoint = "devices/lookup", input = Json)]
pub async fn lookup_devices(identifiers: Vec<String>) -> Result<Vec<DeviceFacts>, ApiError> {
    let context = RequestContext::current()?;
    context.require(super::context::Access::Roles(CLINIC))?;
    context
        .services
        .procedures
        .lookup_devices(identifiers)
        .await
}

/// Records a procedure. Sending the same submission again returns the first receipt.
#[server(endpoint = "procedures/submit", input = Json)]
pub async fn submit_procedure(submission: Submission) -> Result<Receipt, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::Roles(CLINIC))?;
    context
        .services
        .procedures
        .submit(&context, principal, submission)
        .await
}

#[server(endpoint = "procedures/list", input = Json)]
pub async fn list_procedures(query: ProcedureQuery) -> Result<Page<ProcedureSummary>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::Roles(super::context::STAFF))?;
    context
        .services
        .procedures
        .list(&context, principal, query)
        .await
}

#[server(endpoint = "procedures/detail")]
pub async fn record_detail(record_id: i64) -> Result<ProcedureDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::Roles(super::context::STAFF))?;
    context
        .services
        .procedures
        .detail(&context, principal, record_id)
        .await
}

#[server(endpoint = "procedures/correct", input = Json)]
pub async fn correct_procedure(correction: Correction) -> Result<Receipt, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::Roles(CLINIC))?;
    context
        .services
        .procedures
        .correct(&context, principal, correction)
        .await
}

#[server(endpoint = "procedures/card")]
pub async fn print_implant_card(record_id: i64) -> Result<ImplantCard, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(super::context::Access::Roles(CLINIC))?;
    context
        .services
        .procedures
        .card(&context, principal, record_id)
        .await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ProcedureService: Send + Sync {
    async fn form_options(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<FormOptions, ApiError>;
    async fn pseudonym_key(&self) -> Result<PseudonymKey, ApiError>;
    async fn evaluate_pseudonym(
        &self,
        context: &RequestContext,
        principal: &Principal,
        blinded: Vec<u8>,
    ) -> Result<PseudonymEvaluation, ApiError>;
    async fn draft_key(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<Vec<u8>, ApiError>;
    async fn lookup_devices(&self, identifiers: Vec<String>) -> Result<Vec<DeviceFacts>, ApiError>;
    async fn submit(
        &self,
        context: &RequestContext,
        principal: &Principal,
        submission: Submission,
    ) -> Result<Receipt, ApiError>;
    async fn list(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: ProcedureQuery,
    ) -> Result<Page<ProcedureSummary>, ApiError>;
    async fn detail(
        &self,
        context: &RequestContext,
        principal: &Principal,
        record_id: i64,
    ) -> Result<ProcedureDetail, ApiError>;
    async fn correct(
        &self,
        context: &RequestContext,
        principal: &Principal,
        correction: Correction,
    ) -> Result<Receipt, ApiError>;
    async fn card(
        &self,
        context: &RequestContext,
        principal: &Principal,
        record_id: i64,
    ) -> Result<ImplantCard, ApiError>;
}
