//! The registry's view of a notice's progress: by clinic, the records it concerns (affected
//! and possibly affected), how many the clinic has acknowledged, how many are outstanding,
//! and when the clinic was told; also as CSV.

use std::collections::{BTreeMap, HashMap, HashSet};

use app::api::context::{Principal, RequestContext};
use app::api::notices::{ClinicProgress, NoticeProgress};
use app::api::patients::DataFile;
use domain::register::NoticeStatus;
use serde_json::json;

use super::Notices;
use super::matching::concerned_records;
use crate::audit::{self, Action, Event};
use crate::db::notice_follow_up as follow_up;
use crate::db::notices;
use crate::services::error::{ServiceError, ServiceResult};

impl Notices {
    /// The progress of the version in force, or (for a notice never published) what
    /// publishing its draft would find.
    async fn progress_of(&self, id: i64) -> ServiceResult<NoticeProgress> {
        let mut connection = self.database.read().await?;
        let notice = super::found(&mut connection, id).await?;
        let versions = notices::versions(&mut connection, &notice).await?;
        let (version, preview) = match notice.status {
            NoticeStatus::Draft => (versions.into_iter().next(), true),
            status => (
                versions
                    .into_iter()
                    .find(|version| Some(version.version) == status.version()),
                false,
            ),
        };
        let version =
            version.ok_or_else(|| ServiceError::internal("a notice without its version"))?;
        let records =
            concerned_records(&mut connection, version.id, &version.content.scope, None).await?;
        let acknowledged: HashSet<i64> = follow_up::acknowledgements(&mut connection, id, None)
            .await?
            .into_iter()
            .map(|row| row.procedure_id)
            .collect();
        let told: HashMap<i64, (String, String)> = follow_up::clinics_told(&mut connection, id)
            .await?
            .into_iter()
            .map(|(organisation, at, how)| (organisation, (at.to_iso(), how)))
            .collect();
        let mut clinics: BTreeMap<(String, i64), ClinicProgress> = BTreeMap::new();
        for record in &records {
            let clinic = clinics
                .entry((record.organisation.clone(), record.organisation_id))
                .or_insert_with(|| ClinicProgress {
                    organisation_id: record.organisation_id,
                    organisation: record.organisation.clone(),
                    affected: 0,
                    possibly_affected: 0,
                    acknowledged: 0,
                    outstanding: 0,
                    told_at: told.get(&record.organisation_id).map(|t| t.0.clone()),
                    told_how: told.get(&record.organisation_id).map(|t| t.1.clone()),
                });
            if record.is_affected() {
                clinic.affected += 1;
            } else {
                clinic.possibly_affected += 1;
            }
            if acknowledged.contains(&record.procedure_id) {
                clinic.acknowledged += 1;
            } else {
                clinic.outstanding += 1;
            }
        }
        Ok(NoticeProgress {
            notice_id: id,
            reference: notice.reference,
            version: version.version,
            preview,
            clinics: clinics.into_values().collect(),
        })
    }

    pub(super) async fn progress(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> ServiceResult<NoticeProgress> {
        let progress = self.progress_of(id).await?;
        audit::record_alone(
            &self.database,
            Event::new(Action::NoticeProgressViewed)
                .by(principal)
                .on("safety_notice", id)
                .with(json!({ "version": progress.version, "clinics": progress.clinics.len() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(progress)
    }

    pub(super) async fn progress_csv(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> ServiceResult<DataFile> {
        let progress = self.progress(context, principal, id).await?;
        Ok(DataFile {
            file_name: format!(
                "safety-notice-{}-progress-{}.csv",
                file_safe(&progress.reference),
                self.today().to_iso()
            ),
            media_type: "text/csv".into(),
            content: progress_csv(&progress)?,
        })
    }
}

/// A reference as part of a file name: letters, digits and hyphens.
fn file_safe(reference: &str) -> String {
    reference
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_string()
}

/// One row per clinic. A clinic name that starts like a formula is prefixed with `'` so that
/// spreadsheets show it as text.
pub fn progress_csv(progress: &NoticeProgress) -> ServiceResult<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| ServiceError::internal(error);
    writer
        .write_record([
            "notice",
            "version",
            "clinic",
            "affected",
            "possibly_affected",
            "acknowledged",
            "outstanding",
            "told_at",
            "told_how",
        ])
        .map_err(failed)?;
    for clinic in &progress.clinics {
        let name = if clinic.organisation.starts_with(['=', '+', '-', '@']) {
            format!("'{}", clinic.organisation)
        } else {
            clinic.organisation.clone()
        };
        writer
            .write_record([
                progress.reference.clone(),
                progress.version.to_string(),
                name,
                clinic.affected.to_string(),
                clinic.possibly_affected.to_string(),
                clinic.acknowledged.to_string(),
                clinic.outstanding.to_string(),
                clinic.told_at.clone().unwrap_or_default(),
                clinic.told_how.clone().unwrap_or_default(),
            ])
            .map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(ServiceError::internal)?;
    String::from_utf8(bytes).map_err(ServiceError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_clinic_with_formulas_defused() {
        let progress = NoticeProgress {
            notice_id: 1,
            reference: "FSN 2026/01".into(),
            version: 2,
            preview: false,
            clinics: vec![ClinicProgress {
                organisation_id: 3,
                organisation: "=Riverside, East".into(),
                affected: 4,
                possibly_affected: 1,
                acknowledged: 2,
                outstanding: 3,
                told_at: Some("2026-11-20T10:00:00.000Z".into()),
                told_how: Some("published".into()),
            }],
        };
        let csv = progress_csv(&progress).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            "FSN 2026/01,2,\"'=Riverside, East\",4,1,2,3,2026-11-20T10:00:00.000Z,published"
        );
        assert_eq!(file_safe("FSN 2026/01"), "FSN-2026-01");
    }
}
