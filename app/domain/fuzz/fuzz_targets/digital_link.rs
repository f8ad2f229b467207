//! Any bytes as (part of) a GS1 Digital Link: an answer, never a panic; errors inside the
//! input; and a GTIN-keyed link the engine accepts, written again by `to_digital_link`, reads
//! back to the same AIs and values.

#![no_main]

#[path = "common.rs"]
mod common;

use common::{OPTIONS, check_answer};
use domain::udi::gs1::to_digital_link;
use domain::udi::{InputForm, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for input in [
        text.to_string(),
        format!("https://id.test/{text}"),
        format!("https://id.test/01/09506000134352/{text}"),
        format!("https://id.test/01/09506000134352?{text}"),
    ] {
        let answer = parse(&input, &OPTIONS);
        check_answer(&input, &answer);
        let Ok(udi) = answer else { continue };
        if udi.form != InputForm::Gs1DigitalLink || udi.fields[0].code != "01" {
            continue;
        }
        let mut pairs = udi.gs1_pairs();
        let link = to_digital_link("id.test", &pairs).expect("it has a GTIN");
        let again = parse(&link, &OPTIONS)
            .unwrap_or_else(|errors| panic!("{input:?} written as {link:?}: {errors}"));
        let mut again_pairs = again.gs1_pairs();
        pairs.sort_unstable();
        again_pairs.sort_unstable();
        assert_eq!(pairs, again_pairs, "{input:?} written as {link:?}");
    }
});
