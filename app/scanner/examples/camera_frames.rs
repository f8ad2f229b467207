//! Plays each label image to the camera reader as a held label (the same frame, shifted a
//! pixel or two each time) and prints how many frames, which efforts and how much decoding
//! time it took to read, and which single effort reads which degradation:
//! `cargo run --release -p scanner --example camera_frames -- DIR` (DIR made by
//! e2e/fixtures/make-labels.sh). Native times; the browser's WASM is slower (see
//! e2e/bench/camera.bench.ts for the time from label to field). Prints figures only.

use std::collections::BTreeMap;
use std::time::Instant;

use scanner::camera::{CameraReader, Effort, Frame, LADDER};

/// Frames a held label is given before it counts as not read.
const FRAMES: usize = 60;

fn main() {
    let dir = std::env::args().nth(1).expect("a folder of label images");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/manifest.json")).unwrap())
            .unwrap();
    let clock = Instant::now();
    let mut now = move || clock.elapsed().as_secs_f64() * 1000.0;
    let mut by_effort: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for image in manifest["images"].as_array().unwrap() {
        let file = image["file"].as_str().unwrap();
        let degradation = image["degradation"].as_str().unwrap();
        let (width, height, luma) = luma(&format!("{dir}/{file}"));
        let mut expected: Vec<String> = image["expected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        expected.sort();
        let mut reader = CameraReader::default();
        let (mut spent, mut efforts, mut result) = (0.0, Vec::new(), None);
        for frame in 0..FRAMES {
            let shifted = shift(width, height, &luma, frame % 5);
            let started = now();
            let outcome = reader.read(width, height, shifted, &mut now);
            spent += now() - started;
            efforts.push(format!(
                "{}{:?}",
                if outcome.looked_like_code {
                    ""
                } else {
                    "(no code) "
                },
                outcome.efforts.last().unwrap()
            ));
            if !outcome.reads.is_empty() {
                let mut got: Vec<String> = outcome.reads.into_iter().map(|r| r.text).collect();
                got.sort();
                result = Some((frame + 1, got == expected));
                break;
            }
        }
        let verdict = match result {
            Some((frames, true)) => format!("read in {frames} frame(s)"),
            Some((frames, false)) => format!("READ WRONG in {frames} frame(s)"),
            None => format!("not read in {FRAMES} frames"),
        };
        println!(
            "{file:<32} {verdict:<22} {spent:>7.1} ms decoding; last: {}",
            efforts.last().unwrap()
        );
        for effort in std::iter::once(Effort::Quick).chain(LADDER) {
            let reads = Frame::new(width, height, luma.clone()).try_effort(effort);
            let mut got: Vec<String> = reads.into_iter().map(|r| r.text).collect();
            got.sort();
            if got == expected {
                by_effort
                    .entry(format!("{effort:?}"))
                    .or_default()
                    .push(degradation.to_string());
            }
        }
    }
    println!("\nWhat each effort reads on its own (count per degradation):");
    for (effort, degradations) in by_effort {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for degradation in &degradations {
            *counts.entry(degradation).or_default() += 1;
        }
        println!("  {effort:<12} {counts:?}");
    }
}

/// The frame moved `by` pixels right and down (the edge repeated), as a hand moves it.
fn shift(width: u32, height: u32, luma: &[u8], by: usize) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    (0..w * h)
        .map(|i| luma[(i / w).saturating_sub(by) * w + (i % w).saturating_sub(by)])
        .collect()
}

fn luma(path: &str) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let luma = buffer[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| {
            ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
        })
        .collect();
    (info.width, info.height, luma)
}
