//! Finding things as a user does: by role and accessible name, not by markup.

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A mounted view in its own container, removed when dropped.
pub struct Mounted {
    pub root: HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

pub fn mount<F, N>(view: F) -> Mounted
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = mount_to(root.clone(), view);
    Mounted {
        root,
        _handle: Box::new(handle),
    }
}

/// The ARIA role of an element: its explicit `role`, or the implicit role of common elements.
pub fn role_of(element: &Element) -> Option<String> {
    if let Some(role) = element.get_attribute("role") {
        return Some(role);
    }
    let role = match element.tag_name().to_ascii_lowercase().as_str() {
        "a" if element.has_attribute("href") => "link",
        "button" => "button",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "main" => "main",
        "header" => "banner",
        "footer" => "contentinfo",
        "nav" => "navigation",
        "input" => match element.get_attribute("type").as_deref() {
            Some("checkbox") => "checkbox",
            Some("radio") => "radio",
            Some("submit") | Some("button") => "button",
            _ => "textbox",
        },
        "textarea" => "textbox",
        "select" => "combobox",
        "table" => "table",
        _ => return None,
    };
    Some(role.to_string())
}

/// The accessible name, simplified: `aria-label`, else the text content, whitespace collapsed.
pub fn accessible_name(element: &Element) -> String {
    let raw = element
        .get_attribute("aria-label")
        .or_else(|| element.text_content())
        .unwrap_or_default();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every element under `root` with this role.
pub fn all_by_role(root: &Element, role: &str) -> Vec<Element> {
    let nodes = root.query_selector_all("*").unwrap();
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .filter(|element| role_of(element).as_deref() == Some(role))
        .collect()
}

/// The one element with this role whose accessible name contains `name`.
pub fn by_role(root: &Element, role: &str, name: &str) -> Element {
    let matches: Vec<Element> = all_by_role(root, role)
        .into_iter()
        .filter(|element| accessible_name(element).contains(name))
        .collect();
    match matches.as_slice() {
        [one] => one.clone(),
        [] => panic!(
            "no {role} named {name:?}; {role}s present: {:?}",
            all_by_role(root, role)
                .iter()
                .map(accessible_name)
                .collect::<Vec<_>>()
        ),
        _ => panic!("{} {role}s named {name:?}", matches.len()),
    }
}

/// Elements that keyboard Tab reaches, in document order (tabindex ≥ 0 ordering is not used
/// by this app).
pub fn tab_order(root: &Element) -> Vec<Element> {
    let nodes = root
        .query_selector_all("a[href], button, input, select, textarea, [tabindex]")
        .unwrap();
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .filter(|element| {
            element.get_attribute("tabindex").as_deref() != Some("-1")
                && !element.has_attribute("disabled")
        })
        .collect()
}

/// Lets effects, resources and DOM updates run, until `condition` holds or ~5 s pass.
pub async fn wait_until(mut condition: impl FnMut() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("condition not met within 5 s");
}

pub fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

pub fn active_element() -> Option<Element> {
    document().active_element()
}

/// The form control labelled `label` (through `<label for>`), as a user finds it.
pub fn by_label(root: &Element, label: &str) -> Element {
    let labels = root.query_selector_all("label").unwrap();
    let label_element = (0..labels.length())
        .filter_map(|index| labels.item(index))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .find(|element| accessible_name(element) == label)
        .unwrap_or_else(|| panic!("no label {label:?}"));
    let target = label_element
        .get_attribute("for")
        .expect("label has a for attribute");
    root.query_selector(&format!("#{target}"))
        .unwrap()
        .unwrap_or_else(|| panic!("label {label:?} points at missing #{target}"))
}

/// Types `text` into an input or textarea the way the browser reports typing.
pub fn type_into(element: &Element, text: &str) {
    if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(text);
    } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(text);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

/// The text as rendered (`innerText`: block elements separated), whitespace collapsed.
pub fn text_of(element: &Element) -> String {
    element
        .unchecked_ref::<HtmlElement>()
        .inner_text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
