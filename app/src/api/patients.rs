//! The patient's side: creating an account, claiming records with the card's code, seeing
//! one's implants and safety notices, who looked at the record, and downloading it.

use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality, ProcedureType};
use domain::pseudonym::Pseudonym;
use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::common::Page;
#[cfg(feature = "ssr")]
use super::context::{ADMINISTRATORS, Access, PATIENTS, Principal, RequestContext};
use super::procedures::PseudonymEvaluation;

/// A safety notice (field safety notice or recall) that concerns one of the patient's devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyNotice {
    pub reference: String,
    pub title: String,
    pub problem: String,
    pub patient_action: String,
    pub issued_on: CalendarDate,
}

/// One implanted device, in the words a patient can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientDevice {
    /// The register's name for it, when the device is in the register.
    pub name: Option<String>,
    pub manufacturer: Option<String>,
    pub device_identifier: Option<String>,
    /// GS1, HIBCC or ICCBBA: who issued the device identifier.
    pub agency: Option<String>,
    /// The barcode's content in human-readable form.
    pub udi: Option<String>,
    pub catalogue_number: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<CalendarDate>,
    pub notices: Vec<SafetyNotice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientProcedure {
    pub record_id: i64,
    pub procedure_date: CalendarDate,
    pub procedure_type: ProcedureType,
    pub body_site: BodySite,
    pub laterality: Laterality,
    pub clinic: String,
    /// How to reach the clinic, as it says (telephone, address).
    #[serde(default)]
    pub clinic_contact: Option<String>,
    pub site: String,
    pub devices: Vec<PatientDevice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImplantRecord {
    /// False until the first record is claimed: then there is nothing to show yet.
    pub linked: bool,
    pub procedures: Vec<PatientProcedure>,
}

impl ImplantRecord {
    /// Every notice on any of the patient's devices, once each.
    pub fn notices(&self) -> Vec<(&PatientProcedure, &PatientDevice, &SafetyNotice)> {
        self.procedures
            .iter()
            .flat_map(|procedure| {
                procedure.devices.iter().flat_map(move |device| {
                    device
                        .notices
                        .iter()
                        .map(move |notice| (procedure, device, notice))
                })
            })
            .collect()
    }
}

/// What the patient is told about a claim that worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimOutcome {
    pub record_id: i64,
    /// Records with the same pseudonym now visible (this one included).
    pub records_linked: usize,
}

/// One access to the patient's record, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// UTC, ISO 8601.
    pub at: String,
    /// "You", "Riverside Implant Clinic", "The Implant Registry", …
    pub who: String,
    /// "Clinic user", "Registry administrator", … (empty for the patient themselves).
    pub role: String,
    /// "Looked at your procedure record", …
    pub what: String,
}

/// Why a claim was set aside for the registry to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimFlag {
    /// Another account has claimed records of the same person.
    SharedPseudonym,
    /// The record was created shortly before it was claimed.
    RecentRecord,
    /// The claim came from an address the clinic's own staff use.
    StaffAddress,
}

impl ClaimFlag {
    pub const ALL: [ClaimFlag; 3] = [
        Self::SharedPseudonym,
        Self::RecentRecord,
        Self::StaffAddress,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::SharedPseudonym => "shared_pseudonym",
            Self::RecentRecord => "recent_record",
            Self::StaffAddress => "staff_address",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|flag| flag.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SharedPseudonym => "Another account has claimed records of the same person",
            Self::RecentRecord => "The record was claimed within minutes of being created",
            Self::StaffAddress => "Claimed from an internet address the clinic's staff use",
        }
    }
}

/// A claim waiting for the registry's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimReview {
    pub id: i64,
    pub account_email: String,
    pub account_name: String,
    pub organisation: String,
    pub record_id: i64,
    pub flags: Vec<ClaimFlag>,
    /// UTC, ISO 8601.
    pub flagged_at: String,
    pub other_accounts: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// The claim is genuine: it stays.
    Keep,
    /// The claim is not the patient's: the account loses that organisation's records.
    Remove,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    /// HL7 FHIR R4 JSON bundle.
    Fhir,
    Csv,
}

/// A file for the browser to save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataFile {
    pub file_name: String,
    pub media_type: String,
    pub content: String,
}

/// Creates a patient account: sends a link to the address to confirm it and choose a password.
/// Answers the same whether or not the address already has an account.
#[server(endpoint = "patients/register", input = Json)]
pub async fn register_patient(email: String, display_name: String) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    context.allow_anyone();
    context
        .services
        .patients
        .register(&context, email, display_name)
        .await
}

/// The first step of a claim: the registry evaluates the blinded NHS number and date of birth
/// (see `procedures::evaluate_pseudonym`) only for a real, unused claim code, counting the
/// attempt against the account. Patients get pseudonyms no other way, so guessing someone's
/// details needs one of their implant cards, not just an account.
#[server(endpoint = "patients/claim/evaluate", input = Json)]
pub async fn evaluate_for_claim(
    claim_code: String,
    blinded: Vec<u8>,
) -> Result<PseudonymEvaluation, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(PATIENTS))?;
    context
        .services
        .patients
        .evaluate_for_claim(&context, principal, claim_code, blinded)
        .await
}

/// Links the record whose card carries `claim_code` to the caller, if the pseudonym (made in
/// the caller's browser from their NHS number and date of birth, evaluated for this claim) is
/// the record's. The caller then sees that record and the same person's other records at the
/// same organisation; records elsewhere need a claim there too.
#[server(endpoint = "patients/claim", input = Json)]
pub async fn claim_record(
    claim_code: String,
    pseudonym: Pseudonym,
) -> Result<ClaimOutcome, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(PATIENTS))?;
    context
        .services
        .patients
        .claim(&context, principal, claim_code, pseudonym)
        .await
}

#[server(endpoint = "patients/implants")]
pub async fn my_implants() -> Result<ImplantRecord, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(PATIENTS))?;
    context
        .services
        .patients
        .implants(&context, principal)
        .await
}

#[server(endpoint = "patients/access-log")]
pub async fn my_access_log(page: u32) -> Result<Page<AccessEntry>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(PATIENTS))?;
    context
        .services
        .patients
        .access_log(&context, principal, page)
        .await
}

#[server(endpoint = "patients/export", input = Json)]
pub async fn download_my_data(format: ExportFormat) -> Result<DataFile, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(PATIENTS))?;
    context
        .services
        .patients
        .export(&context, principal, format)
        .await
}

/// The longest report of a mistake a patient can send.
pub const MAX_MISTAKE_REPORT: usize = 2000;

/// Tells the clinic that made record `record_id` (one of the caller's) what is wrong in it:
/// the clinic's managers are emailed, with the patient's address to reply to.
#[server(endpoint = "patients/report-mistake", input = Json)]
pub async fn report_mistake(record_id: i64, message: String) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(PATIENTS))?;
    context
        .services
        .patients
        .report_mistake(&context, principal, record_id, message)
        .await
}

/// Claims set aside for review (registry administrators).
#[server(endpoint = "admin/claim-reviews")]
pub async fn list_claim_reviews(page: u32) -> Result<Page<ClaimReview>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .patients
        .claim_reviews(&context, principal, page)
        .await
}

#[server(endpoint = "admin/claim-reviews/resolve", input = Json)]
pub async fn resolve_claim_review(review_id: i64, outcome: ReviewOutcome) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .patients
        .resolve_claim_review(&context, principal, review_id, outcome)
        .await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait PatientService: Send + Sync {
    async fn evaluate_for_claim(
        &self,
        context: &RequestContext,
        principal: &Principal,
        claim_code: String,
        blinded: Vec<u8>,
    ) -> Result<PseudonymEvaluation, ApiError>;
    async fn claim_reviews(
        &self,
        context: &RequestContext,
        principal: &Principal,
        page: u32,
    ) -> Result<Page<ClaimReview>, ApiError>;
    async fn resolve_claim_review(
        &self,
        context: &RequestContext,
        principal: &Principal,
        review_id: i64,
        outcome: ReviewOutcome,
    ) -> Result<(), ApiError>;
    async fn register(
        &self,
        context: &RequestContext,
        email: String,
        display_name: String,
    ) -> Result<(), ApiError>;
    async fn claim(
        &self,
        context: &RequestContext,
        principal: &Principal,
        claim_code: String,
        pseudonym: Pseudonym,
    ) -> Result<ClaimOutcome, ApiError>;
    async fn implants(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<ImplantRecord, ApiError>;
    async fn access_log(
        &self,
        context: &RequestContext,
        principal: &Principal,
        page: u32,
    ) -> Result<Page<AccessEntry>, ApiError>;
    async fn export(
        &self,
        context: &RequestContext,
        principal: &Principal,
        format: ExportFormat,
    ) -> Result<DataFile, ApiError>;
    async fn report_mistake(
        &self,
        context: &RequestContext,
        principal: &Principal,
        record_id: i64,
        message: String,
    ) -> Result<(), ApiError>;
}
