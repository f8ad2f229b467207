//! The patient's side: self-registration, claiming records with the card's code and a
//! pseudonym made in the patient's browser, their implants and safety notices, who has looked
//! at their record, and downloads. A patient reaches records only through a claim: the
//! record whose card they hold, and the same person's other records at that organisation.
//! Registry administrators review claims that look wrong.

mod access_log;
pub mod claims;
mod reports;
mod reviews;

use std::sync::Arc;

use app::api::ApiError;
use app::api::common::Page;
use app::api::context::{Principal, RequestContext};
use app::api::patients::{
    AccessEntry, ClaimOutcome, ClaimReview, DataFile, ExportFormat, ImplantRecord, PatientDevice,
    PatientProcedure, PatientService, ReviewOutcome,
};
use app::api::procedures::PseudonymEvaluation;
use app::api::session::Role;
use domain::pseudonym::{Evaluator, Pseudonym};
use serde_json::json;

use super::accounts::read_email_and_name;
use super::auth::Auth;
use super::error::ServiceResult;
use crate::at_the_edge;
use crate::audit::{self, Action, Event};
use crate::db::users::{self, NewUser};
use crate::db::{Database, patients, procedures as records};
use crate::export;
use crate::services::mail::texts;

pub use access_log::{describe_access, describe_actor};
pub use claims::{CLAIM_ATTEMPTS_PER_HOUR, CODE_FAILURES_BEFORE_LOCK};

pub struct Patients {
    database: Database,
    auth: Arc<Auth>,
    evaluator: Arc<Evaluator>,
    /// The FHIR identifier system of pseudonyms.
    pseudonym_system: String,
    /// Where the portal is, for links in emails.
    public_url: String,
}

impl Patients {
    pub fn new(
        database: Database,
        auth: Arc<Auth>,
        evaluator: Arc<Evaluator>,
        public_url: &str,
    ) -> Self {
        Self {
            database,
            auth,
            evaluator,
            pseudonym_system: format!(
                "{}/fhir/sid/patient-pseudonym",
                public_url.trim_end_matches('/')
            ),
            public_url: public_url.trim_end_matches('/').to_string(),
        }
    }

    /// The caller's linked pseudonym, if they have claimed a record.
    async fn pseudonym_of(&self, principal: &Principal) -> ServiceResult<Option<String>> {
        Ok(patients::linked_pseudonym(&mut self.database.read().await?, principal.user_id).await?)
    }

    /// Every record the account sees, as the patient sees it.
    async fn records(
        &self,
        principal: &Principal,
        pseudonym: &str,
    ) -> ServiceResult<Vec<PatientProcedure>> {
        let mut connection = self.database.read().await?;
        let found = patients::records_of(&mut connection, principal.user_id, pseudonym).await?;
        let mut procedures = Vec::with_capacity(found.len());
        for (record_id, clinic, clinic_contact) in found {
            let Some((current, components)) =
                records::current_version(&mut connection, record_id).await?
            else {
                continue;
            };
            let notices = crate::services::notices::in_force::for_patient(
                &mut connection,
                record_id,
                &components,
            )
            .await?;
            let devices = components
                .into_iter()
                .zip(notices)
                .map(|(component, notices)| PatientDevice {
                    name: component.name,
                    manufacturer: component.manufacturer,
                    device_identifier: component.device_identifier,
                    agency: component.agency,
                    udi: component.udi,
                    catalogue_number: component.catalogue_number,
                    lot: component.lot,
                    serial: component.serial,
                    expiry: component.expiry.map(domain::calendar::CalendarDate::from),
                    notices,
                })
                .collect();
            procedures.push(PatientProcedure {
                record_id,
                procedure_date: current.facts.procedure_date,
                procedure_type: current.facts.procedure_type,
                body_site: current.facts.body_site,
                laterality: current.facts.laterality,
                clinic,
                clinic_contact,
                site: current.site,
                devices,
            });
        }
        Ok(procedures)
    }

    async fn register(
        &self,
        context: &RequestContext,
        email: String,
        display_name: String,
    ) -> ServiceResult<()> {
        let mut errors = Vec::new();
        let (email, name) =
            read_email_and_name(&email, &display_name, "Enter your name", &mut errors);
        let Some(name) = name.filter(|_| errors.is_empty()) else {
            return Err(ApiError::Invalid { errors }.into());
        };
        self.auth.note_mail_request(context).await?;
        let mut transaction = self.database.write().await?;
        let existing = users::by_email(&mut transaction, &email).await?;
        match existing {
            // Someone asked before and never chose a password: a fresh link.
            Some(account)
                if account.role == Role::Patient
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
                    .mail()
                    .queue(
                        &mut transaction,
                        &email,
                        texts::already_registered(&account.display_name),
                    )
                    .await?;
            }
            None => {
                let user_id = users::insert(
                    &mut transaction,
                    NewUser {
                        email: &email,
                        display_name: name.as_str(),
                        role: Role::Patient,
                        organisation_id: None,
                        password_hash: None,
                        first_enrolment_by_password: false,
                    },
                )
                .await?
                .ok_or_else(|| {
                    crate::services::error::ServiceError::internal(
                        "an address taken between two statements",
                    )
                })?;
                self.auth
                    .send_registration_link(&mut transaction, user_id, &email, name.as_str())
                    .await?;
                audit::record(
                    &mut transaction,
                    Event::new(Action::PatientRegistered)
                        .on("user", user_id)
                        .from_ip(context.client.ip.as_deref()),
                )
                .await?;
            }
        }
        transaction.commit().await?;
        self.auth.mail().wake();
        Ok(())
    }

    async fn implants(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> ServiceResult<ImplantRecord> {
        let Some(pseudonym) = self.pseudonym_of(principal).await? else {
            return Ok(ImplantRecord {
                linked: false,
                procedures: Vec::new(),
            });
        };
        let procedures = self.records(principal, &pseudonym).await?;
        audit::record_alone(
            &self.database,
            Event::new(Action::PatientImplantsViewed)
                .by(principal)
                .for_patient(&pseudonym)
                .with(json!({ "records": procedures.len() }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(ImplantRecord {
            linked: true,
            procedures,
        })
    }

    async fn export(
        &self,
        context: &RequestContext,
        principal: &Principal,
        format: ExportFormat,
    ) -> ServiceResult<DataFile> {
        let pseudonym = self.pseudonym_of(principal).await?.ok_or_else(|| ApiError::Conflict {
            message: "There is nothing to download yet: add a record with the claim code from your implant card first".into(),
        })?;
        let procedures = self.records(principal, &pseudonym).await?;
        let now = self.database.now();
        let day = now.day().to_iso();
        let file = match format {
            ExportFormat::Fhir => DataFile {
                file_name: format!("implant-record-{day}.fhir.json"),
                media_type: "application/fhir+json".into(),
                content: serde_json::to_string_pretty(&export::fhir_bundle(
                    &pseudonym,
                    &self.pseudonym_system,
                    &procedures,
                    &now.to_iso(),
                ))
                .map_err(crate::services::error::ServiceError::internal)?,
            },
            ExportFormat::Csv => DataFile {
                file_name: format!("implant-record-{day}.csv"),
                media_type: "text/csv".into(),
                content: export::csv(&procedures),
            },
        };
        audit::record_alone(
            &self.database,
            Event::new(Action::PatientDataDownloaded)
                .by(principal)
                .for_patient(&pseudonym)
                .with(json!({ "format": match format { ExportFormat::Fhir => "fhir", ExportFormat::Csv => "csv" } }))
                .from_ip(context.client.ip.as_deref()),
        )
        .await?;
        Ok(file)
    }
}

at_the_edge! {
    impl PatientService for Patients {
        fn evaluate_for_claim(&self, context: &RequestContext, principal: &Principal, claim_code: String, blinded: Vec<u8>) -> PseudonymEvaluation;
        fn claim_reviews(&self, context: &RequestContext, principal: &Principal, page: u32) -> Page<ClaimReview>;
        fn resolve_claim_review(&self, context: &RequestContext, principal: &Principal, review_id: i64, outcome: ReviewOutcome) -> ();
        fn register(&self, context: &RequestContext, email: String, display_name: String) -> ();
        fn claim(&self, context: &RequestContext, principal: &Principal, claim_code: String, pseudonym: Pseudonym) -> ClaimOutcome;
        fn implants(&self, context: &RequestContext, principal: &Principal) -> ImplantRecord;
        fn access_log(&self, context: &RequestContext, principal: &Principal, page: u32) -> Page<AccessEntry>;
        fn export(&self, context: &RequestContext, principal: &Principal, format: ExportFormat) -> DataFile;
        fn report_mistake(&self, context: &RequestContext, principal: &Principal, record_id: i64, message: String) -> ();
    }
}
