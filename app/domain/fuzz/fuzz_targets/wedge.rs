//! What a keyboard-wedge scanner might send, with a scanner profile chosen by the first byte:
//! the clean-up must map every character it keeps back to the character it came from (or to
//! the substitute it replaced), and the parser's errors must point inside the input.

#![no_main]

#[path = "common.rs"]
mod common;

use common::check_answer;
use domain::udi::gs1::GS;
use domain::udi::wedge::{SeparatorSource, clean};
use domain::udi::{ParseOptions, WedgeSettings, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((profile, rest)) = data.split_first() else {
        return;
    };
    let input = String::from_utf8_lossy(rest);
    let mut wedge = WedgeSettings::default();
    if profile & 1 != 0 {
        wedge = wedge.also_taking("~");
    }
    if profile & 2 != 0 {
        wedge = wedge.also_taking("|");
    }
    if profile & 4 != 0 {
        wedge.prefix = Some("#".into());
    }
    if profile & 8 != 0 {
        wedge.suffix = Some("!!".into());
    }
    let separators_trusted = profile & 16 != 0;
    let source = if separators_trusted {
        SeparatorSource::Decoder
    } else {
        SeparatorSource::Wedge
    };

    let characters: Vec<char> = input.chars().collect();
    let cleaned = clean(&input, &wedge, source);
    assert_eq!(cleaned.text.len(), cleaned.source.len());
    assert!(cleaned.source.windows(2).all(|pair| pair[0] < pair[1]));
    for (character, from) in cleaned.text.iter().zip(&cleaned.source) {
        let original = characters[*from];
        assert!(
            *character == original || (*character == GS && source == SeparatorSource::Wedge),
            "{character:?} at input {from} came from {original:?}"
        );
    }

    let options = ParseOptions {
        wedge,
        separators_trusted,
        ..ParseOptions::new(2026)
    };
    check_answer(&input, &parse(&input, &options));
});
