//! One component of the procedure form: its UDI (with what it reads as, live) and the camera
//! scanner, or, without a barcode, its details from the packaging.

use domain::procedure::{DeviceFacts, ProcedureForm, component_field};
use domain::udi::{ParseOptions, parse as parse_udi};
use leptos::prelude::*;

use crate::api::FieldError;
use crate::components::form::{Binding, TextField};
use crate::components::scanner::Scanner;
use crate::offline::outbox::today;

/// Binds a text field of component `index`: `bind_component!(form, index, lot)`.
macro_rules! bind_component {
    ($form:expr, $index:expr, $field:ident) => {{
        let (form, index) = ($form, $index);
        Binding::new(
            move || {
                form.with(|f| {
                    f.components
                        .get(index)
                        .map(|c| c.$field.clone())
                        .unwrap_or_default()
                })
            },
            move |value| {
                form.update(|f| {
                    if let Some(component) = f.components.get_mut(index) {
                        component.$field = value;
                    }
                })
            },
        )
    }};
}

/// What a UDI reads as, shown under its field: the device (by name when the register knows
/// it) and its lot, serial and expiry. `None` when there is nothing to show.
pub fn reads_as(text: &str, devices: &[DeviceFacts], reference_year: u16) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    let udi = parse_udi(text, &ParseOptions::new(reference_year)).ok()?;
    let mut parts = Vec::new();
    if let Some(di) = &udi.device_identifier {
        match devices.iter().find(|facts| &facts.device_identifier == di) {
            Some(facts) => parts.push(format!("{} ({})", facts.name, facts.manufacturer)),
            None => parts.push(format!("Device {di}")),
        }
    }
    parts.extend(udi.production_summary());
    Some(parts.join(", "))
}

/// One component: its UDI (with what it says, live) or, without a barcode, its details.
#[component]
pub fn ComponentFields(
    form: RwSignal<ProcedureForm>,
    index: usize,
    errors: Signal<Vec<FieldError>>,
    devices: Signal<Vec<DeviceFacts>>,
) -> impl IntoView {
    let number = index + 1;
    let no_barcode = move || form.with(|f| f.components.get(index).is_some_and(|c| c.no_barcode));
    let udi_text = move || {
        form.with(|f| {
            f.components
                .get(index)
                .map(|c| c.udi.clone())
                .unwrap_or_default()
        })
    };
    let preview = move || {
        if no_barcode() {
            return None;
        }
        devices.with(|devices| reads_as(&udi_text(), devices, today().year()))
    };
    let remove = move |_| {
        form.update(|f| {
            if index < f.components.len() {
                f.components.remove(index);
            }
            f.acknowledged_warnings.clear();
        });
    };
    let check_id = component_field(index, "no-barcode");
    view! {
        <fieldset class="nhsuk-fieldset app-component">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{format!("Component {number}")}</legend>
            <Show when=move || !no_barcode()>
                // A handheld scanner types the code and presses Enter: that must not send the form.
                <div on:keydown=move |event: leptos::ev::KeyboardEvent| {
                    if event.key() == "Enter" {
                        event.prevent_default();
                    }
                }>
                    <TextField id=component_field(index, "udi") label=format!("Component {number}: UDI")
                        hint="Scan the barcode with a handheld scanner or the camera, or type the text printed under it, for example (01)09506000134352(17)281231(10)AB12"
                        value=bind_component!(form, index, udi) errors=errors autocomplete="off"/>
                </div>
                {move || preview().map(|text| view! { <p class="nhsuk-body-s app-udi-preview">{format!("Reads as: {text}.")}</p> })}
                <Scanner target=format!("component {number}") field_id=component_field(index, "udi") on_read=Callback::new(move |text: String| {
                    form.update(|f| if let Some(component) = f.components.get_mut(index) { component.udi = text; });
                })/>
            </Show>
            <div class="nhsuk-checkboxes nhsuk-checkboxes--small nhsuk-form-group">
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" type="checkbox" id=check_id.clone()
                        prop:checked=no_barcode
                        on:change=move |event| {
                            let checked = event_target_checked(&event);
                            form.update(|f| if let Some(component) = f.components.get_mut(index) { component.no_barcode = checked; });
                        }/>
                    <label class="nhsuk-label nhsuk-checkboxes__label" for=check_id>{format!("Component {number} has no barcode")}</label>
                </div>
            </div>
            <Show when=no_barcode>
                <TextField id=component_field(index, "manufacturer") label=format!("Component {number}: manufacturer")
                    value=bind_component!(form, index, manufacturer) errors=errors autocomplete="off"/>
                <TextField id=component_field(index, "catalogue") label=format!("Component {number}: catalogue (reference) number")
                    hint="Printed as REF on the packaging" value=bind_component!(form, index, catalogue_number) errors=errors autocomplete="off"/>
                <TextField id=component_field(index, "lot") label=format!("Component {number}: lot (batch) number")
                    hint="Printed as LOT. If there is none, enter the serial number below" value=bind_component!(form, index, lot) errors=errors autocomplete="off"/>
                <TextField id=component_field(index, "serial") label=format!("Component {number}: serial number (optional)")
                    hint="Printed as SN" value=bind_component!(form, index, serial) errors=errors autocomplete="off"/>
            </Show>
            <Show when=move || form.with(|f| f.components.len() > 1)>
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" on:click=remove>
                    {format!("Remove component {number}")}
                </button>
            </Show>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_udi_reads_as_its_device_and_production_details() {
        let text = "(01)09506000134352(17)281231(10)LOT42";
        assert_eq!(
            reads_as(text, &[], 2026).unwrap(),
            "Device 09506000134352, lot LOT42, expires 31 December 2028"
        );
        let known = DeviceFacts {
            device_identifier: "09506000134352".into(),
            manufacturer: "Acme".into(),
            name: "Acme stem".into(),
            side: None,
            body_site: None,
            status: Default::default(),
        };
        assert!(
            reads_as(text, &[known], 2026)
                .unwrap()
                .starts_with("Acme stem (Acme), lot LOT42")
        );
        assert_eq!(reads_as("  ", &[], 2026), None);
        assert_eq!(reads_as("(01)09506000134353", &[], 2026), None);
    }
}
