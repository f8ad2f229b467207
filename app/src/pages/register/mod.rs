//! The device register, for registry administrators: search, view, add and edit entries,
//! import GUDID releases and the register's CSV, and review the identifiers clinics recorded
//! that the register did not know.

pub mod device;
pub mod form;
pub mod import;
pub mod list;
pub mod review;
mod upload;

use domain::register::RegisterStatus;

/// How a register status reads, and its tag's colour.
pub fn status_tag(status: RegisterStatus) -> (&'static str, &'static str) {
    match status {
        RegisterStatus::Active => ("Active", "nhsuk-tag nhsuk-tag--green"),
        RegisterStatus::Withdrawn => ("Withdrawn", "nhsuk-tag nhsuk-tag--grey"),
    }
}

/// Yes, no or not known.
pub fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not known",
    }
}

/// The register's sub-navigation: (link text, path).
pub const SECTIONS: [(&str, &str); 4] = [
    ("Search the register", crate::routes::DEVICE_REGISTER),
    ("Add a device", crate::routes::NEW_DEVICE),
    ("Import devices", crate::routes::IMPORT_DEVICES),
    ("Review queue", crate::routes::REVIEW_QUEUE),
];

#[leptos::component]
pub fn RegisterSections() -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        <nav aria-label="Device register">
            <ul class="nhsuk-list app-section-links">
                {SECTIONS.iter().map(|(text, path)| view! { <li><a href=*path>{*text}</a></li> }).collect_view()}
            </ul>
        </nav>
    }
}
