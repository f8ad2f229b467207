//! What the patient sees of their own record: who looked at it, in plain words, and the
//! downloads (FHIR and CSV) without their identifiers.

use app::api::patients::DataFile;
use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{ALICE, BOB, access_log, alice_recorded_at_riverside, claim, claimed};
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_patient_sees_who_looked_at_their_record_in_plain_words() {
    let app = spawn_app().await;
    let (_, record, code) = alice_recorded_at_riverside(&app, "key-p010-dddddddddddd").await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    admin
        .call("procedures/detail", &[("record_id", &record.to_string())])
        .await;
    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    let bob = app.signed_in("bob@example.test", Role::Patient, None).await;
    // Someone with the code but not Alice's details tries first.
    let (status, _) = claim(&bob, &code, BOB).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    claimed(&alice, &code, ALICE).await;

    let lines: Vec<String> = access_log(&alice)
        .await
        .items
        .iter()
        .map(|entry| format!("{} | {} | {}", entry.who, entry.role, entry.what))
        .collect();
    assert_eq!(
        lines,
        [
            "You |  | Linked a procedure record to this account",
            "Someone signed in to a patient account | Patient | Tried to link your record with its claim code, but the details did not match",
            "The Implant Registry | Registry administrator | Looked at your procedure record",
            "Riverside Clinic | Clinic user | Printed your implant card",
            "Riverside Clinic | Clinic user | Recorded your procedure",
        ]
    );
    // Bob's own log shows nothing of Alice's.
    assert_eq!(access_log(&bob).await.total, 0);
}

#[tokio::test]
async fn downloads_carry_the_record_as_fhir_and_csv() {
    let app = spawn_app().await;
    let (stem, _, code) = alice_recorded_at_riverside(&app, "key-p030-ffffffffffff").await;
    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    let response = alice
        .call_json("patients/export", &json!({ "format": "Fhir" }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CONFLICT,
        "nothing linked yet"
    );
    claimed(&alice, &code, ALICE).await;
    let pseudonym: String = app
        .sql_scalar("SELECT patient_pseudonym FROM procedures")
        .await;

    let file: DataFile = alice
        .read_json("patients/export", &json!({ "format": "Fhir" }))
        .await;
    assert_eq!(file.media_type, "application/fhir+json");
    // FHIR is an external standard: the bundle is checked as the JSON it is.
    let bundle: Value = serde_json::from_str(&file.content).unwrap();
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| &entry["resource"])
        .collect();
    assert_eq!(resources[0]["resourceType"], "Patient");
    assert_eq!(resources[0]["identifier"][0]["value"], pseudonym);
    assert_eq!(resources[1]["resourceType"], "Procedure");
    assert_eq!(resources[1]["performedDateTime"], "2026-11-02");
    assert_eq!(resources[2]["udiCarrier"][0]["deviceIdentifier"], stem);
    assert_eq!(
        resources[2]["udiCarrier"][0]["carrierHRF"],
        format!("(01){stem}(17)281231(10)LOT7")
    );
    assert_eq!(resources[2]["lotNumber"], "LOT7");
    let text = &file.content;
    // Neither identifier, in any form (random ids in the file may hold any short digit run).
    for identifier in [
        "9991234578",
        "999 123 4578",
        "1960-05-13",
        "13/05/1960",
        "19600513",
    ] {
        assert!(!text.contains(identifier), "{identifier} in the file");
    }

    let file: DataFile = alice
        .read_json("patients/export", &json!({ "format": "Csv" }))
        .await;
    let csv = &file.content;
    assert_eq!(csv.lines().count(), 2);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains(&format!(",Meridian stem,Acme Orthopaedics,{stem},"))
    );
    assert!(app.audited("patient.data_downloaded").await);
}
