//! `POST /api/v1/udi/parse` and the OpenAPI document that describes it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::responses::{ErrorBody, OpenApi, ParseErrors, ParsedUdi, read};

async fn parse(app: &TestApp, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/udi/parse"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Checks that `object`, as sent, has exactly the documented `properties`.
fn assert_has(object: &Value, properties: &[String], what: &str) {
    let keys: Vec<&String> = object.as_object().unwrap().keys().collect();
    for property in properties {
        assert!(
            object.get(property).is_some(),
            "{what} lacks {property}: has {keys:?}"
        );
    }
    assert_eq!(
        keys.len(),
        properties.len(),
        "{what} has undocumented properties: {keys:?}"
    );
}

#[tokio::test]
async fn a_valid_udi_is_answered_with_its_fields_as_documented() {
    let app = spawn_app().await;
    let (_, spec) = OpenApi::fetch(&app).await;
    let response = parse(
        &app,
        json!({ "input": "]d201095060001343521727063010AB12\u{1d}21X9" }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let sent: Value = response.json().await.unwrap();
    assert_has(&sent, &spec.required("Udi"), "Udi");
    let udi: ParsedUdi = read(&sent);
    assert_eq!(udi.agency, "gs1");
    assert_eq!(udi.gtin.as_deref(), Some("09506000134352"));
    assert_eq!(udi.lot.as_deref(), Some("AB12"));
    assert_eq!(udi.serial.as_deref(), Some("X9"));
    assert_eq!(udi.expiry.as_deref(), Some("2027-06-30"));
    assert_eq!(udi.symbology.as_deref(), Some("]d2"));
    assert!(!udi.fields.is_empty());
    assert_has(&sent["fields"][0], &spec.required("UdiField"), "UdiField");
}

#[tokio::test]
async fn an_invalid_udi_gets_422_with_every_problem_located() {
    let app = spawn_app().await;
    let (_, spec) = OpenApi::fetch(&app).await;
    let response = parse(&app, json!({ "input": "(01)09506000134353(17)271301" })).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let sent: Value = response.json().await.unwrap();
    for error in sent["errors"].as_array().unwrap() {
        assert_has(error, &spec.required("UdiError"), "UdiError");
    }
    let errors = read::<ParseErrors>(&sent).errors;
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].code, "check_digit");
    assert_eq!(errors[0].ai.as_deref(), Some("01"));
    assert_eq!((errors[0].start, errors[0].end), (Some(5), Some(18)));
    assert_eq!(
        errors[0].message,
        "The GTIN check digit should be 2, not 3: a character was probably misread or mistyped (AI 01, characters 5–18)"
    );
    assert_eq!(errors[1].code, "invalid_date");
}

#[tokio::test]
async fn a_lost_separator_is_answered_with_the_possible_readings() {
    let app = spawn_app().await;
    let response = parse(&app, json!({ "input": "010950600013435210AB1221XYZ9" })).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ParseErrors = response.json().await.unwrap();
    let readings = &body.errors[0].readings;
    assert_eq!(readings.len(), 2);
    assert_eq!(
        readings[1].human_readable,
        "(01)09506000134352(10)AB12(21)XYZ9"
    );
    // The same text with trusted separators reads as one lot.
    let response = parse(
        &app,
        json!({ "input": "010950600013435210AB1221XYZ9", "separators_trusted": true }),
    )
    .await;
    let udi: ParsedUdi = response.json().await.unwrap();
    assert_eq!(udi.lot.as_deref(), Some("AB1221XYZ9"));
}

#[tokio::test]
async fn the_api_answers_exactly_what_the_browser_engine_computes() {
    let app = spawn_app().await;
    for input in [
        "+A123BJC5D6E71J",
        "https://id.gs1.org/01/09506000134352?17=270600",
        "=<S1234000",
        "0109506000134352172700",
        "hello",
    ] {
        let response = parse(&app, json!({ "input": input })).await;
        let body: Value = response.json().await.unwrap();
        let year = server::rest::udi::current_year();
        let expected = match domain::udi::parse(input, &domain::udi::ParseOptions::new(year)) {
            Ok(udi) => serde_json::to_value(udi).unwrap(),
            Err(errors) => json!({ "errors": errors }),
        };
        assert_eq!(body, expected, "{input}");
    }
}

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/udi/parse"))
        .header("content-type", "application/json")
        .body("{\"input\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.error, "invalid_request");
    assert!(body.message.contains("\"input\""));

    let response = app
        .client
        .post(app.url("/api/v1/udi/parse"))
        .body("input=1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let response = parse(&app, json!({ "text": "01" })).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.error, "invalid_request");

    let response = parse(&app, json!({ "input": "1".repeat(2001) })).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ParseErrors = response.json().await.unwrap();
    assert_eq!(body.errors[0].code, "input_too_long");

    let response = parse(&app, json!({ "input": "1".repeat(20_000) })).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = spawn_app().await;
    let (document, spec) = OpenApi::fetch(&app).await;
    assert!(spec.openapi.starts_with("3."));
    assert!(spec.answers("/api/v1/udi/parse", "post", "422"));
    // Every $ref resolves.
    let text = document.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            spec.components.schemas.contains_key(name),
            "unresolved $ref {name}"
        );
    }
}
