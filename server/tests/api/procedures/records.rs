//! Records once stored: who sees them, corrections as new versions, and the implant card.

use app::api::common::Page;
use app::api::procedures::{Correction, ProcedureDetail, ProcedureSummary};
use app::api::session::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::records::{
    accepted, implant_card, pseudonymise, refused, register, riverside, site_of, submission, udi,
};
use crate::helpers::{field_errors, refusal, spawn_app};

#[tokio::test]
async fn a_clinic_sees_only_its_own_records_and_patients_cannot_record() {
    let app = spawn_app().await;
    let riverside = app.organisation("Riverside Clinic").await;
    let northgate = app.organisation("Northgate Clinic").await;
    let (stem, _) = register(&app).await;
    let nurse = app
        .signed_in("nurse@riverside.test", Role::ClinicUser, Some(riverside))
        .await;
    let other = app
        .signed_in("nurse@northgate.test", Role::ClinicUser, Some(northgate))
        .await;
    let receipt = accepted(
        &nurse,
        &submission(
            "key-0006-ffffffffffff",
            site_of(&app, riverside).await,
            vec![udi(&stem, "281231", "L1")],
            None,
        ),
    )
    .await;
    let id = receipt.record_id.to_string();

    let response = other.call("procedures/detail", &[("record_id", &id)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = other.call("procedures/card", &[("record_id", &id)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let page: Page<ProcedureSummary> = other
        .read_json("procedures/list", &json!({ "query": {} }))
        .await;
    assert_eq!(page.total, 0);
    let page: Page<ProcedureSummary> = nurse
        .read_json("procedures/list", &json!({ "query": { "device": "L1" } }))
        .await;
    assert_eq!(page.total, 1);

    let patient = app.signed_in("pat@example.test", Role::Patient, None).await;
    let (status, _) = refused(
        &patient,
        &submission("key-0007-gggggggggggg", 1, vec![], None),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    assert_eq!(
        admin
            .call("procedures/detail", &[("record_id", &id)])
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_correction_adds_a_version_and_keeps_the_old_one() {
    let app = spawn_app().await;
    let clinic = riverside(&app).await;
    let original = submission(
        "key-0008-hhhhhhhhhhhh",
        clinic.site,
        vec![udi(&clinic.stem, "281231", "WRONG")],
        None,
    );
    let record_id = accepted(&clinic.nurse, &original).await.record_id;
    let mut corrected = original.clone();
    corrected.idempotency_key = "key-0009-iiiiiiiiiiii".into();
    corrected.components = vec![udi(&clinic.stem, "281231", "RIGHT")];
    let correction = |reason: &str, submission| json!({ "correction": Correction { record_id, reason: reason.into(), submission } });
    let response = clinic
        .nurse
        .call_json(
            "procedures/correct",
            &correction("Lot typed wrongly", corrected),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let detail: ProcedureDetail = clinic
        .nurse
        .read(
            "procedures/detail",
            &[("record_id", &record_id.to_string())],
        )
        .await;
    let versions = &detail.versions;
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].version, 2);
    assert_eq!(versions[0].components[0].lot.as_deref(), Some("RIGHT"));
    assert_eq!(
        versions[0].correction_reason.as_deref(),
        Some("Lot typed wrongly")
    );
    assert_eq!(versions[1].components[0].lot.as_deref(), Some("WRONG"));
    let actions = app.audit_actions().await;
    for action in [
        "procedure.created",
        "procedure.corrected",
        "procedure.viewed",
    ] {
        assert!(actions.contains(&action.to_string()), "{action}");
    }
    let (status, error) = refusal(
        clinic
            .nurse
            .call_json("procedures/correct", &correction(" ", original))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&error)[0].field, "correction_reason");
}

#[tokio::test]
async fn the_implant_card_carries_a_claim_code_only_for_linked_records() {
    let app = spawn_app().await;
    let clinic = riverside(&app).await;
    let pseudonym = pseudonymise(&clinic.nurse, "999 123 4578", (1960, 5, 13)).await;
    let mut records = Vec::new();
    for (key, lot, pseudonym) in [
        ("key-0010-jjjjjjjjjjjj", "L1", Some(pseudonym)),
        ("key-0011-kkkkkkkkkkkk", "L2", None),
    ] {
        let components = vec![udi(&clinic.stem, "281231", lot)];
        let record = submission(key, clinic.site, components, pseudonym);
        records.push(accepted(&clinic.nurse, &record).await.record_id);
    }
    let [linked, unlinked] = records[..] else {
        unreachable!()
    };
    let card = implant_card(&clinic.nurse, linked).await;
    let code = card.claim_code.clone().expect("a claim code");
    assert_eq!(code.len(), 14, "{code}");
    assert_eq!(card.devices[0].name.as_deref(), Some("Meridian stem"));
    assert_eq!(
        card.devices[0].udi,
        Some(format!("(01){}(17)281231(10)L1", clinic.stem))
    );
    let card = implant_card(&clinic.nurse, unlinked).await;
    assert_eq!(card.claim_code, None);
    let stored: Option<String> = app
        .sql_scalar(&format!(
            "SELECT claim_code_hash FROM procedures WHERE id = {linked}"
        ))
        .await;
    assert_ne!(stored.as_deref(), Some(code.as_str()), "stored hashed");
}
