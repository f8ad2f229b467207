//! Parses per second over a mixed corpus of the forms clinics scan, valid and not.
//! Run: `cargo bench -p domain --bench udi_parse`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use domain::udi::{ParseOptions, parse};
use std::hint::black_box;

const CORPUS: &[&str] = &[
    // GS1 DataMatrix as a camera decoder reports it.
    "]d201095060001343521125011517270630\u{1d}10AB12\u{1d}21X9",
    // Keyboard wedge with a caret substitute and a line end.
    "0109506000134352172706301012345^]21SER-0001\r\n",
    // Human-readable text.
    "(01)09506000134352(17)270630(10)AB12(21)X9",
    // Digital Link from a QR code.
    "]Q3https://id.gs1.org/01/09506000134352/10/AB12/21/X9?17=270630",
    // HIBC primary + secondary.
    "+A123BJC5D6E71/$$3270630LOT5/S99J",
    // Lost separator: two readings.
    "010950600013435210AB1221XYZ9",
    // Wrong check digit and a bad date.
    "(01)09506000134353(17)271301",
    // Expiry with time, software version, company data.
    "01095060001343527003270630143010L\u{1d}8012V2.1\u{1d}91INTERNAL-DATA",
];

fn bench(c: &mut Criterion) {
    let options = ParseOptions::new(2026);
    let mut group = c.benchmark_group("udi");
    group.throughput(Throughput::Elements(CORPUS.len() as u64));
    group.bench_function("parse mixed corpus", |b| {
        b.iter(|| {
            for input in CORPUS {
                let _ = black_box(parse(black_box(input), &options));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
