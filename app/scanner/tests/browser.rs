//! The decoder as the browser runs it (WASM, headless Chromium): every clean zint label reads
//! exactly as a scanner would send it. Run with
//! `cargo test -p scanner --target wasm32-unknown-unknown --features browser-fixtures`.
#![cfg(all(target_arch = "wasm32", feature = "browser-fixtures"))]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/clean_labels.rs"));

/// The PNG as RGBA pixels, as a canvas would give them.
fn rgba(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
        .read_info()
        .unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let pixels = buffer[..info.buffer_size()]
        .chunks_exact(channels)
        .flat_map(|pixel| match channels {
            1 => [pixel[0], pixel[0], pixel[0], 255],
            2 => [pixel[0], pixel[0], pixel[0], pixel[1]],
            3 => [pixel[0], pixel[1], pixel[2], 255],
            _ => [pixel[0], pixel[1], pixel[2], pixel[3]],
        })
        .collect();
    (info.width, info.height, pixels)
}

#[wasm_bindgen_test]
fn every_clean_label_reads_exactly_in_the_browser() {
    assert_eq!(CLEAN_LABELS.len(), 6, "one clean image per label kind");
    for (file, bytes, expected) in CLEAN_LABELS {
        let (width, height, pixels) = rgba(bytes);
        let mut texts: Vec<String> =
            scanner::read_rgba(width, height, &pixels, scanner::Strategy::Thorough)
                .into_iter()
                .map(|read| read.text)
                .collect();
        texts.sort();
        let mut wanted: Vec<String> = expected.iter().map(|text| text.to_string()).collect();
        wanted.sort();
        assert_eq!(texts, wanted, "{file}");
    }
}
