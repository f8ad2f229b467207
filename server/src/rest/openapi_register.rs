//! The OpenAPI description of the device register and safety notice endpoints, added to the
//! document `openapi::specification` builds.

use serde_json::{Value, json};

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
    })
}

pub fn add(specification: &mut Value) {
    let nullable_string = json!({ "type": ["string", "null"] });
    let nullable_boolean = json!({ "type": ["boolean", "null"] });
    specification["paths"]["/api/v1/devices/{di}"] = json!({
        "get": {
            "operationId": "getDevice",
            "summary": "A device register entry by any of its identifiers",
            "description": "Any identifier of the device answers: its primary UDI-DI, a package's DI (a box of 10), a previous DI, or one the registry matched. A GS1 GTIN of 8, 12 or 13 digits is found by its 14-digit form; HIBC barcode text with its leading + and check character is read as the DI it carries. Public: the register holds no patient data.",
            "parameters": [{
                "name": "di", "in": "path", "required": true,
                "schema": { "type": "string", "minLength": 1, "maxLength": 40 },
                "description": "The device identifier, e.g. 05060123450019, 5060123450019 or M456SPC3000.",
            }],
            "responses": {
                "200": {
                    "description": "The register entry.",
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Device" } } },
                },
                "404": error_response("No device in the register has this identifier."),
                "422": error_response("The text is not a device identifier of any issuing agency (a GTIN's check digit is wrong, say)."),
            },
        },
    });
    specification["paths"]["/api/v1/safety-notices"] = json!({
        "get": {
            "operationId": "listSafetyNotices",
            "summary": "The published field safety notices",
            "description": "Every published notice (and closed ones, marked so) as its version in force says it, with the devices it names and which of their units. Without patient data, clinics or counts.",
            "responses": {
                "200": {
                    "description": "The notices, newest first.",
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SafetyNoticeList" } } },
                },
            },
        },
    });
    let schemas = &mut specification["components"]["schemas"];
    schemas["Device"] = json!({
        "type": "object",
        "required": ["device_identifier", "agency", "brand_name", "version_model", "catalogue_number", "manufacturer", "gmdn", "emdn", "risk_class", "implantable", "mri_safety", "sterile", "single_use", "body_site", "side", "size", "status", "gudid_record", "identifiers"],
        "properties": {
            "device_identifier": { "type": "string", "description": "The primary UDI-DI: GS1 GTIN-14, HIBCC without check character, or ICCBBA." },
            "agency": { "type": "string", "enum": ["GS1", "HIBCC", "ICCBBA"] },
            "brand_name": { "type": "string" },
            "version_model": nullable_string,
            "catalogue_number": nullable_string,
            "manufacturer": {
                "type": "object",
                "required": ["name", "duns", "srn"],
                "properties": { "name": { "type": "string" }, "duns": nullable_string, "srn": nullable_string },
            },
            "gmdn": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Nomenclature" }] },
            "emdn": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Nomenclature" }] },
            "risk_class": { "type": ["string", "null"], "enum": ["i", "iia", "iib", "iii", "aimd", null] },
            "implantable": nullable_boolean,
            "mri_safety": { "type": ["string", "null"], "enum": ["mr_safe", "mr_conditional", "mr_unsafe", "not_labelled", null] },
            "sterile": nullable_boolean,
            "single_use": nullable_boolean,
            "body_site": nullable_string,
            "side": { "type": "string", "enum": ["left", "right", "either"] },
            "size": nullable_string,
            "status": { "type": "string", "enum": ["active", "withdrawn"], "description": "The register's own status: a withdrawn entry stays for records and notices." },
            "gudid_record": {
                "oneOf": [{ "type": "null" }, {
                    "type": "object",
                    "required": ["record_key", "version"],
                    "properties": { "record_key": { "type": "string" }, "version": { "type": "integer", "minimum": 0 } },
                }],
            },
            "identifiers": { "type": "array", "items": { "$ref": "#/components/schemas/DeviceIdentifierEntry" } },
        },
    });
    schemas["Nomenclature"] = json!({
        "type": "object",
        "required": ["code", "term"],
        "properties": { "code": { "type": "string" }, "term": { "type": "string" } },
    });
    schemas["DeviceIdentifierEntry"] = json!({
        "type": "object",
        "required": ["identifier", "agency", "kind", "contains", "quantity"],
        "properties": {
            "identifier": { "type": "string" },
            "agency": { "type": "string", "enum": ["GS1", "HIBCC", "ICCBBA"] },
            "kind": { "type": "string", "enum": ["primary", "secondary", "package", "unit_of_use", "previous", "direct_marking", "matched"] },
            "contains": { "type": ["string", "null"], "description": "For a package: the DI of what it holds." },
            "quantity": { "type": ["integer", "null"], "minimum": 1 },
        },
    });
    schemas["SafetyNoticeList"] = json!({
        "type": "object",
        "required": ["notices"],
        "properties": { "notices": { "type": "array", "items": { "$ref": "#/components/schemas/SafetyNotice" } } },
    });
    schemas["SafetyNotice"] = json!({
        "type": "object",
        "required": ["reference", "status", "version", "first_published_at", "version_published_at", "title", "manufacturer_reference", "fsn_date", "problem", "risk", "clinic_action", "patient_action", "devices"],
        "properties": {
            "reference": { "type": "string" },
            "status": { "type": "string", "enum": ["published", "closed"] },
            "version": { "type": "integer", "minimum": 1 },
            "first_published_at": { "type": "string", "format": "date-time" },
            "version_published_at": { "type": "string", "format": "date-time" },
            "title": { "type": "string" },
            "manufacturer_reference": { "type": "string" },
            "fsn_date": { "type": "string", "format": "date" },
            "problem": { "type": "string" },
            "risk": { "type": "string" },
            "clinic_action": { "type": "string" },
            "patient_action": { "type": "string", "description": "What patients should do, in plain English." },
            "devices": { "type": "array", "items": { "$ref": "#/components/schemas/NoticeDevice" } },
        },
    });
    schemas["NoticeDevice"] = json!({
        "type": "object",
        "required": ["device_identifier", "selection", "manufactured", "expiry"],
        "properties": {
            "device_identifier": { "type": "string", "description": "The device's primary UDI-DI." },
            "selection": { "$ref": "#/components/schemas/NoticeSelection" },
            "manufactured": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/DateWindow" }] },
            "expiry": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/DateWindow" }] },
        },
    });
    schemas["NoticeSelection"] = json!({
        "type": "object",
        "required": ["kind"],
        "description": "Which units: all of them, listed lots or serial numbers, or an inclusive range of lots or serials (the same prefix, compared by the number that ends them).",
        "properties": {
            "kind": { "type": "string", "enum": ["all_units", "lots", "serials", "lot_range", "serial_range"] },
            "lots": { "type": "array", "items": { "type": "string" } },
            "serials": { "type": "array", "items": { "type": "string" } },
            "range": {
                "type": "object",
                "required": ["first", "last"],
                "properties": { "first": { "type": "string" }, "last": { "type": "string" } },
            },
        },
    });
    schemas["DateWindow"] = json!({
        "type": "object",
        "required": ["from", "to"],
        "properties": {
            "from": { "type": ["string", "null"], "format": "date" },
            "to": { "type": ["string", "null"], "format": "date" },
        },
    });
}
