//! Scanning a device label: with the camera (live), from a photo, or with a handheld scanner
//! typing into the UDI field. Decoding runs in a Web Worker (`crate::scan`); what was read is
//! interpreted in [`reading`] (plain logic, tested natively); [`camera`] holds the browser's
//! camera and canvas calls. The outcome is announced to screen readers.

mod camera;
pub mod reading;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use self::camera::{camera_in_use, frame, list_cameras, open_camera, photo, picture, stop_tracks};
use self::reading::{FrameReads, Step, choice_label, next_step, pause_before_next_frame};
pub use self::reading::{camera_problem, describe_read};
use crate::offline::outbox::today;
use crate::scan::{decode, warm_up};

#[derive(Clone, Copy, PartialEq)]
enum Camera {
    Off,
    Starting,
    On,
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
            let mut number = 0u32;
            let mut reads = FrameReads::default();
            while current(mine) {
                let taken = js_sys::Date::now();
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
                            if apply(reads.add(number, decoded.texts, today().year())) {
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
                // One frame at a time: the next is taken once this one is answered.
                gloo_timers::future::TimeoutFuture::new(pause_before_next_frame(
                    js_sys::Date::now() - taken,
                ))
                .await;
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
        // The decoder loads while the camera opens.
        warm_up();
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
                    camera.set(Camera::On);
                    status.set("Looking for a barcode. Hold the label inside the frame.".into());
                    scan_frames(mine);
                    // The camera list (for a choice of camera) while the first frames are read.
                    if cameras.get_untracked().is_empty() {
                        let found = list_cameras().await;
                        cameras.try_set(found);
                    }
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
                        apply(next_step(&decoded.texts, false, today().year()));
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
                    // The NHS.UK file upload (its input styling and yellow focus ring).
                    <div class="nhsuk-file-upload">
                        <input class="nhsuk-file-upload__input" type="file" accept="image/*" id=photo_id
                            on:change=move |event| {
                                let input: web_sys::HtmlInputElement = event_target(&event);
                                if let Some(file) = input.files().and_then(|files| files.get(0)) {
                                    read_photo(file);
                                }
                                input.set_value("");
                            }/>
                    </div>
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
                            let label = choice_label(&description);
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
