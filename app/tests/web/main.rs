//! Component tests in a real browser (headless Chromium through wasm-bindgen-test).
//! Run: `cargo test -p app --target wasm32-unknown-unknown --features csr`.

#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod support;

mod forms;
mod layout;
mod udi_check;
