//! What recording a procedure takes: devices in the register, the patient's pseudonym made the
//! way a browser makes it (blinded, evaluated over HTTP), and submissions.

use app::api::ApiError;
use app::api::procedures::{ImplantCard, PseudonymEvaluation, PseudonymKey, Receipt};
use app::api::session::Role;
use domain::calendar::CalendarDate;
use domain::nhs_number::NhsNumber;
use domain::procedure::{BodySite, Submission};
use domain::pseudonym::{PatientIdentifiers, Pseudonym, blind};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::db::devices::{self, NewDevice};
use server::seed::demo_gtin;

pub use crate::submission::{submission, udi};

use super::answers::{read, refusal};
use super::people::Browser;
use super::spawn::TestApp;

/// Registers two synthetic hip devices from different makers; returns their GTINs.
pub async fn register(app: &TestApp) -> (String, String) {
    let stem = demo_gtin("0506000134001");
    let cup = demo_gtin("0506000134004");
    for (gtin, maker, name) in [
        (&stem, "Acme Orthopaedics", "Meridian stem"),
        (&cup, "Borealis Medical", "Polaris cup"),
    ] {
        let mut transaction = app.state.database.write().await.unwrap();
        devices::insert(
            &mut transaction,
            NewDevice {
                device_identifier: gtin,
                agency: "GS1",
                manufacturer: maker,
                name,
                catalogue_number: None,
                body_site: Some(BodySite::Hip),
                side: None,
            },
        )
        .await
        .unwrap();
        transaction.commit().await.unwrap();
    }
    (stem, cup)
}

/// The patient's pseudonym, computed the way a clinic's browser does: blind, evaluate over
/// HTTP, verify the proof, unblind.
pub async fn pseudonymise(browser: &Browser<'_>, nhs: &str, born: (u16, u8, u8)) -> Pseudonym {
    pseudonymise_through(browser, nhs, born, None)
        .await
        .expect("evaluated")
}

/// The same as a patient's browser does it, inside a claim: evaluated only for a real claim
/// code (`patients/claim/evaluate`); the refusal when the registry will not evaluate.
pub async fn pseudonymise_for_claim(
    browser: &Browser<'_>,
    nhs: &str,
    born: (u16, u8, u8),
    claim_code: &str,
) -> Result<Pseudonym, (StatusCode, ApiError)> {
    pseudonymise_through(browser, nhs, born, Some(claim_code)).await
}

async fn pseudonymise_through(
    browser: &Browser<'_>,
    nhs: &str,
    born: (u16, u8, u8),
    claim_code: Option<&str>,
) -> Result<Pseudonym, (StatusCode, ApiError)> {
    let identifiers = PatientIdentifiers::new(
        NhsNumber::parse(nhs).unwrap(),
        CalendarDate::new(born.0, born.1, born.2).unwrap(),
    );
    let key: PseudonymKey = browser.read("pseudonym/key", &[]).await;
    let blinded = blind(identifiers, &mut rand_core::OsRng);
    let response = match claim_code {
        None => {
            let body = json!({ "blinded": blinded.message });
            browser.call_json("pseudonym/evaluate", &body).await
        }
        Some(code) => {
            let body = json!({ "claim_code": code, "blinded": blinded.message });
            browser.call_json("patients/claim/evaluate", &body).await
        }
    };
    if response.status() != StatusCode::OK {
        return Err(refusal(response).await);
    }
    let evaluation: PseudonymEvaluation = read(response).await;
    Ok(blinded
        .finish(&evaluation.evaluated, &evaluation.proof, &key.public_key)
        .expect("the server's proof checks out"))
}

pub async fn site_of(app: &TestApp, organisation: i64) -> i64 {
    app.sql_scalar(&format!(
        "SELECT id FROM sites WHERE organisation_id = {organisation}"
    ))
    .await
}

/// Submits a procedure: the status and the body, untyped (a receipt or an error).
pub async fn submit(browser: &Browser<'_>, submission: &Submission) -> (StatusCode, Value) {
    let response = browser
        .call_json("procedures/submit", &json!({ "submission": submission }))
        .await;
    (response.status(), response.json().await.unwrap())
}

/// Submits a procedure that must be accepted: its receipt.
pub async fn accepted(browser: &Browser<'_>, submission: &Submission) -> Receipt {
    browser
        .read_json("procedures/submit", &json!({ "submission": submission }))
        .await
}

/// Submits a procedure that must be refused: the status and the error.
pub async fn refused(browser: &Browser<'_>, submission: &Submission) -> (StatusCode, ApiError) {
    refusal(
        browser
            .call_json("procedures/submit", &json!({ "submission": submission }))
            .await,
    )
    .await
}

/// Riverside Clinic ready to record procedures: its site, the two registered devices and a
/// signed-in nurse (`nurse@example.test`).
pub struct Clinic<'a> {
    pub organisation: i64,
    pub site: i64,
    /// The registered stem's and cup's GTINs (see [`register`]).
    pub stem: String,
    pub cup: String,
    pub nurse: Browser<'a>,
}

pub async fn riverside(app: &TestApp) -> Clinic<'_> {
    let organisation = app.organisation("Riverside Clinic").await;
    let site = site_of(app, organisation).await;
    let (stem, cup) = register(app).await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    Clinic {
        organisation,
        site,
        stem,
        cup,
        nurse,
    }
}

/// How many rows `table` holds.
pub async fn count(app: &TestApp, table: &str) -> i64 {
    app.sql_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .await
}

/// The implant card the clinic prints for record `record_id`.
pub async fn implant_card(clinic: &Browser<'_>, record_id: i64) -> ImplantCard {
    clinic
        .read("procedures/card", &[("record_id", &record_id.to_string())])
        .await
}
