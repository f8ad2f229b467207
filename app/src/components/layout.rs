//! The service's frame: skip link, header, main landmark, footer with the service status.
//! Styled with the NHS.UK design system's classes.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

use crate::api::auth::sign_out;
use crate::api::session::{Role, SessionState};
use crate::api::status::{StatusReport, service_status};
use crate::offline::notice::OfflineNotice;
use crate::offline::update::UpdateBanner;
use crate::pages::records::outbox::{OutboxRunner, OutboxVersion};
use crate::routes;
use crate::session::use_session;

pub const SERVICE_NAME: &str = "Implant Registry";

/// The id of the `<main>` element: the skip link's target, and where focus goes after a
/// page change.
pub const MAIN_ID: &str = "maincontent";

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    move_focus_to_heading_on_navigation();
    provide_context(OutboxVersion(RwSignal::new(0)));
    view! {
        <OutboxRunner/>
        <SkipLink/>
        <Header/>
        <div class="nhsuk-width-container">
            <UpdateBanner/>
            <OfflineNotice/>
            <main class="nhsuk-main-wrapper" id=MAIN_ID tabindex="-1">
                {children()}
            </main>
        </div>
        <Footer/>
    }
}

/// The first thing a keyboard user reaches. Moves focus (not just the scroll position) to the
/// main content, which a plain `#maincontent` link does not do in every browser.
#[component]
pub fn SkipLink() -> impl IntoView {
    let skip = |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        focus_element_by_id(MAIN_ID);
    };
    view! {
        <a class="nhsuk-skip-link" href=format!("#{MAIN_ID}") on:click=skip>
            "Skip to main content"
        </a>
    }
}

/// The header's navigation for a role (or for someone not signed in): (link text, path).
pub fn navigation_for(role: Option<Role>) -> Vec<(&'static str, &'static str)> {
    let mut links = Vec::new();
    if matches!(role, Some(Role::ClinicUser | Role::ClinicManager)) {
        links.push(("Record a procedure", routes::NEW_RECORD));
    }
    if matches!(
        role,
        Some(Role::ClinicUser | Role::ClinicManager | Role::RegistryAdmin)
    ) {
        links.push(("Records", routes::RECORDS));
    }
    if matches!(role, Some(Role::ClinicUser | Role::ClinicManager)) {
        links.push(("Safety notices", routes::CLINIC_NOTICES));
    }
    if role == Some(Role::RegistryAdmin) {
        links.push(("Device register", routes::DEVICE_REGISTER));
        links.push(("Safety notices", routes::NOTICES));
    }
    if matches!(role, Some(Role::ClinicManager | Role::RegistryAdmin)) {
        links.push(("Accounts", routes::USERS));
        links.push(("Organisations", routes::ORGANISATIONS));
    }
    if role == Some(Role::RegistryAdmin) {
        links.push(("Audit trail", routes::AUDIT));
    }
    if role == Some(Role::Patient) {
        links.push(("Your implants", routes::MY_IMPLANTS));
        links.push(("Who has looked at your record", routes::ACCESS_LOG));
    }
    if matches!(role, Some(Role::ClinicUser | Role::ClinicManager)) {
        links.push(("Your clinic's statistics", routes::CLINIC_STATISTICS));
    }
    links.push(("Statistics", routes::STATISTICS));
    links.push(("Check a UDI", routes::CHECK_UDI));
    links
}

#[component]
pub fn Header() -> impl IntoView {
    let location = use_location();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out_now = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = sign_out().await;
            crate::offline::crypto::Cipher::forget();
            session.set(SessionState::SignedOut);
            navigate(routes::SIGN_IN, Default::default());
        });
    };
    view! {
        <header class="nhsuk-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
                <div class="nhsuk-header__service">
                    <a class="nhsuk-header__service-name" href="/">
                        {SERVICE_NAME}
                    </a>
                </div>
                <nav class="nhsuk-header__account" aria-label="Account">
                    <ul class="nhsuk-header__account-list">
                        {move || match session.info() {
                            Some(info) => view! {
                                <li class="nhsuk-header__account-item">
                                    <a class="nhsuk-header__account-link" href=routes::ACCOUNT>{info.display_name}</a>
                                </li>
                                <li class="nhsuk-header__account-item">
                                    <button class="nhsuk-header__account-button" type="button" on:click=sign_out_now.clone()>"Sign out"</button>
                                </li>
                            }.into_any(),
                            None => view! {
                                <li class="nhsuk-header__account-item">
                                    <a class="nhsuk-header__account-link" href=routes::SIGN_IN>"Sign in"</a>
                                </li>
                            }.into_any(),
                        }}
                    </ul>
                </nav>
            </div>
            <nav class="nhsuk-header__navigation" aria-label="Menu">
                <div class="nhsuk-header__navigation-container nhsuk-width-container">
                    <ul class="nhsuk-header__navigation-list">
                        {move || navigation_for(session.role())
                            .into_iter()
                            .map(|(text, path)| {
                                let current = move || is_current(&location.pathname.get(), path);
                                view! {
                                    <li class=move || {
                                        if current() {
                                            "nhsuk-header__navigation-item nhsuk-header__navigation-item--current"
                                        } else {
                                            "nhsuk-header__navigation-item"
                                        }
                                    }>
                                        <a
                                            class="nhsuk-header__navigation-link"
                                            href=path
                                            aria-current=move || current().then_some("page")
                                        >
                                            {text}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </nav>
        </header>
    }
}

/// Whether a navigation link is for the page being shown (or a page under it).
pub fn is_current(pathname: &str, link: &str) -> bool {
    pathname == link || pathname.starts_with(&format!("{link}/"))
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="nhsuk-footer" role="contentinfo">
            <div class="nhsuk-width-container">
                <h2 class="nhsuk-u-visually-hidden">"Support links"</h2>
                <ServiceStatusLine/>
                <p class="nhsuk-footer__copyright">
                    "Implant Registry. Test data only: every NHS number shown is from the 999 test range."
                </p>
            </div>
        </footer>
    }
}

/// "Service status: …" from the server, so every page exercises browser → server → database.
#[component]
fn ServiceStatusLine() -> impl IntoView {
    let status = LocalResource::new(service_status);
    view! {
        <p class="app-service-status" role="status">
            "Service status: "
            {move || match status.get() {
                None => "checking…".to_string(),
                Some(result) => describe_status(&result),
            }}
        </p>
    }
}

/// The footer's wording for a status answer.
pub fn describe_status(result: &Result<StatusReport, crate::api::ApiError>) -> String {
    match result {
        Ok(status) => match &status.details {
            Some(details) => format!(
                "working normally (version {}, {}, schema {}, instance {})",
                status.version, details.storage, details.schema_version, details.instance_id
            ),
            None => format!("working normally (version {})", status.version),
        },
        Err(_) => "the registry server cannot be reached at the moment".to_string(),
    }
}

/// Sets the browser tab's title for the current page: "Page – Implant Registry".
pub fn set_page_title(page: &str) {
    let title = if page == SERVICE_NAME {
        SERVICE_NAME.to_string()
    } else {
        format!("{page} – {SERVICE_NAME}")
    };
    document().set_title(&title);
}

/// After the user follows a link inside the app, screen readers hear nothing unless focus
/// moves: put it on the new page's main heading (not on the first load, where the browser's
/// own page-load announcement applies).
pub fn move_focus_to_heading_on_navigation() {
    let location = use_location();
    crate::public::focus_heading_if_asked();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            request_animation_frame(|| {
                if let Some(heading) = document()
                    .query_selector(&format!("#{MAIN_ID} h1"))
                    .ok()
                    .flatten()
                {
                    let _ = heading.set_attribute("tabindex", "-1");
                    if let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>() {
                        let _ = heading.focus();
                    }
                }
            });
        }
        path
    });
}

fn focus_element_by_id(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
