//! The browser tab's title: "Page – Implant Registry", with "Error: " in front while a form on
//! the page shows errors (the GOV.UK and NHS.UK pattern: a screen reader hears it first).
//! Pages name themselves with [`set_page_title`]; error summaries report with
//! [`show_errors_while`]; the layout writes the title.

use leptos::prelude::*;

use super::layout::SERVICE_NAME;

/// The title's parts, shared through context by the layout.
#[derive(Clone, Copy)]
pub struct PageTitle {
    page: RwSignal<String>,
    /// How many error summaries on the page show errors now.
    forms_with_errors: RwSignal<usize>,
}

/// The title for `page`: "Error: Page – Implant Registry" while errors show.
pub fn title_for(page: &str, has_errors: bool) -> String {
    let named = if page == SERVICE_NAME || page.is_empty() {
        SERVICE_NAME.to_string()
    } else {
        format!("{page} – {SERVICE_NAME}")
    };
    if has_errors {
        format!("Error: {named}")
    } else {
        named
    }
}

impl PageTitle {
    /// Creates the context and keeps the document's title in step with it.
    pub fn provide() {
        let title = Self {
            page: RwSignal::new(String::new()),
            forms_with_errors: RwSignal::new(0),
        };
        provide_context(title);
        Effect::new(move |_| {
            document().set_title(&title_for(
                &title.page.get(),
                title.forms_with_errors.get() > 0,
            ));
        });
    }
}

/// Names the page in the browser tab: "Page – Implant Registry".
pub fn set_page_title(page: &str) {
    match use_context::<PageTitle>() {
        Some(title) => title.page.set(page.to_string()),
        None => document().set_title(&title_for(page, false)),
    }
}

/// Puts "Error: " in front of the title while `has_errors` is true (and until the caller's
/// part of the page is removed).
pub fn show_errors_while(has_errors: Signal<bool>) {
    let Some(title) = use_context::<PageTitle>() else {
        return;
    };
    // Shared by the effect and the clean-up, which runs after the owner's values are gone.
    let counted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = counted.clone();
    Effect::new(move |_| {
        let now = has_errors.get();
        if now != seen.swap(now, std::sync::atomic::Ordering::Relaxed) {
            title.forms_with_errors.update(|count| {
                *count = if now {
                    *count + 1
                } else {
                    count.saturating_sub(1)
                }
            });
        }
    });
    on_cleanup(move || {
        if counted.load(std::sync::atomic::Ordering::Relaxed) {
            title
                .forms_with_errors
                .try_update(|count| *count = count.saturating_sub(1));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_first_in_the_title() {
        assert_eq!(
            title_for("Record a procedure", false),
            "Record a procedure – Implant Registry"
        );
        assert_eq!(
            title_for("Record a procedure", true),
            "Error: Record a procedure – Implant Registry"
        );
        assert_eq!(title_for(SERVICE_NAME, false), SERVICE_NAME);
        assert_eq!(title_for(SERVICE_NAME, true), "Error: Implant Registry");
    }
}
