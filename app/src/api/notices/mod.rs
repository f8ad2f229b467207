//! Field safety notices. Registry administrators draft, review, publish (in versions) and
//! close them, and follow each clinic's progress; clinics see the notices that concern their
//! patients' implants and say what they did for each record ([`clinic`]). Patients see them
//! on "Your implants" (`api::patients`).

pub mod clinic;

use domain::calendar::CalendarDate;
use domain::register::{NoticeForm, NoticeScope, NoticeStatus};
use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::common::Page;
#[cfg(feature = "ssr")]
use super::context::{ADMINISTRATORS, Access, Principal, RequestContext};
use super::patients::DataFile;

/// A notice in the registry's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeSummary {
    pub id: i64,
    pub reference: String,
    /// The latest version's title (the draft's before the first publication).
    pub title: String,
    pub status: NoticeStatus,
    /// A version being prepared, not yet published.
    pub has_draft: bool,
    /// UTC, ISO 8601.
    pub first_published_at: Option<String>,
}

/// A device a notice names, as the register knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedDevice {
    pub device_identifier: String,
    pub name: String,
    pub manufacturer: String,
}

/// What a version of a notice says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeContent {
    pub title: String,
    pub manufacturer_reference: String,
    pub fsn_date: CalendarDate,
    pub problem: String,
    pub risk: String,
    pub clinic_action: String,
    pub patient_action: String,
    pub scope: NoticeScope,
    /// The register's names for the scope's devices, in its order.
    pub devices: Vec<NamedDevice>,
}

/// One version of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeVersion {
    pub version: u32,
    /// `None` for the draft.
    pub published_at: Option<String>,
    pub published_by: Option<String>,
    pub content: NoticeContent,
}

/// A notice with its versions, for the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDetail {
    pub id: i64,
    pub reference: String,
    pub status: NoticeStatus,
    /// Newest first; the draft (if any) first of all.
    pub versions: Vec<NoticeVersion>,
    /// The draft as its form, for editing.
    pub draft_form: Option<NoticeForm>,
}

impl NoticeDetail {
    pub fn draft(&self) -> Option<&NoticeVersion> {
        self.versions.first().filter(|v| v.published_at.is_none())
    }

    pub fn published(&self) -> Option<&NoticeVersion> {
        self.versions.iter().find(|v| v.published_at.is_some())
    }
}

/// One clinic's part of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicProgress {
    pub organisation_id: i64,
    pub organisation: String,
    /// Records whose components the notice concerns.
    pub affected: u64,
    /// Records lacking the lot, serial or date needed to decide.
    pub possibly_affected: u64,
    pub acknowledged: u64,
    pub outstanding: u64,
    /// When the clinic was first told of the version shown (UTC, ISO 8601), and how.
    pub told_at: Option<String>,
    pub told_how: Option<String>,
}

/// The records a version of a notice concerns, by clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeProgress {
    pub notice_id: i64,
    pub reference: String,
    /// The version matched: the published one, or for a draft the draft (a preview).
    pub version: u32,
    pub preview: bool,
    pub clinics: Vec<ClinicProgress>,
}

impl NoticeProgress {
    pub fn total(&self, part: impl Fn(&ClinicProgress) -> u64) -> u64 {
        self.clinics.iter().map(part).sum()
    }
}

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub version: u32,
    pub clinics_told: u64,
    pub managers_emailed: u64,
    pub patients_emailed: u64,
}

#[server(endpoint = "notices/list")]
pub async fn list_notices(page: u32) -> Result<Page<NoticeSummary>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .list(&context, principal, page)
        .await
}

/// Saves a new notice as a draft; returns its id.
#[server(endpoint = "notices/create", input = Json)]
pub async fn create_notice(form: NoticeForm) -> Result<i64, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .create(&context, principal, form)
        .await
}

#[server(endpoint = "notices/detail")]
pub async fn load_notice(id: i64) -> Result<NoticeDetail, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .detail(&context, principal, id)
        .await
}

/// Saves the draft (of a new notice, or of its next version).
#[server(endpoint = "notices/save", input = Json)]
pub async fn save_notice_draft(id: i64, form: NoticeForm) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .save_draft(&context, principal, id, form)
        .await
}

/// Starts the next version of a published notice, as a draft copied from the current one.
#[server(endpoint = "notices/new-version", input = Json)]
pub async fn start_notice_version(id: i64) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .start_version(&context, principal, id)
        .await
}

/// Publishes the draft: clinics with affected records and their linked patients are emailed.
#[server(endpoint = "notices/publish", input = Json)]
pub async fn publish_notice(id: i64) -> Result<Published, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .publish(&context, principal, id)
        .await
}

#[server(endpoint = "notices/close", input = Json)]
pub async fn close_notice(id: i64) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .close(&context, principal, id)
        .await
}

/// Affected, acknowledged and outstanding records by clinic (for a draft: what publishing it
/// would find).
#[server(endpoint = "notices/progress")]
pub async fn load_notice_progress(id: i64) -> Result<NoticeProgress, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .progress(&context, principal, id)
        .await
}

/// The progress as CSV: one row per clinic.
#[server(endpoint = "notices/progress-csv")]
pub async fn notice_progress_csv(id: i64) -> Result<DataFile, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .notices
        .progress_csv(&context, principal, id)
        .await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait NoticeService: Send + Sync {
    async fn list(
        &self,
        context: &RequestContext,
        principal: &Principal,
        page: u32,
    ) -> Result<Page<NoticeSummary>, ApiError>;
    async fn create(
        &self,
        context: &RequestContext,
        principal: &Principal,
        form: NoticeForm,
    ) -> Result<i64, ApiError>;
    async fn detail(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> Result<NoticeDetail, ApiError>;
    async fn save_draft(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
        form: NoticeForm,
    ) -> Result<(), ApiError>;
    async fn start_version(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> Result<(), ApiError>;
    async fn publish(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> Result<Published, ApiError>;
    async fn close(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> Result<(), ApiError>;
    async fn progress(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> Result<NoticeProgress, ApiError>;
    async fn progress_csv(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> Result<DataFile, ApiError>;
    async fn clinic_list(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<Vec<clinic::ClinicNotice>, ApiError>;
    async fn clinic_detail(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> Result<clinic::ClinicNoticeDetail, ApiError>;
    async fn acknowledge(
        &self,
        context: &RequestContext,
        principal: &Principal,
        request: clinic::AcknowledgementRequest,
    ) -> Result<clinic::AcknowledgementView, ApiError>;
}
