//! Importing into the register from the page: a GUDID release (device.txt with
//! identifiers.txt) or the register's CSV. Files are uploaded in pieces and imported by the
//! server; the page shows the progress of both, then the report: what was added, updated and
//! left unchanged, and every rejected row with its line and reasons.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::RegisterSections;
use super::upload::{Progress, import};
use crate::api::register::import::{
    Change, FileReport, FileRole, ImportKind, ImportReport, ImportState, ImportStatus,
};
use crate::api::session::roles;
use crate::api::{ApiError, FieldError};
use crate::components::form::{ErrorSummary, FieldErrorMessage, Radios, error_for, field_errors};
use crate::components::guard::RequireRole;
use crate::components::layout::set_page_title;

#[component]
pub fn ImportDevicesPage() -> impl IntoView {
    set_page_title("Import devices");
    view! { <RequireRole roles=roles::ADMINISTRATORS><ImportDevices/></RequireRole> }
}

fn field_of(role: FileRole) -> &'static str {
    match role {
        FileRole::GudidDevices => "file-devices",
        FileRole::GudidIdentifiers => "file-identifiers",
        FileRole::RegisterCsv => "file-csv",
    }
}

/// A file chooser in the NHS.UK pattern.
#[component]
fn FileField(
    role: FileRole,
    label: &'static str,
    hint: &'static str,
    input: NodeRef<html::Input>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let id = field_of(role);
    let error = move || errors.with(|errors| error_for(errors, id));
    view! {
        <div class=move || if error().is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class="nhsuk-label" for=id>{label}</label>
            <div class="nhsuk-hint" id=format!("{id}-hint")>{hint}</div>
            {move || error().map(|message| view! { <FieldErrorMessage id=id.to_string() message=message/> })}
            <input class="nhsuk-file-upload" id=id name=id type="file" node_ref=input
                accept=if role == FileRole::RegisterCsv { ".csv,text/csv" } else { ".txt,text/plain" }
                aria-describedby=move || if error().is_some() { format!("{id}-hint {id}-error") } else { format!("{id}-hint") }/>
        </div>
    }
}

fn chosen(input: &NodeRef<html::Input>) -> Option<web_sys::File> {
    let element: web_sys::HtmlInputElement = input.get_untracked()?.unchecked_into();
    element.files()?.get(0)
}

#[component]
fn ImportDevices() -> impl IntoView {
    let kind = RwSignal::new("gudid".to_string());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let progress = RwSignal::new(None::<Progress>);
    let inputs = [
        (FileRole::GudidDevices, NodeRef::<html::Input>::new()),
        (FileRole::GudidIdentifiers, NodeRef::<html::Input>::new()),
        (FileRole::RegisterCsv, NodeRef::<html::Input>::new()),
    ];
    let run = Action::new_local(
        move |request: &(ImportKind, Vec<(FileRole, web_sys::File)>)| {
            let (kind, files) = request.clone();
            async move { import(kind, files, move |step| progress.set(Some(step))).await }
        },
    );
    Effect::new(move |_| {
        if let Some(Err(error)) = run.value().get() {
            errors.set(upload_errors(&error));
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if run.pending().get_untracked() {
            return;
        }
        let import_kind = if kind.get_untracked() == "csv" {
            ImportKind::Csv
        } else {
            ImportKind::Gudid
        };
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for role in FileRole::of(import_kind) {
            let input = inputs
                .iter()
                .find(|(r, _)| r == role)
                .map(|(_, input)| *input);
            match input.as_ref().and_then(chosen) {
                Some(file) => files.push((*role, file)),
                None => problems.push(FieldError::new(
                    field_of(*role),
                    format!("Choose the {} file", role.label()),
                )),
            }
        }
        errors.set(problems.clone());
        if problems.is_empty() {
            progress.set(None);
            run.dispatch((import_kind, files));
        }
    };
    let [(_, devices), (_, identifiers), (_, csv)] = inputs;
    view! {
        <h1>"Import devices"</h1>
        <RegisterSections/>
        <p>"Import a GUDID release (AccessGUDID delimited: device.txt with its identifiers.txt), or a CSV file in the register's own format. Importing the same files again changes nothing; a newer GUDID version of a record updates its entry; a deactivated record withdraws it."</p>
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <Radios id="kind" legend="What are you importing?" value=kind errors=errors
                options=vec![("gudid", "A GUDID release: device.txt and identifiers.txt"), ("csv", "The register's CSV")]/>
            <Show when=move || kind.get() != "csv">
                <FileField role=FileRole::GudidDevices label="device.txt" input=devices errors=errors
                    hint="Pipe-delimited, with its header row: one row per device record"/>
                <FileField role=FileRole::GudidIdentifiers label="identifiers.txt" input=identifiers errors=errors
                    hint="Every identifier of each record: primary, package, previous"/>
            </Show>
            <Show when=move || kind.get() == "csv">
                <FileField role=FileRole::RegisterCsv label="CSV file" input=csv errors=errors
                    hint="Columns as the register documents them: device_identifier, agency, brand_name, version_model, manufacturer, risk_class and so on"/>
            </Show>
            <button class="nhsuk-button" type="submit" disabled=move || run.pending().get()>"Upload and import"</button>
        </form>
        {move || progress.get().map(|step| {
            let percent = step.percent();
            view! {
                <div class="app-import-progress">
                    <label class="nhsuk-label" for="import-progress">"Progress"</label>
                    <progress id="import-progress" max="100" value=percent.to_string()>{format!("{percent}%")}</progress>
                    <p role="status" aria-live="polite">{step.describe()}</p>
                </div>
            }
        })}
        {move || match run.value().get() {
            Some(Ok(status)) => view! { <Outcome status=status/> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

/// The server's refusal, said at the file fields.
fn upload_errors(error: &ApiError) -> Vec<FieldError> {
    field_errors(error, "file-devices")
        .into_iter()
        .map(|mut error| {
            if error.field == "files" {
                error.field = "kind".into();
            }
            error
        })
        .collect()
}

#[component]
fn Outcome(status: ImportStatus) -> impl IntoView {
    match (status.state, status.report) {
        (ImportState::Finished, Some(report)) => view! { <Report report=report/> }.into_any(),
        _ => view! {
            <div class="nhsuk-error-summary" role="alert" tabindex="-1">
                <h2 class="nhsuk-error-summary__title">"The import stopped"</h2>
                <div class="nhsuk-error-summary__body">
                    <p>{status.failure.unwrap_or_else(|| "The registry did not say why.".into())}</p>
                    <p>"Rows imported before it stopped are kept; importing the files again carries on."</p>
                </div>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let summary = if report.changed_nothing() {
        "Nothing changed: the register already held everything in these files.".to_string()
    } else {
        format!(
            "Import finished.{}",
            match report.linked_components {
                0 => String::new(),
                n => format!(
                    " {n} components recorded before with these identifiers are now linked to their devices."
                ),
            }
        )
    };
    view! {
        <h2>"Import report"</h2>
        <div class="nhsuk-inset-text" role="status"><p>{summary}</p></div>
        {report.files.into_iter().map(|file| view! { <FileOutcome file=file/> }).collect_view()}
    }
}

#[component]
fn FileOutcome(file: FileReport) -> impl IntoView {
    let name = file.file.clone();
    let unlisted = file
        .rejected_total
        .saturating_sub(file.rejected.len() as u64);
    view! {
        <h3>{name.clone()}</h3>
        <dl class="nhsuk-summary-list">
            {[("Rows", file.rows), ("Added", file.added), ("Updated", file.updated), ("Unchanged", file.unchanged),
              ("Older GUDID versions left as they were", file.older_ignored), ("Rejected", file.rejected_total)]
                .into_iter().map(|(label, count)| view! {
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">{label}</dt>
                        <dd class="nhsuk-summary-list__value">{count}</dd>
                    </div>
                }).collect_view()}
        </dl>
        {(!file.rejected.is_empty()).then(|| view! {
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption">{format!("Rows of {name} left out, and why")}</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    <th scope="col" class="nhsuk-table__header">"Line"</th>
                    <th scope="col" class="nhsuk-table__header">"Reason"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">
                    {file.rejected.iter().map(|row| view! {
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell">{row.line}</td>
                            <td class="nhsuk-table__cell">{row.reason.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {(unlisted > 0).then(|| view! { <p>{format!("… and {unlisted} more rejected rows.")}</p> })}
        {(!file.changes.is_empty()).then(|| view! {
            <details class="nhsuk-details">
                <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("Rows of {name} that changed the register")}</span></summary>
                <div class="nhsuk-details__text">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption">{format!("Rows of {name} that added or updated")}</caption>
                        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                            <th scope="col" class="nhsuk-table__header">"Line"</th>
                            <th scope="col" class="nhsuk-table__header">"Identifier"</th>
                            <th scope="col" class="nhsuk-table__header">"Change"</th>
                        </tr></thead>
                        <tbody class="nhsuk-table__body">
                            {file.changes.iter().map(|row| view! {
                                <tr class="nhsuk-table__row">
                                    <td class="nhsuk-table__cell">{row.line}</td>
                                    <td class="nhsuk-table__cell">{row.identifier.clone()}</td>
                                    <td class="nhsuk-table__cell">{match row.change { Change::Added => "Added", Change::Updated => "Updated" }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        })}
    }
}
