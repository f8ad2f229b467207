//! `GET /api/v1/devices/{di}`: a device register entry by any of its identifiers (its primary
//! DI, a package's, a previous one). Public: the register holds no patient data. A GTIN of 8,
//! 12 or 13 digits is found by its 14-digit form; HIBC barcode text with its `+` and check
//! character is read as the DI it carries.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::register::{DeviceEntry, DeviceIdentifier, DeviceSide};
use domain::udi::IssuingAgency;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::db::{identifiers, register};
use crate::http::json_error;

/// The stored form of a DI as typed in a request.
pub fn normalised(text: &str) -> Result<String, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return DeviceIdentifier::parse(IssuingAgency::Gs1, text)
            .map(|di| di.to_string())
            .map_err(|error| error.to_string());
    }
    if text.starts_with('+') {
        return DeviceIdentifier::from_hibc_barcode(text)
            .map(|di| di.to_string())
            .map_err(|error| error.to_string());
    }
    DeviceIdentifier::parse_stored(&text.to_ascii_uppercase())
        .map(|di| di.to_string())
        .map_err(|error| error.to_string())
}

/// The entry as the API describes it (`Device` in the OpenAPI document).
pub fn device_json(entry: &DeviceEntry, identifiers: &[identifiers::IdentifierRow]) -> Value {
    let nomenclature = |n: &Option<domain::register::Nomenclature>| {
        n.as_ref()
            .map(|n| json!({ "code": n.code, "term": n.term }))
    };
    json!({
        "device_identifier": entry.device_identifier.as_str(),
        "agency": entry.agency.name(),
        "brand_name": entry.brand_name,
        "version_model": entry.version_model,
        "catalogue_number": entry.catalogue_number,
        "manufacturer": {
            "name": entry.manufacturer.name,
            "duns": entry.manufacturer.duns,
            "srn": entry.manufacturer.srn,
        },
        "gmdn": nomenclature(&entry.gmdn),
        "emdn": nomenclature(&entry.emdn),
        "risk_class": entry.risk_class.map(|c| c.code()),
        "implantable": entry.implantable,
        "mri_safety": entry.mri_safety.map(|m| m.code()),
        "sterile": entry.sterile,
        "single_use": entry.single_use,
        "body_site": entry.body_site.map(|b| b.code()),
        "side": match entry.side { DeviceSide::Either => "either", side => side.code() },
        "size": entry.size,
        "status": entry.status.code(),
        "gudid_record": entry.gudid_record.as_ref().map(|r| json!({ "record_key": r.record_key, "version": r.version })),
        "identifiers": identifiers.iter().map(|row| json!({
            "identifier": row.identifier,
            "agency": row.agency,
            "kind": row.kind,
            "contains": row.contains,
            "quantity": row.quantity,
        })).collect::<Vec<_>>(),
    })
}

pub async fn by_identifier(State(state): State<AppState>, Path(di): Path<String>) -> Response {
    let identifier = match normalised(&di) {
        Ok(identifier) => identifier,
        Err(problem) => {
            return json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_device_identifier",
                problem,
            );
        }
    };
    let found = async {
        let mut connection = state.database.read().await?;
        let Some(stored) = register::by_identifier(&mut connection, &identifier).await? else {
            return Ok::<_, sqlx::Error>(None);
        };
        let rows = identifiers::of_device(&mut connection, stored.id).await?;
        Ok(Some(device_json(&stored.entry, &rows)))
    };
    match found.await {
        Ok(Some(device)) => Json(device).into_response(),
        Ok(None) => json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("No device in the register has the identifier {identifier}"),
        ),
        Err(error) => super::storage_error(error),
    }
}
