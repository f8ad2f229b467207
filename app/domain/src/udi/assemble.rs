//! Building a [`Udi`] from what each agency's parser read: the device identifier, the
//! production identifiers in their own places, and every field with a label people know.

use super::gs1::{self, Element};
use super::{
    Gtin, HibcPrimary, InputForm, Isbt128Structure, IssuingAgency, Udi, UdiDate, UdiError,
    UdiField, date, hibcc,
};

/// What people call the AIs they meet on device labels; the GS1 title otherwise.
pub fn field_label(ai: &str, title: &str) -> String {
    match ai {
        "01" => "GTIN (device identifier)".to_string(),
        "10" => "Lot or batch number".to_string(),
        "11" => "Manufacture date".to_string(),
        "17" => "Expiry date".to_string(),
        "21" => "Serial number".to_string(),
        "7003" => "Expiry date and time".to_string(),
        "8012" => "Software version".to_string(),
        "30" => "Count of items".to_string(),
        "240" => "Additional product identification".to_string(),
        "241" => "Customer part number".to_string(),
        "235" => "Third-party serial extension".to_string(),
        _ if title.is_empty() => format!("AI {ai}"),
        _ => {
            let mut label = title.to_lowercase();
            if let Some(first) = label.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            label
        }
    }
}

pub(super) fn gs1_udi(
    form: InputForm,
    elements: Vec<Element>,
    mut warnings: Vec<String>,
    reference_year: u16,
) -> Result<Udi, Vec<UdiError>> {
    let (errors, pairing_warnings) = gs1::check_pairings(&elements);
    if !errors.is_empty() {
        return Err(errors);
    }
    warnings.extend(pairing_warnings);
    let value = |ai: &str| {
        elements
            .iter()
            .find(|element| element.ai() == ai)
            .map(|element| element.value.clone())
    };
    // Values were validated already, so these conversions succeed.
    let date = |ai: &str| {
        value(ai).and_then(|text| {
            UdiDate::from_yymmdd(&text, date::DayZero::MeansLastDay, reference_year).ok()
        })
    };
    let gtin = value("01").and_then(|text| Gtin::parse(&text).ok());
    let expiry_time = value("7003").and_then(|text| {
        UdiDate::from_yymmdd(text.get(..6)?, date::DayZero::Invalid, reference_year)
            .ok()?
            .with_time_digits(text.get(6..)?)
            .ok()
    });
    let expiry = expiry_time.or_else(|| date("17"));
    if gtin.is_none() {
        warnings.push(
            "There is no device identifier (AI 01 GTIN) in this data: scan the label's other barcode if it has one"
                .to_string(),
        );
    }
    Ok(Udi {
        agency: IssuingAgency::Gs1,
        form,
        symbology: None,
        device_identifier: gtin.map(|gtin| gtin.to_gtin14()),
        gtin,
        hibc: None,
        lot: value("10"),
        serial: value("21"),
        expiry,
        manufactured: date("11"),
        software_version: value("8012"),
        hibc_link_character: None,
        fields: elements
            .iter()
            .map(|element| UdiField {
                code: element.ai().to_string(),
                label: field_label(element.ai(), element.entry.title),
                value: element.value.clone(),
            })
            .collect(),
        isbt128: Vec::new(),
        warnings,
    })
}

pub(super) fn hibc_udi(hibc: hibcc::Hibc) -> Udi {
    let form = match (&hibc.primary, &hibc.secondary) {
        (Some(_), Some(_)) => InputForm::HibcPrimaryAndSecondary,
        (Some(_), None) => InputForm::HibcPrimary,
        _ => InputForm::HibcSecondary,
    };
    let secondary = hibc.secondary.clone().unwrap_or_default();
    let mut fields = Vec::new();
    if let Some(primary) = &hibc.primary {
        fields.push(UdiField {
            code: "labeler".into(),
            label: "Labeler code".into(),
            value: primary.labeler.clone(),
        });
        fields.push(UdiField {
            code: "product".into(),
            label: "Product or catalogue number".into(),
            value: primary.product.clone(),
        });
        fields.push(UdiField {
            code: "unit_of_measure".into(),
            label: "Unit of measure".into(),
            value: primary.unit_of_measure.to_string(),
        });
    }
    let mut push = |code: &str, label: &str, value: Option<String>| {
        if let Some(value) = value {
            fields.push(UdiField {
                code: code.into(),
                label: label.into(),
                value,
            });
        }
    };
    push("lot", "Lot or batch number", secondary.lot.clone());
    push("serial", "Serial number", secondary.serial.clone());
    push(
        "expiry",
        "Expiry date",
        secondary.expiry.map(|d| d.to_iso()),
    );
    push(
        "manufactured",
        "Manufacture date",
        secondary.manufactured.map(|d| d.to_iso()),
    );
    push(
        "quantity",
        "Quantity",
        secondary.quantity.map(|q| q.to_string()),
    );
    let mut warnings = Vec::new();
    if hibc.primary.is_none() {
        warnings.push(
            "This is HIBC secondary data only (lot, serial, dates): scan the label's primary barcode for the device identifier"
                .to_string(),
        );
    }
    Udi {
        agency: IssuingAgency::Hibcc,
        form,
        symbology: None,
        device_identifier: hibc.primary.as_ref().map(HibcPrimary::device_identifier),
        gtin: None,
        hibc: hibc.primary,
        lot: secondary.lot,
        serial: secondary.serial,
        expiry: secondary.expiry,
        manufactured: secondary.manufactured,
        software_version: None,
        hibc_link_character: secondary.link_character,
        fields,
        isbt128: Vec::new(),
        warnings,
    }
}

pub(super) fn isbt128_udi(structures: Vec<Isbt128Structure>) -> Udi {
    Udi {
        agency: IssuingAgency::Iccbba,
        form: InputForm::Isbt128,
        symbology: None,
        device_identifier: None,
        gtin: None,
        hibc: None,
        lot: None,
        serial: None,
        expiry: None,
        manufactured: None,
        software_version: None,
        hibc_link_character: None,
        fields: structures
            .iter()
            .map(|structure| UdiField {
                code: structure.identifier.clone(),
                label: structure.name.clone().unwrap_or_else(|| format!("Data structure {}", structure.identifier)),
                value: structure.data.clone(),
            })
            .collect(),
        isbt128: structures,
        warnings: vec![
            "ISBT 128 (products of human origin) is recognised, but its data is not interpreted: enter the product details by hand"
                .to_string(),
        ],
    }
}
