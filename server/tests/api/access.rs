//! Who may call what: every server function against every role, cross-site requests, and the
//! audit trail's tamper evidence.

use app::api::session::Role;
use domain::register::{DeviceForm, NoticeForm};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, spawn_app};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Role(Role),
}

const EVERYONE: &[Who] = &[
    Who::Anonymous,
    Who::Role(Role::ClinicUser),
    Who::Role(Role::ClinicManager),
    Who::Role(Role::RegistryAdmin),
    Who::Role(Role::Patient),
];
const SIGNED_IN: &[Who] = &[
    Who::Role(Role::ClinicUser),
    Who::Role(Role::ClinicManager),
    Who::Role(Role::RegistryAdmin),
    Who::Role(Role::Patient),
];
const MANAGERS: &[Who] = &[
    Who::Role(Role::ClinicManager),
    Who::Role(Role::RegistryAdmin),
];
const ADMINS: &[Who] = &[Who::Role(Role::RegistryAdmin)];
const CLINIC: &[Who] = &[Who::Role(Role::ClinicUser), Who::Role(Role::ClinicManager)];
const PATIENTS: &[Who] = &[Who::Role(Role::Patient)];
const CLINIC_AND_ADMINS: &[Who] = &[
    Who::Role(Role::ClinicUser),
    Who::Role(Role::ClinicManager),
    Who::Role(Role::RegistryAdmin),
];

/// A well-formed submission the rules refuse (its key is too short), so that only the access
/// check decides between "refused" and "passed".
fn refused_submission() -> Value {
    json!({
        "idempotency_key": "short", "site_id": 1, "consultant_gmc": "1234567", "procedure_date": "2026-11-02",
        "procedure_type": "primary", "body_site": "hip", "laterality": "left", "revision_reasons": [],
        "components": [], "consent": "declined", "pseudonym": null, "year_of_birth": 1960, "sex": "female",
        "postcode_district": "", "acknowledged_warnings": []
    })
}

enum Body {
    Form(&'static [(&'static str, &'static str)]),
    Json(fn() -> Value),
}

/// Every server function, the arguments to call it with, and who may pass its access check.
/// Ordered so that signing out comes last.
fn table() -> Vec<(&'static str, Body, &'static [Who])> {
    vec![
        ("status", Body::Form(&[]), EVERYONE),
        ("site", Body::Form(&[]), EVERYONE),
        ("session", Body::Form(&[]), EVERYONE),
        (
            "sign-in",
            Body::Form(&[("email", "x@example.test"), ("password", "wrong-password")]),
            EVERYONE,
        ),
        // Fully signed-in callers are told they are signed in already (409), not refused.
        (
            "sign-in/second-factor",
            Body::Form(&[("code", "000000")]),
            SIGNED_IN,
        ),
        ("second-factor/enrolment", Body::Form(&[]), SIGNED_IN),
        (
            "second-factor/enrolment/confirm",
            Body::Form(&[("code", "000000")]),
            SIGNED_IN,
        ),
        (
            "password/change",
            Body::Form(&[("current_password", "wrong"), ("new_password", "x")]),
            SIGNED_IN,
        ),
        (
            "password/reset-request",
            Body::Form(&[("email", "nobody@example.test")]),
            EVERYONE,
        ),
        (
            "account-link",
            Body::Form(&[("token", "no-such-token")]),
            EVERYONE,
        ),
        (
            "account-link/set-password",
            Body::Form(&[("token", "no-such-token"), ("new_password", "x")]),
            EVERYONE,
        ),
        (
            "accounts/list",
            Body::Json(|| json!({ "query": {} })),
            MANAGERS,
        ),
        (
            "accounts/invite",
            Body::Json(
                || json!({ "invitation": { "email": "", "display_name": "", "role": "patient", "organisation_id": null } }),
            ),
            MANAGERS,
        ),
        (
            "accounts/set-disabled",
            Body::Form(&[("user_id", "999999"), ("disabled", "true")]),
            MANAGERS,
        ),
        (
            "accounts/reinvite",
            Body::Form(&[("user_id", "999999")]),
            MANAGERS,
        ),
        (
            "accounts/detail",
            Body::Form(&[("user_id", "999999")]),
            MANAGERS,
        ),
        (
            "accounts/reset-authenticator",
            Body::Form(&[("user_id", "999999")]),
            MANAGERS,
        ),
        (
            "accounts/unlock",
            Body::Form(&[("user_id", "999999")]),
            MANAGERS,
        ),
        (
            "accounts/update",
            Body::Json(
                || json!({ "change": { "user_id": 999999, "display_name": "", "role": "patient", "organisation_id": null } }),
            ),
            MANAGERS,
        ),
        (
            "organisations/set-contact",
            Body::Form(&[("organisation_id", "999999"), ("contact", "")]),
            MANAGERS,
        ),
        ("organisations/list", Body::Form(&[]), MANAGERS),
        (
            "organisations/create",
            Body::Json(|| json!({ "name": "", "sites": [] })),
            ADMINS,
        ),
        (
            "organisations/add-site",
            Body::Form(&[("organisation_id", "999999"), ("name", "")]),
            ADMINS,
        ),
        ("audit/list", Body::Json(|| json!({ "query": {} })), ADMINS),
        (
            "audit/export",
            Body::Json(|| json!({ "query": {} })),
            ADMINS,
        ),
        ("audit/verify", Body::Form(&[]), ADMINS),
        ("audit/security", Body::Form(&[]), ADMINS),
        ("admin/claim-reviews", Body::Form(&[("page", "1")]), ADMINS),
        (
            "admin/claim-reviews/resolve",
            Body::Json(|| json!({ "review_id": 999999, "outcome": "keep" })),
            ADMINS,
        ),
        ("procedures/form-options", Body::Form(&[]), CLINIC),
        ("pseudonym/key", Body::Form(&[]), SIGNED_IN),
        (
            "pseudonym/evaluate",
            Body::Json(|| json!({ "blinded": [] })),
            CLINIC,
        ),
        ("procedures/draft-key", Body::Form(&[]), CLINIC),
        (
            "devices/lookup",
            Body::Json(|| json!({ "identifiers": [] })),
            CLINIC,
        ),
        (
            "procedures/submit",
            Body::Json(|| json!({ "submission": refused_submission() })),
            CLINIC,
        ),
        (
            "procedures/list",
            Body::Json(|| json!({ "query": {} })),
            CLINIC_AND_ADMINS,
        ),
        (
            "procedures/detail",
            Body::Form(&[("record_id", "999999")]),
            CLINIC_AND_ADMINS,
        ),
        (
            "procedures/correct",
            Body::Json(
                || json!({ "correction": { "record_id": 999999, "reason": "x", "submission": refused_submission() } }),
            ),
            CLINIC,
        ),
        (
            "procedures/card",
            Body::Form(&[("record_id", "999999")]),
            CLINIC,
        ),
        // Registration answers the same for everyone; a bad address is refused by its rules.
        (
            "patients/register",
            Body::Json(|| json!({ "email": "not-an-address", "display_name": "A" })),
            EVERYONE,
        ),
        (
            "patients/claim/evaluate",
            Body::Json(|| json!({ "claim_code": "", "blinded": [] })),
            PATIENTS,
        ),
        (
            "patients/claim",
            Body::Json(|| json!({ "claim_code": "", "pseudonym": "ab".repeat(32) })),
            PATIENTS,
        ),
        ("patients/implants", Body::Form(&[]), PATIENTS),
        (
            "patients/access-log",
            Body::Form(&[("page", "1")]),
            PATIENTS,
        ),
        (
            "patients/export",
            Body::Json(|| json!({ "format": "Csv" })),
            PATIENTS,
        ),
        // Registry statistics: the national figures for anyone (controlled unless exact is
        // allowed), a clinic's own figures for its staff.
        (
            "statistics/public",
            Body::Json(|| json!({ "query": {} })),
            EVERYONE,
        ),
        (
            "statistics/clinic",
            Body::Json(|| json!({ "query": {} })),
            CLINIC,
        ),
        (
            "statistics/csv",
            Body::Json(|| json!({ "figure": "volumes", "query": {} })),
            EVERYONE,
        ),
        (
            "statistics/csv",
            Body::Json(|| json!({ "figure": "clinic_volumes", "query": {} })),
            CLINIC,
        ),
        // The device register and its review queue: registry administrators only.
        (
            "register/search",
            Body::Json(|| json!({ "query": { "search": "", "page": 1 } })),
            ADMINS,
        ),
        ("register/device", Body::Form(&[("id", "1")]), ADMINS),
        (
            "register/add",
            Body::Json(|| json!({ "form": DeviceForm::default() })),
            ADMINS,
        ),
        (
            "register/edit",
            Body::Json(|| json!({ "id": 1, "form": DeviceForm::default() })),
            ADMINS,
        ),
        ("register/review", Body::Form(&[("page", "1")]), ADMINS),
        (
            "register/review/add",
            Body::Json(|| json!({ "device_identifier": "x", "form": DeviceForm::default() })),
            ADMINS,
        ),
        (
            "register/review/match",
            Body::Json(|| json!({ "device_identifier": "x", "device_id": 1 })),
            ADMINS,
        ),
        (
            "register/import/start",
            Body::Json(|| json!({ "kind": "csv", "files": [] })),
            ADMINS,
        ),
        (
            "register/import/chunk",
            Body::Json(|| json!({ "import_id": "x", "file": 0, "offset": 0, "data": "" })),
            ADMINS,
        ),
        (
            "register/import/run",
            Body::Json(|| json!({ "import_id": "x" })),
            ADMINS,
        ),
        (
            "register/import/status",
            Body::Json(|| json!({ "import_id": "x" })),
            ADMINS,
        ),
        // Safety notices: the registry's side.
        ("notices/list", Body::Form(&[("page", "1")]), ADMINS),
        (
            "notices/create",
            Body::Json(|| json!({ "form": NoticeForm::default() })),
            ADMINS,
        ),
        ("notices/detail", Body::Form(&[("id", "1")]), ADMINS),
        (
            "notices/save",
            Body::Json(|| json!({ "id": 1, "form": NoticeForm::default() })),
            ADMINS,
        ),
        (
            "notices/new-version",
            Body::Json(|| json!({ "id": 1 })),
            ADMINS,
        ),
        ("notices/publish", Body::Json(|| json!({ "id": 1 })), ADMINS),
        ("notices/close", Body::Json(|| json!({ "id": 1 })), ADMINS),
        ("notices/progress", Body::Form(&[("id", "1")]), ADMINS),
        ("notices/progress-csv", Body::Form(&[("id", "1")]), ADMINS),
        // Safety notices: the clinics' side.
        ("clinic-notices/list", Body::Form(&[]), CLINIC),
        ("clinic-notices/detail", Body::Form(&[("id", "1")]), CLINIC),
        (
            "clinic-notices/acknowledge",
            Body::Json(
                || json!({ "request": { "notice_id": 1, "record_id": 1, "kind": "review_booked", "reason": "" } }),
            ),
            CLINIC,
        ),
        (
            "patients/report-mistake",
            Body::Json(|| json!({ "record_id": 999999, "message": "" })),
            PATIENTS,
        ),
        ("sign-out/everywhere", Body::Form(&[]), SIGNED_IN),
        ("sign-out", Body::Form(&[]), EVERYONE),
    ]
}

#[tokio::test]
async fn each_role_can_call_exactly_what_it_should() {
    let app = spawn_app().await;
    let organisation = app.organisation("Test Clinic").await;
    let mut browsers = Vec::new();
    for who in EVERYONE {
        let browser = match who {
            Who::Anonymous => Browser::new(&app),
            Who::Role(role) => {
                let email = format!("{}@example.test", role.as_str());
                let organisation = role.belongs_to_organisation().then_some(organisation);
                app.signed_in(&email, *role, organisation).await
            }
        };
        browsers.push((*who, browser));
    }

    let table = table();
    let covered: Vec<String> = table
        .iter()
        .map(|(endpoint, _, _)| format!("/api/{endpoint}"))
        .collect();
    for (path, _) in app.state.server_fns.iter() {
        assert!(
            covered.contains(path),
            "{path} is missing from the access table"
        );
    }

    let mut failures = Vec::new();
    for (endpoint, body, allowed) in &table {
        for (who, browser) in &browsers {
            let response = match body {
                Body::Form(form) => browser.call(endpoint, form).await,
                Body::Json(body) => browser.call_json(endpoint, &body()).await,
            };
            let status = response.status();
            let passed = !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN);
            if passed != allowed.contains(who) {
                failures.push(format!(
                    "{endpoint} as {who:?}: {status} {}",
                    response.text().await.unwrap()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access table violations:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = spawn_app().await;
    app.user("pat@example.test", Role::Patient, None).await;
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = app
            .client
            .post(app.url("/api/sign-in"))
            .header(header, value)
            .form(&[
                ("email", "pat@example.test"),
                ("password", crate::helpers::PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{header}: {value}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "cross_site_request");
    }
    // The same request from the portal's own pages passes.
    let response = app
        .client
        .post(app.url("/api/sign-in"))
        .header("origin", format!("http://{}", app.address))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", "pat@example.test"),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_audit_trail_cannot_be_edited_and_tampering_is_found() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let report: Value = admin.call("audit/verify", &[]).await.json().await.unwrap();
    assert_eq!(report["first_broken"], Value::Null);
    assert!(report["entries_checked"].as_u64().unwrap() >= 2);

    // The database refuses edits outright.
    let refused = app
        .sql_try_execute("UPDATE audit_log SET action = 'nothing' WHERE id = 1")
        .await;
    assert!(refused.unwrap_err().contains("append-only"));
    assert!(
        app.sql_try_execute("DELETE FROM audit_log WHERE id = 1")
            .await
            .is_err()
    );

    // Someone with raw access removes the guard and changes one entry: the verifier finds it.
    app.allow_audit_tampering().await;
    app.sql_execute("UPDATE audit_log SET client_ip = '10.9.9.9' WHERE id = 2")
        .await;
    let report = server::audit::verify(&app.state.database, None)
        .await
        .unwrap();
    let broken = report.first_broken.expect("tampering detected");
    assert_eq!(broken.entry_id, 2);
    assert!(broken.reason.contains("changed"), "{}", broken.reason);
    assert_eq!(report.entries_checked, 1);

    // The browsable trail shows the entries, newest first, filtered.
    let page: Value = admin
        .call_json("audit/list", &json!({ "query": { "action": "sign_in" } }))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        !actions.is_empty() && actions.iter().all(|a| a.starts_with("sign_in")),
        "{actions:?}"
    );
    let (status, body) = {
        let response = admin
            .call_json("audit/list", &json!({ "query": { "from": "2026-02-30" } }))
            .await;
        (response.status(), response.json::<Value>().await.unwrap())
    };
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["errors"][0]["field"], "from");
}

#[tokio::test]
async fn a_removed_audit_entry_is_found() {
    let app = spawn_app().await;
    app.signed_in("pat@example.test", Role::Patient, None).await;
    app.signed_in("pat2@example.test", Role::Patient, None)
        .await;
    app.allow_audit_tampering().await;
    app.sql_execute("DELETE FROM audit_log WHERE id = 1").await;
    let report = server::audit::verify(&app.state.database, None)
        .await
        .unwrap();
    assert_eq!(report.first_broken.unwrap().entry_id, 2);
}

#[tokio::test]
async fn the_first_administrator_is_created_by_invitation_without_a_default_password() {
    let app = spawn_app().await;
    let link = server::seed::create_admin(&app.state, "first.admin@example.test", "First Admin")
        .await
        .unwrap();
    assert!(link.contains("/account/set-password?token="), "{link}");
    let hash: Option<String> = app
        .sql_scalar("SELECT password_hash FROM users WHERE email = 'first.admin@example.test'")
        .await;
    assert_eq!(hash, None);
    assert!(
        server::seed::create_admin(&app.state, "first.admin@example.test", "Again")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn demo_data_has_one_account_of_each_role_and_is_created_once() {
    let app = spawn_app().await;
    server::seed::demo(&app.state, Some(crate::helpers::PASSWORD))
        .await
        .unwrap();
    server::seed::demo(&app.state, Some(crate::helpers::PASSWORD))
        .await
        .unwrap();
    let roles: Vec<String> = app.sql_column("SELECT role FROM users ORDER BY role").await;
    assert_eq!(
        roles,
        ["clinic_manager", "clinic_user", "patient", "registry_admin"]
    );
    let browser = Browser::new(&app);
    browser.sign_in("patient.demo@example.test").await;
}
