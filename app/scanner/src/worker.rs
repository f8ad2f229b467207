//! The browser side: `decode` is called by `public/scanner-worker.js`, inside a Web Worker.

use wasm_bindgen::prelude::*;

/// A decoder failure reaches the browser's console with its message, not as a bare trap.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Reads the barcodes in an RGBA image; returns `{texts, symbologies}`. `frame` numbers a
/// camera's frames (each gets one quick strategy, in turn); without it (a photo) every
/// strategy is tried.
#[wasm_bindgen]
pub fn decode(width: u32, height: u32, rgba: &[u8], frame: Option<u32>) -> JsValue {
    let strategy = frame.map_or(crate::Strategy::Thorough, crate::Strategy::for_frame);
    let reads = crate::read_rgba(width, height, rgba, strategy);
    let texts = js_sys::Array::new();
    let symbologies = js_sys::Array::new();
    for read in reads {
        texts.push(&JsValue::from_str(&read.text));
        symbologies.push(&JsValue::from_str(read.symbology.name()));
    }
    let reply = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&reply, &"texts".into(), &texts);
    let _ = js_sys::Reflect::set(&reply, &"symbologies".into(), &symbologies);
    reply.into()
}
