//! Reading answers into types. Server functions answer with the app's own DTOs (`app::api::…`,
//! `domain::…`), read back into them. The public REST API (`/api/v1/…`) builds its answers as
//! JSON by hand, so its types are mirrored here from the OpenAPI document's schemas, with
//! `deny_unknown_fields` so that an undocumented property fails the read. Enum values of the
//! REST contract stay text, so that a test compares the exact words on the wire.

// A mirror holds every documented property, read by a test or not: that is what makes
// `deny_unknown_fields` tell a documented property from an undocumented one.
#![allow(dead_code)]

use std::collections::BTreeMap;

use domain::register::DeviceScope;
use domain::statistics::OutlierRow;
use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::helpers::TestApp;

/// `value` as a `T`, or a panic that shows both.
pub fn read<T: DeserializeOwned>(value: &Value) -> T {
    T::deserialize(value)
        .unwrap_or_else(|error| panic!("{value} is not a {}: {error}", std::any::type_name::<T>()))
}

/// The answer of a call that must succeed (200), as a `T`; the body is in the panic message
/// when it did not.
pub async fn ok<T: DeserializeOwned>(response: reqwest::Response) -> T {
    let body = ok_body(response).await;
    serde_json::from_str(&body)
        .unwrap_or_else(|error| panic!("{body} is not a {}: {error}", std::any::type_name::<T>()))
}

/// Checks that a call answered 200 (its body is in the panic message when it did not).
pub async fn assert_ok(response: reqwest::Response) {
    ok_body(response).await;
}

async fn ok_body(response: reqwest::Response) -> String {
    let status = response.status();
    let body = response.text().await.expect("the answer's body");
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// `Error`: every HTTP-level error body of the REST API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
}

/// `Outliers`: `GET /api/v1/statistics/outliers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outliers {
    pub outliers: Vec<OutlierRow<String>>,
}

/// `SafetyNoticeList`: `GET /api/v1/safety-notices`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafetyNoticeList {
    pub notices: Vec<PublicNotice>,
}

/// `SafetyNotice`: a notice as its version in force says it, without clinics or patients.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicNotice {
    pub reference: String,
    /// `published` or `closed`.
    pub status: String,
    pub version: u32,
    pub first_published_at: String,
    pub version_published_at: String,
    pub title: String,
    pub manufacturer_reference: String,
    pub fsn_date: String,
    pub problem: String,
    pub risk: String,
    pub clinic_action: String,
    pub patient_action: String,
    pub devices: Vec<DeviceScope>,
}

/// `Device`: `GET /api/v1/devices/{di}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub device_identifier: String,
    pub agency: String,
    pub brand_name: String,
    pub version_model: Option<String>,
    pub catalogue_number: Option<String>,
    pub manufacturer: Manufacturer,
    pub gmdn: Option<Nomenclature>,
    pub emdn: Option<Nomenclature>,
    pub risk_class: Option<String>,
    pub implantable: Option<bool>,
    pub mri_safety: Option<String>,
    pub sterile: Option<bool>,
    pub single_use: Option<bool>,
    pub body_site: Option<String>,
    /// `left`, `right` or `either`.
    pub side: String,
    pub size: Option<String>,
    /// `active` or `withdrawn`.
    pub status: String,
    pub gudid_record: Option<GudidRecord>,
    pub identifiers: Vec<DeviceIdentifierEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manufacturer {
    pub name: String,
    pub duns: Option<String>,
    pub srn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nomenclature {
    pub code: String,
    pub term: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GudidRecord {
    pub record_key: String,
    pub version: u64,
}

/// `DeviceIdentifierEntry`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceIdentifierEntry {
    pub identifier: String,
    pub agency: String,
    pub kind: String,
    pub contains: Option<String>,
    pub quantity: Option<u32>,
}

/// `Udi`: `POST /api/v1/udi/parse` when the input reads as a UDI.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParsedUdi {
    /// `gs1`, `hibcc` or `iccbba`.
    pub agency: String,
    pub form: String,
    pub symbology: Option<String>,
    pub device_identifier: Option<String>,
    pub gtin: Option<String>,
    pub hibc: Option<Value>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<String>,
    pub manufactured: Option<String>,
    pub software_version: Option<String>,
    pub hibc_link_character: Option<String>,
    pub fields: Vec<UdiField>,
    pub isbt128: Vec<Value>,
    pub warnings: Vec<String>,
}

/// `UdiField`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UdiField {
    pub code: String,
    pub label: String,
    pub value: String,
}

/// `ParseErrors`: `POST /api/v1/udi/parse` when it does not.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParseErrors {
    pub errors: Vec<UdiError>,
}

/// `UdiError`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UdiError {
    pub code: String,
    pub message: String,
    pub ai: Option<String>,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub readings: Vec<Reading>,
}

/// `Reading`: one way to read an input whose separators were lost.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub elements: Vec<(String, String)>,
    pub human_readable: String,
}

/// The parts of the OpenAPI document the tests look at.
#[derive(Debug, Deserialize)]
pub struct OpenApi {
    pub openapi: String,
    pub paths: BTreeMap<String, PathItem>,
    pub components: Components,
}

#[derive(Debug, Deserialize)]
pub struct PathItem {
    pub get: Option<Operation>,
    pub post: Option<Operation>,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    /// By status code.
    pub responses: BTreeMap<String, Value>,
}

#[derive(Debug, Deserialize)]
pub struct Components {
    pub schemas: BTreeMap<String, Schema>,
}

#[derive(Debug, Deserialize)]
pub struct Schema {
    /// The properties an object always has.
    pub required: Option<Vec<String>>,
}

impl OpenApi {
    /// The document the server publishes, as it is and as read.
    pub async fn fetch(app: &TestApp) -> (Value, OpenApi) {
        let response = app.get("/api/v1/openapi.json").await;
        assert_eq!(response.status(), StatusCode::OK);
        let document: Value = response.json().await.unwrap();
        let typed = read(&document);
        (document, typed)
    }

    /// `method` (`get` or `post`) on `path`, where documented.
    pub fn operation(&self, path: &str, method: &str) -> Option<&Operation> {
        let item = self.paths.get(path)?;
        match method {
            "get" => item.get.as_ref(),
            "post" => item.post.as_ref(),
            other => panic!("no {other} operations are documented"),
        }
    }

    /// Whether `method` on `path` is documented with a `status` answer.
    pub fn answers(&self, path: &str, method: &str, status: &str) -> bool {
        self.operation(path, method)
            .and_then(|operation| operation.responses.get(status))
            .is_some_and(Value::is_object)
    }

    /// The properties the document says `schema` always has.
    pub fn required(&self, schema: &str) -> Vec<String> {
        self.components
            .schemas
            .get(schema)
            .and_then(|schema| schema.required.clone())
            .unwrap_or_else(|| panic!("schema {schema} has no required list"))
    }
}
