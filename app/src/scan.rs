//! The page's side of the barcode decoder: one Web Worker (started at the first scan) that
//! answers requests in the order they were sent.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the worker script is served (see `public/scanner-worker.js`).
pub const WORKER_URL: &str = "/scanner-worker.js";

/// The codes the decoder read in one image.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decoded {
    pub texts: Vec<String>,
    /// Time spent decoding in the worker, in milliseconds.
    pub milliseconds: f64,
}

/// The `resolve` functions of the requests in flight, oldest first: the worker takes one
/// message at a time, so replies come back in the order the requests went out.
type Waiting = Rc<RefCell<VecDeque<js_sys::Function>>>;

struct DecoderWorker {
    worker: web_sys::Worker,
    waiting: Waiting,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static WORKER: RefCell<Option<DecoderWorker>> = const { RefCell::new(None) };
}

fn error_reply(message: &str) -> JsValue {
    let reply = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&reply, &"error".into(), &message.into());
    reply.into()
}

fn start_worker() -> Result<DecoderWorker, JsValue> {
    let worker = web_sys::Worker::new(WORKER_URL)?;
    let waiting: Waiting = Default::default();
    let on_message = {
        let waiting = waiting.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(resolve) = waiting.borrow_mut().pop_front() {
                let _ = resolve.call1(&JsValue::NULL, &event.data());
            }
        })
    };
    // A worker that failed (its script or WASM did not load) is dropped: every request waiting
    // on it is answered with the failure, and the next scan starts a fresh worker.
    let on_error = {
        let waiting = waiting.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            let failed: Vec<js_sys::Function> = waiting.borrow_mut().drain(..).collect();
            for resolve in failed {
                let _ = resolve.call1(
                    &JsValue::NULL,
                    &error_reply("the barcode reader could not be loaded"),
                );
            }
            WORKER.with(|cell| {
                if let Some(broken) = cell.borrow_mut().take() {
                    broken.worker.terminate();
                }
            });
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(DecoderWorker {
        worker,
        waiting,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Starts the worker (its script and WASM load) if it is not running, so that it is ready by
/// the time the camera gives its first frame. A failure shows at the first [`decode`].
pub fn warm_up() {
    WORKER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = start_worker().ok();
        }
    });
}

/// Decodes one image in the worker: a camera frame with its number (each frame gets one quick
/// strategy, in turn), or a photo (`frame: None`: every strategy).
pub async fn decode(image: &web_sys::ImageData, frame: Option<u32>) -> Result<Decoded, String> {
    let promise = WORKER.with(|cell| -> Result<js_sys::Promise, JsValue> {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(start_worker()?);
        }
        let decoder = cell.as_ref().expect("just started");
        // The pixels move to the worker rather than being copied (3.7 MB for a 720p frame).
        let pixels = js_sys::Reflect::get(image, &"data".into())?;
        let message = js_sys::Object::new();
        js_sys::Reflect::set(&message, &"width".into(), &image.width().into())?;
        js_sys::Reflect::set(&message, &"height".into(), &image.height().into())?;
        js_sys::Reflect::set(&message, &"data".into(), &pixels)?;
        if let Some(frame) = frame {
            js_sys::Reflect::set(&message, &"frame".into(), &frame.into())?;
        }
        let buffer = js_sys::Reflect::get(&pixels, &"buffer".into())?;
        decoder
            .worker
            .post_message_with_transfer(&message, &js_sys::Array::of1(&buffer))?;
        let waiting = decoder.waiting.clone();
        Ok(js_sys::Promise::new(&mut |resolve, _reject| {
            waiting.borrow_mut().push_back(resolve);
        }))
    });
    let reply =
        JsFuture::from(promise.map_err(|_| "the barcode reader could not start".to_string())?)
            .await
            .map_err(|_| "the barcode reader stopped".to_string())?;
    let get = |key: &str| js_sys::Reflect::get(&reply, &JsValue::from_str(key)).ok();
    if let Some(error) = get("error").and_then(|value| value.as_string()) {
        return Err(error);
    }
    let texts = get("texts")
        .map(|value| js_sys::Array::from(&value))
        .map(|array| array.iter().filter_map(|text| text.as_string()).collect())
        .unwrap_or_default();
    Ok(Decoded {
        texts,
        milliseconds: get("ms").and_then(|value| value.as_f64()).unwrap_or(0.0),
    })
}
