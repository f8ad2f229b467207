//! "Check a UDI": paste or type a barcode's text and see what it says, or what is wrong with
//! it, as you type. Parsed in the browser by the same engine the server uses.

use domain::udi::{ParseOptions, Udi, UdiErrors, parse};
use leptos::prelude::*;

use crate::components::layout::set_page_title;
use crate::components::udi::UdiSummary;

const INPUT_ID: &str = "udi-text";
const HINT_ID: &str = "udi-text-hint";
const ERROR_ID: &str = "udi-text-error";

/// Pause after the last keystroke before the result is read out, so that screen-reader users
/// hear the result, not every intermediate state.
const ANNOUNCE_AFTER_MS: u32 = 800;

#[component]
pub fn CheckUdiPage() -> impl IntoView {
    set_page_title("Check a UDI");
    let input = RwSignal::new(String::new());
    let options = ParseOptions::new(current_year());
    let result = Memo::new(move |_| {
        let text = input.get();
        (!text.trim().is_empty()).then(|| parse(&text, &options))
    });
    let announcement = RwSignal::new(String::new());
    let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    Effect::new(move |_| {
        let message =
            result.with(|result| result.as_ref().map(announcement_for).unwrap_or_default());
        let timer = gloo_timers::callback::Timeout::new(ANNOUNCE_AFTER_MS, move || {
            announcement.set(message)
        });
        pending.set_value(Some(timer));
    });

    let errors = move || {
        result.with(|result| match result {
            Some(Err(errors)) => errors.0.clone(),
            _ => Vec::new(),
        })
    };
    let has_errors = move || !errors().is_empty();

    view! {
        <h1>"Check a UDI"</h1>
        <p class="nhsuk-body-l">
            "Paste or type the text of a device's barcode to see what it says. It is checked on this device as you type: nothing is sent to the registry."
        </p>
        <div class=move || if has_errors() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class="nhsuk-label nhsuk-label--s" for=INPUT_ID>"Barcode text"</label>
            <div class="nhsuk-hint" id=HINT_ID>
                "For example (01)09506000134352(17)270630(10)AB12, a GS1 Digital Link (https://…), or HIBC data starting with +. Where a scanner would send a group separator, type ^] instead."
            </div>
            <Show when=has_errors>
                <div id=ERROR_ID>
                    <For each=errors key=|error| error.to_string() let:error>
                        <span class="nhsuk-error-message">
                            <span class="nhsuk-u-visually-hidden">"Error: "</span>
                            {error.to_string()}
                        </span>
                        <ReadingChoices readings=error.readings().to_vec() input=input/>
                    </For>
                </div>
            </Show>
            <textarea
                class=move || if has_errors() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                id=INPUT_ID
                name=INPUT_ID
                rows="3"
                autocomplete="off"
                spellcheck="false"
                aria-describedby=move || if has_errors() { format!("{HINT_ID} {ERROR_ID}") } else { HINT_ID.to_string() }
                prop:value=move || input.get()
                on:input=move |event| input.set(event_target_value(&event))
            ></textarea>
        </div>
        <p class="nhsuk-u-visually-hidden" aria-live="polite" role="status">{move || announcement.get()}</p>
        {move || match result.get() {
            Some(Ok(udi)) => view! { <UdiSummary udi=udi heading="What the barcode says"/> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

/// For an input whose separator was lost: one button per possible reading, in words.
#[component]
fn ReadingChoices(readings: Vec<domain::udi::Reading>, input: RwSignal<String>) -> impl IntoView {
    let descriptions = readings_in_words(&readings);
    (!readings.is_empty()).then(|| {
        view! {
            <ul class="nhsuk-list app-reading-choices">
                {readings
                    .into_iter()
                    .zip(descriptions)
                    .map(|(reading, words)| {
                        let text = reading.human_readable.clone();
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                                    on:click=move |_| input.set(text.clone())
                                >
                                    "Use: "
                                    {words}
                                </button>
                                <p class="nhsuk-body-s">{reading.human_readable.clone()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// Each reading in words, naming only the fields where the readings differ:
/// "lot or batch number AB12, serial number XYZ9".
pub fn readings_in_words(readings: &[domain::udi::Reading]) -> Vec<String> {
    readings
        .iter()
        .map(|reading| {
            reading
                .elements
                .iter()
                .filter(|element| {
                    !readings
                        .iter()
                        .all(|other| other.elements.contains(element))
                })
                .map(|(ai, value)| {
                    let title = domain::udi::gs1::spec::lookup(ai).map_or("", |entry| entry.title);
                    format!(
                        "{} {value}",
                        domain::udi::field_label(ai, title).to_lowercase()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect()
}

/// The year now, for two-digit years in UDI dates.
pub fn current_year() -> u16 {
    js_sys::Date::new_0().get_full_year() as u16
}

/// What a screen reader announces once typing pauses.
pub fn announcement_for(result: &Result<Udi, UdiErrors>) -> String {
    match result {
        Ok(udi) => {
            let mut parts = vec![format!("{} UDI read", udi.agency.name())];
            if let Some(identifier) = &udi.device_identifier {
                parts.push(format!("device identifier {identifier}"));
            }
            parts.extend(udi.production_summary());
            if !udi.warnings.is_empty() {
                parts.push(format!(
                    "{} note{}",
                    udi.warnings.len(),
                    plural(udi.warnings.len())
                ));
            }
            parts.join(", ")
        }
        Err(errors) => {
            let count = errors.0.len();
            format!("{count} problem{}: {}", plural(count), errors.first())
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Udi, UdiErrors> {
        parse(text, &ParseOptions::new(2026))
    }

    #[test]
    fn announces_the_key_fields_of_a_valid_udi() {
        let message = announcement_for(&read("(01)09506000134352(17)270630(10)AB12"));
        assert_eq!(
            message,
            "GS1 UDI read, device identifier 09506000134352, lot AB12, expires 30 June 2027"
        );
    }

    #[test]
    fn readings_are_described_by_the_fields_that_differ() {
        let errors = read("010950600013435210AB1221XYZ9").unwrap_err();
        assert_eq!(
            readings_in_words(errors.first().readings()),
            [
                "lot or batch number AB1221XYZ9",
                "lot or batch number AB12, serial number XYZ9"
            ]
        );
    }

    #[test]
    fn announces_the_number_of_problems_and_the_first() {
        let message = announcement_for(&read("(01)09506000134353(17)271301"));
        assert!(
            message.starts_with("2 problems: The GTIN check digit should be 2, not 3"),
            "{message}"
        );
    }
}
