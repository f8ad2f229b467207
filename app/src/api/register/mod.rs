//! The device register, for registry administrators: search, view, add and edit entries,
//! import GUDID releases and the register's CSV ([`import`]), and the review queue of
//! components recorded with device identifiers the register did not know.

pub mod import;

use domain::register::{DeviceEntry, DeviceForm, RegisterStatus};
use leptos::server;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::common::Page;
#[cfg(feature = "ssr")]
use super::context::{ADMINISTRATORS, Access, Principal, RequestContext};
use import::{ImportFile, ImportKind, ImportStarted, ImportStatus};

/// How the register names an entry: brand and model.
pub fn display_name(entry: &DeviceEntry) -> String {
    entry.facts().name
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterQuery {
    /// Part of a DI, brand, model, catalogue number or maker; a GTIN-12 or -13 finds its
    /// GTIN-14, and any identifier of a device (a package's, a previous one) finds it.
    pub search: String,
    pub page: u32,
}

/// A register entry in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSummary {
    pub id: i64,
    pub device_identifier: String,
    pub agency: String,
    pub brand_name: String,
    pub version_model: Option<String>,
    pub catalogue_number: Option<String>,
    pub manufacturer: String,
    pub status: RegisterStatus,
}

/// One of a device's identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifierDetail {
    pub identifier: String,
    pub agency: String,
    /// `primary`, `package`, `previous`, `matched` (by an administrator), …
    pub kind: String,
    /// For a package: what it holds, and how many.
    pub contains: Option<String>,
    pub quantity: Option<u32>,
}

impl IdentifierDetail {
    /// What the kind means, in words.
    pub fn kind_label(&self) -> &'static str {
        match self.kind.as_str() {
            "primary" => "Primary (the unit)",
            "secondary" => "Secondary",
            "package" => "Package",
            "unit_of_use" => "Unit of use",
            "previous" => "Previous identifier",
            "direct_marking" => "Direct marking",
            "matched" => "Matched by the registry",
            _ => "Other",
        }
    }
}

/// A register entry with everything known about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: i64,
    pub entry: DeviceEntry,
    pub identifiers: Vec<IdentifierDetail>,
    /// UTC, ISO 8601.
    pub created_at: String,
    pub updated_at: Option<String>,
    /// Components recorded with this device, in every record's current version.
    pub components_recorded: u64,
}

/// A device identifier recorded by clinics that the register does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub device_identifier: String,
    pub agency: Option<String>,
    /// Components with it, in records' current versions.
    pub components: u64,
    pub records: u64,
    /// Where it was used: clinic and how many components.
    pub clinics: Vec<(String, u64)>,
    /// UTC, ISO 8601.
    pub first_recorded: String,
    pub last_recorded: String,
    /// A UDI as scanned, in human-readable form.
    pub example_udi: Option<String>,
    /// The register form filled in from what the UDI says.
    pub suggested: DeviceForm,
}

/// What clearing a review-queue item did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewResolved {
    pub device_id: i64,
    pub components: u64,
    pub records: u64,
}

#[server(endpoint = "register/search", input = Json)]
pub async fn search_register(query: RegisterQuery) -> Result<Page<DeviceSummary>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .search(&context, principal, query)
        .await
}

#[server(endpoint = "register/device")]
pub async fn register_device(id: i64) -> Result<DeviceView, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .device(&context, principal, id)
        .await
}

/// Adds an entry; returns its id.
#[server(endpoint = "register/add", input = Json)]
pub async fn add_device(form: DeviceForm) -> Result<i64, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .add(&context, principal, form)
        .await
}

#[server(endpoint = "register/edit", input = Json)]
pub async fn edit_device(id: i64, form: DeviceForm) -> Result<(), ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .edit(&context, principal, id, form)
        .await
}

#[server(endpoint = "register/review")]
pub async fn review_queue(page: u32) -> Result<Page<ReviewItem>, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .review_queue(&context, principal, page)
        .await
}

/// Adds the device a review-queue item's identifier belongs to, and clears the item.
#[server(endpoint = "register/review/add", input = Json)]
pub async fn review_add_device(
    device_identifier: String,
    form: DeviceForm,
) -> Result<ReviewResolved, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .review_add(&context, principal, device_identifier, form)
        .await
}

/// Makes a review-queue item's identifier one of an existing entry's, and clears the item.
#[server(endpoint = "register/review/match", input = Json)]
pub async fn review_match_device(
    device_identifier: String,
    device_id: i64,
) -> Result<ReviewResolved, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .review_match(&context, principal, device_identifier, device_id)
        .await
}

#[server(endpoint = "register/import/start", input = Json)]
pub async fn start_import(
    kind: ImportKind,
    files: Vec<ImportFile>,
) -> Result<ImportStarted, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .import_start(&context, principal, kind, files)
        .await
}

/// One piece of an uploaded file: `data` is base64 of the bytes from `offset`. Returns the
/// bytes received of that file so far.
#[server(endpoint = "register/import/chunk", input = Json)]
pub async fn upload_import_chunk(
    import_id: String,
    file: usize,
    offset: u64,
    data: String,
) -> Result<u64, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .import_chunk(&context, principal, import_id, file, offset, data)
        .await
}

/// Starts the import once every file is uploaded; `import_status` follows it.
#[server(endpoint = "register/import/run", input = Json)]
pub async fn run_import(import_id: String) -> Result<ImportStatus, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .import_run(&context, principal, import_id)
        .await
}

#[server(endpoint = "register/import/status", input = Json)]
pub async fn follow_import(import_id: String) -> Result<ImportStatus, ApiError> {
    let context = RequestContext::current()?;
    let principal = context.require(Access::Roles(ADMINISTRATORS))?;
    context
        .services
        .register
        .import_status(&context, principal, import_id)
        .await
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait RegisterService: Send + Sync {
    async fn search(
        &self,
        context: &RequestContext,
        principal: &Principal,
        query: RegisterQuery,
    ) -> Result<Page<DeviceSummary>, ApiError>;
    async fn device(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> Result<DeviceView, ApiError>;
    async fn add(
        &self,
        context: &RequestContext,
        principal: &Principal,
        form: DeviceForm,
    ) -> Result<i64, ApiError>;
    async fn edit(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
        form: DeviceForm,
    ) -> Result<(), ApiError>;
    async fn review_queue(
        &self,
        context: &RequestContext,
        principal: &Principal,
        page: u32,
    ) -> Result<Page<ReviewItem>, ApiError>;
    async fn review_add(
        &self,
        context: &RequestContext,
        principal: &Principal,
        device_identifier: String,
        form: DeviceForm,
    ) -> Result<ReviewResolved, ApiError>;
    async fn review_match(
        &self,
        context: &RequestContext,
        principal: &Principal,
        device_identifier: String,
        device_id: i64,
    ) -> Result<ReviewResolved, ApiError>;
    async fn import_start(
        &self,
        context: &RequestContext,
        principal: &Principal,
        kind: ImportKind,
        files: Vec<ImportFile>,
    ) -> Result<ImportStarted, ApiError>;
    async fn import_chunk(
        &self,
        context: &RequestContext,
        principal: &Principal,
        import_id: String,
        file: usize,
        offset: u64,
        data: String,
    ) -> Result<u64, ApiError>;
    async fn import_run(
        &self,
        context: &RequestContext,
        principal: &Principal,
        import_id: String,
    ) -> Result<ImportStatus, ApiError>;
    async fn import_status(
        &self,
        context: &RequestContext,
        principal: &Principal,
        import_id: String,
    ) -> Result<ImportStatus, ApiError>;
}
