//! What the fuzz targets check, one function a target, and what every target checks of the
//! engine's answer whatever the input. The targets call these, and so does
//! `tests/udi_fuzz_corpus.rs` on the committed corpus: a regression found by fuzzing stays
//! tested without `cargo fuzz`.

#![allow(dead_code)] // each target uses one of the functions

use domain::udi::gs1::{GS, to_digital_link};
use domain::udi::hibcc::check_character;
use domain::udi::wedge::{SeparatorSource, clean};
use domain::udi::{InputForm, IssuingAgency, ParseOptions, Udi, UdiErrors, WedgeSettings, parse};

/// Options are made once: the targets measure the parser, not its set-up. (The wedge target
/// makes its own, from the profile it is given.)
pub static OPTIONS: std::sync::LazyLock<ParseOptions> =
    std::sync::LazyLock::new(|| ParseOptions::new(2026));

/// Errors say something and point inside the input (1-based, inclusive); warnings say
/// something.
pub fn check_answer(input: &str, answer: &Result<Udi, UdiErrors>) {
    let length = input.chars().count();
    match answer {
        Ok(udi) => {
            for warning in &udi.warnings {
                assert!(!warning.is_empty());
            }
        }
        Err(errors) => {
            for error in errors.iter() {
                assert!(!error.to_string().is_empty());
                if let Some(span) = error.span {
                    assert!(
                        1 <= span.start && span.start <= span.end && span.end <= length,
                        "{error} points outside the {length} characters of {input:?}"
                    );
                }
            }
        }
    }
}

/// Any bytes, as text, through every entry point of the UDI engine: it must answer with a UDI
/// or errors, never panic, and a UDI it produces must read back the same way.
pub fn udi_parse(data: &[u8]) {
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
            if udi.agency == IssuingAgency::Gs1 && printable {
                let printed = udi.human_readable();
                let again = parse(&printed, &OPTIONS)
                    .unwrap_or_else(|errors| panic!("{input:?} printed as {printed:?}: {errors}"));
                assert_eq!(
                    again.device_identifier, udi.device_identifier,
                    "{printed:?}"
                );
                assert_eq!(again.lot, udi.lot, "{printed:?}");
                assert_eq!(again.serial, udi.serial, "{printed:?}");
                assert_eq!(again.expiry, udi.expiry, "{printed:?}");
            }
        }
    }
}

/// Any bytes as (part of) a GS1 Digital Link: an answer, never a panic; errors inside the
/// input; and a GTIN-keyed link the engine accepts, written again by `to_digital_link`, reads
/// back to the same AIs and values.
pub fn digital_link(data: &[u8]) {
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
}

/// Any bytes as HIBC data, also with a correct check character appended so that the fuzzer
/// reaches past it: an answer, never a panic; errors inside the input; and a primary (with
/// its secondary) the engine accepts, rendered again, reads back the same.
pub fn hibcc(data: &[u8]) {
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
        assert_eq!(
            again.device_identifier, udi.device_identifier,
            "{printed:?}"
        );
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
}

/// What a keyboard-wedge scanner might send, with a scanner profile chosen by the first byte:
/// the clean-up must map every character it keeps back to the character it came from (or to
/// the substitute it replaced), and the parser's errors must point inside the input.
pub fn wedge(data: &[u8]) {
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
}
