//! A patient's data as files they can take elsewhere: an HL7 FHIR R4 bundle and a CSV table.
//! Plain functions of the records, so they are tested without a server.
//!
//! The bundle is built with `serde_json` rather than a FHIR model crate: `fhir-sdk` models
//! R4B and R5 but not R4, and the R4 models that exist (`fhirbolt`'s) are generated for all
//! of FHIR's resources, a large compile for the four this file writes. The end-to-end test
//! validates every download against the R4 structure definitions instead.

use app::api::patients::{PatientDevice, PatientProcedure};
use serde_json::{Value, json};
use uuid::Uuid;

/// The FHIR naming systems for device identifier issuers (FHIR R4 Device.udiCarrier.issuer).
fn issuer_of(agency: &str) -> Option<&'static str> {
    match agency {
        "GS1" => Some("http://hl7.org/fhir/NamingSystem/gs1-di"),
        "HIBCC" => Some("http://hl7.org/fhir/NamingSystem/hibcc-dI"),
        "ICCBBA" => Some("http://hl7.org/fhir/NamingSystem/iccbba-other-di"),
        _ => None,
    }
}

/// Drops the members that have no value: FHIR does not allow `null` or empty strings.
fn without_empty(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(key, value)| (key, without_empty(value)))
                .filter(|(_, value)| match value {
                    Value::Null => false,
                    Value::String(text) => !text.is_empty(),
                    Value::Array(items) => !items.is_empty(),
                    Value::Object(members) => !members.is_empty(),
                    _ => true,
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_empty).collect()),
        other => other,
    }
}

fn entry(id: Uuid, resource: Value) -> Value {
    json!({ "fullUrl": format!("urn:uuid:{id}"), "resource": without_empty(resource) })
}

fn device_resource(id: Uuid, patient: Uuid, device: &PatientDevice) -> Value {
    let carrier = device.device_identifier.as_ref().map(|identifier| {
        json!({
            "deviceIdentifier": identifier,
            "issuer": device.agency.as_deref().and_then(issuer_of),
            "carrierHRF": device.udi,
        })
    });
    let name = device
        .name
        .clone()
        .or_else(|| device.catalogue_number.clone());
    json!({
        "resourceType": "Device",
        "id": id.to_string(),
        "udiCarrier": carrier.into_iter().collect::<Vec<_>>(),
        "status": "active",
        "manufacturer": device.manufacturer,
        "expirationDate": device.expiry.map(|date| date.to_iso()),
        "lotNumber": device.lot,
        "serialNumber": device.serial,
        "deviceName": name.map(|name| json!([{ "name": name, "type": "user-friendly-name" }])),
        "modelNumber": device.catalogue_number,
        "patient": { "reference": format!("urn:uuid:{patient}") },
    })
}

/// A safety notice about one of the patient's devices, as an R4 DetectedIssue: implicating the
/// Device (a Flag cannot name a device as its subject in R4), with the problem and what the
/// patient should do.
fn safety_notice_resource(
    id: Uuid,
    patient: Uuid,
    device: Uuid,
    notice: &app::api::patients::SafetyNotice,
) -> Value {
    json!({
        "resourceType": "DetectedIssue",
        "id": id.to_string(),
        "identifier": [{ "value": notice.reference }],
        "status": "final",
        "code": {
            "text": format!("Field safety notice {}: {}", notice.reference, notice.title),
        },
        "severity": "high",
        "patient": { "reference": format!("urn:uuid:{patient}") },
        "identifiedDateTime": notice.issued_on.to_iso(),
        "implicated": [{ "reference": format!("urn:uuid:{device}") }],
        "detail": format!("{} What you should do: {}", notice.problem, notice.patient_action),
    })
}

/// The patient's records as a FHIR R4 `collection` bundle: one Patient carrying only the
/// pseudonym, a Procedure per record, a Device (with its UDI carrier) per implant, and a
/// DetectedIssue per safety notice on a device.
pub fn fhir_bundle(
    pseudonym: &str,
    identifier_system: &str,
    procedures: &[PatientProcedure],
    generated_at: &str,
) -> Value {
    let patient = Uuid::new_v4();
    let mut entries = vec![entry(
        patient,
        json!({
            "resourceType": "Patient",
            "id": patient.to_string(),
            "identifier": [{ "system": identifier_system, "value": pseudonym }],
        }),
    )];
    for procedure in procedures {
        let devices: Vec<(Uuid, &PatientDevice)> = procedure
            .devices
            .iter()
            .map(|device| (Uuid::new_v4(), device))
            .collect();
        let id = Uuid::new_v4();
        entries.push(entry(
            id,
            json!({
                "resourceType": "Procedure",
                "id": id.to_string(),
                "status": "completed",
                "code": { "text": procedure.procedure_type.label() },
                "subject": { "reference": format!("urn:uuid:{patient}") },
                "performedDateTime": procedure.procedure_date.to_iso(),
                "performer": [{ "actor": { "display": procedure.clinic } }],
                "location": { "display": format!("{}, {}", procedure.site, procedure.clinic) },
                "bodySite": [{ "text": format!("{} ({})", procedure.body_site.label(), procedure.laterality.label()) }],
                "focalDevice": devices
                    .iter()
                    .map(|(device, _)| json!({ "manipulated": { "reference": format!("urn:uuid:{device}") } }))
                    .collect::<Vec<_>>(),
            }),
        ));
        for (device_id, device) in devices {
            entries.push(entry(
                device_id,
                device_resource(device_id, patient, device),
            ));
            for notice in &device.notices {
                let notice_id = Uuid::new_v4();
                entries.push(entry(
                    notice_id,
                    safety_notice_resource(notice_id, patient, device_id, notice),
                ));
            }
        }
    }
    json!({
        "resourceType": "Bundle",
        "id": Uuid::new_v4().to_string(),
        "meta": { "lastUpdated": generated_at },
        "type": "collection",
        "timestamp": generated_at,
        "entry": entries,
    })
}

/// A cell a spreadsheet will not run: a leading `=`, `+`, `-` or `@` would make it a formula,
/// so such cells get a leading apostrophe (OWASP's advice on CSV injection); HIBC UDIs, which
/// start with `+`, are shown that way. Quoting (RFC 4180) is the `csv` crate's.
pub(crate) fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

pub const CSV_COLUMNS: [&str; 16] = [
    "Record",
    "Procedure date",
    "Procedure",
    "Body site",
    "Side",
    "Clinic",
    "Site",
    "Device",
    "Manufacturer",
    "Device identifier",
    "UDI",
    "Catalogue number",
    "Lot",
    "Serial number",
    "Expiry date",
    "Safety notices",
];

/// One row per implanted device, with the procedure's details repeated.
pub fn csv(procedures: &[PatientProcedure]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        writer
            .write_record(row.iter().map(|value| defused(value)))
            .expect("writing to memory cannot fail")
    };
    write(&mut writer, &CSV_COLUMNS.map(str::to_string));
    for procedure in procedures {
        for device in &procedure.devices {
            let text = |value: &Option<String>| value.clone().unwrap_or_default();
            let row = [
                procedure.record_id.to_string(),
                procedure.procedure_date.to_iso(),
                procedure.procedure_type.label().to_string(),
                procedure.body_site.label().to_string(),
                procedure.laterality.label().to_string(),
                procedure.clinic.clone(),
                procedure.site.clone(),
                text(&device.name),
                text(&device.manufacturer),
                text(&device.device_identifier),
                text(&device.udi),
                text(&device.catalogue_number),
                text(&device.lot),
                text(&device.serial),
                device.expiry.map(|date| date.to_iso()).unwrap_or_default(),
                device
                    .notices
                    .iter()
                    .map(|notice| format!("{}: {}", notice.reference, notice.title))
                    .collect::<Vec<_>>()
                    .join("; "),
            ];
            write(&mut writer, &row);
        }
    }
    String::from_utf8(writer.into_inner().expect("writing to memory cannot fail"))
        .expect("the cells are text")
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::api::patients::SafetyNotice;
    use domain::calendar::CalendarDate;
    use domain::procedure::{BodySite, Laterality, ProcedureType};

    fn procedure() -> PatientProcedure {
        PatientProcedure {
            record_id: 7,
            procedure_date: CalendarDate::new(2026, 10, 2).unwrap(),
            procedure_type: ProcedureType::Primary,
            body_site: BodySite::Hip,
            laterality: Laterality::Left,
            clinic: "Riverside Implant Clinic".into(),
            clinic_contact: None,
            site: "Main theatre".into(),
            devices: vec![
                PatientDevice {
                    name: Some("Demo femoral stem, size 3".into()),
                    manufacturer: Some("Demo Orthopaedics, Ltd".into()),
                    device_identifier: Some("05060001340015".into()),
                    agency: Some("GS1".into()),
                    udi: Some("(01)05060001340015(17)281231(10)LOT42".into()),
                    catalogue_number: None,
                    lot: Some("LOT42".into()),
                    serial: None,
                    expiry: CalendarDate::new(2028, 12, 31),
                    notices: vec![SafetyNotice {
                        reference: "FSN-2026-001".into(),
                        title: "Stem \"loosening\" review".into(),
                        problem: "p".into(),
                        patient_action: "a".into(),
                        issued_on: CalendarDate::new(2026, 11, 1).unwrap(),
                    }],
                },
                PatientDevice {
                    name: None,
                    manufacturer: Some("Acme".into()),
                    device_identifier: None,
                    agency: None,
                    udi: None,
                    catalogue_number: Some("=HYPERLINK(\"x\")".into()),
                    lot: Some("-12".into()),
                    serial: None,
                    expiry: None,
                    notices: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn the_bundle_links_procedure_devices_and_patient_and_carries_the_udi() {
        let bundle = fhir_bundle(
            "ab".repeat(32).as_str(),
            "urn:x",
            &[procedure()],
            "2026-11-23T10:00:00Z",
        );
        assert_eq!(bundle["resourceType"], "Bundle");
        assert_eq!(bundle["type"], "collection");
        let entries = bundle["entry"].as_array().unwrap();
        let types: Vec<&str> = entries
            .iter()
            .map(|e| e["resource"]["resourceType"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            ["Patient", "Procedure", "Device", "DetectedIssue", "Device"]
        );
        let patient = &entries[0];
        assert_eq!(
            patient["resource"]["identifier"][0]["value"],
            "ab".repeat(32)
        );
        assert!(
            patient["resource"].get("name").is_none()
                && patient["resource"].get("birthDate").is_none()
        );
        let procedure = &entries[1]["resource"];
        assert_eq!(procedure["subject"]["reference"], patient["fullUrl"]);
        assert_eq!(
            procedure["focalDevice"][0]["manipulated"]["reference"],
            entries[2]["fullUrl"]
        );
        let device = &entries[2]["resource"];
        assert_eq!(
            device["udiCarrier"][0]["deviceIdentifier"],
            "05060001340015"
        );
        assert_eq!(
            device["udiCarrier"][0]["issuer"],
            "http://hl7.org/fhir/NamingSystem/gs1-di"
        );
        assert_eq!(device["expirationDate"], "2028-12-31");
        // The safety notice implicates the device it is about.
        let notice = &entries[3]["resource"];
        assert_eq!(notice["implicated"][0]["reference"], entries[2]["fullUrl"]);
        assert_eq!(notice["patient"]["reference"], patient["fullUrl"]);
        assert_eq!(notice["identifiedDateTime"], "2026-11-01");
        assert_eq!(notice["detail"], "p What you should do: a");
        // Without a UDI: no empty carrier, and FHIR's no-empty-values rule is kept.
        let manual = &entries[4]["resource"];
        assert!(manual.get("udiCarrier").is_none());
        assert!(manual.get("serialNumber").is_none());
        assert_eq!(manual["deviceName"][0]["name"], "=HYPERLINK(\"x\")");
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let table = csv(&[procedure()]);
        let lines: Vec<&str> = table.split("\r\n").collect();
        assert_eq!(lines[0], CSV_COLUMNS.join(","));
        assert!(lines[1].starts_with("7,2026-10-02,Primary implant,Hip,Left,"));
        assert!(lines[1].contains("\"Demo Orthopaedics, Ltd\""));
        assert!(lines[1].ends_with("\"FSN-2026-001: Stem \"\"loosening\"\" review\""));
        assert!(lines[2].contains(",\"'=HYPERLINK(\"\"x\"\")\","));
        assert!(lines[2].contains(",'-12,"));
        assert_eq!(lines.len(), 4); // header, two devices, and the final line end
    }
}
