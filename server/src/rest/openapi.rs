//! The OpenAPI 3 description of `/api/v1`, served at `/api/v1/openapi.json`. Tests check that
//! real responses have the properties it declares.

use axum::Json;
use serde_json::{Value, json};

pub async fn document() -> Json<Value> {
    Json(specification())
}

pub fn specification() -> Value {
    let nullable_string = json!({ "type": ["string", "null"] });
    let mut specification = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Implant Registry API",
            "version": "1.0.0",
            "description": "The Implant Registry's API for other systems. Errors are JSON with a stable `code` and a `message` written for people.",
        },
        "paths": {
            "/api/v1/udi/parse": {
                "post": {
                    "operationId": "parseUdi",
                    "summary": "Parse a UDI from a barcode's text",
                    "description": "Accepts GS1 element strings (GS separators, AIM symbology identifiers and common keyboard-wedge substitutes such as ^] or <GS>), GS1 human-readable text, GS1 Digital Link URIs, HIBC primary/secondary data and ISBT 128 data structures. The same engine runs in the portal's browser app.",
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ParseRequest" } } },
                    },
                    "responses": {
                        "200": {
                            "description": "The UDI as read.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Udi" } } },
                        },
                        "400": {
                            "description": "The body is not the JSON this operation takes.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
                        },
                        "413": {
                            "description": "The body is larger than 16 KiB.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
                        },
                        "415": {
                            "description": "The body is not sent as application/json.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
                        },
                        "422": {
                            "description": "The text is not a valid UDI: every problem found, each with where it is and what to do.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ParseErrors" } } },
                        },
                    },
                },
            },
        },
        "components": {
            "schemas": {
                "ParseRequest": {
                    "type": "object",
                    "required": ["input"],
                    "additionalProperties": false,
                    "properties": {
                        "input": { "type": "string", "maxLength": 2000, "description": "The barcode's text as scanned or typed." },
                        "separators_trusted": { "type": "boolean", "default": false, "description": "True if the text came from a decoder that keeps GS1 separators; otherwise a lost separator is reported as an ambiguity." },
                    },
                },
                "Udi": {
                    "type": "object",
                    "required": ["agency", "form", "symbology", "device_identifier", "gtin", "hibc", "lot", "serial", "expiry", "manufactured", "software_version", "hibc_link_character", "fields", "isbt128", "warnings"],
                    "properties": {
                        "agency": { "type": "string", "enum": ["gs1", "hibcc", "iccbba"] },
                        "form": { "type": "string", "enum": ["gs1_element_string", "gs1_human_readable", "gs1_digital_link", "hibc_primary", "hibc_secondary", "hibc_primary_and_secondary", "isbt128"] },
                        "symbology": nullable_string,
                        "device_identifier": { "type": ["string", "null"], "description": "The UDI-DI: a GTIN-14, or HIBC labeler + product + unit of measure." },
                        "gtin": { "type": ["string", "null"], "pattern": "^[0-9]{14}$" },
                        "hibc": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/HibcPrimary" }] },
                        "lot": nullable_string,
                        "serial": nullable_string,
                        "expiry": { "type": ["string", "null"], "description": "ISO 8601 date, with a time where the label gives one (2027-06-30 or 2027-06-30T14:30)." },
                        "manufactured": { "type": ["string", "null"], "description": "ISO 8601 date." },
                        "software_version": nullable_string,
                        "hibc_link_character": { "type": ["string", "null"], "minLength": 1, "maxLength": 1 },
                        "fields": { "type": "array", "items": { "$ref": "#/components/schemas/UdiField" } },
                        "isbt128": { "type": "array", "items": { "$ref": "#/components/schemas/Isbt128Structure" } },
                        "warnings": { "type": "array", "items": { "type": "string" } },
                    },
                },
                "UdiField": {
                    "type": "object",
                    "required": ["code", "label", "value"],
                    "properties": {
                        "code": { "type": "string", "description": "The GS1 AI, or the HIBC part's name." },
                        "label": { "type": "string" },
                        "value": { "type": "string" },
                    },
                },
                "HibcPrimary": {
                    "type": "object",
                    "required": ["labeler", "product", "unit_of_measure", "check_character"],
                    "properties": {
                        "labeler": { "type": "string", "minLength": 4, "maxLength": 4 },
                        "product": { "type": "string", "minLength": 1, "maxLength": 18 },
                        "unit_of_measure": { "type": "integer", "minimum": 0, "maximum": 9 },
                        "check_character": { "type": "string", "minLength": 1, "maxLength": 1 },
                    },
                },
                "Isbt128Structure": {
                    "type": "object",
                    "required": ["identifier", "name", "data"],
                    "properties": {
                        "identifier": { "type": "string" },
                        "name": nullable_string,
                        "data": { "type": "string" },
                    },
                },
                "ParseErrors": {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": { "type": "array", "minItems": 1, "items": { "$ref": "#/components/schemas/UdiError" } },
                    },
                },
                "UdiError": {
                    "type": "object",
                    "required": ["code", "message", "ai", "start", "end", "readings"],
                    "properties": {
                        "code": { "type": "string", "description": "Stable, for programs: check_digit, invalid_date, ambiguous_separator, …" },
                        "message": { "type": "string", "description": "For people: what is wrong and how to fix it." },
                        "ai": { "type": ["string", "null"] },
                        "start": { "type": ["integer", "null"], "minimum": 1, "description": "First character concerned, counted from 1 in the input as sent." },
                        "end": { "type": ["integer", "null"], "minimum": 1 },
                        "readings": { "type": "array", "items": { "$ref": "#/components/schemas/Reading" }, "description": "For ambiguous_separator: each possible reading; resubmit the one that matches the label." },
                    },
                },
                "Reading": {
                    "type": "object",
                    "required": ["elements", "human_readable"],
                    "properties": {
                        "elements": { "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "string" }, { "type": "string" }], "minItems": 2, "maxItems": 2 } },
                        "human_readable": { "type": "string" },
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": { "type": "string" },
                        "message": { "type": "string" },
                    },
                },
            },
        },
    });
    super::openapi_register::add(&mut specification);
    specification
}
