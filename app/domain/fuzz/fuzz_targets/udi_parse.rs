//! Any bytes, as text, through every entry point of the UDI engine (see `common::udi_parse`).

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::udi_parse(data));
