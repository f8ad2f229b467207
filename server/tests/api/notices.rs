//! Field safety notices: the affected (and possibly affected) records by clinic, each clinic
//! seeing and acknowledging only its own, patients seeing only notices on their own devices,
//! the emails, the audit trail and the public list.

use app::api::session::Role;
use domain::register::{DateBoxes, DeviceScopeForm, NoticeForm};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, TestApp, spawn_app};
use crate::patients::{ALICE, BOB, claim, implants};
use crate::procedures::{pseudonymise, site_of, submission, submit};
use crate::register::import_gudid_fixture;

/// The Meridian Hip Stem of the GUDID fixture.
const STEM: &str = "05060123450026";

/// A stem recorded at `organisation` with `lot` (none: the record lacks it), linked to
/// `patient` when given; the record id and the card's claim code.
async fn record(
    app: &TestApp,
    clinic: &Browser<'_>,
    organisation: i64,
    key: &str,
    lot: Option<&str>,
    patient: (&str, (u16, u8, u8)),
) -> (i64, String, Value) {
    let site = site_of(app, organisation).await;
    let pseudonym = pseudonymise(clinic, patient.0, patient.1).await;
    let text = match lot {
        Some(lot) => format!("(01){STEM}(17)281231(10){lot}"),
        None => format!("(01){STEM}(17)281231"),
    };
    let component = domain::procedure::ComponentEntry {
        identity: domain::procedure::ComponentIdentity::Udi { text },
    };
    let (status, receipt) = submit(
        clinic,
        &submission(key, site, vec![component], Some(pseudonym)),
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
    let code = card["claim_code"].as_str().unwrap().to_string();
    (record_id, code, receipt)
}

fn notice_form() -> NoticeForm {
    NoticeForm {
        reference: "FSN-2026-101".into(),
        title: "Meridian Hip Stem: risk of fracture at the neck".into(),
        manufacturer_reference: "NO-FSN-77".into(),
        fsn_date: DateBoxes {
            day: "3".into(),
            month: "11".into(),
            year: "2026".into(),
        },
        problem: "Some stems of these lots may crack at the neck.".into(),
        risk: "A cracked stem can cause pain and need another operation.".into(),
        clinic_action: "Contact each patient and offer a review with an X-ray.".into(),
        patient_action: "You do not need to do anything now. Your clinic will contact you.".into(),
        devices: vec![DeviceScopeForm {
            device_identifier: STEM.into(),
            agency: "GS1".into(),
            selection: "lot_range".into(),
            range_first: "LOT100".into(),
            range_last: "LOT199".into(),
            ..DeviceScopeForm::default()
        }],
    }
}

fn ids(records: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|record| record["record_id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

fn notices_seen(implants: &Value) -> Vec<String> {
    implants["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["devices"].as_array().unwrap().iter())
        .flat_map(|d| d["notices"].as_array().unwrap().iter())
        .map(|n| n["reference"].as_str().unwrap().to_string())
        .collect()
}

fn clinic_row(progress: &Value, organisation: i64) -> &Value {
    progress["clinics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["organisation_id"] == organisation)
        .unwrap_or_else(|| panic!("no row for {organisation}: {progress}"))
}

async fn acknowledge(
    clinic: &Browser<'_>,
    notice: i64,
    record: i64,
    kind: &str,
    reason: &str,
) -> reqwest::Response {
    clinic
        .call_json(
            "clinic-notices/acknowledge",
            &json!({ "request": { "notice_id": notice, "record_id": record, "kind": kind, "reason": reason } }),
        )
        .await
}

#[tokio::test]
async fn a_published_notice_reaches_each_clinic_and_patient_it_concerns_and_no_other() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    import_gudid_fixture(&admin).await;
    let riverside = app.organisation("Riverside Clinic").await;
    let hillside = app.organisation("Hillside Hospital").await;
    let river = app
        .signed_in(
            "manager@riverside.test",
            Role::ClinicManager,
            Some(riverside),
        )
        .await;
    let hill = app
        .signed_in("manager@hillside.test", Role::ClinicManager, Some(hillside))
        .await;

    let (affected, alices_code, _) = record(
        &app,
        &river,
        riverside,
        "key-n001-aaaaaaaaaaaa",
        Some("LOT150"),
        ALICE,
    )
    .await;
    let (no_lot, _, _) = record(
        &app,
        &river,
        riverside,
        "key-n002-bbbbbbbbbbbb",
        None,
        ALICE,
    )
    .await;
    let (hills, _, _) = record(
        &app,
        &hill,
        hillside,
        "key-n003-cccccccccccc",
        Some("LOT120"),
        ALICE,
    )
    .await;
    let (outside, bobs_code, _) = record(
        &app,
        &hill,
        hillside,
        "key-n004-dddddddddddd",
        Some("LOT900"),
        BOB,
    )
    .await;
    let alice = app
        .signed_in("alice@example.test", Role::Patient, None)
        .await;
    let bob = app.signed_in("bob@example.test", Role::Patient, None).await;
    assert_eq!(claim(&alice, &alices_code, ALICE).await.0, StatusCode::OK);
    assert_eq!(claim(&bob, &bobs_code, BOB).await.0, StatusCode::OK);

    // A draft: only the registry sees it, as a preview of what it would match.
    let response = admin
        .call_json("notices/create", &json!({ "form": notice_form() }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let notice: i64 = response.json().await.unwrap();
    let listed: Value = river
        .call("clinic-notices/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([]));
    assert!(notices_seen(&implants(&alice).await).is_empty());
    let response = river
        .call_json("notices/publish", &json!({ "id": notice }))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = admin
        .call_json("notices/publish", &json!({ "id": notice }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let published: Value = response.json().await.unwrap();
    assert_eq!(published["version"], 1);
    assert_eq!(published["clinics_told"], 2);
    assert_eq!(published["managers_emailed"], 2);
    assert_eq!(published["patients_emailed"], 1);

    // The registry's view: by clinic, the record without a lot listed as possibly affected.
    let progress: Value = admin
        .call("notices/progress", &[("id", &notice.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let row = clinic_row(&progress, riverside);
    assert_eq!(
        (row["affected"].as_u64(), row["possibly_affected"].as_u64()),
        (Some(1), Some(1)),
        "{row}"
    );
    assert_eq!(row["acknowledged"], 0);
    assert!(row["told_at"].is_string());
    let row = clinic_row(&progress, hillside);
    assert_eq!(
        (row["affected"].as_u64(), row["possibly_affected"].as_u64()),
        (Some(1), Some(0)),
        "{row}"
    );

    // Each clinic sees only its own records.
    let listed: Value = river
        .call("clinic-notices/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["id"], notice);
    assert_eq!(listed[0]["affected"], 1);
    assert_eq!(listed[0]["possibly_affected"], 1);
    let detail: Value = river
        .call("clinic-notices/detail", &[("id", &notice.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let mut expected = vec![affected, no_lot];
    expected.sort();
    assert_eq!(ids(&detail["records"]), expected);
    let possibly = detail["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["record_id"] == no_lot)
        .unwrap();
    assert_eq!(possibly["concern"]["kind"], "possibly_affected");
    let detail: Value = hill
        .call("clinic-notices/detail", &[("id", &notice.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&detail["records"]), vec![hills]);
    assert!(!ids(&detail["records"]).contains(&outside));

    // ... and acknowledges only its own.
    let response = river.call_json("clinic-notices/acknowledge", &json!({ "request": { "notice_id": notice, "record_id": hills, "kind": "review_booked", "reason": "" } })).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = acknowledge(&river, notice, no_lot, "not_affected", "").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = acknowledge(&river, notice, affected, "review_booked", "").await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let response = acknowledge(
        &river,
        notice,
        no_lot,
        "not_affected",
        "Lot checked in the theatre log: LOT300",
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let detail: Value = river
        .call("clinic-notices/detail", &[("id", &notice.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let acknowledgement = &detail["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["record_id"] == affected)
        .unwrap()["acknowledgement"];
    assert_eq!(acknowledgement["kind"], "review_booked");
    assert!(acknowledgement["at"].is_string());
    let progress: Value = admin
        .call("notices/progress", &[("id", &notice.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(clinic_row(&progress, riverside)["acknowledged"], 2);
    assert_eq!(clinic_row(&progress, riverside)["outstanding"], 0);
    assert_eq!(clinic_row(&progress, hillside)["outstanding"], 1);
    let csv = admin
        .call("notices/progress-csv", &[("id", &notice.to_string())])
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv: Value = csv.json().await.unwrap();
    assert!(csv.to_string().contains("Riverside Clinic"), "{csv}");

    // Patients: Alice (an affected stem) sees the notice; Bob (a lot outside the range) not.
    assert_eq!(notices_seen(&implants(&alice).await), vec!["FSN-2026-101"]);
    assert!(notices_seen(&implants(&bob).await).is_empty());

    let emails = app.emails_about("Safety notice FSN-2026-101").await;
    let mut told: Vec<String> = emails.iter().map(|m| m.to.clone()).collect();
    told.sort();
    assert_eq!(told, ["manager@hillside.test", "manager@riverside.test"]);
    assert!(!emails[0].body.contains("999"));
    let to_patients = app.emails_about("New information about your implant").await;
    assert_eq!(to_patients.len(), 1);
    assert_eq!(to_patients[0].to, "alice@example.test");
    assert!(!to_patients[0].body.contains("Meridian"));

    // A new submission that matches is warned about at once and joins the list.
    let (later, _, receipt) = record(
        &app,
        &river,
        riverside,
        "key-n005-eeeeeeeeeeee",
        Some("LOT170"),
        BOB,
    )
    .await;
    assert!(
        receipt["notices"].to_string().contains("FSN-2026-101"),
        "{receipt}"
    );
    let detail: Value = river
        .call("clinic-notices/detail", &[("id", &notice.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert!(ids(&detail["records"]).contains(&later));

    // The public list: the notice, without clinics or patients.
    let public: Value = app
        .get("/api/v1/safety-notices")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["notices"][0]["reference"], "FSN-2026-101");
    assert_eq!(public["notices"][0]["status"], "published");
    let text = public.to_string();
    assert!(
        !text.contains("Riverside") && !text.contains("Hillside"),
        "{text}"
    );

    let actions = app.audit_actions().await;
    for action in [
        "safety_notice.drafted",
        "safety_notice.published",
        "safety_notice.progress_viewed",
        "safety_notice.records_viewed",
        "safety_notice.acknowledged",
    ] {
        assert!(
            actions.contains(&action.to_string()),
            "{action} not in {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_notice_is_versioned_and_closed_never_deleted() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    import_gudid_fixture(&admin).await;
    let notice: i64 = admin
        .call_json("notices/create", &json!({ "form": notice_form() }))
        .await
        .json()
        .await
        .unwrap();
    let response = admin
        .call_json("notices/publish", &json!({ "id": notice }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Nothing more to publish until a new version is started.
    let response = admin
        .call_json("notices/publish", &json!({ "id": notice }))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let response = admin
        .call_json("notices/new-version", &json!({ "id": notice }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let mut form = notice_form();
    form.devices[0].range_last = "LOT299".into();
    let response = admin
        .call_json("notices/save", &json!({ "id": notice, "form": form }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let published: Value = admin
        .call_json("notices/publish", &json!({ "id": notice }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(published["version"], 2);
    let response = admin
        .call_json("notices/close", &json!({ "id": notice }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let detail: Value = admin
        .call("notices/detail", &[("id", &notice.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["versions"].as_array().unwrap().len(), 2, "{detail}");
    let response = admin
        .call_json("notices/new-version", &json!({ "id": notice }))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let public: Value = app
        .get("/api/v1/safety-notices")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["notices"][0]["status"], "closed");
    assert_eq!(public["notices"][0]["version"], 2);
}
