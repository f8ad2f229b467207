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

mod bulk_fill;

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

/// The id of the synthetic clinic called `name` (names may hold an apostrophe).
pub async fn organisation_named(app: &TestApp, name: &str) -> i64 {
    app.sql_scalar(&format!(
        "SELECT id FROM organisations WHERE name = '{}'",
        name.replace('\'', "''")
    ))
    .await
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
    let organisation = organisation_named(&app, name).await;
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
    let organisation = organisation_named(&app, name).await;
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
    // The first request after the write is answered from the figures already worked out (no
    // request waits for the registry to be read) and starts a refresh in the background; the
    // new record is in the figures once it has run.
    let first = dashboard(&admin, json!({})).await["linkage"]["primaries"]
        .as_u64()
        .unwrap();
    assert!(
        first == before || first == before + 1,
        "{first} after {before}"
    );
    let mut after = first;
    for _ in 0..300 {
        if after == before + 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        after = dashboard(&admin, json!({})).await["linkage"]["primaries"]
            .as_u64()
            .unwrap();
    }
    assert_eq!(
        after,
        before + 1,
        "the data version moved and the figures were worked out again in the background"
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

/// A registry small enough to work out on paper (see [`a_small_registry_has_the_figures_worked_out_by_hand`]):
/// twelve followable hip primaries on 1 January 2020 at the first clinic, three of them
/// revised, one primary without consent, one revision of a primary done before the registry,
/// one second revision.
fn registry_on_paper() -> Vec<synthetic::SyntheticProcedure> {
    use domain::procedure::{BodySite, Laterality, ProcedureType, RevisionReason, Sex};
    use synthetic::catalogue::{DEVICES, UNREGISTERED, unregistered_gtin};
    let day = |text: &str| CalendarDate::from_iso(text).unwrap();
    let component =
        |identifier: String, registered: bool, lot: Option<&str>, serial: Option<&str>| {
            synthetic::SyntheticComponent {
                device_identifier: identifier,
                register_entry: registered.then_some(0),
                lot: lot.map(str::to_string),
                serial: serial.map(str::to_string),
                expiry: day("2030-01-01"),
            }
        };
    let stem = || component(DEVICES[0].gtin(), true, Some("LOT1"), None);
    let procedure =
        |date: &str, kind: ProcedureType, patient: Option<u32>| synthetic::SyntheticProcedure {
            clinic: 0,
            site: 0,
            consultant_gmc: "1234567".into(),
            date: day(date),
            kind,
            body_site: BodySite::Hip,
            laterality: Laterality::Left,
            revision_reasons: if kind == ProcedureType::Primary {
                Vec::new()
            } else {
                vec![RevisionReason::Infection]
            },
            // Pseudonyms are keyed-hash output: 64 hex digits that differ from the start.
            pseudonym: patient.map(|patient| {
                format!(
                    "{:016x}",
                    u64::from(patient).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                )
                .repeat(4)
            }),
            year_of_birth: 1950,
            sex: Sex::Female,
            postcode_district: "LS1",
            components: vec![stem()],
        };
    let mut registry: Vec<_> = (1..=12)
        .map(|patient| procedure("2020-01-01", ProcedureType::Primary, Some(patient)))
        .collect();
    // Patient 10: no lot or serial; patient 11: a second, registered, part with a serial only;
    // patient 12: no lot or serial either.
    registry[9].components = vec![component(DEVICES[0].gtin(), true, None, None)];
    registry[10]
        .components
        .push(component(DEVICES[0].gtin(), true, None, Some("SN11")));
    registry[11].components = vec![component(DEVICES[0].gtin(), true, None, None)];
    // No consent: in the volumes, not in the survival; its part is not in the register.
    let mut unconsented = procedure("2020-01-01", ProcedureType::Primary, None);
    unconsented.components = vec![component(
        unregistered_gtin(UNREGISTERED[0].0),
        false,
        Some("LOT9"),
        None,
    )];
    registry.push(unconsented);
    registry.push(procedure("2020-07-01", ProcedureType::Revision, Some(1)));
    registry.push(procedure("2021-07-01", ProcedureType::Revision, Some(2)));
    registry.push(procedure("2022-01-01", ProcedureType::Revision, Some(3)));
    // Patient 3's second revision: not counted again.
    registry.push(procedure("2023-01-01", ProcedureType::Revision, Some(3)));
    // Patient 99 had the primary before the registry began.
    registry.push(procedure("2023-03-01", ProcedureType::Revision, Some(99)));
    registry
}

fn close(actual: &Value, expected: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{actual} is a number"));
    assert!(
        (actual - expected).abs() < 0.005,
        "{actual} is {expected} to the second decimal"
    );
}

#[tokio::test]
async fn a_small_registry_has_the_figures_worked_out_by_hand() {
    let app = spawn_app().await;
    synthetic::fill_with(
        &app.state.database,
        registry_on_paper().into_iter(),
        json!("made by hand"),
    )
    .await
    .unwrap();
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let query = json!({ "as_of": "2026-06-30", "body_site": "hip" });
    let exact = dashboard(&admin, query.clone()).await;
    assert_eq!(exact["exact"], true);

    // Linkage: 13 primaries (1 without a pseudonym), 5 revisions, of which 3 first linked,
    // 1 later revision of patient 3, 1 without a primary.
    let linkage = &exact["linkage"];
    for (key, expected) in [
        ("primaries", 13),
        ("unlinkable_primaries", 1),
        ("revisions", 5),
        ("linked_revisions", 3),
        ("later_revisions", 1),
        ("revisions_without_primary", 1),
    ] {
        assert_eq!(linkage[key], expected, "{key}");
    }

    // Follow-up from 2020-01-01: revisions at 182, 547 and 731 days; nine censored at
    // 2026-06-30, 2372 days. Kaplan–Meier: S = 11/12 after 182 days (G = 1/(12·11)),
    // 10/12 after 547 (G += 1/(11·10)), 9/12 after 731 (G += 1/(10·9)).
    let hips = exact["site_survival"]
        .as_array()
        .unwrap()
        .iter()
        .find(|site| site["body_site"] == "hip")
        .unwrap()["report"]
        .clone();
    assert_eq!(
        (&hips["primaries"], &hips["revisions"], &hips["unlinkable"]),
        (&json!(12), &json!(3), &json!(1))
    );
    let year = |n: usize| hips["table"][n - 1].clone();
    // Year 1 (365.25 days): 11 at risk, 1 revised, 100·(1 − 11/12) = 8.33 %.
    // ln S = −0.08701, √G = 0.08704, spread = 1.95996·0.08704/0.08701 = 1.9606,
    // ln(−ln S) = −2.4417: S between exp(−exp(−2.4417 + 1.9606)) = 0.5390 and
    // exp(−exp(−2.4417 − 1.9606)) = 0.9878, so 1.22 % to 46.10 % revised.
    assert_eq!(
        (&year(1)["at_risk"], &year(1)["revisions"]),
        (&json!(11), &json!(1))
    );
    close(&year(1)["cumulative_percent_revised"], 8.33);
    close(&year(1)["lower_95"], 1.22);
    close(&year(1)["upper_95"], 46.10);
    // Year 2 (730.5 days): patient 3 (revised at 731 days) is still at risk: 10, 2 revised,
    // 100·(1 − 10/12) = 16.67 %; G = 1/132 + 1/110, limits 4.45 % to 51.83 %.
    assert_eq!(
        (&year(2)["at_risk"], &year(2)["revisions"]),
        (&json!(10), &json!(2))
    );
    close(&year(2)["cumulative_percent_revised"], 16.67);
    close(&year(2)["lower_95"], 4.45);
    close(&year(2)["upper_95"], 51.83);
    // Year 3: 9 at risk, fewer than 10, so withheld; year 7: nobody followed so long.
    assert_eq!(year(3)["at_risk"], 9);
    assert!(year(3)["cumulative_percent_revised"].is_null());
    assert!(year(3)["lower_95"].is_null() && year(3)["upper_95"].is_null());
    assert_eq!(year(7)["at_risk"], 0);
    assert_eq!(hips["table"].as_array().unwrap().len(), 20);

    // Completeness in 2020: 13 primaries and patient 1's revision, 13 of 14 linkable
    // (92.86 %); 15 components, 14 matched to the register (93.33 %), 13 with a lot or serial
    // (86.67 %).
    let in_2020 = exact["completeness"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["year"] == 2020)
        .unwrap()
        .clone();
    for (key, expected) in [
        ("procedures", 14),
        ("linkable", 13),
        ("components", 15),
        ("matched_to_register", 14),
        ("with_lot_or_serial", 13),
    ] {
        assert_eq!(in_2020[key], expected, "{key}");
    }
    close(&in_2020["linkable_percent"], 92.86);
    close(&in_2020["matched_percent"], 93.33);
    close(&in_2020["lot_or_serial_percent"], 86.67);
    // Volumes: 2020 has 13 primaries and 1 revision; 2023 two revisions, no primary.
    let volume = |year: u16| {
        exact["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["year"] == year && row["body_site"] == "hip")
            .cloned()
    };
    let in_2020 = volume(2020).unwrap();
    assert_eq!(
        (&in_2020["primaries"], &in_2020["revisions"]),
        (&json!(13), &json!(1))
    );
    let in_2023 = volume(2023).unwrap();
    assert_eq!(
        (&in_2023["primaries"], &in_2023["revisions"]),
        (&json!(0), &json!(2))
    );

    // The public, and a clinic's staff on the public page, see the same figures controlled:
    // 1 to 7 as "1–7", the rest to the nearest 5 (13 → 15, 12 → 10, 11 → 10, 14 → 15);
    // rates and percentages as they are.
    let clinic = app
        .signed_in(
            "clinician@example.test",
            Role::ClinicUser,
            Some(organisation_named(&app, synthetic::catalogue::CLINICS[0].name).await),
        )
        .await;
    for viewer in [Browser::new(&app), clinic] {
        let public = dashboard(&viewer, query.clone()).await;
        assert_eq!(public["exact"], false);
        assert_eq!(public["linkage"]["primaries"], 15);
        assert_eq!(public["linkage"]["unlinkable_primaries"], "1–7");
        assert_eq!(public["linkage"]["revisions"], "1–7");
        let report = &public["site_survival"][0]["report"];
        assert_eq!(
            (
                &report["primaries"],
                &report["revisions"],
                &report["unlinkable"]
            ),
            (&json!(10), &json!("1–7"), &json!("1–7"))
        );
        let first = &report["table"][0];
        assert_eq!(
            (&first["at_risk"], &first["revisions"]),
            (&json!(10), &json!("1–7"))
        );
        assert_eq!(
            first["cumulative_percent_revised"],
            year(1)["cumulative_percent_revised"]
        );
        assert_eq!(report["table"][2]["at_risk"], 10, "9 rounds to 10");
        let completeness = &public["completeness"][0];
        assert_eq!(
            (&completeness["procedures"], &completeness["components"]),
            (&json!(15), &json!(15))
        );
        assert_eq!(
            completeness["linkable_percent"],
            exact["completeness"][0]["linkable_percent"]
        );
        // The REST answer is the public page's.
        let rest: Value = app
            .get("/api/v1/statistics/survival?body_site=hip&as_of=2026-06-30")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(&rest, report);
    }
}
