//! The device register: only registry administrators change it, a GUDID import reports each
//! row and changes nothing the second time, and the public `GET /api/v1/devices/{di}`.

use app::api::common::Page;
use app::api::register::DeviceSummary;
use app::api::register::import::{FileReport, ImportStarted, ImportState, ImportStatus};
use app::api::session::Role;
use base64::Engine;
use domain::register::DeviceForm;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, TestApp, spawn_app};
use crate::responses::{Device, OpenApi, assert_ok, ok};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../app/domain/tests/fixtures/gudid"
);

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).expect("GUDID fixture")
}

/// Uploads `files` (role, name, bytes) in small pieces, runs the import and waits for its
/// report, as the import page does.
pub(crate) async fn import(
    admin: &Browser<'_>,
    kind: &str,
    files: &[(&str, &str, Vec<u8>)],
) -> ImportStatus {
    let listed: Vec<Value> = files
        .iter()
        .map(|(role, name, bytes)| json!({ "role": role, "name": name, "size": bytes.len() }))
        .collect();
    let started: ImportStarted = ok(admin
        .call_json(
            "register/import/start",
            &json!({ "kind": kind, "files": listed }),
        )
        .await)
    .await;
    let import_id = started.import_id;
    for (index, (_, _, bytes)) in files.iter().enumerate() {
        // Pieces smaller than the server's, so that a file takes several.
        for (piece, chunk) in bytes.chunks(700).enumerate() {
            let data = base64::engine::general_purpose::STANDARD.encode(chunk);
            assert_ok(admin
                .call_json(
                    "register/import/chunk",
                    &json!({ "import_id": import_id, "file": index, "offset": piece * 700, "data": data }),
                )
                .await)
            .await;
        }
    }
    assert_ok(
        admin
            .call_json("register/import/run", &json!({ "import_id": import_id }))
            .await,
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let status: ImportStatus = admin
            .call_json("register/import/status", &json!({ "import_id": import_id }))
            .await
            .json()
            .await
            .unwrap();
        match status.state {
            ImportState::Finished => return status,
            ImportState::Failed => panic!("the import failed: {status:?}"),
            ImportState::Uploading | ImportState::Running => {}
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the import did not finish: {status:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Imports the GUDID fixture pair.
pub(crate) async fn import_gudid_fixture(admin: &Browser<'_>) -> ImportStatus {
    import(
        admin,
        "gudid",
        &[
            ("gudid_devices", "device.txt", fixture("device.txt")),
            (
                "gudid_identifiers",
                "identifiers.txt",
                fixture("identifiers.txt"),
            ),
        ],
    )
    .await
}

/// The lines of the rows `file` rejected.
fn rejected_lines(file: &FileReport) -> Vec<u64> {
    file.rejected.iter().map(|row| row.line).collect()
}

/// The files' reports of a finished import.
fn reports(status: &ImportStatus) -> &[FileReport] {
    &status
        .report
        .as_ref()
        .expect("a finished import's report")
        .files
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.sql_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .await
}

#[tokio::test]
async fn a_gudid_import_reports_every_row_and_a_second_import_changes_nothing() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let status = import_gudid_fixture(&admin).await;
    let devices = &reports(&status)[0];
    assert_eq!(devices.file, "device.txt");
    assert_eq!(
        (
            devices.rows,
            devices.added,
            devices.updated,
            devices.unchanged
        ),
        (12, 8, 0, 0)
    );
    assert_eq!(devices.rejected_total, 4);
    assert_eq!(rejected_lines(devices), vec![10, 11, 12, 13]);
    assert_eq!(
        devices.rejected[1].reason,
        "singleUse must be true or false, not 'maybe'"
    );
    let identifiers = &reports(&status)[1];
    assert_eq!(identifiers.file, "identifiers.txt");
    assert_eq!(identifiers.rows, 13);
    assert_eq!(rejected_lines(identifiers), vec![12, 13, 14]);
    // Primary DIs were added with their devices; the previous DI and the box of ten are new.
    assert!(identifiers.added >= 2, "{identifiers:?}");

    // The deactivated GUDID record is a withdrawn entry.
    let withdrawn: String = app
        .sql_scalar("SELECT status FROM devices WHERE device_identifier = '05060987650020'")
        .await;
    assert_eq!(withdrawn, "withdrawn");
    let entries = count(&app, "devices").await;
    let identifier_rows = count(&app, "device_identifiers").await;

    // The same files again: nothing changes, and the report says so row by row.
    let again = import_gudid_fixture(&admin).await;
    for (file, rows, rejected) in [(0, 12, 4), (1, 13, 3)] {
        let part = &reports(&again)[file];
        assert_eq!(part.added, 0, "{part:?}");
        assert_eq!(part.updated, 0, "{part:?}");
        assert_eq!(part.unchanged, rows - rejected, "{part:?}");
        assert_eq!(part.rejected_total, rejected, "{part:?}");
    }
    assert_eq!(again.report.as_ref().unwrap().linked_components, 0);
    assert_eq!(count(&app, "devices").await, entries);
    assert_eq!(count(&app, "device_identifiers").await, identifier_rows);
    let imported = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|action| action == "register.imported")
        .count();
    assert_eq!(imported, 2);
}

fn knee_form() -> DeviceForm {
    DeviceForm {
        device_identifier: "05060999990015".into(),
        agency: "GS1".into(),
        brand_name: "Fellside Knee".into(),
        version_model: "FK-3L".into(),
        gmdn_code: "47713".into(),
        gmdn_term: "Uncoated knee femur prosthesis".into(),
        risk_class: "iii".into(),
        mri_safety: "mr_conditional".into(),
        sterile: "yes".into(),
        single_use: "yes".into(),
        manufacturer: "Fellside Implants Ltd".into(),
        body_site: "knee".into(),
        side: "left".into(),
        implantable: "yes".into(),
        ..DeviceForm::default()
    }
}

#[tokio::test]
async fn only_registry_administrators_change_the_register_and_every_change_is_audited() {
    let app = spawn_app().await;
    let clinic = app.organisation("Riverside Clinic").await;
    let manager = app
        .signed_in("manager@example.test", Role::ClinicManager, Some(clinic))
        .await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;

    let before = count(&app, "devices").await;
    let response = manager
        .call_json("register/add", &json!({ "form": knee_form() }))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "devices").await, before);

    let id: i64 = ok(admin
        .call_json("register/add", &json!({ "form": knee_form() }))
        .await)
    .await;

    // The same DI twice is refused on its field.
    let response = admin
        .call_json("register/add", &json!({ "form": knee_form() }))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let mut edited = knee_form();
    edited.status = "withdrawn".into();
    let response = manager
        .call_json("register/edit", &json!({ "id": id, "form": edited }))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_ok(
        admin
            .call_json("register/edit", &json!({ "id": id, "form": edited }))
            .await,
    )
    .await;

    let found: Page<DeviceSummary> = admin
        .call_json(
            "register/search",
            &json!({ "query": { "search": "fellside", "page": 1 } }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1, "{found:?}");
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"register.device_added".to_string()));
    assert!(actions.contains(&"register.device_updated".to_string()));

    let device: Device = app
        .get("/api/v1/devices/05060999990015")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(device.status, "withdrawn");
    assert_eq!(device.side, "left");
}

#[tokio::test]
async fn the_public_api_finds_a_device_by_any_of_its_identifiers() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    import_gudid_fixture(&admin).await;
    let (_, spec) = OpenApi::fetch(&app).await;
    assert!(spec.answers("/api/v1/devices/{di}", "get", "200"));
    assert!(spec.answers("/api/v1/safety-notices", "get", "200"));

    // Without signing in: the register holds no patient data.
    for (asked, expected) in [
        ("05060123450408", "05060123450408"),
        // The box of ten, the previous DI, and a GTIN-13 by its 14-digit form.
        ("15060123450405", "05060123450408"),
        ("05060123450002", "05060123450019"),
        ("5060987650013", "05060987650013"),
        ("M456SPC3000", "M456SPC3000"),
    ] {
        let response = app.get(&format!("/api/v1/devices/{asked}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{asked}");
        let device: Device = response.json().await.unwrap();
        assert_eq!(device.device_identifier, expected, "{asked}");
    }
    let screw: Device = app
        .get("/api/v1/devices/05060123450408")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(screw.brand_name, "Meridian Bone Screw");
    assert_eq!(screw.manufacturer.duns.as_deref(), Some("123456789"));
    let package = screw
        .identifiers
        .iter()
        .find(|row| row.identifier == "15060123450405")
        .expect("the box's identifier");
    assert_eq!(package.quantity, Some(10));

    let response = app.get("/api/v1/devices/05060123450033").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app.get("/api/v1/devices/05060123450034").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
