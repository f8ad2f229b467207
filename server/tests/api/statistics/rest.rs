//! `GET /api/v1/statistics/survival` and `…/outliers`: the pages' figures, as the OpenAPI
//! document describes them, and refusals of what they cannot answer.

use app::api::statistics::StatisticsQuery;
use domain::procedure::BodySite;
use domain::statistics::OutlierRow;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{as_of, dashboard, registry};
use crate::helpers::Browser;
use crate::responses::{ErrorBody, OpenApi, Outliers, read};

#[tokio::test]
async fn rest_answers_are_the_pages_figures() {
    let app = registry().await;
    let browser = Browser::new(&app);
    let figures = dashboard(&browser, &as_of("2026-06-30")).await;
    let device = figures
        .device_survival
        .expect("the most used device's survival")
        .device
        .device_identifier;
    let query = StatisticsQuery {
        device: device.clone(),
        ..as_of("2026-06-30")
    };
    let page = dashboard(&browser, &query).await;
    let rest: Value = app
        .get(&format!(
            "/api/v1/statistics/survival?device_identifier={device}&as_of=2026-06-30"
        ))
        .await
        .json()
        .await
        .unwrap();
    let page_device = page
        .device_survival
        .as_ref()
        .expect("the device's survival");
    assert_eq!(rest, serde_json::to_value(&page_device.report).unwrap());
    // The REST contract's property names, as sent.
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
    // Withheld estimates are null: the property is there, with null.
    let withheld = page_device
        .report
        .table
        .iter()
        .position(|row| row.cumulative_percent_revised.is_none())
        .expect("a withheld estimate");
    assert_eq!(
        rest["table"][withheld].get("cumulative_percent_revised"),
        Some(&Value::Null)
    );

    let hips: Value = app
        .get("/api/v1/statistics/survival?body_site=hip&as_of=2026-06-30")
        .await
        .json()
        .await
        .unwrap();
    let page_hips = page
        .site_survival
        .iter()
        .find(|site| site.body_site == BodySite::Hip)
        .unwrap();
    assert_eq!(hips, serde_json::to_value(&page_hips.report).unwrap());

    let outliers: Value = app
        .get("/api/v1/statistics/outliers?as_of=2026-06-30")
        .await
        .json()
        .await
        .unwrap();
    let flagged: Vec<OutlierRow<String>> = page
        .revision_rates
        .iter()
        .filter(|row| row.flagged)
        .map(|row| row.clone().map_device(|device| device.device_identifier))
        .collect();
    assert!(
        !flagged.is_empty(),
        "the synthetic registry's worse devices are flagged"
    );
    assert_eq!(read::<Outliers>(&outliers).outliers, flagged);
    assert_eq!(outliers, json!({ "outliers": flagged }));
    let first = &outliers["outliers"][0];
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
        assert!(first.get(key).is_some(), "{key}");
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
        let body: ErrorBody = response.json().await.unwrap();
        assert!(!body.message.is_empty());
    }
    let (_, document) = OpenApi::fetch(&app).await;
    for path in ["/api/v1/statistics/survival", "/api/v1/statistics/outliers"] {
        assert!(
            document.operation(path, "get").is_some(),
            "{path} is documented"
        );
    }
}
