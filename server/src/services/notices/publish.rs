//! Publishing a notice's draft: the version is fixed, every record it concerns is found, each
//! clinic with such records has its managers emailed (and the time noted), and each linked
//! patient whose implant is affected is emailed a short message with no health details. All in
//! one transaction: the emails are queued in it and sent once it commits.

use std::collections::{BTreeMap, HashSet};

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::notices::Published;
use domain::register::{Acknowledgement, NoticeAction, NoticeStatus};
use serde_json::json;

use super::matching::concerned_records;
use super::{Notices, audit_and_commit, draft_of, index_version, refused, resolve_scope};
use crate::audit::Action;
use crate::db::notice_follow_up::{self as follow_up, Told};
use crate::db::notices;
use crate::services::error::{ServiceError, ServiceResult};
use crate::services::mail::texts;

impl Notices {
    pub(super) async fn publish(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: i64,
    ) -> ServiceResult<Published> {
        let (mut transaction, notice) = self.write_to(id).await?;
        let draft =
            draft_of(&mut transaction, &notice)
                .await?
                .ok_or_else(|| ApiError::Conflict {
                    message: match notice.status {
                        NoticeStatus::Closed { .. } => {
                            "This notice is closed and is kept as it was".to_string()
                        }
                        _ => "There is no draft to publish: start a new version first".to_string(),
                    },
                })?;
        let action = match notice.status {
            NoticeStatus::Draft => NoticeAction::Publish,
            _ => NoticeAction::PublishNewVersion,
        };
        let status = notice.status.apply(action).map_err(refused)?;
        let version = status
            .version()
            .filter(|number| *number == draft.version)
            .ok_or_else(|| ServiceError::internal("the draft's number is not the next version"))?;
        // The register may have changed since the draft was saved: its devices are found again.
        let (scope, device_ids) = resolve_scope(&mut transaction, &draft.content.scope).await?;
        index_version(&mut transaction, draft.id, &scope, &device_ids).await?;
        notices::mark_published(&mut transaction, draft.id, principal.user_id).await?;
        notices::set_status(&mut transaction, id, status, principal.user_id).await?;

        let records = concerned_records(&mut transaction, draft.id, &scope, None).await?;
        let mut by_clinic: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
        for record in &records {
            let counts = by_clinic.entry(record.organisation_id).or_default();
            if record.is_affected() {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
        let organisations: Vec<i64> = by_clinic.keys().copied().collect();
        let managers = follow_up::clinic_managers(&mut transaction, &organisations).await?;
        let link = format!("{}{}", self.public_url, app::routes::clinic_notice(id));
        let mut managers_emailed = 0;
        for (organisation, (affected, possibly)) in &by_clinic {
            let mut told = 0;
            for (_, (_, email, name)) in managers.iter().filter(|(o, _)| o == organisation) {
                let message = texts::notice_for_clinic(
                    name,
                    &notice.reference,
                    &draft.content.title,
                    version,
                    *affected,
                    *possibly,
                    &link,
                );
                self.mail.queue(&mut transaction, email, message).await?;
                told += 1;
            }
            managers_emailed += told;
            follow_up::note_clinic_told(
                &mut transaction,
                *organisation,
                id,
                version,
                Told::Published,
                told,
            )
            .await?;
        }

        // Patients whose implant is affected, unless their clinic found it is not.
        let not_affected: HashSet<i64> = follow_up::acknowledgements(&mut transaction, id, None)
            .await?
            .into_iter()
            .filter(|row| {
                matches!(
                    row.acknowledgement(),
                    Ok(Acknowledgement::NotAffected { .. })
                )
            })
            .map(|row| row.procedure_id)
            .collect();
        let affected: Vec<i64> = records
            .iter()
            .filter(|record| record.is_affected() && record.patient_pseudonym.is_some())
            .filter(|record| !not_affected.contains(&record.procedure_id))
            .map(|record| record.procedure_id)
            .collect();
        let patients = follow_up::patients_of(&mut transaction, &affected).await?;
        let implants = format!("{}{}", self.public_url, app::routes::MY_IMPLANTS);
        let mut patients_emailed = 0;
        for (user_id, email, name) in &patients {
            if follow_up::note_patient_emailed(&mut transaction, id, version, *user_id).await? {
                let message = texts::notice_for_patient(name, &implants);
                self.mail.queue(&mut transaction, email, message).await?;
                patients_emailed += 1;
            }
        }
        let details = json!({
            "reference": notice.reference,
            "version": version,
            "records_affected": records.iter().filter(|r| r.is_affected()).count(),
            "records_possibly_affected": records.iter().filter(|r| !r.is_affected()).count(),
            "clinics_told": by_clinic.len(),
            "managers_emailed": managers_emailed,
            "patients_emailed": patients_emailed,
        });
        audit_and_commit(
            transaction,
            context,
            principal,
            Action::NoticePublished,
            id,
            details,
        )
        .await?;
        self.mail.wake();
        Ok(Published {
            version,
            clinics_told: by_clinic.len() as u64,
            managers_emailed,
            patients_emailed,
        })
    }
}
