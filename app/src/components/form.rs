//! Form pieces in the NHS.UK pattern: an error summary that takes focus and links to each
//! field, and fields that carry their own error message, hint and ARIA wiring.

mod summary;

use leptos::prelude::*;

pub use self::summary::{
    ErrorSummary, Panel, error_for, field_errors, field_errors_at, focus_by_id,
};
use crate::api::FieldError;

/// Where a field reads and writes its text: its own signal, or a part of a larger form.
#[derive(Clone, Copy)]
pub struct Binding {
    pub get: Signal<String>,
    pub set: Callback<String>,
}

impl Binding {
    pub fn new(
        get: impl Fn() -> String + Send + Sync + 'static,
        set: impl Fn(String) + Send + Sync + 'static,
    ) -> Self {
        Self {
            get: Signal::derive(get),
            set: Callback::new(set),
        }
    }
}

impl From<RwSignal<String>> for Binding {
    fn from(signal: RwSignal<String>) -> Self {
        Self::new(move || signal.get(), move |value| signal.set(value))
    }
}

/// The `aria-describedby` of a field: its hint and, when there is one, its error.
fn described_by(id: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{id}-hint"));
    }
    if has_error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn group_class(has_error: bool) -> &'static str {
    if has_error {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    }
}

/// What every field derives from its id, whether it has a hint, and the form's errors: its
/// error, the ids that describe it, and its group's class. Signals, so that each closure that
/// needs one takes a copy.
#[derive(Clone, Copy)]
struct FieldWiring {
    error: Signal<Option<String>>,
    described_by: Signal<Option<String>>,
    group_class: Signal<&'static str>,
}

impl FieldWiring {
    fn new(id: &str, has_hint: bool, errors: Signal<Vec<FieldError>>) -> Self {
        let id = id.to_string();
        let error = Signal::derive({
            let id = id.clone();
            move || errors.with(|errors| error_for(errors, &id))
        });
        Self {
            error,
            described_by: Signal::derive(move || {
                described_by(&id, has_hint, error.with(Option::is_some))
            }),
            group_class: Signal::derive(move || group_class(error.with(Option::is_some))),
        }
    }

    fn has_error(self) -> bool {
        self.error.with(Option::is_some)
    }

    /// The field's error message while there is one.
    fn message(self, id: String) -> impl IntoView {
        move || {
            self.error
                .get()
                .map(|message| view! { <FieldErrorMessage id=id.clone() message=message/> })
        }
    }
}

/// The field's error message, in the NHS.UK markup.
#[component]
pub fn FieldErrorMessage(id: String, message: String) -> impl IntoView {
    view! {
        <span class="nhsuk-error-message" id=format!("{id}-error")>
            <span class="nhsuk-u-visually-hidden">"Error: "</span>
            {message}
        </span>
    }
}

/// A labelled text input with hint and error message. `id` is also the field's name in errors.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Binding,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] width_class: Option<&'static str>,
    #[prop(optional)] large_label: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let wiring = FieldWiring::new(&id, hint.is_some(), errors);
    let input_class = {
        move || {
            let mut class = String::from("nhsuk-input");
            if let Some(width) = width_class {
                class.push(' ');
                class.push_str(width);
            }
            if wiring.has_error() {
                class.push_str(" nhsuk-input--error");
            }
            class
        }
    };
    let message = wiring.message(id.clone());
    view! {
        <div class=move || wiring.group_class.get()>
            <label class=if large_label { "nhsuk-label nhsuk-label--m" } else { "nhsuk-label" } for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <div class="nhsuk-hint" id=hint_id.clone()>{hint}</div> })}
            {message}
            <input
                class=input_class
                id=id.clone()
                name=id
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck="false"
                aria-describedby=move || wiring.described_by.get()
                prop:value=move || value.get.get()
                on:input=move |event| value.set.run(event_target_value(&event))
            />
        </div>
    }
}

/// The NHS.UK date input: day, month and year boxes in a fieldset. Errors for the date are
/// reported against `id`, which is also the day box's id (the summary links there).
#[component]
pub fn DateInput(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] day: Binding,
    #[prop(into)] month: Binding,
    #[prop(into)] year: Binding,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    /// For a date of birth: the browser may offer to fill it.
    #[prop(optional)]
    birth_date: bool,
) -> impl IntoView {
    let wiring = FieldWiring::new(&id, hint.is_some(), errors);
    let input = {
        let id = id.clone();
        move |suffix: &'static str,
              label: &'static str,
              binding: Binding,
              width: &'static str,
              autocomplete: Option<&'static str>| {
            let box_id = if suffix == "day" {
                id.clone()
            } else {
                format!("{id}-{suffix}")
            };
            view! {
                <div class="nhsuk-date-input__item">
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label nhsuk-date-input__label" for=box_id.clone()>{label}</label>
                        <input
                            class=move || format!("nhsuk-input nhsuk-date-input__input {width}{}", if wiring.has_error() { " nhsuk-input--error" } else { "" })
                            id=box_id.clone()
                            name=box_id
                            type="text"
                            inputmode="numeric"
                            autocomplete=autocomplete
                            prop:value=move || binding.get.get()
                            on:input=move |event| binding.set.run(event_target_value(&event))
                        />
                    </div>
                </div>
            }
        }
    };
    let auto = |part: &'static str| birth_date.then_some(part);
    let message = wiring.message(id.clone());
    view! {
        <div class=move || wiring.group_class.get()>
            <fieldset class="nhsuk-fieldset" role="group" aria-describedby=move || wiring.described_by.get()>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                {hint.map(|hint| view! { <div class="nhsuk-hint" id=format!("{id}-hint")>{hint}</div> })}
                {message}
                <div class="nhsuk-date-input">
                    {input("day", "Day", day, "nhsuk-input--width-2", auto("bday-day"))}
                    {input("month", "Month", month, "nhsuk-input--width-2", auto("bday-month"))}
                    {input("year", "Year", year, "nhsuk-input--width-4", auto("bday-year"))}
                </div>
            </fieldset>
        </div>
    }
}

/// One choice from a few: NHS.UK radios in a fieldset. The first radio's id is `id`.
#[component]
pub fn Radios(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] value: Binding,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional)] inline: bool,
) -> impl IntoView {
    let name = id.clone();
    view! {
        <ChoiceFieldset id=id.clone() legend=legend hint=hint errors=errors>
            <div class=if inline { "nhsuk-radios nhsuk-radios--inline" } else { "nhsuk-radios" }>
                {options.into_iter().enumerate().map(|(index, (code, label))| {
                    let option_id = option_id(&id, index, code);
                    view! {
                        <div class="nhsuk-radios__item">
                            <input class="nhsuk-radios__input" id=option_id.clone() name=name.clone() type="radio" value=code
                                prop:checked=move || value.get.get() == code
                                on:change=move |_| value.set.run(code.to_string())/>
                            <label class="nhsuk-label nhsuk-radios__label" for=option_id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </ChoiceFieldset>
    }
}

/// A question answered by choosing (`children`: the radios or checkboxes), in a fieldset with
/// its legend, hint and error message.
#[component]
fn ChoiceFieldset(
    id: String,
    legend: String,
    hint: Option<String>,
    errors: Signal<Vec<FieldError>>,
    children: Children,
) -> impl IntoView {
    let wiring = FieldWiring::new(&id, hint.is_some(), errors);
    let message = wiring.message(id.clone());
    view! {
        <div class=move || wiring.group_class.get()>
            <fieldset class="nhsuk-fieldset" aria-describedby=move || wiring.described_by.get()>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                {hint.map(|hint| view! { <div class="nhsuk-hint" id=format!("{id}-hint")>{hint}</div> })}
                {message}
                {children()}
            </fieldset>
        </div>
    }
}

/// A choice's id: the question's `id` for the first (where the error summary links), then
/// `<id>-<code>`.
fn option_id(id: &str, index: usize, code: &str) -> String {
    if index == 0 {
        id.to_string()
    } else {
        format!("{id}-{code}")
    }
}

/// Several choices: NHS.UK checkboxes. The first checkbox's id is `id`.
#[component]
pub fn Checkboxes(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] selected: Signal<Vec<String>>,
    #[prop(into)] on_change: Callback<Vec<String>>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let name = id.clone();
    view! {
        <ChoiceFieldset id=id.clone() legend=legend hint=hint errors=errors>
            <div class="nhsuk-checkboxes">
                {options.into_iter().enumerate().map(|(index, (code, label))| {
                    let option_id = option_id(&id, index, code);
                    view! {
                        <div class="nhsuk-checkboxes__item">
                            <input class="nhsuk-checkboxes__input" id=option_id.clone() name=name.clone() type="checkbox" value=code
                                prop:checked=move || selected.with(|chosen| chosen.iter().any(|c| c == code))
                                on:change=move |event| {
                                    let checked = event_target_checked(&event);
                                    let mut chosen = selected.get_untracked();
                                    chosen.retain(|c| c != code);
                                    if checked {
                                        chosen.push(code.to_string());
                                    }
                                    on_change.run(chosen);
                                }/>
                            <label class="nhsuk-label nhsuk-checkboxes__label" for=option_id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </ChoiceFieldset>
    }
}

/// A labelled drop-down list. The empty option asks the person to choose.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] value: Binding,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(into, default = "Choose one".to_string())] placeholder: String,
) -> impl IntoView {
    let wiring = FieldWiring::new(&id, false, errors);
    let message = wiring.message(id.clone());
    view! {
        <div class=move || wiring.group_class.get()>
            <label class="nhsuk-label" for=id.clone()>{label}</label>
            {message}
            <select class="nhsuk-select" id=id.clone() name=id aria-describedby=move || wiring.described_by.get()
                prop:value=move || value.get.get()
                on:change=move |event| value.set.run(event_target_value(&event))>
                <option value="">{placeholder}</option>
                {move || options.get().into_iter().map(|(code, label)| {
                    let selected = value.get.get_untracked() == code;
                    view! { <option value=code.clone() selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled multi-line text box (NHS.UK textarea), for answers longer than a line.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Binding,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let wiring = FieldWiring::new(&id, hint.is_some(), errors);
    let class = {
        move || {
            if wiring.has_error() {
                "nhsuk-textarea nhsuk-textarea--error"
            } else {
                "nhsuk-textarea"
            }
        }
    };
    let message = wiring.message(id.clone());
    view! {
        <div class=move || wiring.group_class.get()>
            <label class="nhsuk-label" for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <div class="nhsuk-hint" id=format!("{id}-hint")>{hint}</div> })}
            {message}
            <textarea class=class id=id.clone() name=id rows=rows.to_string() aria-describedby=move || wiring.described_by.get()
                prop:value=move || value.get.get()
                on:input=move |event| value.set.run(event_target_value(&event))></textarea>
        </div>
    }
}
