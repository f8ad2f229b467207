//! The fuzz targets' committed seeds, and the inputs they found that once broke a rule, read
//! as the targets read them: an answer, never a panic, and errors that point inside the input.
//! (`cargo fuzz` is not needed: this runs with the other tests.)

use std::fs;
use std::path::Path;

use domain::udi::{ParseOptions, parse};

fn check(input: &str, options: &ParseOptions) {
    let length = input.chars().count();
    if let Err(errors) = parse(input, options) {
        for error in errors.iter() {
            if let Some(span) = error.span {
                assert!(
                    1 <= span.start && span.start <= span.end && span.end <= length,
                    "{input:?}: {error}"
                );
            }
        }
    }
}

#[test]
fn every_seed_reads_without_a_panic() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let options = ParseOptions::new(2026);
    let mut seeds = 0;
    for target in fs::read_dir(&corpus).expect("fuzz/corpus exists") {
        let target = target.unwrap().path();
        for seed in fs::read_dir(&target).unwrap() {
            let bytes = fs::read(seed.unwrap().path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            for input in [
                text.to_string(),
                format!("+{text}"),
                format!("https://id.test/{text}"),
                format!("https://id.test/01/09506000134352?{text}"),
                text.get(1..).unwrap_or("").to_string(), // the wedge target's first byte is its profile
            ] {
                check(&input, &options);
            }
            seeds += 1;
        }
    }
    assert!(seeds >= 30, "only {seeds} seeds");
}
