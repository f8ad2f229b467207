//! The decoder against real label images made by Debian's zint (`e2e/fixtures/make-labels.sh`,
//! run here into a temporary folder): every clean label reads exactly as a scanner would send
//! it, and each degraded set is reported with how many were read. Native only: the browser
//! runs `browser.rs`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixtures() -> (tempfile_dir::Dir, Value) {
    let dir = tempfile_dir::Dir::new();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/fixtures/make-labels.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg(&dir.0)
        .arg("--no-video")
        .status()
        .expect("bash runs the fixture script");
    assert!(status.success(), "make-labels.sh failed");
    let manifest = std::fs::read_to_string(dir.0.join("manifest.json")).unwrap();
    (dir, serde_json::from_str(&manifest).unwrap())
}

/// The image as greyscale pixels.
fn luma(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let bytes = &buffer[..info.buffer_size()];
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{}", path.display());
    let pixels: Vec<u8> = bytes
        .chunks_exact(channels)
        .map(|pixel| match channels {
            1 | 2 => pixel[0],
            _ => {
                ((u32::from(pixel[0]) * 299
                    + u32::from(pixel[1]) * 587
                    + u32::from(pixel[2]) * 114)
                    / 1000) as u8
            }
        })
        .collect();
    (info.width, info.height, pixels)
}

#[test]
fn every_clean_label_reads_exactly() {
    let (dir, manifest) = fixtures();
    let mut summary = std::collections::BTreeMap::<String, (usize, usize)>::new();
    let mut failures = Vec::new();
    for image in manifest["images"].as_array().unwrap() {
        let file = image["file"].as_str().unwrap();
        let degradation = image["degradation"].as_str().unwrap().to_string();
        let expected: Vec<String> = image["expected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|text| text.as_str().unwrap().to_string())
            .collect();
        let (width, height, pixels) = luma(&dir.0.join(file));
        let mut texts: Vec<String> = scanner::read_luma(width, height, pixels)
            .into_iter()
            .map(|read| read.text)
            .collect();
        texts.sort();
        let mut wanted = expected.clone();
        wanted.sort();
        let read = texts == wanted;
        let entry = summary.entry(degradation.clone()).or_default();
        entry.1 += 1;
        if read {
            entry.0 += 1;
        } else if degradation == "clean" {
            failures.push(format!("{file}: read {texts:?}, expected {wanted:?}"));
        }
    }
    for (degradation, (read, total)) in &summary {
        println!("{degradation:>14}: {read}/{total} read");
    }
    assert!(
        failures.is_empty(),
        "clean labels not read:\n{}",
        failures.join("\n")
    );
}

/// A temporary folder removed at the end of the test (no extra crate for it).
mod tempfile_dir {
    use super::*;

    pub struct Dir(pub PathBuf);

    impl Dir {
        pub fn new() -> Self {
            let path = std::env::temp_dir().join(format!(
                "scanner-labels-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
