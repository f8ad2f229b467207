//! Registry statistics over HTTP on a small synthetic registry: the pages' figures and the
//! REST answers agree, the public never sees a small count exactly, administrators see exact
//! figures, a clinic sees only itself, figures follow new submissions, and the synthetic
//! registry and the analysts' extract behave.
//!
//! Figures are read into the app's own types (`app::api::statistics`); the disclosure rule is
//! also checked on the JSON as sent, where a suppressed count is the text "1–7" and a shown one
//! a number.

use app::api::session::Role;
use app::api::statistics::{PublicStatistics, StatisticsQuery};
use domain::calendar::CalendarDate;
use domain::procedure::ComponentEntry;
use domain::statistics::Count;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::synthetic::{self, Plan};

use crate::helpers::{Browser, TestApp, spawn_app};
use crate::procedures::{site_of, submission, submit};
use crate::responses::read;

mod bulk_fill;
mod dashboards;
mod downloads;
mod on_paper;
mod rest;
mod synthetic_registry;

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

/// A clinician of the synthetic registry's `clinic`-th clinic, signed in; the clinic's id.
pub async fn clinician_at(app: &TestApp, clinic: usize) -> (i64, Browser<'_>) {
    let name = synthetic::catalogue::CLINICS[clinic].name;
    let organisation = organisation_named(app, name).await;
    let clinician = app
        .signed_in(
            "clinician@example.test",
            Role::ClinicUser,
            Some(organisation),
        )
        .await;
    (organisation, clinician)
}

/// A primary with one component recorded at the clinician's clinic, without consent.
pub async fn submit_unlinked(
    app: &TestApp,
    (organisation, clinician): &(i64, Browser<'_>),
    key: &str,
    component: ComponentEntry,
) {
    let site = site_of(app, *organisation).await;
    let record = submission(key, site, vec![component], None);
    let (status, receipt) = submit(clinician, &record).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
}

/// The filters with only the analysis date set.
pub fn as_of(date: &str) -> StatisticsQuery {
    StatisticsQuery {
        as_of: date.into(),
        ..StatisticsQuery::default()
    }
}

/// The national dashboard as sent (JSON).
pub async fn dashboard_json(browser: &Browser<'_>, query: &StatisticsQuery) -> Value {
    let response = browser
        .call_json("statistics/public", &json!({ "query": query }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The national dashboard, read.
pub async fn dashboard(browser: &Browser<'_>, query: &StatisticsQuery) -> PublicStatistics {
    read(&dashboard_json(browser, query).await)
}

/// A count shown as it is (or rounded, for the public).
pub fn shown(count: u64) -> Count {
    Count::Shown(count)
}

/// A count from 1 to 7, as the public sees it.
pub const SUPPRESSED: Count = Count::Suppressed { from: 1, to: 7 };

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

/// Checks that every suppressed count in `value` is written "1–7" on the wire; returns how
/// many there are.
pub fn assert_suppressed_as_range(value: &Value) -> usize {
    let mut found = Vec::new();
    counts(value, &mut found);
    let suppressed: Vec<&Value> = found.iter().filter(|count| count.is_string()).collect();
    for count in &suppressed {
        assert_eq!(*count, "1–7");
    }
    suppressed.len()
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
