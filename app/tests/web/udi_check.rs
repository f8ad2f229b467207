//! "Check a UDI" as a person uses it: type, read the result or the problem.

use app::pages::udi::check::CheckUdiPage;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

fn page() -> Mounted {
    mount(|| view! { <Router><CheckUdiPage/></Router> })
}

#[wasm_bindgen_test]
async fn a_valid_udi_shows_its_fields() {
    let page = page();
    let input = by_label(&page.root, "Barcode text");
    type_into(&input, "(01)09506000134352(17)270630(10)AB12");
    wait_until(|| text_of(&page.root).contains("What the barcode says")).await;
    let text = text_of(&page.root);
    assert!(
        text.contains("Device identifier (UDI-DI) 09506000134352"),
        "{text}"
    );
    assert!(text.contains("Lot or batch number AB12"), "{text}");
    assert!(text.contains("Expiry date 30 June 2027"), "{text}");
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("udi-text-hint")
    );
}

#[wasm_bindgen_test]
async fn an_invalid_udi_shows_the_problem_at_the_field() {
    let page = page();
    let input = by_label(&page.root, "Barcode text");
    type_into(&input, "(01)09506000134353");
    wait_until(|| text_of(&page.root).contains("check digit should be 2, not 3")).await;
    assert!(!text_of(&page.root).contains("What the barcode says"));
    let described_by = input.get_attribute("aria-describedby").unwrap();
    assert!(described_by.contains("udi-text-error"), "{described_by}");
    let error = page
        .root
        .query_selector("#udi-text-error")
        .unwrap()
        .unwrap();
    assert!(
        text_of(&error).starts_with("Error: The GTIN check digit should be 2, not 3"),
        "{}",
        text_of(&error)
    );
}

#[wasm_bindgen_test]
async fn a_lost_separator_offers_the_readings_and_a_choice_fills_the_field() {
    let page = page();
    let input = by_label(&page.root, "Barcode text");
    type_into(&input, "010950600013435210AB1221XYZ9");
    wait_until(|| text_of(&page.root).contains("can be read in 2 ways")).await;
    let choice = by_role(
        &page.root,
        "button",
        "lot or batch number AB12, serial number XYZ9",
    );
    click(&choice);
    wait_until(|| text_of(&page.root).contains("Serial number XYZ9")).await;
    let area: web_sys::HtmlTextAreaElement = wasm_bindgen::JsCast::unchecked_into(input);
    assert_eq!(area.value(), "(01)09506000134352(10)AB12(21)XYZ9");
}
