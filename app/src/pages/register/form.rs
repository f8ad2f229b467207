//! The register entry's form, for adding and editing (and for adding a device from the
//! review queue): every field the register keeps, each with its error where the server or
//! the domain's `DeviceForm::parse` puts it.

use domain::procedure::BodySite;
use domain::register::device::AGENCIES;
use domain::register::{DeviceForm, DeviceSide, MriSafety, RegisterStatus, RiskClass};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::FieldError;
use crate::api::register::{add_device, edit_device, register_device};
use crate::api::session::roles;
use crate::components::form::{
    Binding, ErrorSummary, Radios, SelectField, TextField, field_errors,
};
use crate::components::guard::RequireRole;
use crate::components::item::{load_by_id, use_id_param};
use crate::components::layout::set_page_title;

/// Binds a field of the device form: `field!(form, brand_name)`.
macro_rules! field {
    ($form:expr, $name:ident) => {{
        let form = $form;
        Binding::new(
            move || form.with(|f| f.$name.clone()),
            move |value| form.update(|f| f.$name = value),
        )
    }};
}

fn options<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        all.iter()
            .map(|value| (code(*value).to_string(), label(*value).to_string()))
            .collect()
    })
}

const YES_NO: [(&str, &str); 2] = [("yes", "Yes"), ("no", "No")];

/// The fields, for a form held in `form`. `identifier_fixed`: editing, where the DI and its
/// agency cannot change.
#[component]
pub fn DeviceFields(
    form: RwSignal<DeviceForm>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional)] identifier_fixed: bool,
) -> impl IntoView {
    let agencies: Vec<(&'static str, &'static str)> = AGENCIES
        .iter()
        .map(|agency| (agency.name(), agency.name()))
        .collect();
    let sides: Vec<(&'static str, &'static str)> = DeviceSide::ALL
        .iter()
        .map(|side| (side.code(), side.label()))
        .collect();
    let statuses: Vec<(&'static str, &'static str)> = RegisterStatus::ALL
        .iter()
        .map(|status| (status.code(), status.label()))
        .collect();
    view! {
        <h2>"Identity"</h2>
        {if identifier_fixed {
            view! {
                <p>{move || format!("Device identifier: {} ({}). It cannot change: records refer to it.",
                    form.with(|f| f.device_identifier.clone()), form.with(|f| f.agency.clone()))}</p>
            }.into_any()
        } else {
            view! {
                <Radios id="agency" legend="Issuing agency" options=agencies value=field!(form, agency) errors=errors inline=true/>
                <TextField id="device_identifier" label="Device identifier (UDI-DI)" value=field!(form, device_identifier) errors=errors
                    hint="GS1: the GTIN after (01), 8 to 14 digits. HIBCC: labeler code, product number and unit of measure, without the check character." autocomplete="off"/>
            }.into_any()
        }}
        <TextField id="brand_name" label="Brand name" value=field!(form, brand_name) errors=errors autocomplete="off"/>
        <TextField id="version_model" label="Version or model" value=field!(form, version_model) errors=errors autocomplete="off"/>
        <TextField id="catalogue_number" label="Catalogue number (optional)" value=field!(form, catalogue_number) errors=errors autocomplete="off"/>
        <h2>"Manufacturer"</h2>
        <TextField id="manufacturer" label="Manufacturer" value=field!(form, manufacturer) errors=errors autocomplete="off"/>
        <TextField id="duns" label="DUNS number (optional)" hint="9 digits" value=field!(form, duns) errors=errors
            inputmode="numeric" width_class="nhsuk-input--width-10" autocomplete="off"/>
        <TextField id="srn" label="EUDAMED SRN (optional)" hint="For example DE-MF-000012345" value=field!(form, srn) errors=errors autocomplete="off"/>
        <h2>"Classification"</h2>
        <p>"Give a GMDN or an EMDN code with its term, or both."</p>
        <TextField id="gmdn_code" label="GMDN code" hint="5 digits" value=field!(form, gmdn_code) errors=errors
            inputmode="numeric" width_class="nhsuk-input--width-5" autocomplete="off"/>
        <TextField id="gmdn_term" label="GMDN term" value=field!(form, gmdn_term) errors=errors autocomplete="off"/>
        <TextField id="emdn_code" label="EMDN code" hint="A letter and 2 to 12 digits, for example P0908" value=field!(form, emdn_code) errors=errors
            width_class="nhsuk-input--width-10" autocomplete="off"/>
        <TextField id="emdn_term" label="EMDN term" value=field!(form, emdn_term) errors=errors autocomplete="off"/>
        <SelectField id="risk_class" label="Risk class" options=options(RiskClass::ALL, RiskClass::code, RiskClass::label)
            value=field!(form, risk_class) errors=errors placeholder="Choose the class"/>
        <Radios id="implantable" legend="Implantable" options=YES_NO.to_vec() value=field!(form, implantable) errors=errors inline=true/>
        <SelectField id="mri_safety" label="MRI safety" options=options(MriSafety::ALL, MriSafety::code, MriSafety::label)
            value=field!(form, mri_safety) errors=errors placeholder="Choose as labelled"/>
        <Radios id="sterile" legend="Supplied sterile" options=YES_NO.to_vec() value=field!(form, sterile) errors=errors inline=true/>
        <Radios id="single_use" legend="Single use" options=YES_NO.to_vec() value=field!(form, single_use) errors=errors inline=true/>
        <h2>"Where it is used"</h2>
        <SelectField id="body_site" label="Body site (optional)" options=options(BodySite::ALL, BodySite::code, BodySite::label)
            value=field!(form, body_site) errors=errors placeholder="Not given"/>
        <Radios id="side" legend="Side" options=sides value=field!(form, side) errors=errors/>
        <TextField id="size" label="Size (optional)" hint="As labelled, for example 52 mm" value=field!(form, size) errors=errors autocomplete="off"/>
        <Radios id="status" legend="Register status" hint="A withdrawn entry stays for records and safety notices; clinics are warned when they record it."
            options=statuses value=field!(form, status) errors=errors inline=true/>
    }
}

#[component]
pub fn NewDevicePage() -> impl IntoView {
    set_page_title("Add a device");
    view! { <RequireRole roles=roles::ADMINISTRATORS><NewDevice/></RequireRole> }
}

#[component]
fn NewDevice() -> impl IntoView {
    let navigate = use_navigate();
    let form = RwSignal::new(DeviceForm {
        side: "either".into(),
        status: "active".into(),
        ..DeviceForm::default()
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new_local(|form: &DeviceForm| add_device(form.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(id)) => navigate(&crate::routes::device(id), Default::default()),
        Some(Err(error)) => errors.set(field_errors(&error, "agency")),
        None => {}
    });
    let submit = check_then_save(form, errors, save);
    view! {
        <h1>"Add a device to the register"</h1>
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <DeviceFields form=form errors=errors/>
            <button class="nhsuk-button" type="submit" disabled=move || save.pending().get()>"Add device"</button>
        </form>
    }
}

/// Submitting the register form: checked here first (its problems shown at once, nothing
/// sent), then saved.
fn check_then_save<O: Send + Sync + 'static>(
    form: RwSignal<DeviceForm>,
    errors: RwSignal<Vec<FieldError>>,
    save: Action<DeviceForm, O>,
) -> impl Fn(leptos::ev::SubmitEvent) + Copy + 'static {
    move |event| {
        event.prevent_default();
        match form.with_untracked(DeviceForm::parse) {
            Err(problems) => errors.set(problems),
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(form.get_untracked());
            }
        }
    }
}

#[component]
pub fn EditDevicePage() -> impl IntoView {
    set_page_title("Change a device");
    view! { <RequireRole roles=roles::ADMINISTRATORS><EditDevice/></RequireRole> }
}

#[component]
fn EditDevice() -> impl IntoView {
    let id = use_id_param();
    let device = LocalResource::new(move || load_by_id(id(), "That device", register_device));
    view! {
        <h1>"Change a device"</h1>
        {move || match device.get() {
            None => view! { <p role="status">"Loading the device…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(view)) => view! { <EditForm id=view.id initial=DeviceForm::from_entry(&view.entry)/> }.into_any(),
        }}
    }
}

#[component]
fn EditForm(id: i64, initial: DeviceForm) -> impl IntoView {
    let navigate = use_navigate();
    let form = RwSignal::new(initial);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new_local(move |form: &DeviceForm| edit_device(id, form.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => navigate(&crate::routes::device(id), Default::default()),
        Some(Err(error)) => errors.set(field_errors(&error, "brand_name")),
        None => {}
    });
    let submit = check_then_save(form, errors, save);
    view! {
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <DeviceFields form=form errors=errors identifier_fixed=true/>
            <button class="nhsuk-button" type="submit" disabled=move || save.pending().get()>"Save changes"</button>
        </form>
        <p><a href=crate::routes::device(id)>"Back to the device without saving"</a></p>
    }
}
