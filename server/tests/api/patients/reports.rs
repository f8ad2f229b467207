//! A patient reports a mistake in their record to the clinic; the implant card carries what
//! EU MDR article 18 asks for, and no loopback address.

use app::api::procedures::ImplantCard;
use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::json;

use super::{ALICE, access_log, alice_recorded_at_riverside, claimed, record_for};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_patient_tells_the_clinic_about_a_mistake_and_only_about_their_own_record() {
    let app = spawn_app().await;
    let (_, record, code) = alice_recorded_at_riverside(&app, "key-report-000001").await;
    let riverside: i64 = app
        .sql_scalar("SELECT id FROM organisations WHERE name = 'Riverside Clinic'")
        .await;
    app.signed_in("manager@example.test", Role::ClinicManager, Some(riverside))
        .await;
    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    claimed(&alice, &code, ALICE).await;

    let report =
        |record_id: i64, message: &str| json!({ "record_id": record_id, "message": message });
    let response = alice
        .call_json(
            "patients/report-mistake",
            &report(record, "The side is wrong: it was my right hip"),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let sent = app
        .emails_about(&format!("A patient reports a mistake in record {record}"))
        .await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "manager@example.test");
    assert!(
        sent[0]
            .body
            .contains("> The side is wrong: it was my right hip")
    );
    assert!(sent[0].body.contains("alice@example.test"));
    assert!(sent[0].body.contains(&format!("/records/{record}")));

    // Nothing to say, and someone else's record, are refused.
    let response = alice
        .call_json("patients/report-mistake", &report(record, "   "))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let other = app
        .signed_in("other@example.test", Role::Patient, None)
        .await;
    let response = other
        .call_json("patients/report-mistake", &report(record, "Not mine"))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // The report shows in the patient's own access log.
    let log = access_log(&alice).await;
    assert!(
        log.items
            .iter()
            .any(|entry| entry.what == "Told the clinic about a mistake in your record"),
        "{log:?}"
    );
}

#[tokio::test]
async fn the_card_says_where_and_how_to_reach_the_clinic_and_never_prints_loopback() {
    // Served on 127.0.0.1 without --public-url: the card must not print that address.
    let app = spawn_app().await;
    let (stem, _) = crate::procedures::register(&app).await;
    let riverside = app.organisation("Riverside Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(riverside))
        .await;
    let (record, _) =
        record_for(&app, &nurse, riverside, "key-card-address-01", ALICE, &stem).await;
    app.sql_execute(&format!(
        "UPDATE organisations SET contact = 'Telephone 0113 496 0000' WHERE id = {riverside}"
    ))
    .await;
    let response = nurse
        .call("procedures/card", &[("record_id", &record.to_string())])
        .await;
    let text = response.text().await.unwrap();
    assert!(!text.contains("127.0.0.1"), "{text}");
    let card: ImplantCard = serde_json::from_str(&text).unwrap();
    assert_eq!(card.portal_address, None);
    assert_eq!(card.body_site.label(), "Hip");
    assert!(card.claim_code_expires.is_some());
    assert_eq!(
        card.clinic_contact.as_deref(),
        Some("Telephone 0113 496 0000")
    );
}
