//! The browser's side of scanning: the camera stream, the list of cameras, and the pixels of
//! a video frame or a photo for the decoder.

use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Longest side a photo is decoded at: more pixels add time, not reads.
const PHOTO_MAX_SIDE: u32 = 1920;

/// Stops every track of a camera stream (the camera's light goes off).
pub fn stop_tracks(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
    }
}

/// The id of the camera a stream comes from, so the camera list shows the one in use.
pub fn camera_in_use(stream: &web_sys::MediaStream) -> Option<String> {
    let track: web_sys::MediaStreamTrack = stream.get_video_tracks().get(0).dyn_into().ok()?;
    track.get_settings().get_device_id()
}

/// The camera stream: the one chosen, or the rear camera where there is one (phones).
pub async fn open_camera(device: &str) -> Result<web_sys::MediaStream, String> {
    let devices = window()
        .navigator()
        .media_devices()
        .map_err(|_| "NotFoundError".to_string())?;
    let video = if device.is_empty() {
        r#"{"facingMode":{"ideal":"environment"},"width":{"ideal":1280},"height":{"ideal":720}}"#
            .to_string()
    } else {
        format!(
            r#"{{"deviceId":{{"exact":{device:?}}},"width":{{"ideal":1280}},"height":{{"ideal":720}}}}"#
        )
    };
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&js_sys::JSON::parse(&video).unwrap_or(JsValue::TRUE));
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|error| error_name(&error))?;
    JsFuture::from(promise)
        .await
        .map(|stream| stream.unchecked_into())
        .map_err(|error| error_name(&error))
}

fn error_name(error: &JsValue) -> String {
    error
        .dyn_ref::<web_sys::DomException>()
        .map(|exception| exception.name())
        .unwrap_or_default()
}

/// The cameras this device has (their labels are known once one is allowed).
pub async fn list_cameras() -> Vec<(String, String)> {
    let Ok(devices) = window().navigator().media_devices() else {
        return Vec::new();
    };
    let Ok(promise) = devices.enumerate_devices() else {
        return Vec::new();
    };
    let Ok(list) = JsFuture::from(promise).await else {
        return Vec::new();
    };
    js_sys::Array::from(&list)
        .iter()
        .map(|device| device.unchecked_into::<web_sys::MediaDeviceInfo>())
        .filter(|device| device.kind() == web_sys::MediaDeviceKind::Videoinput)
        .enumerate()
        .map(|(index, device)| {
            let label = device.label();
            let label = if label.is_empty() {
                format!("Camera {}", index + 1)
            } else {
                label
            };
            (device.device_id(), label)
        })
        .collect()
}

/// The current video frame's pixels, at the camera's own size.
pub fn frame(
    video: &web_sys::HtmlVideoElement,
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::ImageData> {
    let (width, height) = (video.video_width(), video.video_height());
    if width == 0 || height == 0 {
        return None;
    }
    let context = context_2d(canvas, width, height)?;
    context
        .draw_image_with_html_video_element(video, 0.0, 0.0)
        .ok()?;
    context
        .get_image_data(0.0, 0.0, f64::from(width), f64::from(height))
        .ok()
}

pub async fn photo(file: &web_sys::File) -> Result<web_sys::ImageBitmap, JsValue> {
    let promise = window().create_image_bitmap_with_blob(file)?;
    Ok(JsFuture::from(promise).await?.unchecked_into())
}

/// A photo's pixels, scaled down to at most [`PHOTO_MAX_SIDE`].
pub fn picture(
    bitmap: &web_sys::ImageBitmap,
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::ImageData> {
    let (width, height) = (bitmap.width(), bitmap.height());
    if width == 0 || height == 0 {
        return None;
    }
    let scale = (f64::from(PHOTO_MAX_SIDE) / f64::from(width.max(height))).min(1.0);
    let (scaled_width, scaled_height) = (
        (f64::from(width) * scale).round() as u32,
        (f64::from(height) * scale).round() as u32,
    );
    let context = context_2d(canvas, scaled_width, scaled_height)?;
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            bitmap,
            0.0,
            0.0,
            f64::from(scaled_width),
            f64::from(scaled_height),
        )
        .ok()?;
    context
        .get_image_data(0.0, 0.0, f64::from(scaled_width), f64::from(scaled_height))
        .ok()
}

fn context_2d(
    canvas: &web_sys::HtmlCanvasElement,
    width: u32,
    height: u32,
) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.set_width(width);
    canvas.set_height(height);
    let options = js_sys::JSON::parse(r#"{"willReadFrequently":true}"#).ok()?;
    canvas
        .get_context_with_context_options("2d", &options)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}
