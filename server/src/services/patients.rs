//! The patient's side: self-registration, claiming records with the card's code and a
//! pseudonym made in the patient's browser, their implants and safety notices, who has looked
//! at their record, and downloads. A patient only ever reaches records through the pseudonym
//! linked to their own account.

use std::sync::Arc;
use std::time::Duration;

use app::api::ApiError;
use app::api::accounts::{PAGE_SIZE, Page};
use app::api::context::{Principal, RequestContext};
use app::api::patients::{
    AccessEntry, ClaimOutcome, DataFile, ExportFormat, ImplantRecord, PatientDevice,
    PatientProcedure, PatientService,
};
use app::api::session::Role;
use domain::patient::ClaimCode;
use domain::pseudonym::Pseudonym;
use serde_json::json;

use super::accounts::read_email_and_name;
use super::auth::Auth;
use super::internal_error;
use crate::audit::{self, Event};
use crate::auth::rate_limit::AttemptLimiter;
use crate::auth::tokens;
use crate::clock;
use crate::db::users::{self, NewUser};
use crate::db::{Database, patients, procedures as records};
use crate::export;

/// Wrong claims per account per hour. With the 20 pseudonym evaluations a patient may ask
/// for per hour, guessing another person's details through this form is hopeless.
pub const CLAIM_FAILURES_PER_HOUR: usize = 5;
/// Wrong attempts on one claim code, from any accounts, after which the code no longer works.
pub const CODE_FAILURES_BEFORE_LOCK: i64 = 10;

pub struct Patients {
    database: Database,
    auth: Arc<Auth>,
    /// Claim attempts per account; a successful claim forgives the earlier ones.
    claim_attempts: AttemptLimiter,
    /// The FHIR identifier system of pseudonyms.
    pseudonym_system: String,
}

impl Patients {
    pub fn new(database: Database, auth: Arc<Auth>, public_url: &str) -> Self {
        Self {
            database,
            auth,
            claim_attempts: AttemptLimiter::new(CLAIM_FAILURES_PER_HOUR, Duration::from_secs(3600)),
            pseudonym_system: format!(
                "{}/fhir/sid/patient-pseudonym",
                public_url.trim_end_matches('/')
            ),
        }
    }

    /// The caller's linked pseudonym, if they have claimed a record.
    async fn pseudonym_of(&self, principal: &Principal) -> Result<Option<String>, ApiError> {
        patients::linked_pseudonym(self.database.pool(), principal.user_id)
            .await
            .map_err(internal_error)
    }

    /// Every record linked to this pseudonym, as the patient sees it.
    async fn records(&self, pseudonym: &str) -> Result<Vec<PatientProcedure>, ApiError> {
        let mut connection = self.database.connection().await.map_err(internal_error)?;
        let found = patients::records_of(&mut connection, pseudonym)
            .await
            .map_err(internal_error)?;
        let mut procedures = Vec::with_capacity(found.len());
        for (record_id, clinic) in found {
            let Some(current) = records::current_version(&mut connection, record_id)
                .await
                .map_err(internal_error)?
            else {
                continue;
            };
            let mut devices = Vec::with_capacity(current.components.len());
            for component in current.components {
                let notices = match &component.device_identifier {
                    Some(identifier) => {
                        patients::notices_for(&mut connection, identifier, component.lot.as_deref())
                            .await
                            .map_err(internal_error)?
                    }
                    None => Vec::new(),
                };
                devices.push(PatientDevice {
                    name: component.name,
                    manufacturer: component.manufacturer,
                    device_identifier: component.device_identifier,
                    agency: component.agency,
                    udi: component.udi,
                    catalogue_number: component.catalogue_number,
                    lot: component.lot,
                    serial: component.serial,
                    expiry: component.expiry,
                    notices,
                });
            }
            procedures.push(PatientProcedure {
                record_id,
                procedure_date: current.procedure_date,
                procedure_type: current.procedure_type,
                body_site: current.body_site,
                laterality: current.laterality,
                clinic,
                site: current.site,
                devices,
            });
        }
        Ok(procedures)
    }

    /// Counts a failed claim and records it, against the record's patient when the code was
    /// real (so that they can see someone tried).
    async fn refuse_claim(
        &self,
        context: &RequestContext,
        principal: &Principal,
        record: Option<(i64, Option<&str>)>,
    ) -> ApiError {
        let mut event = Event::new("patient.claim_failed")
            .by(principal)
            .from_ip(context.client.ip.as_deref());
        if let Some((record_id, pseudonym)) = record {
            event = event.on("procedure", record_id);
            if let Some(pseudonym) = pseudonym {
                event = event.for_patient(pseudonym);
            }
        }
        if let Err(error) = audit::record_alone(&self.database, event).await {
            return internal_error(error);
        }
        ApiError::invalid(
            "claim_code",
            format!(
                "The claim code, NHS number and date of birth do not match a record. Check them against your implant card and try again (after {CLAIM_FAILURES_PER_HOUR} wrong attempts you will have to wait an hour)"
            ),
        )
    }
}

/// How an audit entry about a patient's record reads to the patient.
pub fn describe_access(action: &str) -> String {
    match action {
        "procedure.created" => "Recorded your procedure",
        "procedure.viewed" => "Looked at your procedure record",
        "procedure.corrected" => "Corrected your procedure record",
        "implant_card.printed" => "Printed your implant card",
        "patient.record_claimed" => "Linked a procedure record to this account",
        "patient.claim_failed" => {
            "Tried to link your record with its claim code, but the details did not match"
        }
        "patient.implants_viewed" => "Looked at your implant record",
        "patient.data_downloaded" => "Downloaded your data",
        other => return format!("Used your record ({other})"),
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

#[async_trait::async_trait]
impl PatientService for Patients {
    async fn register(
        &self,
        context: &RequestContext,
        email: String,
        display_name: String,
    ) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        let (email, name) =
            read_email_and_name(&email, &display_name, "Enter your name", &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::Invalid { errors });
        }
        self.auth.note_mail_request(context)?;
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        let existing = users::by_email(&mut *transaction, &email)
            .await
            .map_err(internal_error)?;
        match existing {
            // Someone asked before and never chose a password: a fresh link.
            Some(account)
                if account.role() == Role::Patient
                    && account.password_hash.is_none()
                    && account.disabled_at.is_none() =>
            {
                self.auth
                    .send_registration_link(
                        &mut transaction,
                        account.id,
                        &email,
                        &account.display_name,
                    )
                    .await?;
            }
            // The answer is the same as for a new address, so the form does not reveal who
            // has an account; the owner is told by email instead.
            Some(account) => {
                self.auth
                    .mailer()
                    .send(
                        &email,
                        "You already have an Implant Registry account",
                        &format!(
                            "Dear {},\n\nSomeone (probably you) asked to create an Implant Registry account with this address, which already has one. Sign in with it, or use \"Forgot your password?\" on the sign-in page.\n\nIf it was not you, you can ignore this email.",
                            account.display_name
                        ),
                    )
                    .await
                    .map_err(internal_error)?;
            }
            None => {
                let user_id = users::insert(
                    &mut transaction,
                    NewUser {
                        email: &email,
                        display_name: &name,
                        role: Role::Patient,
                        organisation_id: None,
                        password_hash: None,
                    },
                )
                .await
                .map_err(internal_error)?
                .ok_or_else(|| internal_error("an address taken between two statements"))?;
                self.auth
                    .send_registration_link(&mut transaction, user_id, &email, &name)
                    .await?;
                audit::record(
                    &mut transaction,
                    Event::new("patient.registered")
                        .on("user", user_id)
                        .from_ip(context.client.ip.as_deref()),
                )
                .await
                .map_err(internal_error)?;
            }
        }
        transaction.commit().await.map_err(internal_error)
    }

    async fn claim(
        &self,
        context: &RequestContext,
        principal: &Principal,
        claim_code: String,
        pseudonym: Pseudonym,
    ) -> Result<ClaimOutcome, ApiError> {
        let code = ClaimCode::parse(&claim_code)
            .map_err(|problem| ApiError::invalid("claim_code", problem.to_string()))?;
        // Counted before anything else, and forgiven on success: attempts sent together cannot
        // all pass the check before the first is counted.
        self.claim_attempts
            .take(&principal.user_id.to_string())
            .map_err(|seconds| ApiError::RateLimited {
                retry_after_seconds: seconds,
            })?;
        let mut transaction = self.database.write().await.map_err(internal_error)?;
        let target =
            patients::claim_target(&mut transaction, &tokens::hash_token(code.normalised()))
                .await
                .map_err(internal_error)?;
        let Some(target) = target else {
            drop(transaction);
            return Err(self.refuse_claim(context, principal, None).await);
        };
        if target.claim_failures >= CODE_FAILURES_BEFORE_LOCK && target.claimed_at.is_none() {
            return Err(ApiError::Conflict {
                message: "This claim code has been locked after too many wrong attempts. Contact the clinic that gave you the card".into(),
            });
        }
        if target.patient_pseudonym.as_deref() != Some(pseudonym.as_str()) {
            // Counted against the code too, wherever the attempts come from: a stolen card
            // cannot be tried from many accounts.
            patients::count_claim_failure(&mut transaction, target.id)
                .await
                .map_err(internal_error)?;
            transaction.commit().await.map_err(internal_error)?;
            let record = Some((target.id, target.patient_pseudonym.as_deref()));
            return Err(self.refuse_claim(context, principal, record).await);
        }
        // From here on the caller has shown the code and the identifiers it was issued for.
        if target.claimed_at.is_some() {
            if target.claimed_by == Some(principal.user_id) {
                // A repeat (say, after a lost reply): the record is already theirs.
                let records_linked = patients::records_of(&mut transaction, pseudonym.as_str())
                    .await
                    .map_err(internal_error)?
                    .len();
                return Ok(ClaimOutcome {
                    record_id: target.id,
                    records_linked,
                });
            }
            return Err(ApiError::Conflict {
                message: "This claim code has already been used. If that was not you, contact the clinic that gave you the card".into(),
            });
        }
        let expired = target
            .claim_code_expires_at
            .as_deref()
            .and_then(clock::parse)
            .is_some_and(|until| until < clock::now());
        if expired {
            return Err(ApiError::Conflict {
                message: "This claim code has expired. Ask the clinic that gave you the card to print a new one".into(),
            });
        }
        match patients::linked_pseudonym(&mut *transaction, principal.user_id)
            .await
            .map_err(internal_error)?
        {
            Some(linked) if linked != pseudonym.as_str() => {
                return Err(ApiError::Conflict {
                    message: "This record is for a different person from the records already linked to your account. Each person needs their own account".into(),
                });
            }
            Some(_) => {}
            None => {
                if !patients::link(&mut transaction, principal.user_id, pseudonym.as_str())
                    .await
                    .map_err(internal_error)?
                {
                    return Err(ApiError::Conflict {
                        message: "Your records are already linked to another Implant Registry account. Sign in with that account, or contact the registry if it is not yours".into(),
                    });
                }
            }
        }
        patients::mark_claimed(&mut transaction, target.id, principal.user_id)
            .await
            .map_err(internal_error)?;
        audit::record(
            &mut transaction,
            Event::new("patient.record_claimed")
                .by(principal)
                .on("procedure", target.id)
                .for_patient(pseudonym.as_str())
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        let records_linked = patients::records_of(&mut transaction, pseudonym.as_str())
            .await
            .map_err(internal_error)?
            .len();
        transaction.commit().await.map_err(internal_error)?;
        self.claim_attempts.clear(&principal.user_id.to_string());
        Ok(ClaimOutcome {
            record_id: target.id,
            records_linked,
        })
    }

    async fn implants(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<ImplantRecord, ApiError> {
        let Some(pseudonym) = self.pseudonym_of(principal).await? else {
            return Ok(ImplantRecord {
                linked: false,
                procedures: Vec::new(),
            });
        };
        let procedures = self.records(&pseudonym).await?;
        audit::record_alone(
            &self.database,
            Event::new("patient.implants_viewed")
                .by(principal)
                .for_patient(&pseudonym)
                .with(json!({ "records": procedures.len() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        Ok(ImplantRecord {
            linked: true,
            procedures,
        })
    }

    async fn access_log(
        &self,
        _context: &RequestContext,
        principal: &Principal,
        page: u32,
    ) -> Result<Page<AccessEntry>, ApiError> {
        let page = page.max(1);
        let Some(pseudonym) = self.pseudonym_of(principal).await? else {
            return Ok(Page {
                items: Vec::new(),
                page,
                page_size: PAGE_SIZE,
                total: 0,
            });
        };
        let mut connection = self.database.connection().await.map_err(internal_error)?;
        let (rows, total) = patients::access_entries(
            &mut connection,
            &pseudonym,
            PAGE_SIZE,
            (page - 1).saturating_mul(PAGE_SIZE),
        )
        .await
        .map_err(internal_error)?;
        let items = rows
            .iter()
            .map(|row| {
                let (who, role) = describe_actor(row, principal.user_id);
                AccessEntry {
                    at: row.at.clone(),
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

    async fn export(
        &self,
        context: &RequestContext,
        principal: &Principal,
        format: ExportFormat,
    ) -> Result<DataFile, ApiError> {
        let pseudonym = self.pseudonym_of(principal).await?.ok_or_else(|| ApiError::Conflict {
            message: "There is nothing to download yet: add a record with the claim code from your implant card first".into(),
        })?;
        let procedures = self.records(&pseudonym).await?;
        let now = clock::now();
        let day = clock::timestamp(now)[..10].to_string();
        let file = match format {
            ExportFormat::Fhir => DataFile {
                file_name: format!("implant-record-{day}.fhir.json"),
                media_type: "application/fhir+json".into(),
                content: serde_json::to_string_pretty(&export::fhir_bundle(
                    &pseudonym,
                    &self.pseudonym_system,
                    &procedures,
                    &clock::timestamp(now),
                ))
                .map_err(internal_error)?,
            },
            ExportFormat::Csv => DataFile {
                file_name: format!("implant-record-{day}.csv"),
                media_type: "text/csv".into(),
                content: export::csv(&procedures),
            },
        };
        audit::record_alone(
            &self.database,
            Event::new("patient.data_downloaded")
                .by(principal)
                .for_patient(&pseudonym)
                .with(json!({ "format": match format { ExportFormat::Fhir => "fhir", ExportFormat::Csv => "csv" } }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await
        .map_err(internal_error)?;
        Ok(file)
    }
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
            at: "2026-11-23T10:00:00Z".into(),
            action: "procedure.viewed".into(),
            actor_user_id: actor,
            actor_role: role.map(String::from),
            organisation: organisation.map(String::from),
        }
    }

    #[test]
    fn accesses_are_told_in_plain_words() {
        assert_eq!(
            describe_access("procedure.viewed"),
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
