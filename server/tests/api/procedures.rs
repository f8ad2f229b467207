//! Recording procedures: the rules re-applied on the server, idempotent submission, who sees
//! which records, corrections, implant cards, and pseudonymisation by OPRF over HTTP.

use app::api::session::Role;
use domain::calendar::CalendarDate;
use domain::nhs_number::NhsNumber;
use domain::procedure::{
    BodySite, ComponentEntry, ComponentIdentity, Consent, Laterality, ProcedureType, Sex,
    Submission,
};
use domain::pseudonym::{PatientIdentifiers, Pseudonym, blind};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::db::devices::{self, NewDevice};
use server::seed::demo_gtin;

use crate::helpers::{Browser, TestApp, spawn_app};

/// Registers two synthetic hip devices from different makers; returns their GTINs.
pub(crate) async fn register(app: &TestApp) -> (String, String) {
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
pub(crate) async fn pseudonymise(
    browser: &Browser<'_>,
    nhs: &str,
    born: (u16, u8, u8),
) -> Pseudonym {
    pseudonymise_with(browser, nhs, born, "pseudonym/evaluate", json!({}))
        .await
        .expect("evaluated")
}

/// The same through `endpoint`, with `extra` fields beside the blinded element (a claim's
/// code); the error answer when the registry refuses to evaluate.
pub(crate) async fn pseudonymise_with(
    browser: &Browser<'_>,
    nhs: &str,
    born: (u16, u8, u8),
    endpoint: &str,
    extra: Value,
) -> Result<Pseudonym, (StatusCode, Value)> {
    let identifiers = PatientIdentifiers::new(
        NhsNumber::parse(nhs).unwrap(),
        CalendarDate::new(born.0, born.1, born.2).unwrap(),
    );
    let key: Value = browser
        .call("pseudonym/key", &[])
        .await
        .json()
        .await
        .unwrap();
    let blinded = blind(identifiers, &mut rand_core::OsRng);
    let mut body = extra;
    body["blinded"] = json!(blinded.message);
    let response = browser.call_json(endpoint, &body).await;
    if response.status() != StatusCode::OK {
        return Err((response.status(), response.json().await.unwrap()));
    }
    let evaluation: Value = response.json().await.unwrap();
    let bytes = |value: &Value| -> Vec<u8> { serde_json::from_value(value.clone()).unwrap() };
    Ok(blinded
        .finish(
            &bytes(&evaluation["evaluated"]),
            &bytes(&evaluation["proof"]),
            &bytes(&key["public_key"]),
        )
        .expect("the server's proof checks out"))
}

pub(crate) fn udi(gtin: &str, expiry: &str, lot: &str) -> ComponentEntry {
    ComponentEntry {
        identity: ComponentIdentity::Udi {
            text: format!("(01){gtin}(17){expiry}(10){lot}"),
        },
    }
}

pub(crate) fn submission(
    key: &str,
    site_id: i64,
    components: Vec<ComponentEntry>,
    pseudonym: Option<Pseudonym>,
) -> Submission {
    Submission {
        idempotency_key: key.to_string(),
        site_id,
        consultant_gmc: "1234567".into(),
        procedure_date: CalendarDate::new(2026, 11, 2).unwrap(),
        procedure_type: ProcedureType::Primary,
        body_site: BodySite::Hip,
        laterality: Laterality::Left,
        revision_reasons: Vec::new(),
        components,
        consent: if pseudonym.is_some() {
            Consent::Given
        } else {
            Consent::Declined
        },
        pseudonym,
        year_of_birth: 1960,
        sex: Sex::Female,
        postcode_district: "LS1".into(),
        acknowledged_warnings: Vec::new(),
    }
}

pub(crate) async fn site_of(app: &TestApp, organisation: i64) -> i64 {
    app.sql_scalar(&format!(
        "SELECT id FROM sites WHERE organisation_id = {organisation}"
    ))
    .await
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.sql_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .await
}

pub(crate) async fn submit(browser: &Browser<'_>, submission: &Submission) -> (StatusCode, Value) {
    let response = browser
        .call_json("procedures/submit", &json!({ "submission": submission }))
        .await;
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn the_same_submission_twice_is_stored_once() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let site = site_of(&app, organisation).await;
    let (stem, _) = register(&app).await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let pseudonym = pseudonymise(&nurse, "999 123 4578", (1960, 5, 13)).await;
    let record = submission(
        "key-0001-aaaaaaaaaaaa",
        site,
        vec![udi(&stem, "281231", "L1")],
        Some(pseudonym),
    );

    let (status, first) = submit(&nurse, &record).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["duplicate"], false);
    let (status, again) = submit(&nurse, &record).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["record_id"], first["record_id"]);
    assert_eq!(count(&app, "procedures").await, 1);
    assert!(
        app.audit_actions()
            .await
            .contains(&"pseudonym.evaluated".to_string())
    );
}

#[tokio::test]
async fn concurrent_retries_of_one_submission_make_one_record() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let site = site_of(&app, organisation).await;
    let (stem, _) = register(&app).await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let record = submission(
        "key-0002-bbbbbbbbbbbb",
        site,
        vec![udi(&stem, "281231", "L1")],
        None,
    );
    let attempts = (0..6).map(|_| submit(&nurse, &record));
    let results = futures::future::join_all(attempts).await;
    let ids: Vec<&Value> = results
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, StatusCode::OK, "{body}");
            &body["record_id"]
        })
        .collect();
    assert!(ids.windows(2).all(|pair| pair[0] == pair[1]));
    assert_eq!(count(&app, "procedures").await, 1);
    assert_eq!(count(&app, "procedure_versions").await, 1);
}

#[tokio::test]
async fn the_server_applies_the_rules_whatever_the_browser_says() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let other = app.organisation("Other Clinic").await;
    let site = site_of(&app, organisation).await;
    let (stem, cup) = register(&app).await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;

    let mut bad = submission(
        "key-0003-cccccccccccc",
        site_of(&app, other).await,
        vec![udi(&stem, "281231", "L1")],
        None,
    );
    bad.consultant_gmc = "12".into();
    let (status, body) = submit(&nurse, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["Invalid"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["site_id", "consultant_gmc"]);

    // Expired device and components from two makers: both must be confirmed.
    let mut warned = submission(
        "key-0004-dddddddddddd",
        site,
        vec![udi(&stem, "260131", "OLD"), udi(&cup, "281231", "C1")],
        None,
    );
    let (status, body) = submit(&nurse, &warned).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["Invalid"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["warning-expired-0", "warning-mix-and-match"]);
    warned.acknowledged_warnings = vec!["expired-0".into(), "mix-and-match".into()];
    let (status, body) = submit(&nurse, &warned).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        count(&app, "procedures").await,
        1,
        "nothing stored for the refused attempts"
    );
}

#[tokio::test]
async fn unknown_devices_are_accepted_and_flagged_for_review() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let site = site_of(&app, organisation).await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let unknown = demo_gtin("0506000199999");
    let (status, receipt) = submit(
        &nurse,
        &submission(
            "key-0005-eeeeeeeeeeee",
            site,
            vec![udi(&unknown, "281231", "X")],
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert!(
        receipt["notices"][0]
            .as_str()
            .unwrap()
            .contains("not in the device register")
    );
    let flagged: i64 = app
        .sql_scalar("SELECT COUNT(*) FROM procedure_components WHERE needs_review")
        .await;
    assert_eq!(flagged, 1);
    let page: Value = nurse
        .call_json("procedures/list", &json!({ "query": {} }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["needs_review"], true);
}

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
    let (_, receipt) = submit(
        &nurse,
        &submission(
            "key-0006-ffffffffffff",
            site_of(&app, riverside).await,
            vec![udi(&stem, "281231", "L1")],
            None,
        ),
    )
    .await;
    let id = receipt["record_id"].to_string();

    let response = other.call("procedures/detail", &[("record_id", &id)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = other.call("procedures/card", &[("record_id", &id)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let page: Value = other
        .call_json("procedures/list", &json!({ "query": {} }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 0);
    let page: Value = nurse
        .call_json("procedures/list", &json!({ "query": { "device": "L1" } }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);

    let patient = app.signed_in("pat@example.test", Role::Patient, None).await;
    let (status, _) = submit(
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
    let organisation = app.organisation("Riverside Clinic").await;
    let site = site_of(&app, organisation).await;
    let (stem, _) = register(&app).await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let original = submission(
        "key-0008-hhhhhhhhhhhh",
        site,
        vec![udi(&stem, "281231", "WRONG")],
        None,
    );
    let (_, receipt) = submit(&nurse, &original).await;
    let record_id = receipt["record_id"].as_i64().unwrap();
    let mut corrected = original.clone();
    corrected.idempotency_key = "key-0009-iiiiiiiiiiii".into();
    corrected.components = vec![udi(&stem, "281231", "RIGHT")];
    let response = nurse
        .call_json("procedures/correct", &json!({ "correction": { "record_id": record_id, "reason": "Lot typed wrongly", "submission": corrected } }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let detail: Value = nurse
        .call(
            "procedures/detail",
            &[("record_id", &record_id.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    let versions = detail["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["components"][0]["lot"], "RIGHT");
    assert_eq!(versions[0]["correction_reason"], "Lot typed wrongly");
    assert_eq!(versions[1]["components"][0]["lot"], "WRONG");
    let actions = app.audit_actions().await;
    for action in [
        "procedure.created",
        "procedure.corrected",
        "procedure.viewed",
    ] {
        assert!(actions.contains(&action.to_string()), "{action}");
    }
    let (status, body) = {
        let response = nurse
            .call_json("procedures/correct", &json!({ "correction": { "record_id": record_id, "reason": " ", "submission": original } }))
            .await;
        (response.status(), response.json::<Value>().await.unwrap())
    };
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["errors"][0]["field"], "correction_reason");
}

#[tokio::test]
async fn the_implant_card_carries_a_claim_code_only_for_linked_records() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let site = site_of(&app, organisation).await;
    let (stem, _) = register(&app).await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let pseudonym = pseudonymise(&nurse, "999 123 4578", (1960, 5, 13)).await;
    let (_, linked) = submit(
        &nurse,
        &submission(
            "key-0010-jjjjjjjjjjjj",
            site,
            vec![udi(&stem, "281231", "L1")],
            Some(pseudonym),
        ),
    )
    .await;
    let (_, unlinked) = submit(
        &nurse,
        &submission(
            "key-0011-kkkkkkkkkkkk",
            site,
            vec![udi(&stem, "281231", "L2")],
            None,
        ),
    )
    .await;
    let card: Value = nurse
        .call(
            "procedures/card",
            &[("record_id", &linked["record_id"].to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    let code = card["claim_code"].as_str().unwrap();
    assert_eq!(code.len(), 14, "{code}");
    assert_eq!(card["devices"][0]["name"], "Meridian stem");
    assert_eq!(
        card["devices"][0]["udi"],
        format!("(01){stem}(17)281231(10)L1")
    );
    let card: Value = nurse
        .call(
            "procedures/card",
            &[("record_id", &unlinked["record_id"].to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["claim_code"], Value::Null);
    let stored: Option<String> = app
        .sql_scalar(&format!(
            "SELECT claim_code_hash FROM procedures WHERE id = {}",
            linked["record_id"].as_i64().unwrap()
        ))
        .await;
    assert_ne!(stored.as_deref(), Some(code), "stored hashed");
}

#[tokio::test]
async fn pseudonym_evaluations_are_limited_per_person() {
    use server::services::procedures::pseudonyms::PER_USER;
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let nurse = app
        .signed_in("nurse@example.test", Role::ClinicUser, Some(organisation))
        .await;
    for _ in 0..PER_USER.max {
        pseudonymise(&nurse, "999 123 4578", (1960, 5, 13)).await;
    }
    let response = nurse
        .call_json("pseudonym/evaluate", &json!({ "blinded": vec![0u8; 32] }))
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let actions = app.audit_actions().await;
    let evaluations = actions
        .iter()
        .filter(|a| *a == "pseudonym.evaluated")
        .count();
    assert_eq!(evaluations, PER_USER.max as usize);
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "rate_limit.refused")
            .count(),
        1,
        "the refusal is audited once per window"
    );
    // Kept in the database: a new server process (a restart) counts on.
    let counted: i64 = app
        .sql_scalar(
            "SELECT CAST(SUM(count) AS BIGINT) FROM rate_counters WHERE bucket = 'pseudonym.user'",
        )
        .await;
    assert_eq!(counted, i64::from(PER_USER.max));
}

#[tokio::test]
async fn each_clinic_user_gets_their_own_stable_draft_key() {
    let app = spawn_app().await;
    let organisation = app.organisation("Riverside Clinic").await;
    let first = app
        .signed_in("a@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let second = app
        .signed_in("b@example.test", Role::ClinicUser, Some(organisation))
        .await;
    let one = draft_key(&first).await;
    assert_eq!(one.len(), 32);
    assert_eq!(draft_key(&first).await, one);
    assert_ne!(draft_key(&second).await, one);
}

async fn draft_key(browser: &Browser<'_>) -> Vec<u8> {
    browser
        .call("procedures/draft-key", &[])
        .await
        .json()
        .await
        .unwrap()
}
