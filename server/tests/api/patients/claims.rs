//! Claiming records: the card's code and the patient's own identifiers, only that clinic's
//! records, each code once, and limits on wrong tries per account and per code.

use app::api::patients::ImplantRecord;
use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::json;
use server::services::patients::{CLAIM_ATTEMPTS_PER_HOUR, CODE_FAILURES_BEFORE_LOCK};

use super::{
    ALICE, BOB, alice_recorded_at_riverside, claim, claimed, implants, linked, record_for,
    record_ids,
};
use crate::helpers::records::{implant_card, pseudonymise_for_claim, register};
use crate::helpers::{spawn_app, wording};

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
    assert!(!linked(&alice).await);

    // A valid code with someone else's identifiers links nothing.
    let (status, answer) = claim(&alice, &first_code, BOB).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer:?}");
    let error = answer.unwrap_err();
    assert!(
        wording(&error).contains("do not match a record"),
        "{error:?}"
    );
    assert!(!linked(&alice).await);

    // The right identifiers: this record, and the same person's records at the same clinic,
    // but not those at another clinic: a pseudonym alone proves nothing.
    let outcome = claimed(&alice, &first_code.to_lowercase().replace('-', " "), ALICE).await;
    assert_eq!(outcome.records_linked, 1);
    assert_eq!(record_ids(&implants(&alice).await), vec![first]);
    // Hillside's own card brings Hillside's record in.
    let second_code = implant_card(&surgeon, second)
        .await
        .claim_code
        .expect("a claim code");
    let outcome = claimed(&alice, &second_code, ALICE).await;
    assert_eq!(outcome.records_linked, 2);
    let record: ImplantRecord = implants(&alice).await;
    assert_eq!(record_ids(&record), vec![first, second]);
    let devices: Vec<&str> = record
        .procedures
        .iter()
        .map(|procedure| procedure.devices[0].name.as_deref().unwrap())
        .collect();
    assert!(devices.contains(&"Meridian stem") && devices.contains(&"Polaris cup"));

    // The code is used: nobody can use it again, not even with the right identifiers.
    let bob = app.signed_in("bob@example.test", Role::Patient, None).await;
    let (status, answer) = claim(&bob, &first_code, ALICE).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer:?}");
    let error = answer.unwrap_err();
    assert!(wording(&error).contains("already been used"), "{error:?}");
    assert!(!linked(&bob).await);

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
    let refused = pseudonymise_for_claim(&patient, ALICE.0, ALICE.1, "ABCD-EFGH-JKMN")
        .await
        .unwrap_err();
    assert_eq!(
        refused.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.1
    );
    // A pseudonym evaluated for one code does not open a claim without a fresh evaluation.
    let pseudonym = pseudonymise_for_claim(&patient, ALICE.0, ALICE.1, &code)
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
    // The nurse's (recording the procedure) and the patient's one for the real code.
    assert_eq!(app.audit_count("pseudonym.evaluated").await, 2);
}

#[tokio::test]
async fn wrong_claims_are_limited() {
    let app = spawn_app().await;
    let (_, _, code) = alice_recorded_at_riverside(&app, "key-p020-eeeeeeeeeeee").await;
    let mallory = app
        .signed_in("mallory@example.test", Role::Patient, None)
        .await;
    for _ in 0..CLAIM_ATTEMPTS_PER_HOUR {
        let (status, answer) = claim(&mallory, &code, BOB).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer:?}");
    }
    // Locked out now, even with the right details.
    let (status, answer) = claim(&mallory, &code, ALICE).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{answer:?}");
    assert_eq!(
        app.audit_count("patient.claim_failed").await,
        CLAIM_ATTEMPTS_PER_HOUR as usize
    );
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
            let (status, answer) = claim(&guesser, &code, BOB).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer:?}");
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
    let (status, answer) = claim(&alice, &code, ALICE).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer:?}");
    let error = answer.unwrap_err();
    assert!(wording(&error).contains("locked"), "{error:?}");
    assert!(!linked(&alice).await);
}
