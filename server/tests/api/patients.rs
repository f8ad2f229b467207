//! Patients: registering, claiming records with the card's code and their own identifiers,
//! seeing only their own records, who looked at them, and downloading them.

use app::api::ApiError;
use app::api::common::Page;
use app::api::patients::{AccessEntry, ClaimOutcome, ImplantRecord};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::helpers::records::{
    accepted, implant_card, pseudonymise, pseudonymise_for_claim, riverside, site_of, submission,
    udi,
};
use crate::helpers::{Browser, TestApp, answer};

pub(crate) const ALICE: (&str, (u16, u8, u8)) = ("999 123 4578", (1960, 5, 13));
pub(crate) const BOB: (&str, (u16, u8, u8)) = ("999 000 0018", (1971, 2, 28));

/// A clinic records a linked procedure for a patient; returns the record id and the card's code.
async fn record_for(
    app: &TestApp,
    clinic: &Browser<'_>,
    organisation: i64,
    key: &str,
    patient: (&str, (u16, u8, u8)),
    device: &str,
) -> (i64, String) {
    let site = site_of(app, organisation).await;
    let pseudonym = pseudonymise(clinic, patient.0, patient.1).await;
    let receipt = accepted(
        clinic,
        &submission(
            key,
            site,
            vec![udi(device, "281231", "LOT7")],
            Some(pseudonym),
        ),
    )
    .await;
    let card = implant_card(clinic, receipt.record_id).await;
    (receipt.record_id, card.claim_code.expect("a claim code"))
}

/// A clinic at Riverside records a linked stem for Alice: the stem's GTIN, the record id and
/// the card's claim code.
async fn alice_recorded_at_riverside(app: &TestApp, key: &str) -> (String, i64, String) {
    let clinic = riverside(app).await;
    let (record, code) = record_for(
        app,
        &clinic.nurse,
        clinic.organisation,
        key,
        ALICE,
        &clinic.stem,
    )
    .await;
    (clinic.stem, record, code)
}

/// A claim as the patient's browser makes it: the registry evaluates the blinded identifiers
/// for this claim code, then the claim is sent with the pseudonym.
pub(crate) async fn claim(
    patient: &Browser<'_>,
    code: &str,
    identifiers: (&str, (u16, u8, u8)),
) -> (StatusCode, Result<ClaimOutcome, ApiError>) {
    let pseudonym = match pseudonymise_for_claim(patient, identifiers.0, identifiers.1, code).await
    {
        Ok(pseudonym) => pseudonym,
        Err((status, error)) => return (status, Err(error)),
    };
    let response = patient
        .call_json(
            "patients/claim",
            &json!({ "claim_code": code, "pseudonym": pseudonym }),
        )
        .await;
    answer(response).await
}

/// A claim that must work: what the patient is told.
async fn claimed(
    patient: &Browser<'_>,
    code: &str,
    identifiers: (&str, (u16, u8, u8)),
) -> ClaimOutcome {
    let (status, outcome) = claim(patient, code, identifiers).await;
    assert_eq!(status, StatusCode::OK, "{outcome:?}");
    outcome.unwrap()
}

/// The patient's implant record (an `ImplantRecord`, or the JSON it arrives as).
pub(crate) async fn implants<T: DeserializeOwned>(patient: &Browser<'_>) -> T {
    let response = patient.call("patients/implants", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Whether the patient has claimed any record yet.
async fn linked(patient: &Browser<'_>) -> bool {
    implants::<ImplantRecord>(patient).await.linked
}

fn record_ids(implants: &ImplantRecord) -> Vec<i64> {
    let mut ids: Vec<i64> = implants
        .procedures
        .iter()
        .map(|procedure| procedure.record_id)
        .collect();
    ids.sort();
    ids
}

/// The first page of the patient's access log.
async fn access_log(patient: &Browser<'_>) -> Page<AccessEntry> {
    patient.read("patients/access-log", &[("page", "1")]).await
}

mod claim_reviews;
mod claims;
mod own_record;
mod registering;
mod reports;
