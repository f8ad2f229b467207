//! The device register, for registry administrators: search, view, add and edit entries
//! (each change audited), the review queue ([`review`]), and imports ([`upload`] from the
//! page, [`importer`] for the work itself, shared with `mdis-server import-devices`).

pub mod importer;
mod review;
mod upload;

use std::path::PathBuf;

use app::api::ApiError;
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::register::import::{ImportFile, ImportKind, ImportStarted, ImportStatus};
use app::api::register::{
    DeviceSummary, DeviceView, IdentifierDetail, RegisterQuery, RegisterService, ReviewItem,
    ReviewResolved,
};
use domain::register::{DeviceEntry, DeviceForm, DeviceIdentifier};
use domain::udi::IssuingAgency;
use serde_json::{Value, json};

use super::error::ServiceResult;
use crate::at_the_edge;
use crate::audit::{self, Action, Event};
use crate::db::{Database, WriteTransaction, identifiers, register};

pub struct Register {
    database: Database,
    /// Where uploaded files wait to be imported: `<data-dir>/imports`.
    uploads: PathBuf,
}

/// The normalised identifier a typed search may mean: a GTIN of 8 to 14 digits as its
/// GTIN-14, anything else in capitals (HIBCC and ICCBBA DIs are upper case).
pub fn identifier_searched(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    DeviceIdentifier::parse(IssuingAgency::Gs1, text)
        .map(|di| di.to_string())
        .ok()
        .or_else(|| Some(text.to_ascii_uppercase()))
}

/// What adding an entry does to components recorded with its DI before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Links them (adding from the register's own pages).
    Link,
    /// Leaves them for the caller (the review queue links and audits them itself).
    Leave,
}

/// The form's fields that differ between two entries, for the audit trail.
fn changed_fields(before: &DeviceEntry, after: &DeviceEntry) -> Vec<String> {
    let before = serde_json::to_value(DeviceForm::from_entry(before)).unwrap_or(Value::Null);
    let after = serde_json::to_value(DeviceForm::from_entry(after)).unwrap_or(Value::Null);
    match (before, after) {
        (Value::Object(before), Value::Object(after)) => after
            .iter()
            .filter(|(field, value)| before.get(*field) != Some(value))
            .map(|(field, _)| field.clone())
            .collect(),
        _ => Vec::new(),
    }
}

impl Register {
    pub fn new(database: Database, data_dir: &std::path::Path) -> Self {
        Self {
            database,
            uploads: data_dir.join("imports"),
        }
    }

    /// Adds an entry the form describes, unless one of the register's identifiers already is
    /// its DI; links components that were waiting for it. Returns its id.
    async fn insert_entry(
        transaction: &mut WriteTransaction,
        principal: &Principal,
        context: &RequestContext,
        entry: &DeviceEntry,
        waiting: Waiting,
    ) -> ServiceResult<i64> {
        if let Some(existing) =
            register::by_identifier(transaction, entry.device_identifier.as_str()).await?
        {
            return Err(ApiError::invalid(
                "device_identifier",
                format!(
                    "{} is already in the register, as {} ({})",
                    entry.device_identifier,
                    register::display_name(&existing.entry),
                    existing.entry.device_identifier
                ),
            )
            .into());
        }
        let id = register::insert(transaction, entry, None).await?;
        let linked = match waiting {
            Waiting::Link => {
                identifiers::link_waiting_components(
                    transaction,
                    &[entry.device_identifier.to_string()],
                )
                .await?
            }
            Waiting::Leave => 0,
        };
        audit::record(
            transaction,
            Event::new(Action::DeviceAdded)
                .by(principal)
                .on("device", id)
                .with(json!({ "device_identifier": entry.device_identifier, "components_linked": linked }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(id)
    }

    async fn search(
        &self,
        _context: &RequestContext,
        _principal: &Principal,
        query: RegisterQuery,
    ) -> ServiceResult<Page<DeviceSummary>> {
        let search: String = query.search.chars().take(100).collect();
        let identifier = identifier_searched(&search);
        let mut connection = self.database.read().await?;
        let (rows, total) = register::search(
            &mut connection,
            &search,
            identifier.as_deref(),
            query.page,
            PAGE_SIZE,
        )
        .await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(|row| DeviceSummary {
                    id: row.id,
                    device_identifier: row.device_identifier,
                    agency: row.agency,
                    brand_name: row.brand_name,
                    version_model: row.version_model,
                    catalogue_number: row.catalogue_number,
                    manufacturer: row.manufacturer,
                    status: row.status,
                })
                .collect(),
            page: query.page.max(1),
            page_size: PAGE_SIZE,
            total,
        })
    }

    async fn device(
        &self,
        _context: &RequestContext,
        _principal: &Principal,
        id: i64,
    ) -> ServiceResult<DeviceView> {
        let mut connection = self.database.read().await?;
        let stored = register::by_id(&mut connection, id)
            .await?
            .ok_or_else(|| ApiError::not_found("That device"))?;
        let identifiers = identifiers::of_device(&mut connection, id)
            .await?
            .into_iter()
            .map(|row| IdentifierDetail {
                identifier: row.identifier,
                agency: row.agency,
                kind: row.kind,
                contains: row.contains,
                quantity: row.quantity.and_then(|q| u32::try_from(q).ok()),
            })
            .collect();
        let components_recorded = register::components_recorded(&mut connection, id).await?;
        Ok(DeviceView {
            id,
            entry: stored.entry,
            identifiers,
            created_at: stored.created_at.to_iso(),
            updated_at: stored.updated_at.map(|at| at.to_iso()),
            components_recorded,
        })
    }

    async fn add(
        &self,
        context: &RequestContext,
        principal: &Principal,
        form: DeviceForm,
    ) -> ServiceResult<i64> {
        let entry = form
            .parse()
            .map_err(|errors| ApiError::Invalid { errors })?;
        let mut transaction = self.database.write().await?;
        let id =
            Self::insert_entry(&mut transaction, principal, context, &entry, Waiting::Link).await?;
        transaction.commit().await?;
        Ok(id)
    }

    async fn edit(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
        form: DeviceForm,
    ) -> ServiceResult<()> {
        let entry = form
            .parse()
            .map_err(|errors| ApiError::Invalid { errors })?;
        let mut transaction = self.database.write().await?;
        let existing = register::by_id(&mut transaction, id)
            .await?
            .ok_or_else(|| ApiError::not_found("That device"))?;
        if entry.device_identifier != existing.entry.device_identifier
            || entry.agency != existing.entry.agency
        {
            return Err(ApiError::invalid(
                "device_identifier",
                format!(
                    "The device identifier and its agency stay {} ({}): they are what records refer to. For another device, add a new entry",
                    existing.entry.device_identifier,
                    existing.entry.agency.name()
                ),
            )
            .into());
        }
        // Where the entry came from in GUDID is not the form's to change.
        let entry = DeviceEntry {
            gudid_record: existing.entry.gudid_record.clone(),
            ..entry
        };
        let changed = changed_fields(&existing.entry, &entry);
        if changed.is_empty() {
            return Ok(());
        }
        register::update(&mut transaction, id, &entry, None).await?;
        audit::record(
            &mut transaction,
            Event::new(Action::DeviceUpdated)
                .by(principal)
                .on("device", id)
                .with(json!({ "device_identifier": entry.device_identifier, "changed": changed }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}

at_the_edge! {
    impl RegisterService for Register {
        fn search(&self, context: &RequestContext, principal: &Principal, query: RegisterQuery) -> Page<DeviceSummary>;
        fn device(&self, context: &RequestContext, principal: &Principal, id: i64) -> DeviceView;
        fn add(&self, context: &RequestContext, principal: &Principal, form: DeviceForm) -> i64;
        fn edit(&self, context: &RequestContext, principal: &Principal, id: i64, form: DeviceForm) -> ();
        fn review_queue(&self, context: &RequestContext, principal: &Principal, page: u32) -> Page<ReviewItem>;
        fn review_add(&self, context: &RequestContext, principal: &Principal, device_identifier: String, form: DeviceForm) -> ReviewResolved;
        fn review_match(&self, context: &RequestContext, principal: &Principal, device_identifier: String, device_id: i64) -> ReviewResolved;
        fn import_start(&self, context: &RequestContext, principal: &Principal, kind: ImportKind, files: Vec<ImportFile>) -> ImportStarted;
        fn import_chunk(&self, context: &RequestContext, principal: &Principal, import_id: String, file: usize, offset: u64, data: String) -> u64;
        fn import_run(&self, context: &RequestContext, principal: &Principal, import_id: String) -> ImportStatus;
        fn import_status(&self, context: &RequestContext, principal: &Principal, import_id: String) -> ImportStatus;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_searched_gtin_is_found_by_its_fourteen_digits() {
        assert_eq!(
            identifier_searched(" 5060123450019 ").as_deref(),
            Some("05060123450019")
        );
        assert_eq!(
            identifier_searched("m456spc3000").as_deref(),
            Some("M456SPC3000")
        );
        assert_eq!(identifier_searched("  "), None);
    }
}
