//! One register entry: every field, its identifiers, and how often clinics recorded it.

use domain::register::{DeviceEntry, DeviceSide};
use leptos::prelude::*;

use super::{RegisterSections, status_tag, yes_no};
use crate::api::register::{DeviceView, register_device};
use crate::api::session::roles;
use crate::components::guard::RequireRole;
use crate::components::item::{load_by_id, not_shown, use_id_param};
use crate::components::layout::set_page_title;

#[component]
pub fn DevicePage() -> impl IntoView {
    set_page_title("Device");
    view! { <RequireRole roles=roles::ADMINISTRATORS><Device/></RequireRole> }
}

/// The entry's facts as (label, value) rows, in the form's order.
pub fn rows(entry: &DeviceEntry) -> Vec<(&'static str, String)> {
    let text = |value: &Option<String>| value.clone().unwrap_or_else(|| "Not given".into());
    let nomenclature = |n: &Option<domain::register::Nomenclature>| {
        n.as_ref()
            .map_or_else(|| "Not given".into(), |n| format!("{} {}", n.code, n.term))
    };
    vec![
        (
            "Device identifier",
            format!("{} ({})", entry.device_identifier, entry.agency.name()),
        ),
        ("Brand name", entry.brand_name.clone()),
        ("Version or model", text(&entry.version_model)),
        ("Catalogue number", text(&entry.catalogue_number)),
        ("Manufacturer", entry.manufacturer.name.clone()),
        ("DUNS number", text(&entry.manufacturer.duns)),
        ("EUDAMED SRN", text(&entry.manufacturer.srn)),
        ("GMDN", nomenclature(&entry.gmdn)),
        ("EMDN", nomenclature(&entry.emdn)),
        (
            "Risk class",
            entry.risk_class.map_or("Not known", |c| c.label()).into(),
        ),
        ("Implantable", yes_no(entry.implantable).into()),
        (
            "MRI safety",
            entry.mri_safety.map_or("Not known", |m| m.label()).into(),
        ),
        ("Supplied sterile", yes_no(entry.sterile).into()),
        ("Single use", yes_no(entry.single_use).into()),
        (
            "Body site",
            entry.body_site.map_or("Not given", |b| b.label()).into(),
        ),
        (
            "Side",
            match entry.side {
                DeviceSide::Either => "Either side",
                side => side.label(),
            }
            .into(),
        ),
        ("Size", text(&entry.size)),
        (
            "From GUDID",
            entry.gudid_record.as_ref().map_or_else(
                || "No: entered or imported by the registry".into(),
                |record| format!("Record {}, version {}", record.record_key, record.version),
            ),
        ),
    ]
}

#[component]
fn Device() -> impl IntoView {
    let id = use_id_param();
    let device = LocalResource::new(move || load_by_id(id(), "That device", register_device));
    move || match device.get() {
        Some(Ok(view)) => view! { <DeviceDetail view=view/> }.into_any(),
        other => not_shown("Device", "Loading the device…", other.and_then(Result::err)),
    }
}

#[component]
fn DeviceDetail(view: DeviceView) -> impl IntoView {
    let (status, class) = status_tag(view.entry.status);
    set_page_title(&view.entry.brand_name);
    view! {
        <h1>{crate::api::register::display_name(&view.entry)}</h1>
        <RegisterSections/>
        <p><strong class=class>{status}</strong></p>
        <dl class="nhsuk-summary-list">
            {rows(&view.entry).into_iter().map(|(label, value)| view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">{label}</dt>
                    <dd class="nhsuk-summary-list__value">{value}</dd>
                </div>
            }).collect_view()}
        </dl>
        <p><a class="nhsuk-button nhsuk-button--secondary" href=crate::routes::edit_device(view.id)>"Change this device"</a></p>
        <table class="nhsuk-table-responsive">
            <caption class="nhsuk-table__caption">"Identifiers that find this device"</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    <th scope="col" class="nhsuk-table__header">"Identifier"</th>
                    <th scope="col" class="nhsuk-table__header">"Kind"</th>
                    <th scope="col" class="nhsuk-table__header">"Holds"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {view.identifiers.iter().map(|identifier| view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Identifier "</span>
                            {format!("{} ({})", identifier.identifier, identifier.agency)}</td>
                        <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Kind "</span>{identifier.kind_label()}</td>
                        <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Holds "</span>
                            {match (&identifier.contains, identifier.quantity) {
                                (Some(contains), Some(quantity)) => format!("{quantity} × {contains}"),
                                (Some(contains), None) => contains.clone(),
                                _ => String::new(),
                            }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <p>{format!("Clinics have recorded this device {} time{} (in records as they stand).",
            view.components_recorded, if view.components_recorded == 1 { "" } else { "s" })}</p>
        <p class="nhsuk-body-s">{format!("Added {}{}.", view.created_at.replace('T', " ").trim_end_matches('Z'),
            view.updated_at.as_ref().map(|at| format!(", last changed {}", at.replace('T', " ").trim_end_matches('Z'))).unwrap_or_default())}</p>
    }
}
