//! The notice's form, for a new notice and for a draft (of a new notice or of its next
//! version): its texts, and each device it concerns with which of its units.

use domain::register::device::AGENCIES;
use domain::register::notice_text::scope_field;
use domain::register::{DeviceScopeForm, NoticeForm, SelectionKind};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::FieldError;
use crate::api::notices::{create_notice, load_notice, save_notice_draft};
use crate::api::session::roles;
use crate::components::form::TextArea;
use crate::components::form::{
    Binding, DateInput, ErrorSummary, Radios, TextField, field_errors, focus_by_id,
};
use crate::components::guard::RequireRole;
use crate::components::item::{load_by_id, use_id_param};
use crate::components::layout::set_page_title;
use crate::offline::outbox::today;

/// Binds a text of the notice: `text!(form, title)`.
macro_rules! text {
    ($form:expr, $($path:ident).+) => {{
        let form = $form;
        Binding::new(
            move || form.with(|f| f.$($path).+.clone()),
            move |value| form.update(|f| f.$($path).+ = value),
        )
    }};
}

/// Binds part `$part` of device `$index`.
macro_rules! device {
    ($form:expr, $index:expr, $($path:ident).+) => {{
        let (form, index) = ($form, $index);
        Binding::new(
            move || form.with(|f| f.devices.get(index).map(|d| d.$($path).+.clone()).unwrap_or_default()),
            move |value| form.update(|f| if let Some(d) = f.devices.get_mut(index) { d.$($path).+ = value }),
        )
    }};
}

#[component]
fn DeviceScopeFields(
    form: RwSignal<NoticeForm>,
    index: usize,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let agencies: Vec<(&'static str, &'static str)> =
        AGENCIES.iter().map(|a| (a.name(), a.name())).collect();
    let kinds: Vec<(&'static str, &'static str)> = SelectionKind::ALL
        .iter()
        .map(|kind| (kind.code(), kind.label()))
        .collect();
    let selection = device!(form, index, selection);
    let kind = move || SelectionKind::from_code(&selection.get.get());
    let listed = move || matches!(kind(), Some(SelectionKind::Lots | SelectionKind::Serials));
    let ranged = move || {
        matches!(
            kind(),
            Some(SelectionKind::LotRange | SelectionKind::SerialRange)
        )
    };
    let field = move |part: &str| scope_field(index, part);
    view! {
        <fieldset class="nhsuk-fieldset app-notice-device">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">{format!("Device {}", index + 1)}</legend>
            <Radios id=field("agency") legend="Issuing agency" options=agencies value=device!(form, index, agency) errors=errors inline=true/>
            <TextField id=field("device_identifier") label="Device identifier (UDI-DI)" value=device!(form, index, device_identifier) errors=errors
                hint="Any of the device's identifiers in the register: its own, or a package's" autocomplete="off"/>
            <Radios id=field("selection") legend="Which units" options=kinds value=selection errors=errors/>
            <Show when=listed>
                <TextArea id=field("values") label="The lots or serial numbers" value=device!(form, index, values) errors=errors
                    hint="Separated by commas, spaces or new lines" rows=3/>
            </Show>
            <Show when=ranged>
                <TextField id=field("range_first") label="First lot or serial number of the range" value=device!(form, index, range_first) errors=errors autocomplete="off"/>
                <TextField id=field("range_last") label="Last lot or serial number of the range" value=device!(form, index, range_last) errors=errors autocomplete="off"/>
            </Show>
            <details class="nhsuk-details">
                <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Only units made or expiring between dates (optional)"</span></summary>
                <div class="nhsuk-details__text">
                    <DateInput id=field("manufactured_from") legend="Made on or after"
                        day=device!(form, index, manufactured_from.day) month=device!(form, index, manufactured_from.month) year=device!(form, index, manufactured_from.year) errors=errors/>
                    <DateInput id=field("manufactured_to") legend="Made on or before"
                        day=device!(form, index, manufactured_to.day) month=device!(form, index, manufactured_to.month) year=device!(form, index, manufactured_to.year) errors=errors/>
                    <DateInput id=field("expiry_from") legend="Expiring on or after"
                        day=device!(form, index, expiry_from.day) month=device!(form, index, expiry_from.month) year=device!(form, index, expiry_from.year) errors=errors/>
                    <DateInput id=field("expiry_to") legend="Expiring on or before"
                        day=device!(form, index, expiry_to.day) month=device!(form, index, expiry_to.month) year=device!(form, index, expiry_to.year) errors=errors/>
                </div>
            </details>
            <Show when=move || form.with(|f| f.devices.len() > 1)>
                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                    on:click=move |_| form.update(|f| { if index < f.devices.len() { f.devices.remove(index); } })>
                    {format!("Remove device {}", index + 1)}
                </button>
            </Show>
        </fieldset>
    }
}

/// The form; `on_submit` receives it once it parses in the browser too.
#[component]
fn NoticeFields(
    form: RwSignal<NoticeForm>,
    errors: RwSignal<Vec<FieldError>>,
    submit_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    on_submit: impl Fn(NoticeForm) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let snapshot = form.get_untracked();
        match snapshot.parse(today()) {
            Err(problems) => errors.set(problems),
            Ok(_) => {
                errors.set(Vec::new());
                on_submit(snapshot);
            }
        }
    };
    let add_device = move |_| {
        form.update(|f| {
            f.devices.push(DeviceScopeForm {
                agency: "GS1".into(),
                ..DeviceScopeForm::default()
            })
        });
        let index = form.with_untracked(|f| f.devices.len() - 1);
        request_animation_frame(move || focus_by_id(&scope_field(index, "agency")));
    };
    view! {
        <ErrorSummary errors=errors/>
        <form novalidate on:submit=submit>
            <h2>"The notice"</h2>
            <TextField id="reference" label="Notice reference" hint="The registry's own, for example FSN-2026-014" value=text!(form, reference) errors=errors autocomplete="off"/>
            <TextField id="title" label="Title" hint="What clinics and patients see first: the device and the problem" value=text!(form, title) errors=errors autocomplete="off"/>
            <TextField id="manufacturer_reference" label="Manufacturer's FSN reference" value=text!(form, manufacturer_reference) errors=errors autocomplete="off"/>
            <DateInput id="fsn_date" legend="Date of the manufacturer's notice" hint="For example, 2 11 2026"
                day=text!(form, fsn_date.day) month=text!(form, fsn_date.month) year=text!(form, fsn_date.year) errors=errors/>
            <TextArea id="problem" label="The problem" value=text!(form, problem) errors=errors/>
            <TextArea id="risk" label="The risk" value=text!(form, risk) errors=errors/>
            <TextArea id="clinic_action" label="What clinics must do" value=text!(form, clinic_action) errors=errors/>
            <TextArea id="patient_action" label="What patients should do" value=text!(form, patient_action) errors=errors
                hint="Patients read this on their implant record, as written. Use plain English: short sentences, everyday words, what to do and when."/>
            <h2>"Devices it concerns"</h2>
            <For each=move || 0..form.with(|f| f.devices.len()) key=|index| *index let:index>
                <DeviceScopeFields form=form index=index errors=errors/>
            </For>
            <button id="devices" type="button" class="nhsuk-button nhsuk-button--secondary" on:click=add_device>"Add another device"</button>
            <div>
                <button class="nhsuk-button" type="submit" disabled=move || pending.get()>{submit_label}</button>
            </div>
        </form>
    }
}

#[component]
pub fn NewNoticePage() -> impl IntoView {
    set_page_title("Create a safety notice");
    view! { <RequireRole roles=roles::ADMINISTRATORS><NewNotice/></RequireRole> }
}

#[component]
fn NewNotice() -> impl IntoView {
    let navigate = use_navigate();
    let form = RwSignal::new(NoticeForm {
        devices: vec![DeviceScopeForm {
            agency: "GS1".into(),
            ..DeviceScopeForm::default()
        }],
        ..NoticeForm::default()
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new_local(|form: &NoticeForm| create_notice(form.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(id)) => navigate(&crate::routes::notice(id), Default::default()),
        Some(Err(error)) => errors.set(field_errors(&error, "reference")),
        None => {}
    });
    view! {
        <h1>"Create a safety notice"</h1>
        <p>"The notice is saved as a draft. You check it, then publish it: nothing is sent before that."</p>
        <NoticeFields form=form errors=errors submit_label="Save draft" pending=save.pending()
            on_submit=move |form| { save.dispatch(form); }/>
    }
}

#[component]
pub fn EditNoticePage() -> impl IntoView {
    set_page_title("Change the draft");
    view! { <RequireRole roles=roles::ADMINISTRATORS><EditNotice/></RequireRole> }
}

#[component]
fn EditNotice() -> impl IntoView {
    let id = use_id_param();
    let notice = LocalResource::new(move || load_by_id(id(), "That safety notice", load_notice));
    view! {
        <h1>"Change the draft"</h1>
        {move || match notice.get() {
            None => view! { <p role="status">"Loading the notice…"</p> }.into_any(),
            Some(Err(error)) => view! { <p class="nhsuk-error-message" role="alert">{error.to_string()}</p> }.into_any(),
            Some(Ok(detail)) => match detail.draft_form.clone() {
                None => view! {
                    <p>"This notice has no draft: start a new version from the notice's page."</p>
                    <p><a href=crate::routes::notice(detail.id)>"Back to the notice"</a></p>
                }.into_any(),
                Some(initial) => view! { <EditForm id=detail.id initial=initial/> }.into_any(),
            },
        }}
    }
}

#[component]
fn EditForm(id: i64, initial: NoticeForm) -> impl IntoView {
    let navigate = use_navigate();
    let form = RwSignal::new(initial);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new_local(move |form: &NoticeForm| save_notice_draft(id, form.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => navigate(&crate::routes::notice(id), Default::default()),
        Some(Err(error)) => errors.set(field_errors(&error, "reference")),
        None => {}
    });
    view! {
        <NoticeFields form=form errors=errors submit_label="Save draft" pending=save.pending()
            on_submit=move |form| { save.dispatch(form); }/>
        <p><a href=crate::routes::notice(id)>"Back to the notice without saving"</a></p>
    }
}
