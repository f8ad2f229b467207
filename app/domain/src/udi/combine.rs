//! What a camera read on one label, as one UDI: a label may carry several barcodes (a two-line
//! GS1-128: device identifier and expiry on one, lot and serial on the other), and a camera may
//! see several labels at once. Codes that belong together are joined; codes from different
//! devices are offered as a choice, never picked silently.

use super::gs1::GS;
use super::{IssuingAgency, ParseOptions, Udi, UdiErrors, parse};

/// One code as the decoder read it, and what the UDI engine made of it.
#[derive(Debug, Clone)]
pub struct DecodedCode {
    pub text: String,
    pub parsed: Result<Udi, UdiErrors>,
}

/// What the person is shown after a scan.
#[derive(Debug, Clone)]
pub enum ScanOutcome {
    /// One device's UDI (possibly joined from several codes): ready to fill the form.
    One { text: String, udi: Box<Udi> },
    /// Codes from different devices: the person chooses (texts ready for the form).
    Choose(Vec<(String, Box<Udi>)>),
    /// Codes were read but none is a UDI; each with what is wrong.
    NotUdi(Vec<DecodedCode>),
}

/// Decoded texts are parsed with GS1 separators trusted: a camera decoder keeps every FNC1.
fn read(text: &str, reference_year: u16) -> Result<Udi, UdiErrors> {
    let options = ParseOptions {
        separators_trusted: true,
        ..ParseOptions::new(reference_year)
    };
    parse(text, &options)
}

/// Two readings of one device: the same identifier, and no production field that disagrees.
fn same_device(a: &Udi, b: &Udi) -> bool {
    let agree = |x: &Option<String>, y: &Option<String>| x.is_none() || y.is_none() || x == y;
    a.device_identifier == b.device_identifier
        && agree(&a.lot, &b.lot)
        && agree(&a.serial, &b.serial)
        && (a.expiry.is_none() || b.expiry.is_none() || a.expiry == b.expiry)
}

/// How much a reading says.
fn fields(udi: &Udi) -> usize {
    udi.fields.len()
}

/// Decides what the decoded codes of one image (or of several frames of one label) mean.
pub fn combine(texts: &[String], reference_year: u16) -> ScanOutcome {
    let decoded: Vec<DecodedCode> = texts
        .iter()
        .map(|text| DecodedCode {
            text: text.clone(),
            parsed: read(text, reference_year),
        })
        .collect();
    let udis: Vec<(&str, &Udi)> = decoded
        .iter()
        .filter_map(|code| {
            code.parsed
                .as_ref()
                .ok()
                .map(|udi| (code.text.as_str(), udi))
        })
        .collect();
    if udis.is_empty() {
        return ScanOutcome::NotUdi(decoded);
    }
    // One entry per device: codes with the same device identifier whose fields agree are the
    // same device (a Data Matrix and a linear code on one label); the fuller reading is kept.
    let mut devices: Vec<(String, Udi)> = Vec::new();
    for (text, udi) in udis.iter().filter(|(_, udi)| udi.has_device_identifier()) {
        match devices
            .iter_mut()
            .find(|(_, known)| same_device(known, udi))
        {
            Some(known) if fields(udi) > fields(&known.1) => {
                *known = (text.to_string(), (*udi).clone())
            }
            Some(_) => {}
            None => devices.push((text.to_string(), (*udi).clone())),
        }
    }
    let production_only: Vec<&str> = udis
        .iter()
        .filter(|(_, udi)| !udi.has_device_identifier() && udi.agency == IssuingAgency::Gs1)
        .map(|(text, _)| *text)
        .collect();
    match devices.len() {
        // Only production data (one line of a label): shown as read, the person adds the rest.
        0 => {
            let (text, udi) = udis[0];
            ScanOutcome::One {
                text: text.to_string(),
                udi: Box::new(udi.clone()),
            }
        }
        1 => {
            let (text, udi) = devices.remove(0);
            // Only an unambiguous second line is joined: with two lot lines in view, which
            // belongs to this device cannot be told, and the lot decides which safety notices
            // apply.
            if udi.agency == IssuingAgency::Gs1 && production_only.len() == 1 {
                let joined = format!("{text}{GS}{}", production_only[0]);
                if let Ok(whole) = read(&joined, reference_year) {
                    return ScanOutcome::One {
                        text: joined,
                        udi: Box::new(whole),
                    };
                }
            }
            ScanOutcome::One {
                text,
                udi: Box::new(udi),
            }
        }
        _ => ScanOutcome::Choose(
            devices
                .into_iter()
                .map(|(text, udi)| (text, Box::new(udi)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::udi::gtin::Gtin;

    fn gtin(first: &str) -> String {
        let digits: Vec<u8> = first.bytes().map(|b| b - b'0').collect();
        Gtin::from_digits_without_check(digits.try_into().unwrap()).to_gtin14()
    }

    #[test]
    fn the_two_lines_of_one_label_become_one_udi() {
        let device = gtin("0506000134001");
        let texts = vec![format!("01{device}17281231"), format!("10LOT42{GS}21SN9")];
        let ScanOutcome::One { text, udi } = combine(&texts, 2026) else {
            panic!("one UDI expected")
        };
        assert_eq!(text, format!("01{device}17281231{GS}10LOT42{GS}21SN9"));
        assert_eq!(udi.device_identifier.as_deref(), Some(device.as_str()));
        assert_eq!(udi.lot.as_deref(), Some("LOT42"));
        assert_eq!(udi.serial.as_deref(), Some("SN9"));
    }

    #[test]
    fn one_device_in_two_symbols_is_one_udi_and_stray_lot_lines_are_not_guessed() {
        let device = gtin("0506000134001");
        let texts = vec![
            format!("01{device}17281231"),
            format!("01{device}1728123110LOT42{GS}21SN9"),
        ];
        let ScanOutcome::One { udi, .. } = combine(&texts, 2026) else {
            panic!("one device")
        };
        assert_eq!(udi.lot.as_deref(), Some("LOT42"));
        // Two lot lines and one device line: which lot is this device's cannot be known.
        let texts = vec![
            format!("01{device}17281231"),
            "10LOT42".to_string(),
            "10OTHER".to_string(),
        ];
        let ScanOutcome::One { udi, .. } = combine(&texts, 2026) else {
            panic!("the device alone")
        };
        assert_eq!(udi.lot, None);
    }

    #[test]
    fn two_devices_in_view_are_offered_not_chosen() {
        let texts = vec![
            format!("01{}10A", gtin("0506000134001")),
            format!("01{}10B", gtin("0506000134002")),
        ];
        let ScanOutcome::Choose(choices) = combine(&texts, 2026) else {
            panic!("a choice expected")
        };
        assert_eq!(choices.len(), 2);
    }

    #[test]
    fn the_same_code_seen_twice_is_one_udi_and_other_codes_are_explained() {
        let text = format!("01{}10A", gtin("0506000134001"));
        assert!(matches!(
            combine(&[text.clone(), text], 2026),
            ScanOutcome::One { .. }
        ));
        let ScanOutcome::NotUdi(codes) = combine(&["https://example.org/menu".to_string()], 2026)
        else {
            panic!("not a UDI")
        };
        assert!(codes[0].parsed.is_err());
    }
}
