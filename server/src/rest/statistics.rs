//! `GET /api/v1/statistics/survival` and `GET /api/v1/statistics/outliers`: the public
//! dashboard's figures for other systems, from the same service and the same disclosure
//! control as the pages (a count from 1 to 7 is the string "1–7", a withheld estimate `null`).

use app::api::ApiError;
use axum::Json;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::{HeaderValue, LAST_MODIFIED, RETRY_AFTER};
use axum::response::{IntoResponse, Response};
use domain::calendar::CalendarDate;
use domain::procedure::BodySite;
use serde::Deserialize;
use serde_json::json;

use crate::app::AppState;
use crate::db::types::Timestamp;
use crate::http::json_error;
use crate::http::server_fns::{client_address, status_of};
use crate::services::error::ServiceError;
use crate::services::statistics::SurvivalOf;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurvivalParams {
    pub device_identifier: Option<String>,
    pub body_site: Option<String>,
    pub as_of: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutlierParams {
    pub as_of: Option<String>,
    pub body_site: Option<String>,
}

fn invalid(message: impl Into<String>) -> Response {
    json_error(StatusCode::BAD_REQUEST, "invalid_request", message)
}

/// A figure with `Last-Modified`: when the registry's records behind it were read (the
/// figures come from a snapshot refreshed in the background, see `services::statistics`).
fn dated(figures: impl IntoResponse, records_read_at: Timestamp) -> Response {
    let mut response = figures.into_response();
    let http_date = httpdate::fmt_http_date(records_read_at.at().into());
    if let Ok(value) = HeaderValue::from_str(&http_date) {
        response.headers_mut().insert(LAST_MODIFIED, value);
    }
    response
}

/// A service refusal or failure as this API answers it.
fn refusal(error: ServiceError) -> Response {
    let error = ApiError::from(error);
    // A parameter the service refuses is a bad request here, as the others are.
    let status = match &error {
        ApiError::Invalid { .. } => StatusCode::BAD_REQUEST,
        other => status_of(other),
    };
    let code = match &error {
        ApiError::RateLimited { .. } => "rate_limited",
        ApiError::Invalid { .. } => "invalid_request",
        ApiError::Unavailable { .. } | ApiError::Busy { .. } => "unavailable",
        _ => "internal_error",
    };
    let message = match &error {
        ApiError::Invalid { errors } => errors
            .iter()
            .map(|problem| format!("{}: {}", problem.field, problem.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    };
    let mut response = json_error(status, code, message);
    if let ApiError::RateLimited {
        retry_after_seconds,
    }
    | ApiError::Unavailable {
        retry_after_seconds,
    } = error
    {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    }
    response
}

/// A parameter's problem, told to the caller as a bad request.
fn analysis_date(text: Option<&str>) -> Result<Option<CalendarDate>, String> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => CalendarDate::from_iso(text)
            .map(Some)
            .ok_or_else(|| format!("as_of must be a date such as 2026-11-30, not {text:?}")),
    }
}

fn body_site(text: Option<&str>) -> Result<Option<BodySite>, String> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(code) => BodySite::from_code(code).map(Some).ok_or_else(|| {
            let codes: Vec<&str> = BodySite::ALL.iter().map(|site| site.code()).collect();
            format!(
                "body_site must be one of {}, not {code:?}",
                codes.join(", ")
            )
        }),
    }
}

pub async fn survival(State(state): State<AppState>, request: Request) -> Response {
    let params = match Query::<SurvivalParams>::try_from_uri(request.uri()) {
        Ok(Query(params)) => params,
        Err(rejection) => return invalid(rejection.body_text()),
    };
    let as_of = match analysis_date(params.as_of.as_deref()) {
        Ok(as_of) => as_of,
        Err(message) => return invalid(message),
    };
    let device = params
        .device_identifier
        .as_deref()
        .map(str::trim)
        .filter(|identifier| !identifier.is_empty());
    let site = match body_site(params.body_site.as_deref()) {
        Ok(site) => site,
        Err(message) => return invalid(message),
    };
    let of = match (device, site) {
        (Some(identifier), None) if identifier.chars().count() <= 50 => {
            SurvivalOf::Device(identifier.to_string())
        }
        (Some(_), None) => return invalid("device_identifier has at most 50 characters"),
        (None, Some(site)) => SurvivalOf::BodySite(site),
        _ => return invalid("Give either device_identifier or body_site (one of them)"),
    };
    let ip = client_address(&state, &request);
    match state
        .statistics
        .survival(of.clone(), as_of, ip.as_deref(), None)
        .await
    {
        Ok(Some(answer)) => dated(Json(answer.figures), answer.records_read_at),
        Ok(None) => json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            match of {
                SurvivalOf::Device(identifier) => {
                    format!(
                        "No procedure and no register entry has the device identifier {identifier}"
                    )
                }
                SurvivalOf::BodySite(site) => format!("No figures for {}", site.code()),
            },
        ),
        Err(error) => refusal(error),
    }
}

pub async fn outliers(State(state): State<AppState>, request: Request) -> Response {
    let params = match Query::<OutlierParams>::try_from_uri(request.uri()) {
        Ok(Query(params)) => params,
        Err(rejection) => return invalid(rejection.body_text()),
    };
    let as_of = match analysis_date(params.as_of.as_deref()) {
        Ok(as_of) => as_of,
        Err(message) => return invalid(message),
    };
    let site = match body_site(params.body_site.as_deref()) {
        Ok(site) => site,
        Err(message) => return invalid(message),
    };
    let ip = client_address(&state, &request);
    match state
        .statistics
        .outliers(as_of, site, ip.as_deref(), None)
        .await
    {
        Ok(answer) => dated(
            Json(json!({ "outliers": answer.figures })),
            answer.records_read_at,
        ),
        Err(error) => refusal(error),
    }
}
