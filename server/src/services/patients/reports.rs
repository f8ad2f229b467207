//! "Report a mistake in this record": a patient tells the clinic that made one of their
//! records what is wrong with it. The clinic's managers are emailed (with the patient's
//! address to reply to: only the clinic can correct its record); the report is audited and
//! appears in the patient's own access log.

use app::api::ApiError;
use app::api::context::{Principal, RequestContext};
use app::api::patients::MAX_MISTAKE_REPORT;
use serde_json::json;

use super::Patients;
use crate::audit::{self, Action, Event};
use crate::auth::rate_limit::Limit;
use crate::db::{organisations, patients, procedures as records, users};
use crate::services::error::ServiceResult;
use crate::services::mail::texts;

/// Reports per patient account a day: enough for real mistakes, too few to flood a clinic.
pub const REPORTS_PER_DAY: Limit = Limit {
    bucket: "patient.mistake_reports",
    max: 5,
    window_seconds: 24 * 60 * 60,
};

/// The report as sent: trimmed, with its lines, without control characters.
pub fn read_report(text: &str) -> Result<String, ApiError> {
    // Control characters go first, so that what is left is trimmed (a trailing bell would
    // otherwise keep the space before it).
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid(
            "message",
            "Say what is wrong in your record",
        ));
    }
    let length = text.chars().count();
    if length > MAX_MISTAKE_REPORT {
        return Err(ApiError::invalid(
            "message",
            format!(
                "Your message must be {MAX_MISTAKE_REPORT} characters or fewer: it has {length}"
            ),
        ));
    }
    Ok(text.to_string())
}

impl Patients {
    pub(super) async fn report_mistake(
        &self,
        context: &RequestContext,
        principal: &Principal,
        record_id: i64,
        message: String,
    ) -> ServiceResult<()> {
        let message = read_report(&message)?;
        let not_yours = || ApiError::not_found("That record");
        let pseudonym = self.pseudonym_of(principal).await?.ok_or_else(not_yours)?;
        let mut connection = self.database.read().await?;
        let visible = patients::records_of(&mut connection, principal.user_id, &pseudonym)
            .await?
            .into_iter()
            .any(|(id, _, _)| id == record_id);
        if !visible {
            return Err(not_yours().into());
        }
        let organisation = records::header(&mut connection, record_id)
            .await?
            .ok_or_else(not_yours)?
            .organisation_id;
        let managers = organisations::manager_addresses(&mut connection, organisation).await?;
        let patient = users::by_id(&mut connection, principal.user_id)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        drop(connection);
        if managers.is_empty() {
            return Err(ApiError::Conflict {
                message: "The clinic has no one who can receive your report here. Contact the clinic directly, or the registry helpdesk".into(),
            }
            .into());
        }
        self.auth
            .limits()
            .take(
                &REPORTS_PER_DAY,
                &principal.user_id.to_string(),
                Some(principal),
                context.client.ip.as_deref(),
            )
            .await?;
        let link = format!("{}{}", self.public_url, app::routes::record(record_id));
        let mut transaction = self.database.write().await?;
        for (email, name) in &managers {
            self.auth
                .mail()
                .queue(
                    &mut transaction,
                    email,
                    texts::mistake_reported(name, record_id, &link, &patient.email, &message),
                )
                .await?;
        }
        audit::record(
            &mut transaction,
            Event::new(Action::PatientReportedMistake)
                .by(principal)
                .on("procedure", record_id)
                .for_patient(&pseudonym)
                .with(
                    json!({ "characters": message.chars().count(), "recipients": managers.len() }),
                )
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        transaction.commit().await?;
        self.auth.mail().wake();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_tidied_and_bounded() {
        assert_eq!(
            read_report("  The lot is wrong\nIt says L1 \u{7}").unwrap(),
            "The lot is wrong\nIt says L1"
        );
        assert!(read_report("   ").is_err());
        assert!(read_report(&"x".repeat(MAX_MISTAKE_REPORT + 1)).is_err());
    }
}
