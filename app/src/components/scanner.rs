//! Scanning a device label: with the camera (live), from a photo, or with a handheld scanner
//! typing into the UDI field. Decoding runs in a Web Worker (`crate::scan`); what was read is
//! interpreted by the UDI engine, codes from one label joined, different labels offered as a
//! choice. The outcome is announced to screen readers.

use domain::udi::Udi;
use domain::udi::combine::{ScanOutcome, combine};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::offline::outbox::today;
use crate::scan::decode;

/// Longest side a photo is decoded at: more pixels add time, not reads.
const PHOTO_MAX_SIDE: u32 = 1920;
/// Pause between camera frames when nothing was read.
const FRAME_PAUSE_MS: u32 = 40;

/// A camera failure, in words a person can act on (the other ways to scan are offered).
pub fn camera_problem(error_name: &str) -> &'static str {
    match error_name {
        "NotAllowedError" | "SecurityError" => {
            "The camera was not allowed. To use it, allow camera access for this site in your browser's settings, then try again. Or read a photo of the label, or type the code."
        }
        "NotFoundError" | "OverconstrainedError" => {
            "No camera was found on this device. Read a photo of the label instead, or use a handheld scanner or type the code in the UDI box."
        }
        "NotReadableError" | "AbortError" => {
            "The camera is being used by another application. Close it there and try again, or read a photo of the label."
        }
        _ => {
            "The camera could not be started. Read a photo of the label instead, or type the code in the UDI box."
        }
    }
}

/// "Read: device 05060001340012, lot LOT42, expires 31 December 2028."
pub fn describe_read(udi: &Udi) -> String {
    let device = udi
        .device_identifier
        .as_ref()
        .map(|di| format!("device {di}"));
    let parts: Vec<String> = device.into_iter().chain(udi.production_summary()).collect();
    format!("Read: {}.", parts.join(", "))
}

#[derive(Clone, Copy, PartialEq)]
enum Camera {
    Off,
    Starting,
    On,
}

/// Frames to keep looking after a GS1 device identifier was read without its lot or serial:
/// on a two-line label the second line may come into view a moment later.
const FRAMES_FOR_SECOND_LINE: u32 = 8;

/// What to do with what has been read so far.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Fill the field with this UDI text; `summary` is announced.
    Fill { text: String, summary: String },
    /// Different devices: offer these (summary, text) choices.
    Choose(Vec<(String, String)>),
    /// Nothing usable yet; `note` (if any) says what was seen.
    KeepLooking { note: Option<String> },
}

/// Decides, from every code read so far, whether the scan is done.
fn next_step(texts: &[String], may_wait: bool) -> Step {
    if texts.is_empty() {
        return Step::KeepLooking { note: None };
    }
    match combine(texts, today().year()) {
        ScanOutcome::One { udi, .. }
            if may_wait
                && udi.agency == domain::udi::IssuingAgency::Gs1
                && udi.lot.is_none()
                && udi.serial.is_none() =>
        {
            Step::KeepLooking {
                note: Some(format!(
                    "{} Looking for the lot or serial number on the label…",
                    describe_read(&udi)
                )),
            }
        }
        ScanOutcome::One { udi, .. } => Step::Fill {
            summary: describe_read(&udi),
            text: udi.human_readable(),
        },
        ScanOutcome::Choose(found) => Step::Choose(
            found
                .into_iter()
                .map(|(_, udi)| (describe_read(&udi), udi.human_readable()))
                .collect(),
        ),
        ScanOutcome::NotUdi(codes) => Step::KeepLooking {
            note: codes
                .first()
                .and_then(|code| code.parsed.as_ref().err())
                .map(|problem| {
                    format!("A barcode was read, but it is not a device identifier: {problem}")
                }),
        },
    }
}

fn stop_tracks(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
    }
}

#[component]
pub fn Scanner(
    /// What the scanner is for, e.g. "component 1": names its controls.
    #[prop(into)]
    target: String,
    /// The id of the field it fills: focus goes there after a choice.
    #[prop(into)]
    field_id: String,
    /// Receives the UDI text to put in the field.
    on_read: Callback<String>,
) -> impl IntoView {
    let video = NodeRef::<html::Video>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let camera = RwSignal::new(Camera::Off);
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    // Each start and stop begins a new generation: work still running for an older one (a
    // camera that opens after Stop, a frame loop after the scanner left the page) stops itself.
    let generation = StoredValue::new(0u32);
    let status = RwSignal::new(String::new());
    let choices = RwSignal::new(Vec::<(String, String)>::new());
    let cameras = RwSignal::new(Vec::<(String, String)>::new());
    let chosen_camera = RwSignal::new(String::new());

    let current = move |mine: u32| generation.try_get_value() == Some(mine);
    let stop_camera = move || {
        generation.try_update_value(|value| *value += 1);
        if let Some(Some(open)) = stream.try_get_value() {
            stop_tracks(&open);
        }
        stream.try_set_value(None);
        camera.try_set(Camera::Off);
    };

    let apply = move |step: Step| -> bool {
        match step {
            Step::Fill { text, summary } => {
                status.set(summary);
                choices.set(Vec::new());
                on_read.run(text);
                true
            }
            Step::Choose(found) => {
                status.set(format!(
                    "{} different labels were read. Choose the one for this component.",
                    found.len()
                ));
                choices.set(found);
                true
            }
            Step::KeepLooking { note } => {
                if let Some(note) = note {
                    status.set(note);
                }
                false
            }
        }
    };

    let scan_frames = move |mine: u32| {
        leptos::task::spawn_local(async move {
            let (mut number, mut first_read) = (0u32, None::<u32>);
            let mut seen: Vec<String> = Vec::new();
            while current(mine) {
                if document().hidden() {
                    stop_camera();
                    status.set("The camera was turned off because this page was hidden. Start it again when you are ready.".into());
                    return;
                }
                let elements = (
                    video.try_get_untracked().flatten(),
                    canvas.try_get_untracked().flatten(),
                );
                if let (Some(video), Some(canvas)) = elements
                    && let Some(image) = frame(&video, &canvas)
                {
                    number = number.wrapping_add(1);
                    let decoded = decode(&image, Some(number)).await;
                    if !current(mine) {
                        return;
                    }
                    match decoded {
                        Ok(decoded) => {
                            for text in decoded.texts {
                                if !seen.contains(&text) {
                                    seen.push(text);
                                }
                            }
                            if !seen.is_empty() {
                                first_read.get_or_insert(number);
                            }
                            let waited = first_read.map_or(0, |first| number - first);
                            if apply(next_step(&seen, waited < FRAMES_FOR_SECOND_LINE)) {
                                stop_camera();
                                return;
                            }
                        }
                        Err(problem) => {
                            stop_camera();
                            status.set(format!("The barcode reader failed ({problem}). Type the code instead, or reload the page."));
                            return;
                        }
                    }
                }
                gloo_timers::future::TimeoutFuture::new(FRAME_PAUSE_MS).await;
            }
        });
    };

    let start_camera = move || {
        stop_camera();
        let Some(mine) = generation.try_get_value() else {
            return;
        };
        camera.set(Camera::Starting);
        choices.set(Vec::new());
        status.set("Starting the camera…".into());
        let device = chosen_camera.get_untracked();
        leptos::task::spawn_local(async move {
            let opened = open_camera(&device).await;
            match opened {
                // Stopped, or the scanner left the page, while the camera was opening.
                Ok(late) if !current(mine) => stop_tracks(&late),
                Ok(opened) => {
                    if let Some(Some(element)) = video.try_get_untracked() {
                        element.set_src_object(Some(&opened));
                        if let Ok(playing) = element.play() {
                            let _ = JsFuture::from(playing).await;
                        }
                    }
                    if !current(mine) {
                        stop_tracks(&opened);
                        return;
                    }
                    if let Some(id) = camera_in_use(&opened) {
                        chosen_camera.set(id);
                    }
                    stream.set_value(Some(opened));
                    if cameras.get_untracked().is_empty() {
                        let found = list_cameras().await;
                        cameras.try_set(found);
                    }
                    if !current(mine) {
                        return;
                    }
                    camera.set(Camera::On);
                    status.set("Looking for a barcode. Hold the label inside the frame.".into());
                    scan_frames(mine);
                }
                Err(_) if !current(mine) => {}
                Err(name) => {
                    camera.set(Camera::Off);
                    status.set(camera_problem(&name).into());
                }
            }
        });
    };

    let read_photo = move |file: web_sys::File| {
        choices.set(Vec::new());
        status.set("Reading the photo…".into());
        leptos::task::spawn_local(async move {
            let image = match (canvas.try_get_untracked().flatten(), photo(&file).await) {
                (Some(canvas), Ok(bitmap)) => picture(&bitmap, &canvas),
                _ => None,
            };
            let Some(image) = image else {
                status.try_set("That file could not be opened as a picture. Choose a photo (JPEG or PNG) of the label.".into());
                return;
            };
            match decode(&image, None).await {
                Ok(decoded) if decoded.texts.is_empty() => {
                    status.try_set("No barcode was found in the photo. Take it again closer to the label, in good light, with the barcode flat and sharp.".into());
                }
                Ok(decoded) => {
                    if status.try_get_untracked().is_some() {
                        apply(next_step(&decoded.texts, false));
                    }
                }
                Err(problem) => {
                    status.try_set(format!(
                        "The barcode reader failed ({problem}). Type the code instead."
                    ));
                }
            }
        });
    };

    on_cleanup(stop_camera);

    let photo_id = format!("photo-{}", target.replace(' ', "-"));
    let camera_select_id = format!("camera-{}", target.replace(' ', "-"));
    let camera_button = format!("Scan {target} with the camera");
    let photo_label = format!("Or read a photo of the label for {target} (or drop one here)");
    let video_label = format!(
        "Camera view for {target}: hold the barcode inside the frame; what is read is announced below"
    );
    // A photo can also be dropped onto the scanner (the file input is the keyboard's way).
    let drop_photo = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        if let Some(file) = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0))
        {
            read_photo(file);
        }
    };
    view! {
        <div class="app-scanner" on:dragover=|event: leptos::ev::DragEvent| event.prevent_default() on:drop=drop_photo>
            <div class="app-scanner__actions">
                // One button that changes its words, so keyboard focus stays on it.
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                    on:click=move |_| {
                        if camera.get_untracked() == Camera::Off {
                            start_camera();
                        } else {
                            stop_camera();
                            status.set("Camera stopped.".into());
                        }
                    }>
                    {move || match camera.get() {
                        Camera::Off => camera_button.clone(),
                        Camera::Starting | Camera::On => "Stop the camera".to_string(),
                    }}
                </button>
                <div class="nhsuk-form-group app-scanner__photo">
                    <label class="nhsuk-label" for=photo_id.clone()>{photo_label}</label>
                    <input class="nhsuk-file-upload" type="file" accept="image/*" id=photo_id
                        on:change=move |event| {
                            let input: web_sys::HtmlInputElement = event_target(&event);
                            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                                read_photo(file);
                            }
                            input.set_value("");
                        }/>
                </div>
            </div>
            <Show when=move || cameras.with(|list| list.len() > 1)>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for=camera_select_id.clone()>"Camera"</label>
                    <select class="nhsuk-select" id=camera_select_id.clone() prop:value=move || chosen_camera.get()
                        on:change=move |event| {
                            chosen_camera.set(event_target_value(&event));
                            start_camera();
                        }>
                        {move || cameras.get().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                    </select>
                </div>
            </Show>
            <div class="app-scanner__view" hidden=move || camera.get() == Camera::Off>
                <video node_ref=video muted=true playsinline=true aria-label=video_label></video>
                <div class="app-scanner__frame" aria-hidden="true"></div>
            </div>
            <canvas node_ref=canvas hidden=true></canvas>
            <p class="app-scanner__status" role="status" aria-live="polite">{move || status.get()}</p>
            <Show when=move || !choices.with(Vec::is_empty)>
                <ul class="nhsuk-list app-scanner__choices">
                    {
                        let field_id = field_id.clone();
                        move || choices.get().into_iter().map(|(description, text)| {
                            let label = format!("Use {}", description.trim_start_matches("Read: ").trim_end_matches('.'));
                            let field_id = field_id.clone();
                            view! {
                                <li>
                                    <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                                        on:click=move |_| {
                                            on_read.run(text.clone());
                                            choices.set(Vec::new());
                                            status.set(format!("{description} Chosen."));
                                            // The chosen button is gone: focus goes to the field it filled.
                                            crate::components::form::focus_by_id(&field_id);
                                        }>{label}</button>
                                </li>
                            }
                        }).collect_view()
                    }
                </ul>
            </Show>
        </div>
    }
}

/// The id of the camera a stream comes from, so the camera list shows the one in use.
fn camera_in_use(stream: &web_sys::MediaStream) -> Option<String> {
    let track: web_sys::MediaStreamTrack = stream.get_video_tracks().get(0).dyn_into().ok()?;
    track.get_settings().get_device_id()
}

/// The camera stream: the one chosen, or the rear camera where there is one (phones).
async fn open_camera(device: &str) -> Result<web_sys::MediaStream, String> {
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
async fn list_cameras() -> Vec<(String, String)> {
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
fn frame(
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

async fn photo(file: &web_sys::File) -> Result<web_sys::ImageBitmap, JsValue> {
    let promise = window().create_image_bitmap_with_blob(file)?;
    Ok(JsFuture::from(promise).await?.unchecked_into())
}

/// A photo's pixels, scaled down to at most [`PHOTO_MAX_SIDE`].
fn picture(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_camera_failure_offers_another_way() {
        for name in [
            "NotAllowedError",
            "NotFoundError",
            "NotReadableError",
            "Whatever",
        ] {
            let message = camera_problem(name);
            assert!(
                message.contains("photo") || message.contains("type"),
                "{name}: {message}"
            );
        }
    }
}
