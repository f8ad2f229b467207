//! What a keyboard-wedge scanner might send, under a profile chosen by the first byte (see
//! `common::wedge`).

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::wedge(data));
