//! Notices in force against particular components: a clinic is warned at once when it submits
//! a record a published notice concerns (and is noted as told), and a patient sees the notices
//! that concern their implants. Also the start-up step that indexes what SQL migrations made.

use std::collections::HashMap;

use app::api::patients::SafetyNotice;
use domain::calendar::CalendarDate;
use domain::register::{Acknowledgement, MatchOutcome, NoticeScope};

use super::matching::{Checked, facts, notices_concerning};
use crate::db::notice_follow_up::{self as follow_up, Told};
use crate::db::procedures::{self, ComponentRow, StoredComponent};
use crate::db::{Connection, Database, notice_match, notices, register};
use crate::services::error::ServiceResult;

/// The warnings for a record just stored: one per component a published notice concerns.
/// The clinic counts as told of those notices from now.
pub async fn warn_on_submission(
    connection: &mut impl Connection,
    organisation: i64,
    components: &[StoredComponent],
) -> ServiceResult<Vec<String>> {
    let mut checked = Vec::new();
    let mut primaries: HashMap<i64, String> = HashMap::new();
    for (index, component) in components.iter().enumerate() {
        let Some(device_id) = component.device_id else {
            continue;
        };
        if !primaries.contains_key(&device_id)
            && let Some(stored) = register::by_id(connection, device_id).await?
        {
            primaries.insert(device_id, stored.entry.device_identifier.to_string());
        }
        let Some(primary) = primaries.get(&device_id) else {
            continue;
        };
        checked.push(Checked {
            index,
            device_id,
            facts: facts(
                primary,
                &component.lot,
                &component.serial,
                component.expiry,
                component.manufactured,
            )?,
        });
    }
    let concerns = notices_concerning(connection, &checked, false).await?;
    let mut warnings = Vec::with_capacity(concerns.len());
    for concern in concerns {
        let number = concern.index + 1;
        let notice = &concern.notice;
        let title = &concern.version.content.title;
        warnings.push(match &concern.outcome {
            MatchOutcome::PossiblyAffected { missing } => format!(
                "Safety notice {}: component {number} may be one that \"{title}\" concerns, but its record has no {}. Check the packaging, correct the record if you can, and see Safety notices for what to do",
                notice.reference,
                missing
                    .iter()
                    .map(|detail| detail.label().to_lowercase())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            _ => format!(
                "Safety notice {}: component {number} is one that \"{title}\" concerns. See Safety notices for what to do for this patient",
                notice.reference
            ),
        });
        follow_up::note_clinic_told(
            connection,
            organisation,
            notice.id,
            concern.version.version,
            Told::Submission,
            0,
        )
        .await?;
    }
    Ok(warnings)
}

/// For each of a record's components (in order), the notices that concern it as a patient is
/// shown them: in force (published or closed), the component affected, and the clinic not
/// having found the record is not.
pub async fn for_patient(
    connection: &mut impl Connection,
    procedure_id: i64,
    components: &[ComponentRow],
) -> ServiceResult<Vec<Vec<SafetyNotice>>> {
    let mut checked = Vec::new();
    for (index, component) in components.iter().enumerate() {
        if let (Some(device_id), Some(primary)) =
            (component.device_id, &component.register_identifier)
        {
            checked.push(Checked {
                index,
                device_id,
                facts: facts(
                    primary,
                    &component.lot,
                    &component.serial,
                    component.expiry.map(CalendarDate::from),
                    component.manufactured.map(CalendarDate::from),
                )?,
            });
        }
    }
    let mut shown: Vec<Vec<SafetyNotice>> = vec![Vec::new(); components.len()];
    for concern in notices_concerning(connection, &checked, true).await? {
        if concern.outcome != MatchOutcome::Affected {
            continue;
        }
        let ruled_out = follow_up::acknowledgements(connection, concern.notice.id, None)
            .await?
            .iter()
            .any(|row| {
                row.procedure_id == procedure_id
                    && matches!(
                        row.acknowledgement(),
                        Ok(Acknowledgement::NotAffected { .. })
                    )
            });
        if ruled_out {
            continue;
        }
        let content = &concern.version.content;
        shown[concern.index].push(SafetyNotice {
            reference: concern.notice.reference.clone(),
            title: content.title.clone(),
            problem: content.problem.clone(),
            patient_action: content.patient_action.clone(),
            issued_on: concern
                .version
                .published_at
                .map(|at| at.day())
                .unwrap_or(content.fsn_date),
        });
    }
    Ok(shown)
}

/// At start: criteria for notice versions made by SQL (migrated from before the register),
/// and range keys for components stored before they were kept.
pub async fn backfill(database: &Database) -> ServiceResult<()> {
    let mut transaction = database.write().await?;
    for (version_id, notice_id) in notices::unindexed(&mut transaction).await? {
        let Some(notice) = notices::get(&mut transaction, notice_id).await? else {
            continue;
        };
        let Some(version) = notices::versions(&mut transaction, &notice)
            .await?
            .into_iter()
            .find(|version| version.id == version_id)
        else {
            continue;
        };
        // Devices the register does not know cannot match anything: only the others are indexed.
        let mut scope = NoticeScope {
            devices: Vec::new(),
        };
        let mut ids = Vec::new();
        for device in &version.content.scope.devices {
            if let Some(stored) =
                register::by_identifier(&mut transaction, device.device_identifier.as_str()).await?
            {
                scope.devices.push(device.clone());
                ids.push(stored.id);
            }
        }
        notice_match::write_criteria(&mut transaction, version_id, &scope, &ids).await?;
    }
    procedures::fill_missing_range_keys(&mut transaction).await?;
    transaction.commit().await?;
    Ok(())
}
