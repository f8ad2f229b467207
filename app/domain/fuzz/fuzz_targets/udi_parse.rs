//! Any bytes, as text, through every entry point of the UDI engine: it must answer with a UDI
//! or errors, never panic, and a UDI it produces must read back the same way.

#![no_main]

#[path = "common.rs"]
mod common;

use common::{OPTIONS, check_answer};
use domain::udi::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for input in [
        text.to_string(),
        format!("]d2{text}"),
        format!("({text}"),
        format!("+{text}"),
        format!("https://id.test/{text}"),
    ] {
        let answer = parse(&input, &OPTIONS);
        check_answer(&input, &answer);
        if let Ok(udi) = answer {
            // What we print on an implant card must read back to the same identifiers. (A value
            // containing "(" can form a false "(AI)" in printed text: GS1 printed text has no
            // escaping, so such values are not expected to read back.)
            let printable = udi.fields.iter().all(|field| !field.value.contains('('));
            if udi.agency == domain::udi::IssuingAgency::Gs1 && printable {
                let again = parse(&udi.human_readable(), &OPTIONS).expect("printed UDI reads back");
                assert_eq!(again.device_identifier, udi.device_identifier);
                assert_eq!(again.lot, udi.lot);
                assert_eq!(again.serial, udi.serial);
                assert_eq!(again.expiry, udi.expiry);
            }
        }
    }
});
