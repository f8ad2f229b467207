//! The browser build's entry point (Trunk builds this binary to WASM).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
