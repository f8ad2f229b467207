//! Fills an empty database with a synthetic registry: the clinics, a recorder account per
//! clinic (no password: nobody can sign in as it), the device register, then the procedures
//! in transactions of [`PROCEDURES_PER_TRANSACTION`].

use std::time::{Duration, Instant};

use app::api::session::Role;
use domain::procedure::ProcedureType;
use serde_json::json;

use super::catalogue::{CLINICS, DEVICES};
use super::{Generator, Plan, SyntheticProcedure};
use crate::audit::{self, Action, Event};
use crate::db::devices::{self, NewDevice};
use crate::db::synthetic::{self as bulk, BulkProcedure};
use crate::db::types::Timestamp;
use crate::db::users::{self, NewUser};
use crate::db::{Database, organisations};
use crate::services::error::ServiceError;

/// Large enough that commits (each an fsync on SQLite) cost nothing; small enough that one
/// batch's rows stay a few tens of megabytes.
pub const PROCEDURES_PER_TRANSACTION: usize = 50_000;

#[derive(Debug, thiserror::Error)]
pub enum SyntheticError {
    #[error(
        "the database already holds {0} procedure records: synthetic data is only added to an empty registry (give a new --data-dir or --database-url)"
    )]
    NotEmpty(i64),
    #[error(
        "the database already has {0:?}: synthetic data is only added to a registry without it (give a new --data-dir or --database-url)"
    )]
    Taken(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Service(#[from] ServiceError),
}

/// What was made, and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticSummary {
    pub procedures: u64,
    pub primaries: u64,
    pub revisions_and_removals: u64,
    pub clinics: usize,
    pub devices: usize,
    pub elapsed: Duration,
}

/// The clinics' organisation, site and recorder ids, and the register entries' ids.
struct References {
    organisations: Vec<i64>,
    sites: Vec<Vec<i64>>,
    recorders: Vec<i64>,
    register: Vec<i64>,
}

async fn insert_references(
    transaction: &mut crate::db::WriteTransaction,
) -> Result<References, SyntheticError> {
    let mut references = References {
        organisations: Vec::new(),
        sites: Vec::new(),
        recorders: Vec::new(),
        register: Vec::new(),
    };
    for (index, clinic) in CLINICS.iter().enumerate() {
        let organisation = organisations::insert(transaction, clinic.name)
            .await?
            .ok_or_else(|| SyntheticError::Taken(clinic.name.to_string()))?;
        let mut sites = Vec::new();
        for site in clinic.sites {
            sites.push(
                organisations::insert_site(transaction, organisation, site)
                    .await?
                    .ok_or_else(|| SyntheticError::Taken(site.to_string()))?,
            );
        }
        let email = format!("recorder.{}@synthetic.example.test", index + 1);
        let recorder = users::insert(
            transaction,
            NewUser {
                email: &email,
                display_name: "Synthetic data recorder",
                role: Role::ClinicUser,
                organisation_id: Some(organisation),
                password_hash: None,
                first_enrolment_by_password: false,
            },
        )
        .await?
        .ok_or_else(|| SyntheticError::Taken(email.clone()))?;
        users::set_disabled(transaction, recorder, true).await?;
        references.organisations.push(organisation);
        references.sites.push(sites);
        references.recorders.push(recorder);
    }
    for device in DEVICES {
        let gtin = device.gtin();
        if !devices::find(transaction, std::slice::from_ref(&gtin))
            .await?
            .is_empty()
        {
            return Err(SyntheticError::Taken(gtin));
        }
        references.register.push(
            devices::insert(
                transaction,
                NewDevice {
                    device_identifier: &gtin,
                    agency: "GS1",
                    manufacturer: device.manufacturer,
                    name: device.name,
                    catalogue_number: Some(device.catalogue_number),
                    body_site: Some(device.body_site),
                    side: None,
                },
            )
            .await?,
        );
    }
    Ok(references)
}

/// When a procedure was recorded: its day, at five in the afternoon (UTC).
fn recorded_at(procedure: &SyntheticProcedure) -> Timestamp {
    let date = procedure.date;
    let day = time::Date::from_calendar_date(
        i32::from(date.year()),
        time::Month::try_from(date.month()).expect("a real month"),
        date.day(),
    )
    .expect("a real date");
    Timestamp::new(day.with_hms(17, 0, 0).expect("a real time").assume_utc())
}

/// Fills the registry; refuses a database that already holds procedure records.
pub async fn fill(database: &Database, plan: &Plan) -> Result<SyntheticSummary, SyntheticError> {
    fill_with(
        database,
        Generator::new(plan),
        json!({ "seed": plan.seed, "end": plan.end.to_iso() }),
    )
    .await
}

/// Fills the registry with `procedures` (the generator's, or a small set made by hand for a
/// test whose figures are worked out on paper), the clinics and the register;
/// `described` says in the audit entry where they came from.
pub async fn fill_with(
    database: &Database,
    procedures: impl Iterator<Item = SyntheticProcedure>,
    described: serde_json::Value,
) -> Result<SyntheticSummary, SyntheticError> {
    let started = Instant::now();
    let mut transaction = database.write().await?;
    let existing = bulk::procedure_count(&mut transaction).await?;
    if existing > 0 {
        return Err(SyntheticError::NotEmpty(existing));
    }
    let references = insert_references(&mut transaction).await?;
    transaction.commit().await?;

    let mut ids = bulk::next_ids(&mut database.read().await?).await?;
    let mut source = procedures;
    let (mut procedures, mut primaries) = (0u64, 0u64);
    loop {
        let batch: Vec<SyntheticProcedure> =
            source.by_ref().take(PROCEDURES_PER_TRANSACTION).collect();
        if batch.is_empty() {
            break;
        }
        let rows: Vec<BulkProcedure> = batch
            .iter()
            .enumerate()
            .map(|(offset, procedure)| BulkProcedure {
                procedure_id: ids.procedure + offset as i64,
                version_id: ids.version + offset as i64,
                organisation_id: references.organisations[procedure.clinic],
                site_id: references.sites[procedure.clinic][procedure.site],
                recorded_by: references.recorders[procedure.clinic],
                recorded_at: recorded_at(procedure),
                procedure,
            })
            .collect();
        let mut transaction = database.write().await?;
        ids.component =
            bulk::insert_batch(&mut transaction, &rows, &references.register, ids.component)
                .await?;
        transaction.commit().await?;
        ids.procedure += batch.len() as i64;
        ids.version += batch.len() as i64;
        procedures += batch.len() as u64;
        primaries += batch
            .iter()
            .filter(|p| p.kind == ProcedureType::Primary)
            .count() as u64;
        tracing::info!(procedures, "synthetic procedures written");
    }

    let mut transaction = database.write().await?;
    bulk::advance_sequences(&mut transaction).await?;
    let summary = SyntheticSummary {
        procedures,
        primaries,
        revisions_and_removals: procedures - primaries,
        clinics: CLINICS.len(),
        devices: DEVICES.len(),
        elapsed: started.elapsed(),
    };
    audit::record(
        &mut transaction,
        Event::new(Action::SyntheticRegistryFilled).with(json!({
            "procedures": procedures,
            "from": described,
            "clinics": summary.clinics,
            "devices": summary.devices,
        })),
    )
    .await?;
    transaction.commit().await?;
    Ok(summary)
}
