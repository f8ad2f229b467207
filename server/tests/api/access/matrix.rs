//! The access matrix: every server function against every role, and a check that no
//! registered function is missing from it.

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

/// The arguments most functions are called with: none, or an id nothing has.
const NOTHING: &[(&str, &str)] = &[];
const UNKNOWN_USER: &[(&str, &str)] = &[("user_id", "999999")];
const UNKNOWN_RECORD: &[(&str, &str)] = &[("record_id", "999999")];
const FIRST_PAGE: &[(&str, &str)] = &[("page", "1")];
const FIRST_ITEM: &[(&str, &str)] = &[("id", "1")];

fn empty_query() -> Value {
    json!({ "query": {} })
}

fn first_item() -> Value {
    json!({ "id": 1 })
}

/// Every server function, the arguments to call it with, and who may pass its access check.
/// Ordered so that signing out comes last.
fn table() -> Vec<(&'static str, Body, &'static [Who])> {
    vec![
        ("status", Body::Form(NOTHING), EVERYONE),
        ("site", Body::Form(NOTHING), EVERYONE),
        ("session", Body::Form(NOTHING), EVERYONE),
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
        ("second-factor/enrolment", Body::Form(NOTHING), SIGNED_IN),
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
        ("accounts/list", Body::Json(empty_query), MANAGERS),
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
        ("accounts/reinvite", Body::Form(UNKNOWN_USER), MANAGERS),
        ("accounts/detail", Body::Form(UNKNOWN_USER), MANAGERS),
        (
            "accounts/reset-authenticator",
            Body::Form(UNKNOWN_USER),
            MANAGERS,
        ),
        ("accounts/unlock", Body::Form(UNKNOWN_USER), MANAGERS),
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
        ("organisations/list", Body::Form(NOTHING), MANAGERS),
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
        ("audit/list", Body::Json(empty_query), ADMINS),
        ("audit/export", Body::Json(empty_query), ADMINS),
        ("audit/verify", Body::Form(NOTHING), ADMINS),
        ("audit/security", Body::Form(NOTHING), ADMINS),
        ("admin/claim-reviews", Body::Form(FIRST_PAGE), ADMINS),
        (
            "admin/claim-reviews/resolve",
            Body::Json(|| json!({ "review_id": 999999, "outcome": "keep" })),
            ADMINS,
        ),
        ("procedures/form-options", Body::Form(NOTHING), CLINIC),
        ("pseudonym/key", Body::Form(NOTHING), SIGNED_IN),
        (
            "pseudonym/evaluate",
            Body::Json(|| json!({ "blinded": [] })),
            CLINIC,
        ),
        ("procedures/draft-key", Body::Form(NOTHING), CLINIC),
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
            Body::Json(empty_query),
            CLINIC_AND_ADMINS,
        ),
        (
            "procedures/detail",
            Body::Form(UNKNOWN_RECORD),
            CLINIC_AND_ADMINS,
        ),
        (
            "procedures/correct",
            Body::Json(
                || json!({ "correction": { "record_id": 999999, "reason": "x", "submission": refused_submission() } }),
            ),
            CLINIC,
        ),
        ("procedures/card", Body::Form(UNKNOWN_RECORD), CLINIC),
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
        ("patients/implants", Body::Form(NOTHING), PATIENTS),
        ("patients/access-log", Body::Form(FIRST_PAGE), PATIENTS),
        (
            "patients/export",
            Body::Json(|| json!({ "format": "Csv" })),
            PATIENTS,
        ),
        // Registry statistics: the national figures for anyone (controlled unless exact is
        // allowed), a clinic's own figures for its staff.
        ("statistics/public", Body::Json(empty_query), EVERYONE),
        ("statistics/clinic", Body::Json(empty_query), CLINIC),
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
        ("register/device", Body::Form(FIRST_ITEM), ADMINS),
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
        ("register/review", Body::Form(FIRST_PAGE), ADMINS),
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
        ("notices/list", Body::Form(FIRST_PAGE), ADMINS),
        (
            "notices/create",
            Body::Json(|| json!({ "form": NoticeForm::default() })),
            ADMINS,
        ),
        ("notices/detail", Body::Form(FIRST_ITEM), ADMINS),
        (
            "notices/save",
            Body::Json(|| json!({ "id": 1, "form": NoticeForm::default() })),
            ADMINS,
        ),
        ("notices/new-version", Body::Json(first_item), ADMINS),
        ("notices/publish", Body::Json(first_item), ADMINS),
        ("notices/close", Body::Json(first_item), ADMINS),
        ("notices/progress", Body::Form(FIRST_ITEM), ADMINS),
        ("notices/progress-csv", Body::Form(FIRST_ITEM), ADMINS),
        // Safety notices: the clinics' side.
        ("clinic-notices/list", Body::Form(NOTHING), CLINIC),
        ("clinic-notices/detail", Body::Form(FIRST_ITEM), CLINIC),
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
        ("sign-out/everywhere", Body::Form(NOTHING), SIGNED_IN),
        ("sign-out", Body::Form(NOTHING), EVERYONE),
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
