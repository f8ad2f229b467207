//! Patients: registering, claiming records with the card's code and their own identifiers,
//! seeing only their own records, who looked at them, and downloading them.

use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::services::patients::{CLAIM_ATTEMPTS_PER_HOUR, CODE_FAILURES_BEFORE_LOCK};

use crate::helpers::{Browser, TestApp, spawn_app};
use crate::procedures::{
    pseudonymise, pseudonymise_with, register, site_of, submission, submit, udi,
};

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
    let (status, receipt) = submit(
        clinic,
        &submission(
            key,
            site,
            vec![udi(device, "281231", "LOT7")],
            Some(pseudonym),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    let record_id = receipt["record_id"].as_i64().unwrap();
    let card: Value = clinic
        .call("procedures/card", &[("record_id", &record_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    (record_id, card["claim_code"].as_str().unwrap().to_string())
}

/// A clinic at Riverside records a linked stem for Alice: the stem's GTIN, the record id and
/// the card's claim code.
async fn alice_recorded_at_riverside(app: &TestApp, key: &str) -> (String, i64, String) {
    let (stem, _) = register(app).await;
    let riverside = app.organisation("Riverside Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(riverside))
        .await;
    let (record, code) = record_for(app, &nurse, riverside, key, ALICE, &stem).await;
    (stem, record, code)
}

/// A claim as the patient's browser makes it: the registry evaluates the blinded identifiers
/// for this claim code, then the claim is sent with the pseudonym.
pub(crate) async fn claim(
    patient: &Browser<'_>,
    code: &str,
    identifiers: (&str, (u16, u8, u8)),
) -> (StatusCode, Value) {
    let pseudonym = match pseudonymise_with(
        patient,
        identifiers.0,
        identifiers.1,
        "patients/claim/evaluate",
        json!({ "claim_code": code }),
    )
    .await
    {
        Ok(pseudonym) => pseudonym,
        Err(refused) => return refused,
    };
    let response = patient
        .call_json(
            "patients/claim",
            &json!({ "claim_code": code, "pseudonym": pseudonym }),
        )
        .await;
    (response.status(), response.json().await.unwrap())
}

pub(crate) async fn implants(patient: &Browser<'_>) -> Value {
    let response = patient.call("patients/implants", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn record_ids(implants: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = implants["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["record_id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_patient_claims_their_records_and_sees_only_theirs() {
    let app = spawn_app().await;
    let (stem, cup) = register(&app).await;
    let riverside = app.organisation("Riverside Clinic").await;
    let hillside = app.organisation("Hillside Hospital").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(riverside))
        .await;
    let surgeon = app
        .signed_in("surgeon@example.test", Role::ClinicUser, Some(hillside))
        .await;
    let (first, first_code) = record_for(
        &app,
        &nurse,
        riverside,
        "key-p001-aaaaaaaaaaaa",
        ALICE,
        &stem,
    )
    .await;
    let (second, _second_code) = record_for(
        &app,
        &surgeon,
        hillside,
        "key-p002-bbbbbbbbbbbb",
        ALICE,
        &cup,
    )
    .await;
    let (bobs, bobs_code) =
        record_for(&app, &nurse, riverside, "key-p003-cccccccccccc", BOB, &stem).await;

    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    assert_eq!(implants(&alice).await["linked"], false);

    // A valid code with someone else's identifiers links nothing.
    let (status, body) = claim(&alice, &first_code, BOB).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("do not match a record"), "{body}");
    assert_eq!(implants(&alice).await["linked"], false);

    // The right identifiers: this record, and the same person's records at the same clinic,
    // but not those at another clinic: a pseudonym alone proves nothing.
    let (status, outcome) =
        claim(&alice, &first_code.to_lowercase().replace('-', " "), ALICE).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["records_linked"], 1);
    assert_eq!(record_ids(&implants(&alice).await), vec![first]);
    // Hillside's own card brings Hillside's record in.
    let second_code = card_code(&surgeon, second).await;
    let (status, outcome) = claim(&alice, &second_code, ALICE).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["records_linked"], 2);
    let record = implants(&alice).await;
    assert_eq!(record_ids(&record), vec![first, second]);
    let devices: Vec<&str> = record["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["devices"][0]["name"].as_str().unwrap())
        .collect();
    assert!(devices.contains(&"Meridian stem") && devices.contains(&"Polaris cup"));

    // The code is used: nobody can use it again, not even with the right identifiers.
    let bob = app.signed_in("bob@example.test", Role::Patient, None).await;
    let (status, body) = claim(&bob, &first_code, ALICE).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("already been used"), "{body}");
    assert_eq!(implants(&bob).await["linked"], false);

    // Bob claims his own record and sees only it; Alice still sees only hers.
    let (status, _) = claim(&bob, &bobs_code, BOB).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(record_ids(&implants(&bob).await), vec![bobs]);
    assert_eq!(record_ids(&implants(&alice).await), vec![first, second]);
    // Clinic functions stay closed to patients, whatever record id they try.
    for id in [first, bobs] {
        let response = bob
            .call("procedures/detail", &[("record_id", &id.to_string())])
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    // Alice's codes are spent, Bob's claim left hers alone.
    let claimed_by: Vec<Option<i64>> = app
        .sql_column("SELECT claimed_by FROM procedures ORDER BY id")
        .await;
    assert!(claimed_by.iter().all(Option::is_some));
}

async fn card_code(clinic: &Browser<'_>, record: i64) -> String {
    let card: Value = clinic
        .call("procedures/card", &[("record_id", &record.to_string())])
        .await
        .json()
        .await
        .unwrap();
    card["claim_code"].as_str().unwrap().to_string()
}

/// The attack the security review reproduced: a clinic fabricates a record for someone whose
/// NHS number and date of birth it knows, prints its card, and claims it from a patient
/// account, hoping to read that person's records at every other clinic.
#[tokio::test]
async fn a_clinic_cannot_read_another_clinics_records_by_fabricating_one() {
    let app = spawn_app().await;
    let (stem, cup) = register(&app).await;
    let riverside = app.organisation("Riverside Clinic").await;
    let shady = app.organisation("Shady Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(riverside))
        .await;
    let insider = app
        .signed_in("insider@example.test", Role::ClinicUser, Some(shady))
        .await;
    let (real, real_code) = record_for(
        &app,
        &nurse,
        riverside,
        "key-x001-aaaaaaaaaaaa",
        ALICE,
        &stem,
    )
    .await;
    let (fake, fake_code) =
        record_for(&app, &insider, shady, "key-x002-bbbbbbbbbbbb", ALICE, &cup).await;

    let mallory = app
        .signed_in("mallory@example.test", Role::Patient, None)
        .await;
    let (status, outcome) = claim(&mallory, &fake_code, ALICE).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    // Only the fabricated record: nothing from Riverside, in any view.
    assert_eq!(record_ids(&implants(&mallory).await), vec![fake]);
    let export: Value = mallory
        .call_json("patients/export", &json!({ "format": "Csv" }))
        .await
        .json()
        .await
        .unwrap();
    let csv = export["content"].as_str().unwrap();
    assert!(!csv.contains("Riverside"), "{csv}");
    assert_eq!(csv.lines().count(), 2);
    let log: Value = mallory
        .call("patients/access-log", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !log.to_string().contains("Riverside"),
        "Riverside's accesses are not shown: {log}"
    );
    let response = mallory
        .call("procedures/detail", &[("record_id", &real.to_string())])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // The real patient is not locked out: her claim works, and she sees only her record.
    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    let (status, outcome) = claim(&alice, &real_code, ALICE).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(record_ids(&implants(&alice).await), vec![real]);

    // Both claims are set aside for the registry: the fabricated one was claimed at once, and
    // two accounts now claim one person.
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let reviews: Value = admin
        .call("admin/claim-reviews", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    let items = reviews["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{reviews}");
    let mallorys = items
        .iter()
        .find(|item| item["account_email"] == "mallory@example.test")
        .unwrap();
    let flags = mallorys["flags"].to_string();
    assert!(
        flags.contains("recent_record") && flags.contains("staff_address"),
        "{flags}"
    );
    let alices = items
        .iter()
        .find(|item| item["account_email"] == "alice@example.test")
        .unwrap();
    assert!(
        alices["flags"].to_string().contains("shared_pseudonym"),
        "{alices}"
    );
    assert_eq!(alices["other_accounts"], 1);

    // The administrator removes the fabricated claim: Mallory sees nothing any more.
    let response = admin
        .call_json(
            "admin/claim-reviews/resolve",
            &json!({ "review_id": mallorys["id"], "outcome": "remove" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(implants(&mallory).await["linked"], false);
    assert_eq!(record_ids(&implants(&alice).await), vec![real]);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"patient.claim_removed".to_string()));
    assert!(actions.contains(&"claim_reviews.listed".to_string()));
}

/// Patients get pseudonyms only inside a claim, for a real claim code: an account alone
/// cannot be used to try date after date of birth for a known NHS number.
#[tokio::test]
async fn patients_evaluate_pseudonyms_only_for_a_real_claim_code() {
    let app = spawn_app().await;
    let (_, _, code) = alice_recorded_at_riverside(&app, "key-x010-cccccccccccc").await;
    let patient = app.signed_in("pat@example.test", Role::Patient, None).await;
    let response = patient
        .call_json("pseudonym/evaluate", &json!({ "blinded": vec![0u8; 32] }))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let refused = pseudonymise_with(
        &patient,
        ALICE.0,
        ALICE.1,
        "patients/claim/evaluate",
        json!({ "claim_code": "ABCD-EFGH-JKMN" }),
    )
    .await
    .unwrap_err();
    assert_eq!(
        refused.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.1
    );
    // A pseudonym evaluated for one code does not open a claim without a fresh evaluation.
    let pseudonym = pseudonymise_with(
        &patient,
        ALICE.0,
        ALICE.1,
        "patients/claim/evaluate",
        json!({ "claim_code": code }),
    )
    .await
    .unwrap();
    let body = json!({ "claim_code": code, "pseudonym": pseudonym });
    assert_eq!(
        patient.call_json("patients/claim", &body).await.status(),
        StatusCode::OK
    );
    // Used up: the same evaluation does not open a second claim.
    let again = patient.call_json("patients/claim", &body).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let evaluations = app
        .audit_actions()
        .await
        .iter()
        .filter(|action| *action == "pseudonym.evaluated")
        .count();
    // The nurse's (recording the procedure) and the patient's one for the real code.
    assert_eq!(evaluations, 2);
}

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
    claim(&alice, &code, ALICE).await;

    let log: Value = alice
        .call("patients/access-log", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    let lines: Vec<String> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            format!(
                "{} | {} | {}",
                entry["who"].as_str().unwrap(),
                entry["role"].as_str().unwrap(),
                entry["what"].as_str().unwrap()
            )
        })
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
    let log: Value = bob
        .call("patients/access-log", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["total"], 0);
}

#[tokio::test]
async fn wrong_claims_are_limited() {
    let app = spawn_app().await;
    let (_, _, code) = alice_recorded_at_riverside(&app, "key-p020-eeeeeeeeeeee").await;
    let mallory = app
        .signed_in("mallory@example.test", Role::Patient, None)
        .await;
    for _ in 0..CLAIM_ATTEMPTS_PER_HOUR {
        let (status, body) = claim(&mallory, &code, BOB).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    // Locked out now, even with the right details.
    let (status, body) = claim(&mallory, &code, ALICE).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let failures = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|action| action == "patient.claim_failed")
        .count();
    assert_eq!(failures, CLAIM_ATTEMPTS_PER_HOUR as usize);
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
    claim(&alice, &code, ALICE).await;
    let pseudonym: String = app
        .sql_scalar("SELECT patient_pseudonym FROM procedures")
        .await;

    let file: Value = alice
        .call_json("patients/export", &json!({ "format": "Fhir" }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(file["media_type"], "application/fhir+json");
    let bundle: Value = serde_json::from_str(file["content"].as_str().unwrap()).unwrap();
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
    let text = file["content"].as_str().unwrap();
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

    let file: Value = alice
        .call_json("patients/export", &json!({ "format": "Csv" }))
        .await
        .json()
        .await
        .unwrap();
    let csv = file["content"].as_str().unwrap();
    assert_eq!(csv.lines().count(), 2);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains(&format!(",Meridian stem,Acme Orthopaedics,{stem},"))
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"patient.data_downloaded".to_string())
    );
}

#[tokio::test]
async fn registering_sends_a_link_and_does_not_reveal_existing_accounts() {
    let app = spawn_app().await;
    app.user("taken@example.test", Role::Patient, None).await;
    let visitor = Browser::new(&app);
    for email in ["new@example.test", "taken@example.test"] {
        let response = visitor
            .call_json(
                "patients/register",
                &json!({ "email": email, "display_name": "Sam Example" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "same answer for {email}");
    }
    let messages = app.emails().await;
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].to, "new@example.test");
    assert!(messages[0].body.contains("/account/set-password?token="));
    assert_eq!(messages[1].to, "taken@example.test");
    assert!(!messages[1].body.contains("token="));
    let role: String = app
        .sql_scalar("SELECT role FROM users WHERE email = 'new@example.test'")
        .await;
    assert_eq!(role, "patient");

    let response = visitor
        .call_json(
            "patients/register",
            &json!({ "email": "no-at-sign", "display_name": "" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    let fields: Vec<&str> = body["Invalid"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "display_name"]);
}

#[tokio::test]
async fn a_claim_code_locks_after_too_many_wrong_attempts_from_any_accounts() {
    let app = spawn_app().await;
    let (_, _, code) = alice_recorded_at_riverside(&app, "key-p040-gggggggggggg").await;
    let mut failures = 0;
    for account in 0.. {
        let guesser = app
            .signed_in(
                &format!("guesser{account}@example.test"),
                Role::Patient,
                None,
            )
            .await;
        for _ in 0..CLAIM_ATTEMPTS_PER_HOUR {
            let (status, body) = claim(&guesser, &code, BOB).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            failures += 1;
            if failures == CODE_FAILURES_BEFORE_LOCK {
                break;
            }
        }
        if failures == CODE_FAILURES_BEFORE_LOCK {
            break;
        }
    }
    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    let (status, body) = claim(&alice, &code, ALICE).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("locked"), "{body}");
    assert_eq!(implants(&alice).await["linked"], false);
}

mod reports;
