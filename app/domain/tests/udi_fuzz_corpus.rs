//! The fuzz targets' committed corpus (their seeds and the `found-*` inputs that once broke a
//! property), each file put through its own target's checks: the same functions the fuzz
//! targets call, so what fuzzing found stays tested with the other tests, without `cargo fuzz`.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

use std::fs;
use std::path::{Path, PathBuf};

/// The checks a fuzz target runs on one input.
type Checks = fn(&[u8]);

/// Each target's corpus folder and its checks.
const TARGETS: [(&str, Checks); 4] = [
    ("udi_parse", common::udi_parse),
    ("digital_link", common::digital_link),
    ("hibcc", common::hibcc),
    ("wedge", common::wedge),
];

fn corpus(target: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_file_passes_its_targets_checks() {
    for (target, checks) in TARGETS {
        let files = corpus(target);
        assert!(files.len() >= 5, "{target}: only {} files", files.len());
        for file in files {
            let data = fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| checks(&data));
            assert!(outcome.is_ok(), "{target} fails on {}", file.display());
        }
    }
}

/// The seeds also go through the other targets: each target wraps its bytes differently, so
/// one target's seed is a new input to another.
#[test]
fn every_seed_passes_every_targets_checks() {
    for (seeds, _) in TARGETS {
        for file in corpus(seeds) {
            let data = fs::read(&file).unwrap();
            for (target, checks) in TARGETS {
                let outcome = std::panic::catch_unwind(|| checks(&data));
                assert!(outcome.is_ok(), "{target} fails on {}", file.display());
            }
        }
    }
}

/// The inputs fuzzing found are kept where their target reads them.
#[test]
fn the_inputs_fuzzing_found_are_in_the_corpus() {
    let found = |target: &str| {
        corpus(target)
            .iter()
            .filter(|file| {
                file.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("found-")
            })
            .count()
    };
    assert!(found("digital_link") >= 1);
    assert!(found("hibcc") >= 2);
}
