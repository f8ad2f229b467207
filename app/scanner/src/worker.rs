//! The browser side: `decode` is called by `public/scanner-worker.js`, inside a Web Worker.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::camera::CameraReader;

thread_local! {
    /// The camera scan in progress (one at a time: the page sends one frame and waits).
    static CAMERA: RefCell<CameraReader> = const { RefCell::new(CameraReader::new()) };
}

/// A decoder failure reaches the browser's console with its message, not as a bare trap.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Reads the barcodes in an RGBA image; returns `{texts, symbologies, efforts}`. `frame`
/// numbers a camera's frames from 1 for each scan (the camera reader decides how hard to look
/// at each); without it (a photo) every strategy is tried.
#[wasm_bindgen]
pub fn decode(width: u32, height: u32, rgba: &[u8], frame: Option<u32>) -> JsValue {
    let (reads, efforts) = match frame {
        None => (
            crate::read_rgba(width, height, rgba, crate::Strategy::Thorough),
            0,
        ),
        Some(_) if width == 0 || height == 0 || rgba.len() < (width * height * 4) as usize => {
            (Vec::new(), 0)
        }
        Some(number) => CAMERA.with(|camera| {
            let mut camera = camera.borrow_mut();
            if number <= 1 {
                *camera = CameraReader::new();
            }
            let outcome = camera.read(
                width,
                height,
                crate::luma_of_rgba(rgba),
                &mut js_sys::Date::now,
            );
            (outcome.reads, outcome.efforts.len())
        }),
    };
    let texts = js_sys::Array::new();
    let symbologies = js_sys::Array::new();
    for read in reads {
        texts.push(&JsValue::from_str(&read.text));
        symbologies.push(&JsValue::from_str(read.symbology.name()));
    }
    let reply = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&reply, &"texts".into(), &texts);
    let _ = js_sys::Reflect::set(&reply, &"symbologies".into(), &symbologies);
    let _ = js_sys::Reflect::set(&reply, &"efforts".into(), &(efforts as u32).into());
    reply.into()
}
