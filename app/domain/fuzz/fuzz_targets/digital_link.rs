//! Any bytes as (part of) a GS1 Digital Link (see `common::digital_link`).

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::digital_link(data));
