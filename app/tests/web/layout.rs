//! The service's frame, as a keyboard and screen-reader user meets it.

use app::App;
use app::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

#[wasm_bindgen_test]
async fn the_skip_link_is_the_first_thing_tab_reaches_and_moves_focus_to_main() {
    let page = mount(App);
    let first = tab_order(&page.root)
        .into_iter()
        .next()
        .expect("something focusable");
    assert_eq!(accessible_name(&first), "Skip to main content");

    click(&first);
    let main = by_role(&page.root, "main", "");
    assert_eq!(active_element(), Some(main));
}

#[wasm_bindgen_test]
async fn the_frame_has_banner_main_and_footer_landmarks_and_the_service_name() {
    let page = mount(App);
    let banner = by_role(&page.root, "banner", "Implant Registry");
    by_role(&banner, "link", "Implant Registry");
    by_role(&page.root, "main", "");
    by_role(&page.root, "contentinfo", "");
    wait_until(|| {
        all_by_role(&page.root, "heading")
            .iter()
            .any(|heading| accessible_name(heading) == "Implant Registry")
    })
    .await;
    assert_eq!(document().title(), "Implant Registry");
}

#[wasm_bindgen_test]
async fn the_footer_says_plainly_when_the_server_cannot_be_reached() {
    // The test runner's web server has no /api: the status call fails, as it would offline.
    let page = mount(App);
    let status = by_role(&page.root, "status", "Service status");
    wait_until(|| accessible_name(&status).contains("cannot be reached")).await;
}

#[wasm_bindgen_test]
async fn the_not_found_page_says_what_to_check_and_links_home() {
    let page = mount(|| view! { <Router><NotFoundPage/></Router> });
    by_role(&page.root, "heading", "Page not found");
    let home = by_role(&page.root, "link", "home page");
    assert_eq!(home.get_attribute("href").as_deref(), Some("/"));
    assert_eq!(document().title(), "Page not found – Implant Registry");
}
