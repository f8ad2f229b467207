//! The OpenAPI 3 description of `/api/v1`, served at `/api/v1/openapi.json`. Tests check that
//! real responses have the properties it declares.

use axum::Json;
use serde_json::{Value, json};

pub async fn document() -> Json<Value> {
    Json(specification())
}

pub fn specification() -> Value {
    let nullable_string = json!({ "type": ["string", "null"] });
    let nullable_number = json!({ "type": ["number", "null"] });
    let as_of = json!({
        "name": "as_of", "in": "query", "required": false,
        "schema": { "type": "string", "format": "date" },
        "description": "The analysis date: primaries up to and including it, followed to it. Today if not given; not in the future.",
    });
    let error_response = |description: &str| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
        })
    };
    // The statistics come from a snapshot of the registry refreshed in the background.
    let records_read_at = json!({
        "description": "When the registry's records behind these figures were read: a record sent after this is in a later answer.",
        "schema": { "type": "string" },
    });
    let mut specification = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Implant Registry API",
            "version": "1.0.0",
            "description": "The Implant Registry's API for other systems. Errors are JSON with a stable `code` and a `message` written for people.",
        },
        "paths": {
            "/api/v1/statistics/survival": {
                "get": {
                    "operationId": "survival",
                    "summary": "Kaplan–Meier cumulative percent revised of a device or a body site",
                    "description": "Every primary procedure containing the device (or at the body site) up to the analysis date, followed to its first linked revision or removal. Give exactly one of device_identifier and body_site. Counts are controlled as on the public pages: 1 to 7 is the string \"1–7\", others are rounded to 5; estimates are null where fewer than 10 remain at risk.",
                    "parameters": [
                        { "name": "device_identifier", "in": "query", "required": false, "schema": { "type": "string", "maxLength": 50 }, "description": "The UDI-DI, e.g. a GTIN-14." },
                        { "name": "body_site", "in": "query", "required": false, "schema": { "type": "string", "enum": ["hip", "knee", "shoulder", "elbow", "ankle", "spine", "breast", "heart_valve", "cardiac_rhythm", "other"] } },
                        as_of,
                    ],
                    "responses": {
                        "200": {
                            "description": "The survival table at whole years 1 to 20.",
                            "headers": { "Last-Modified": records_read_at.clone() },
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Survival" } } },
                        },
                        "400": error_response("Neither or both of device_identifier and body_site, an unknown body site, or an analysis date that is not a date or is in the future."),
                        "404": error_response("No procedure and no register entry has this device identifier."),
                        "429": error_response("Too many analyses as of days other than today from this address; see Retry-After."),
                    },
                },
            },
            "/api/v1/statistics/outliers": {
                "get": {
                    "operationId": "outliers",
                    "summary": "Devices revised more often than the rest of their body-site group",
                    "description": "A device is flagged when it has at least 10 linkable primaries, its revision rate per 100 component-years is at least twice that of every other primary of its body site without it, and the one-sided Poisson probability of at least its revisions at the group's rate is below 0.05. The national joint registry's level is given beside it.",
                    "parameters": [
                        as_of,
                        { "name": "body_site", "in": "query", "required": false, "schema": { "type": "string", "enum": ["hip", "knee", "shoulder", "elbow", "ankle", "spine", "breast", "heart_valve", "cardiac_rhythm", "other"] }, "description": "Only this body site's group." },
                    ],
                    "responses": {
                        "200": {
                            "description": "The flagged devices, by body site, most excessive first.",
                            "headers": { "Last-Modified": records_read_at },
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Outliers" } } },
                        },
                        "400": error_response("An unknown body site, or an analysis date that is not a date or is in the future."),
                        "429": error_response("Too many analyses as of days other than today from this address; see Retry-After."),
                    },
                },
            },
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
                "Count": {
                    "oneOf": [
                        { "type": "integer", "minimum": 0, "description": "Rounded to the nearest 5 (0 is shown as 0)." },
                        { "type": "string", "pattern": "^[0-9]+–[0-9]+$", "description": "A small count that is not shown: only its range, e.g. \"1–7\"." },
                    ],
                    "description": "A count of people or procedures after disclosure control.",
                },
                "Survival": {
                    "type": "object",
                    "required": ["primaries", "revisions", "unlinkable", "table"],
                    "properties": {
                        "primaries": { "$ref": "#/components/schemas/Count", "description": "Primaries followed (with a patient pseudonym)." },
                        "revisions": { "$ref": "#/components/schemas/Count", "description": "First linked revisions or removals of those primaries." },
                        "unlinkable": { "$ref": "#/components/schemas/Count", "description": "Primaries without a pseudonym (no consent): counted in volumes, not followed." },
                        "table": { "type": "array", "items": { "$ref": "#/components/schemas/SurvivalRow" }, "description": "Whole years 1 to 20." },
                    },
                },
                "SurvivalRow": {
                    "type": "object",
                    "required": ["years", "at_risk", "revisions", "cumulative_percent_revised", "lower_95", "upper_95"],
                    "properties": {
                        "years": { "type": "integer", "minimum": 1, "maximum": 20 },
                        "at_risk": { "$ref": "#/components/schemas/Count" },
                        "revisions": { "$ref": "#/components/schemas/Count", "description": "Revisions up to this year (cumulative)." },
                        "cumulative_percent_revised": { "type": ["number", "null"], "description": "Kaplan–Meier 100·(1 − S(t)); null where fewer than 10 remain at risk." },
                        "lower_95": { "type": ["number", "null"], "description": "95 % limit from Greenwood's variance on the log(−log) scale." },
                        "upper_95": nullable_number,
                    },
                },
                "Outliers": {
                    "type": "object",
                    "required": ["outliers"],
                    "properties": { "outliers": { "type": "array", "items": { "$ref": "#/components/schemas/Outlier" } } },
                },
                "Outlier": {
                    "type": "object",
                    "required": ["device_identifier", "body_site", "primaries", "revisions", "component_years", "rate_per_100", "rate_lower_95", "rate_upper_95", "group_rate_per_100", "ratio", "p_value", "njr_level", "flagged"],
                    "properties": {
                        "device_identifier": { "type": "string" },
                        "body_site": { "type": "string", "description": "The body-site group the device was screened in (a device used at two sites is screened in each)." },
                        "primaries": { "$ref": "#/components/schemas/Count", "description": "Linkable primaries containing the device." },
                        "revisions": { "$ref": "#/components/schemas/Count" },
                        "component_years": { "type": "number", "minimum": 0 },
                        "rate_per_100": { "type": ["number", "null"], "description": "Revisions per 100 component-years." },
                        "rate_lower_95": { "type": ["number", "null"], "description": "Exact Poisson 95 % limit." },
                        "rate_upper_95": nullable_number,
                        "group_rate_per_100": { "type": ["number", "null"], "description": "The rate of every other primary of the body site that does not contain the device." },
                        "ratio": { "type": ["number", "null"], "description": "rate_per_100 / group_rate_per_100; null when the group had no revisions." },
                        "p_value": { "type": ["number", "null"], "description": "One-sided Poisson probability of at least this many revisions at the group's rate." },
                        "njr_level": { "type": ["integer", "null"], "enum": [1, 2, null], "description": "National Joint Registry level: 1 for ≥ 2× with ≥ 100 primaries; 2 for ≥ 2× with fewer, or ≥ 1.5× with ≥ 100." },
                        "flagged": { "type": "boolean", "const": true },
                    },
                },
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
