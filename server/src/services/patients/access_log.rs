//! Who has looked at a patient's record, as the patient is told: each audit entry about
//! them in plain words, with who did it ("You", the organisation, or the registry).

use app::api::common::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::patients::AccessEntry;
use app::api::session::Role;

use super::Patients;
use crate::audit::Action;
use crate::db::patients;
use crate::services::error::ServiceResult;

impl Patients {
    pub(super) async fn access_log(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        page: u32,
    ) -> ServiceResult<Page<AccessEntry>> {
        let page = page.max(1);
        let Some(pseudonym) = self.pseudonym_of(principal).await? else {
            return Ok(Page {
                items: Vec::new(),
                page,
                page_size: PAGE_SIZE,
                total: 0,
            });
        };
        let mut connection = self.database.read().await?;
        let (rows, total) = patients::access_entries(
            &mut connection,
            principal.user_id,
            &pseudonym,
            PAGE_SIZE,
            (page - 1).saturating_mul(PAGE_SIZE),
        )
        .await?;
        let items = rows
            .iter()
            .map(|row| {
                let (who, role) = describe_actor(row, principal.user_id);
                AccessEntry {
                    at: row.at.to_iso(),
                    who,
                    role,
                    what: describe_access(&row.action),
                }
            })
            .collect();
        Ok(Page {
            items,
            page,
            page_size: PAGE_SIZE,
            total,
        })
    }
}

/// How an audit entry about a patient's record reads to the patient.
pub fn describe_access(code: &str) -> String {
    let Some(action) = Action::from_code(code) else {
        return format!("Used your record ({code})");
    };
    match action {
        Action::ProcedureCreated => "Recorded your procedure",
        Action::ProcedureViewed => "Looked at your procedure record",
        Action::ProcedureCorrected => "Corrected your procedure record",
        Action::ImplantCardPrinted => "Printed your implant card",
        Action::PatientRecordClaimed => "Linked a procedure record to this account",
        Action::PatientClaimFailed => {
            "Tried to link your record with its claim code, but the details did not match"
        }
        Action::PatientImplantsViewed => "Looked at your implant record",
        Action::PatientDataDownloaded => "Downloaded your data",
        Action::PatientClaimKept => {
            "Checked a link between your record and an account, and kept it"
        }
        Action::PatientClaimRemoved => {
            "Removed a link between your record and an account that was not yours"
        }
        Action::PatientReportedMistake => "Told the clinic about a mistake in your record",
        other => return format!("Used your record ({})", other.words().to_lowercase()),
    }
    .to_string()
}

/// Who did it, as the patient is told: "You", the organisation, or the registry.
pub fn describe_actor(row: &patients::AccessRow, viewer: i64) -> (String, String) {
    let role = row.actor_role.as_deref().and_then(Role::parse);
    if row.actor_user_id == Some(viewer) {
        return ("You".into(), String::new());
    }
    let who = match (role, &row.organisation) {
        (Some(Role::RegistryAdmin), _) => "The Implant Registry".to_string(),
        (Some(Role::Patient), _) => "Someone signed in to a patient account".to_string(),
        (_, Some(organisation)) => organisation.clone(),
        (None, None) => "Someone who was not signed in".to_string(),
        (Some(_), None) => "A member of staff".to_string(),
    };
    (
        who,
        role.map(|role| role.label().to_string())
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        actor: Option<i64>,
        role: Option<&str>,
        organisation: Option<&str>,
    ) -> patients::AccessRow {
        patients::AccessRow {
            at: crate::db::types::Timestamp::parse("2026-11-23T10:00:00Z").unwrap(),
            action: "procedure.viewed".into(),
            actor_user_id: actor,
            actor_role: role.map(String::from),
            organisation: organisation.map(String::from),
        }
    }

    #[test]
    fn accesses_are_told_in_plain_words() {
        assert_eq!(
            describe_access(Action::ProcedureViewed.code()),
            "Looked at your procedure record"
        );
        assert_eq!(
            describe_access("something.new"),
            "Used your record (something.new)"
        );
        assert_eq!(
            describe_actor(&row(Some(5), Some("patient"), None), 5),
            ("You".into(), String::new())
        );
        assert_eq!(
            describe_actor(&row(Some(2), Some("clinic_user"), Some("Riverside")), 5),
            ("Riverside".into(), "Clinic user".into())
        );
        assert_eq!(
            describe_actor(&row(Some(1), Some("registry_admin"), None), 5),
            (
                "The Implant Registry".into(),
                "Registry administrator".into()
            )
        );
        assert_eq!(
            describe_actor(&row(None, None, None), 5).0,
            "Someone who was not signed in"
        );
    }
}
