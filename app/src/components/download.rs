//! Saving a file the server sent as data: through a Blob and a temporary link, so that the
//! browser's own download (and its "save as") is used.

use wasm_bindgen::{JsCast, JsValue};

use crate::api::patients::DataFile;

pub fn save_file(file: &DataFile) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(&file.content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&file.media_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = leptos::prelude::document();
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(&file.file_name);
    link.set_hidden(true);
    let body = document.body().ok_or("no body")?;
    body.append_child(&link)?;
    link.click();
    body.remove_child(&link)?;
    // Revoked later, not at once: the download reads the Blob after this function returns.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
