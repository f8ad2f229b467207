//! Registry statistics over HTTP on a small synthetic registry: the pages' figures and the
//! REST answers agree, the public never sees a small count exactly, administrators see exact
//! figures, a clinic sees only itself, figures follow new submissions, and the synthetic
//! registry and the analysts' extract behave.

use app::api::session::Role;
use domain::calendar::CalendarDate;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::synthetic::{self, Plan, SyntheticError};

use crate::helpers::{Browser, TestApp, spawn_app};
use crate::procedures::{site_of, submission, submit, udi};

pub const PROCEDURES: u64 = 4_000;

pub fn plan(seed: u64) -> Plan {
    Plan {
        procedures: PROCEDURES,
        seed,
        end: CalendarDate::new(2026, 6, 30).unwrap(),
    }
}

/// A test app holding a synthetic registry.
pub async fn registry() -> TestApp {
    let app = spawn_app().await;
    synthetic::fill(&app.state.database, &plan(5))
        .await
        .unwrap();
    app
}

pub async fn dashboard(browser: &Browser<'_>, query: Value) -> Value {
    let response = browser
        .call_json("statistics/public", &json!({ "query": query }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The names of the counts of people or procedures in the figures.
const COUNTS: &[&str] = &[
    "primaries",
    "revisions",
    "unlinkable",
    "at_risk",
    "unlinkable_primaries",
    "superseded_primaries",
    "linked_revisions",
    "later_revisions",
    "revisions_without_primary",
    "revisions_without_pseudonym",
    "procedures",
    "linkable",
    "components",
    "matched_to_register",
    "with_lot_or_serial",
];

/// Every count in `value` (at any depth), as JSON.
pub fn counts(value: &Value, found: &mut Vec<Value>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                if COUNTS.contains(&key.as_str()) && !member.is_object() && !member.is_array() {
                    found.push(member.clone());
                } else {
                    counts(member, found);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| counts(item, found)),
        _ => {}
    }
}

/// Checks the public rule on every count; returns how many were suppressed.
pub fn assert_controlled(value: &Value) -> usize {
    let mut found = Vec::new();
    counts(value, &mut found);
    assert!(found.len() > 50, "the figures have counts: {}", found.len());
    let mut suppressed = 0;
    for count in found {
        match count {
            Value::Number(number) => {
                let number = number.as_u64().expect("counts are whole");
                assert!(number % 5 == 0, "{number} is not rounded to 5");
            }
            Value::String(text) => {
                assert_eq!(text, "1–7");
                suppressed += 1;
            }
            other => panic!("{other} is not a published count"),
        }
    }
    suppressed
}

#[tokio::test]
async fn the_public_never_sees_a_count_from_one_to_seven_and_administrators_see_exact_ones() {
    let app = registry().await;
    let public = Browser::new(&app);
    let figures = dashboard(&public, json!({})).await;
    assert_eq!(figures["exact"], false);
    assert!(
        assert_controlled(&figures) > 0,
        "a small registry has small counts"
    );
    for site in ["hip", "knee", "breast"] {
        let one_site = dashboard(&public, json!({ "body_site": site })).await;
        assert_controlled(&one_site);
    }
    // The REST answers follow the same rule.
    let survival: Value = app
        .get("/api/v1/statistics/survival?body_site=breast")
        .await
        .json()
        .await
        .unwrap();
    let mut found = Vec::new();
    counts(&survival, &mut found);
    assert!(
        found
            .iter()
            .all(|count| count.as_u64().is_none_or(|n| n % 5 == 0))
    );

    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let exact = dashboard(&admin, json!({})).await;
    assert_eq!(exact["exact"], true);
    let primaries: i64 = app
        .sql_scalar("SELECT COUNT(*) FROM procedure_versions WHERE procedure_type = 'primary'")
        .await;
    assert_eq!(exact["linkage"]["primaries"], primaries);
    // The public's figure is the exact one rounded to 5.
    let rounded = (primaries + 2) / 5 * 5;
    assert_eq!(figures["linkage"]["primaries"], rounded);
    let mut found = Vec::new();
    counts(&exact, &mut found);
    assert!(
        found
            .iter()
            .any(|count| count.as_u64().is_some_and(|n| (1..=7).contains(&n)))
    );
    assert!(
        found.iter().all(Value::is_number),
        "administrators see numbers only"
    );
}

#[tokio::test]
async fn rest_answers_are_the_pages_figures() {
    let app = registry().await;
    let browser = Browser::new(&app);
    let figures = dashboard(&browser, json!({ "as_of": "2026-06-30" })).await;
    let device = figures["device_survival"]["device"]["device_identifier"]
        .as_str()
        .unwrap()
        .to_string();
    let page = dashboard(&browser, json!({ "as_of": "2026-06-30", "device": device })).await;
    let rest: Value = app
        .get(&format!(
            "/api/v1/statistics/survival?device_identifier={device}&as_of=2026-06-30"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest, page["device_survival"]["report"]);
    assert_eq!(
        rest.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["primaries", "revisions", "table", "unlinkable"]
    );
    let row = &rest["table"][0];
    for key in [
        "years",
        "at_risk",
        "revisions",
        "cumulative_percent_revised",
        "lower_95",
        "upper_95",
    ] {
        assert!(row.get(key).is_some(), "{key} in {row}");
    }
    // Withheld estimates are null.
    assert!(
        rest["table"]
            .as_array()
            .unwrap()
            .iter()
            .any(|row| row["cumulative_percent_revised"].is_null())
    );

    let hips: Value = app
        .get("/api/v1/statistics/survival?body_site=hip&as_of=2026-06-30")
        .await
        .json()
        .await
        .unwrap();
    let page_hips = page["site_survival"]
        .as_array()
        .unwrap()
        .iter()
        .find(|site| site["body_site"] == "hip")
        .unwrap();
    assert_eq!(hips, page_hips["report"]);

    let outliers: Value = app
        .get("/api/v1/statistics/outliers?as_of=2026-06-30")
        .await
        .json()
        .await
        .unwrap();
    let flagged: Vec<Value> = page["revision_rates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["flagged"] == true)
        .map(|row| {
            let mut row = row.clone();
            row["device_identifier"] = row["device_identifier"]["device_identifier"].clone();
            row
        })
        .collect();
    assert!(
        !flagged.is_empty(),
        "the synthetic registry's worse devices are flagged"
    );
    assert_eq!(outliers["outliers"].as_array().unwrap(), &flagged);
    for key in [
        "device_identifier",
        "primaries",
        "revisions",
        "component_years",
        "rate_per_100",
        "group_rate_per_100",
        "ratio",
        "p_value",
        "njr_level",
    ] {
        assert!(flagged[0].get(key).is_some(), "{key}");
    }
}

#[tokio::test]
async fn rest_refuses_what_it_cannot_answer() {
    let app = registry().await;
    for (query, status) in [
        ("", StatusCode::BAD_REQUEST),
        (
            "?body_site=hip&device_identifier=05060099000119",
            StatusCode::BAD_REQUEST,
        ),
        ("?body_site=elbowish", StatusCode::BAD_REQUEST),
        ("?body_site=hip&as_of=2099-01-01", StatusCode::BAD_REQUEST),
        ("?body_site=hip&as_of=yesterday", StatusCode::BAD_REQUEST),
        ("?body_site=hip&colour=red", StatusCode::BAD_REQUEST),
        ("?device_identifier=09999999999999", StatusCode::NOT_FOUND),
    ] {
        let response = app
            .get(&format!("/api/v1/statistics/survival{query}"))
            .await;
        assert_eq!(response.status(), status, "{query}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|message| !message.is_empty())
        );
    }
    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in ["/api/v1/statistics/survival", "/api/v1/statistics/outliers"] {
        assert!(
            document["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
}

#[tokio::test]
async fn a_clinic_sees_its_own_figures_only() {
    let app = registry().await;
    let name = synthetic::catalogue::CLINICS[0].name;
    let organisation: i64 = app
        .sql_scalar(&format!(
            "SELECT id FROM organisations WHERE name = '{name}'"
        ))
        .await;
    let clinician = app
        .signed_in(
            "clinician@example.test",
            Role::ClinicUser,
            Some(organisation),
        )
        .await;
    let response = clinician
        .call_json("statistics/clinic", &json!({ "query": {} }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let figures: Value = response.json().await.unwrap();
    assert_eq!(figures["organisation"], name);
    // Each year and site: this clinic's count, controlled, and never another clinic's.
    for row in figures["volumes"].as_array().unwrap() {
        let exact: i64 = app
            .sql_scalar(&format!(
                "SELECT COUNT(*) FROM procedure_versions WHERE organisation_id = {organisation} AND procedure_type = 'primary' \
                 AND body_site = '{}' AND procedure_date >= '{}-01-01' AND procedure_date <= '{}-12-31'",
                row["body_site"].as_str().unwrap(),
                row["year"],
                row["year"]
            ))
            .await;
        let expected = match exact {
            0 => json!(0),
            1..=7 => json!("1–7"),
            n => json!((n + 2) / 5 * 5),
        };
        assert_eq!(row["primaries"], expected, "{row}");
    }
    let own: i64 = figures["volumes"].as_array().unwrap().len() as i64;
    let national = figures["national_volumes"].as_array().unwrap().len() as i64;
    assert!(own > 0 && national >= own);
    assert_controlled(&figures);

    // Others may not look: patients, administrators (not a clinic), and nobody signed in.
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let refused = admin
        .call_json("statistics/clinic", &json!({ "query": {} }))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let anonymous = Browser::new(&app);
    let refused = anonymous
        .call_json("statistics/clinic", &json!({ "query": {} }))
        .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let refused = anonymous
        .call_json(
            "statistics/csv",
            &json!({ "figure": "clinic_volumes", "query": {} }),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn figures_follow_a_new_submission() {
    let app = registry().await;
    let name = synthetic::catalogue::CLINICS[1].name;
    let organisation: i64 = app
        .sql_scalar(&format!(
            "SELECT id FROM organisations WHERE name = '{name}'"
        ))
        .await;
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let before = dashboard(&admin, json!({})).await["linkage"]["primaries"]
        .as_u64()
        .unwrap();
    let clinician = app
        .signed_in(
            "clinician@example.test",
            Role::ClinicUser,
            Some(organisation),
        )
        .await;
    let gtin = synthetic::catalogue::DEVICES[0].gtin();
    let site = site_of(&app, organisation).await;
    let record = submission(
        "statistics-0000000001",
        site,
        vec![udi(&gtin, "281231", "LOT77")],
        None,
    );
    let (status, receipt) = submit(&clinician, &record).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    let after = dashboard(&admin, json!({})).await["linkage"]["primaries"]
        .as_u64()
        .unwrap();
    assert_eq!(
        after,
        before + 1,
        "the data version moved and the figures were worked out again"
    );
}

#[tokio::test]
async fn every_figure_downloads_as_csv_and_exact_downloads_are_audited() {
    let app = registry().await;
    let public = Browser::new(&app);
    for figure in [
        "volumes",
        "site_survival",
        "device_survival",
        "revision_rates",
        "funnel",
        "completeness",
    ] {
        let response = public
            .call_json("statistics/csv", &json!({ "figure": figure, "query": {} }))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{figure}");
        let file: Value = response.json().await.unwrap();
        assert!(file["file_name"].as_str().unwrap().ends_with(".csv"));
        let content = file["content"].as_str().unwrap();
        let mut reader = csv::Reader::from_reader(content.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(header.iter().next_back(), Some("figures"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(!rows.is_empty(), "{figure} has rows");
        assert!(rows.iter().all(|row| row.len() == header.len()));
        // Counts in the file follow the public rule too.
        for (index, column) in header.iter().enumerate() {
            if !COUNTS.contains(&column) && column != "revisions_and_removals" {
                continue;
            }
            for row in &rows {
                let cell = &row[index];
                assert!(
                    cell == "1–7" || cell.parse::<u64>().is_ok_and(|n| n % 5 == 0),
                    "{figure}: {column} = {cell}"
                );
            }
        }
    }
    assert!(
        !app.audit_actions()
            .await
            .iter()
            .any(|action| action == "statistics.downloaded")
    );
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let file: Value = admin
        .call_json(
            "statistics/csv",
            &json!({ "figure": "volumes", "query": {} }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        file["file_name"]
            .as_str()
            .unwrap()
            .contains("not-for-publication")
    );
    assert!(
        file["content"]
            .as_str()
            .unwrap()
            .contains("exact counts: not for publication")
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|action| action == "statistics.downloaded")
    );
}

#[tokio::test]
async fn the_synthetic_registry_refuses_a_database_with_records() {
    let app = registry().await;
    let count: i64 = app.sql_scalar("SELECT COUNT(*) FROM procedures").await;
    assert_eq!(count, PROCEDURES as i64);
    let devices: i64 = app.sql_scalar("SELECT COUNT(*) FROM devices").await;
    assert!(devices >= 40);
    match synthetic::fill(&app.state.database, &plan(6)).await {
        Err(error @ SyntheticError::NotEmpty(_)) => {
            assert!(
                error
                    .to_string()
                    .contains(&format!("{PROCEDURES} procedure records")),
                "{error}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        app.sql_scalar::<i64>("SELECT COUNT(*) FROM procedures")
            .await,
        count
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|action| action == "synthetic.filled")
    );
}

/// Everything the synthetic registry stored that its seed decides, in order.
async fn contents(app: &TestApp) -> Vec<String> {
    let mut rows: Vec<String> = app
        .sql_column(
            "SELECT v.procedure_type || ' ' || v.body_site || ' ' || v.laterality || ' ' || v.procedure_date || ' ' \
             || COALESCE(v.patient_pseudonym, '-') || ' ' || o.name || ' ' || v.year_of_birth || ' ' || v.sex \
             FROM procedure_versions v JOIN organisations o ON o.id = v.organisation_id ORDER BY v.procedure_id",
        )
        .await;
    rows.extend(
        app.sql_column::<String>(
            "SELECT c.device_identifier || ' ' || COALESCE(c.lot, '-') || ' ' || COALESCE(c.serial, '-') || ' ' || c.expiry \
             FROM procedure_components c ORDER BY c.id",
        )
        .await,
    );
    rows
}

#[tokio::test]
async fn the_same_seed_makes_the_same_registry() {
    let first = registry().await;
    let again = registry().await;
    let other = spawn_app().await;
    synthetic::fill(&other.state.database, &plan(6))
        .await
        .unwrap();
    let first = contents(&first).await;
    assert!(
        first.len() as u64 > 2 * PROCEDURES,
        "procedures and their components"
    );
    assert_eq!(first, contents(&again).await);
    assert_ne!(first, contents(&other).await);
}

#[tokio::test]
async fn the_extract_has_the_analysts_columns_one_row_per_procedure_and_is_audited() {
    let app = registry().await;
    let out = app.data_dir.path().join("extract.csv");
    let rows = server::cli::extract::write(&app.state.database, &out)
        .await
        .unwrap();
    assert_eq!(rows, PROCEDURES);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "procedure_id",
            "patient_pseudonym",
            "procedure_date",
            "procedure_type",
            "body_site",
            "laterality",
            "device_identifiers",
            "year_of_birth",
            "sex",
            "clinic",
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len() as u64, PROCEDURES);
    let first_id: i64 = app.sql_scalar("SELECT MIN(id) FROM procedures").await;
    let first = &records[0];
    assert_eq!(first[0].parse::<i64>().unwrap(), first_id);
    // Codes as stored; several devices joined by ';' in component order.
    let stored: String = app
        .sql_scalar(&format!(
            "SELECT procedure_type || ' ' || body_site || ' ' || laterality || ' ' || procedure_date FROM procedure_versions WHERE procedure_id = {first_id}"
        ))
        .await;
    assert_eq!(
        format!("{} {} {} {}", &first[3], &first[4], &first[5], &first[2]),
        stored
    );
    let components: Vec<String> = app
        .sql_column(&format!(
            "SELECT c.device_identifier FROM procedure_components c JOIN procedure_versions v ON v.id = c.version_id \
             WHERE v.procedure_id = {first_id} ORDER BY c.position"
        ))
        .await;
    assert_eq!(&first[6], components.join(";"));
    assert!(
        records.iter().any(|record| record[1].is_empty()),
        "no consent: no pseudonym"
    );
    assert!(
        records
            .iter()
            .all(|record| ["primary", "revision", "removal"].contains(&&record[3]))
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|action| action == "statistics.extracted")
    );
    // An existing file is never overwritten.
    assert!(
        server::cli::extract::write(&app.state.database, &out)
            .await
            .is_err()
    );
}
