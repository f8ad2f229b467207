//! The review queue: identifiers clinics recorded that the register did not know (never a
//! reason to refuse their records). An administrator adds the device, pre-filled from what the
//! UDI said, or matches the identifier to an existing entry; either way every component
//! waiting under it, in every record, is linked and its flag cleared, in one audited step.

use app::api::ApiError;
use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::register::{ReviewItem, ReviewResolved};
use domain::register::{DeviceForm, DeviceIdentifier};
use serde_json::json;

use super::{Register, Waiting};
use crate::audit::{self, Action, Event};
use crate::db::identifiers::{self, Given, IdentifierRow};
use crate::db::{WriteTransaction, register, review};
use crate::services::error::ServiceResult;

/// At most this many record ids are named in the audit entry (the count is always there).
const RECORDS_NAMED: usize = 200;

/// The identifier as stored on components: exactly as a scan normalised it.
fn waiting_identifier(text: &str) -> ServiceResult<String> {
    DeviceIdentifier::parse_stored(text)
        .map(|di| di.to_string())
        .map_err(|error| ApiError::invalid("device_identifier", error.to_string()).into())
}

impl Register {
    pub(super) async fn review_queue(
        &self,
        _context: &RequestContext,
        _principal: &Principal,
        page: u32,
    ) -> ServiceResult<Page<ReviewItem>> {
        let mut connection = self.database.read().await?;
        let (rows, total) = review::queue(&mut connection, page, PAGE_SIZE).await?;
        let identifiers: Vec<String> = rows
            .iter()
            .map(|row| row.device_identifier.clone())
            .collect();
        let clinics = review::clinics(&mut connection, &identifiers).await?;
        let items = rows
            .into_iter()
            .map(|row| ReviewItem {
                clinics: clinics
                    .iter()
                    .filter(|(di, _, _)| *di == row.device_identifier)
                    .map(|(_, clinic, count)| (clinic.clone(), *count as u64))
                    .collect(),
                suggested: DeviceForm::suggested_for(
                    &row.device_identifier,
                    row.agency.as_deref(),
                    row.catalogue_number.as_deref(),
                ),
                components: row.components as u64,
                records: row.records as u64,
                first_recorded: row.first_recorded.to_iso(),
                last_recorded: row.last_recorded.to_iso(),
                example_udi: row.example_udi,
                agency: row.agency,
                device_identifier: row.device_identifier,
            })
            .collect();
        Ok(Page {
            items,
            page: page.max(1),
            page_size: PAGE_SIZE,
            total,
        })
    }

    /// Links everything waiting under `identifier` to `device_id`, audited.
    async fn resolve(
        transaction: &mut WriteTransaction,
        context: &RequestContext,
        principal: &Principal,
        identifier: &str,
        device_id: i64,
        how: &str,
    ) -> ServiceResult<ReviewResolved> {
        let records = review::waiting_records(transaction, identifier).await?;
        if records.is_empty() {
            return Err(ApiError::Conflict {
                message: format!("Nothing is waiting for review under {identifier}: it may have been cleared already"),
            }
            .into());
        }
        let components = review::resolve(transaction, identifier, device_id).await?;
        let named: Vec<i64> = records
            .iter()
            .take(RECORDS_NAMED)
            .map(|record| record.procedure_id)
            .collect();
        audit::record(
            transaction,
            Event::new(Action::ReviewResolved)
                .by(principal)
                .on("device", device_id)
                .with(json!({
                    "device_identifier": identifier,
                    "how": how,
                    "components": components,
                    "records": records.len(),
                    "record_ids": named,
                }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(ReviewResolved {
            device_id,
            components,
            records: records.len() as u64,
        })
    }

    pub(super) async fn review_add(
        &self,
        context: &RequestContext,
        principal: &Principal,
        device_identifier: String,
        form: DeviceForm,
    ) -> ServiceResult<ReviewResolved> {
        let waiting = waiting_identifier(&device_identifier)?;
        let entry = form
            .parse()
            .map_err(|errors| ApiError::Invalid { errors })?;
        let mut transaction = self.database.write().await?;
        let agency = review::agency_waiting(&mut transaction, &waiting).await?;
        let id = Self::insert_entry(&mut transaction, principal, context, &entry, Waiting::Leave)
            .await?;
        if entry.device_identifier.as_str() != waiting {
            // The scanned identifier (a box's, say) becomes one of the new entry's.
            let given = identifiers::give(
                &mut transaction,
                &IdentifierRow {
                    identifier: waiting.clone(),
                    device_id: id,
                    agency: agency.unwrap_or_else(|| entry.agency.name().to_string()),
                    kind: "matched".into(),
                    contains: None,
                    quantity: None,
                },
            )
            .await?;
            if let Given::TakenBy(other) = given {
                return Err(ApiError::Conflict {
                    message: format!("{waiting} already belongs to register entry {other}"),
                }
                .into());
            }
        }
        let resolved =
            Self::resolve(&mut transaction, context, principal, &waiting, id, "added").await?;
        transaction.commit().await?;
        Ok(resolved)
    }

    pub(super) async fn review_match(
        &self,
        context: &RequestContext,
        principal: &Principal,
        device_identifier: String,
        device_id: i64,
    ) -> ServiceResult<ReviewResolved> {
        let waiting = waiting_identifier(&device_identifier)?;
        let mut transaction = self.database.write().await?;
        let stored = register::by_id(&mut transaction, device_id)
            .await?
            .ok_or_else(|| {
                ApiError::invalid("device_id", "Choose a device that is in the register")
            })?;
        let agency = review::agency_waiting(&mut transaction, &waiting)
            .await?
            .unwrap_or_else(|| stored.entry.agency.name().to_string());
        let given = identifiers::give(
            &mut transaction,
            &IdentifierRow {
                identifier: waiting.clone(),
                device_id,
                agency,
                kind: "matched".into(),
                contains: None,
                quantity: None,
            },
        )
        .await?;
        if let Given::TakenBy(other) = given {
            return Err(ApiError::Conflict {
                message: format!("{waiting} already belongs to register entry {other}"),
            }
            .into());
        }
        let resolved = Self::resolve(
            &mut transaction,
            context,
            principal,
            &waiting,
            device_id,
            "matched",
        )
        .await?;
        transaction.commit().await?;
        Ok(resolved)
    }
}
