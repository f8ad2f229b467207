//! Any bytes as HIBC data (see `common::hibcc`).

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::hibcc(data));
