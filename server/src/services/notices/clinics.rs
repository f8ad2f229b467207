//! A clinic's side: the notices concerning its records, each record with what the clinic did
//! for it, and recording that. Only the caller's own organisation's records, ever.

use std::collections::HashMap;

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::notices::clinic::{
    AcknowledgementRequest, AcknowledgementView, ClinicNotice, ClinicNoticeDetail, Concern,
    ConcernedComponent, ConcernedRecord,
};
use domain::calendar::CalendarDate;
use domain::register::{Acknowledgement, MatchOutcome};
use serde_json::json;

use super::Notices;
use super::matching::{Concerned, concerned_records};
use super::views;
use crate::audit::{self, Action, Event};
use crate::db::notice_follow_up::{self as follow_up, AcknowledgementRow};
use crate::db::notices::{self, Notice, StoredVersion};
use crate::db::types::Timestamp;
use crate::db::{Connection, users};
use crate::services::error::{ServiceError, ServiceResult};

/// The organisation's records that `version` concerns.
async fn records_of_clinic(
    connection: &mut impl Connection,
    version: &StoredVersion,
    organisation: i64,
) -> ServiceResult<Vec<Concerned>> {
    concerned_records(
        connection,
        version.id,
        &version.content.scope,
        Some(organisation),
    )
    .await
}

fn organisation_of(principal: &Principal) -> ServiceResult<i64> {
    Ok(principal.organisation_id.ok_or(ApiError::Forbidden)?)
}

fn view_of(row: &AcknowledgementRow) -> ServiceResult<AcknowledgementView> {
    Ok(view(
        &row.acknowledgement()?,
        row.reason.clone(),
        row.acknowledged_by.clone(),
        row.acknowledged_at,
    ))
}

/// What a clinic said of a record, as the pages show it.
fn view(
    acknowledgement: &Acknowledgement,
    reason: Option<String>,
    by: String,
    at: Timestamp,
) -> AcknowledgementView {
    AcknowledgementView {
        kind: acknowledgement.code().to_string(),
        label: acknowledgement
            .label()
            .trim_end_matches(" (give the reason)")
            .to_string(),
        reason,
        by,
        at: at.to_iso(),
    }
}

/// A notice clinics may see (published or closed) with its version in force.
async fn visible(
    connection: &mut impl Connection,
    id: i64,
) -> ServiceResult<(Notice, StoredVersion)> {
    let notice = notices::get(connection, id)
        .await?
        .filter(|notice| notice.status.is_visible_to_clinics())
        .ok_or_else(|| ApiError::not_found("That safety notice"))?;
    let number = notice.status.version().unwrap_or_default();
    let version = notices::version(connection, &notice, number)
        .await?
        .ok_or_else(|| ServiceError::internal("a notice without its version in force"))?;
    Ok((notice, version))
}

fn concern_of(outcome: &MatchOutcome) -> Concern {
    match outcome {
        MatchOutcome::PossiblyAffected { missing } => Concern::PossiblyAffected {
            missing: missing.clone(),
        },
        _ => Concern::Affected,
    }
}

impl Notices {
    pub(super) async fn clinic_list(
        &self,
        _context: &RequestContext,
        principal: &Principal,
    ) -> ServiceResult<Vec<ClinicNotice>> {
        let organisation = organisation_of(principal)?;
        let mut connection = self.database.read().await?;
        let mut listed = Vec::new();
        for notice in notices::visible(&mut connection).await? {
            let (notice, version) = visible(&mut connection, notice.id).await?;
            let records = records_of_clinic(&mut connection, &version, organisation).await?;
            if records.is_empty() {
                continue;
            }
            let acknowledged =
                follow_up::acknowledgements(&mut connection, notice.id, Some(organisation))
                    .await?
                    .len() as u64;
            let affected = records.iter().filter(|r| r.is_affected()).count() as u64;
            listed.push(ClinicNotice {
                id: notice.id,
                reference: notice.reference,
                title: version.content.title,
                status: notice.status,
                published_at: version
                    .published_at
                    .map(|at| at.to_iso())
                    .unwrap_or_default(),
                affected,
                possibly_affected: records.len() as u64 - affected,
                outstanding: (records.len() as u64).saturating_sub(acknowledged),
            });
        }
        Ok(listed)
    }

    /// The caller's records the notice concerns, with their acknowledgements.
    async fn clinic_records(
        &self,
        connection: &mut impl Connection,
        organisation: i64,
        notice: &Notice,
        version: &StoredVersion,
    ) -> ServiceResult<Vec<(Concerned, Option<AcknowledgementRow>)>> {
        let records = records_of_clinic(connection, version, organisation).await?;
        let mut acknowledgements: HashMap<i64, AcknowledgementRow> =
            follow_up::acknowledgements(connection, notice.id, Some(organisation))
                .await?
                .into_iter()
                .map(|row| (row.procedure_id, row))
                .collect();
        Ok(records
            .into_iter()
            .map(|record| {
                let acknowledgement = acknowledgements.remove(&record.procedure_id);
                (record, acknowledgement)
            })
            .collect())
    }

    pub(super) async fn clinic_detail(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> ServiceResult<ClinicNoticeDetail> {
        let organisation = organisation_of(principal)?;
        let mut connection = self.database.read().await?;
        let (notice, version) = visible(&mut connection, id).await?;
        let found = self
            .clinic_records(&mut connection, organisation, &notice, &version)
            .await?;
        let mut records = Vec::with_capacity(found.len());
        for (record, acknowledgement) in found {
            records.push(ConcernedRecord {
                record_id: record.procedure_id,
                procedure_date: record.procedure_date,
                site: record.site.clone(),
                linked_to_patient: record.patient_pseudonym.is_some(),
                concern: concern_of(&record.outcome),
                components: record
                    .components
                    .iter()
                    .map(|component| ConcernedComponent {
                        name: component.device_name.clone(),
                        device_identifier: component.primary_identifier.clone(),
                        lot: component.lot.clone(),
                        serial: component.serial.clone(),
                        expiry: component.expiry.map(CalendarDate::from),
                    })
                    .collect(),
                acknowledgement: acknowledgement.as_ref().map(view_of).transpose()?,
            });
        }
        let content = views::content(&mut connection, &version.content).await?;
        drop(connection);
        audit::record_alone(
            &self.database,
            Event::new(Action::NoticeRecordsViewed)
                .by(principal)
                .on("safety_notice", id)
                .with(json!({ "records": records.len() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(ClinicNoticeDetail {
            id,
            reference: notice.reference,
            status: notice.status,
            version: version.version,
            published_at: version
                .published_at
                .map(|at| at.to_iso())
                .unwrap_or_default(),
            content,
            records,
        })
    }

    pub(super) async fn acknowledge(
        &self,
        context: &RequestContext,
        principal: &Principal,
        request: AcknowledgementRequest,
    ) -> ServiceResult<AcknowledgementView> {
        let organisation = organisation_of(principal)?;
        let acknowledgement =
            Acknowledgement::parse(&request.kind, &request.reason).map_err(|error| {
                ApiError::Invalid {
                    errors: vec![error],
                }
            })?;
        let mut transaction = self.database.write().await?;
        let (notice, version) = visible(&mut transaction, request.notice_id).await?;
        let records = records_of_clinic(&mut transaction, &version, organisation).await?;
        let record = records
            .iter()
            .find(|record| record.procedure_id == request.record_id)
            .ok_or_else(|| ApiError::not_found("That record"))?;
        follow_up::acknowledge(
            &mut transaction,
            organisation,
            notice.id,
            record.procedure_id,
            &acknowledgement,
            principal.user_id,
        )
        .await?;
        let mut event = Event::new(Action::NoticeAcknowledged)
            .by(principal)
            .on("procedure", record.procedure_id)
            .with(json!({ "notice": notice.id, "reference": notice.reference, "acknowledgement": acknowledgement.code() }))
            .from_ip(context.client.ip.as_deref());
        if let Some(pseudonym) = record.patient_pseudonym.as_deref() {
            event = event.for_patient(pseudonym);
        }
        audit::record(&mut transaction, event).await?;
        let by = users::by_id(&mut transaction, principal.user_id)
            .await?
            .map(|account| account.display_name)
            .unwrap_or_default();
        transaction.commit().await?;
        let reason = match &acknowledgement {
            Acknowledgement::NotAffected { reason } => Some(reason.clone()),
            _ => None,
        };
        Ok(view(&acknowledgement, reason, by, self.database.now()))
    }
}
