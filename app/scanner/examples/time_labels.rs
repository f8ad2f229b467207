//! Times each reading strategy on label images: `cargo run --release -p scanner --example
//! time_labels -- DIR` (DIR made by e2e/fixtures/make-labels.sh). Prints figures only.

use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("a folder of label images");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/manifest.json")).unwrap())
            .unwrap();
    for strategy in scanner::Strategy::ALL {
        let (mut read, mut total, mut times) = (0, 0, Vec::new());
        for image in manifest["images"].as_array().unwrap() {
            let path = format!("{dir}/{}", image["file"].as_str().unwrap());
            let decoder =
                png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
            let mut reader = decoder.read_info().unwrap();
            let mut buffer = vec![0; reader.output_buffer_size()];
            let info = reader.next_frame(&mut buffer).unwrap();
            let channels = info.color_type.samples();
            let luma: Vec<u8> = buffer[..info.buffer_size()]
                .chunks_exact(channels)
                .map(|p| p[0])
                .collect();
            let started = Instant::now();
            let texts: Vec<String> =
                scanner::read_luma_with(info.width, info.height, luma, strategy)
                    .into_iter()
                    .map(|r| r.text)
                    .collect();
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let mut expected: Vec<String> = image["expected"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            let mut got = texts.clone();
            expected.sort();
            got.sort();
            total += 1;
            if got == expected {
                read += 1;
            }
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "{:>12?}: {read}/{total} read, median {:.1} ms, p95 {:.1} ms",
            strategy,
            times[times.len() / 2],
            times[(times.len() * 95 / 100).min(times.len() - 1)]
        );
    }
}
