//! Any bytes as HIBC data, also with a correct check character appended so that the fuzzer
//! reaches past it: an answer, never a panic; errors inside the input; and a primary (with
//! its secondary) the engine accepts, rendered again, reads back the same.

#![no_main]

#[path = "common.rs"]
mod common;

use common::{OPTIONS, check_answer};
use domain::udi::hibcc::check_character;
use domain::udi::{IssuingAgency, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let data = format!("+{text}");
    let mut inputs = vec![data.clone(), format!("*{data}*")];
    if let Some(check) = check_character(&data) {
        inputs.push(format!("{data}{check}"));
    }
    for input in inputs {
        let answer = parse(&input, &OPTIONS);
        check_answer(&input, &answer);
        let Ok(udi) = answer else { continue };
        if udi.agency != IssuingAgency::Hibcc || udi.hibc.is_none() {
            continue;
        }
        let printed = udi.human_readable();
        let again = parse(&printed, &OPTIONS)
            .unwrap_or_else(|errors| panic!("{input:?} printed as {printed:?}: {errors}"));
        assert_eq!(again.device_identifier, udi.device_identifier, "{printed:?}");
        assert_eq!(again.lot, udi.lot, "{printed:?}");
        assert_eq!(again.serial, udi.serial, "{printed:?}");
        // The printed form carries the expiry's date (HIBC $$3), not its hour.
        assert_eq!(
            again.expiry,
            udi.expiry.map(|date| date.date_only()),
            "{printed:?}"
        );
        assert_eq!(again.manufactured, udi.manufactured, "{printed:?}");
    }
});
