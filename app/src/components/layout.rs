//! The service's frame: skip link, a "test data only" banner in demo mode, header, main
//! landmark, and the footer with its support links and the service status. Styled with the
//! NHS.UK design system's classes.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

use crate::api::auth::sign_out;
use crate::api::session::{Role, SessionState};
use crate::api::status::{SiteInfo, StatusReport, service_status, site_details};
use crate::components::submit::Submit;
use crate::components::title::PageTitle;
use crate::offline::notice::OfflineNotice;
use crate::offline::update::UpdateBanner;
use crate::pages::records::outbox::{OutboxRunner, OutboxVersion};
use crate::routes;
use crate::session::use_session;

pub use crate::components::title::set_page_title;

pub const SERVICE_NAME: &str = "Implant Registry";

/// The id of the `<main>` element: the skip link's target, and where focus goes after a
/// page change.
pub const MAIN_ID: &str = "maincontent";

/// What the server says about this registry (demo, helpdesk), loaded once for every page.
#[derive(Clone, Copy)]
pub struct Site(LocalResource<Result<SiteInfo, crate::api::ApiError>>);

/// Loads the registry's facts for the pages below (both bundles' frames call it).
pub fn provide_site() {
    provide_context(Site(LocalResource::new(site_details)));
}

/// The registry's facts, once loaded (the defaults until then).
pub fn use_site() -> Signal<SiteInfo> {
    let site = expect_context::<Site>().0;
    Signal::derive(move || site.get().and_then(Result::ok).unwrap_or_default())
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    PageTitle::provide();
    move_focus_to_heading_on_navigation();
    provide_context(OutboxVersion(RwSignal::new(0)));
    provide_site();
    view! {
        <OutboxRunner/>
        {frame(children)}
    }
}

/// What both bundles draw around a page: the skip link, header, banners (test data only, an
/// update, offline), the main content and the footer. A function, not a component: the page
/// is passed on as it is, not wrapped again (the first bundle stays as small as it was).
pub fn frame(children: Children) -> impl IntoView {
    view! {
        <SkipLink/>
        <Header/>
        <div class="nhsuk-width-container">
            <TestDataBanner/>
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

/// In demo mode, on every page: nothing here is real (the NHS.UK notification banner, where a
/// service puts what applies to every page).
#[component]
pub fn TestDataBanner() -> impl IntoView {
    let site = use_site();
    view! {
        <Show when=move || site.get().demo>
            <div class="nhsuk-notification-banner app-test-data-banner" role="region" aria-labelledby="test-data-banner-title">
                <div class="nhsuk-notification-banner__header">
                    <h2 class="nhsuk-notification-banner__title" id="test-data-banner-title">"Important"</h2>
                </div>
                <div class="nhsuk-notification-banner__content">
                    <p class="nhsuk-notification-banner__heading">"Test data only"</p>
                    <p>"This is a demonstration. Every account, record and NHS number here is made up (NHS numbers from the 999 test range). Do not enter real patients' details."</p>
                </div>
            </div>
        </Show>
    }
}

/// A success banner (NHS.UK notification banner), for what the person just did.
#[component]
pub fn SuccessBanner(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="success-banner-title">
            <div class="nhsuk-notification-banner__header">
                <h2 class="nhsuk-notification-banner__title" id="success-banner-title">"Success"</h2>
            </div>
            <div class="nhsuk-notification-banner__content">
                <h3 class="nhsuk-notification-banner__heading">{title}</h3>
                {children()}
            </div>
        </div>
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

/// The one navigation link to mark as the current section: the link for the page shown, or
/// the longest one it is under (on "Record a procedure", `/records/new`, only that link is
/// current, not "Records" too).
pub fn current_link<'a>(pathname: &str, links: &[&'a str]) -> Option<&'a str> {
    links
        .iter()
        .copied()
        .filter(|link| pathname == *link || pathname.starts_with(&format!("{link}/")))
        .max_by_key(|link| link.len())
}

#[component]
pub fn Header() -> impl IntoView {
    let location = use_location();
    let session = use_session();
    let navigate = use_navigate();
    let signing_out = Submit::new(move |()| {
        let navigate = navigate.clone();
        async move {
            let _ = sign_out().await;
            crate::offline::crypto::Cipher::forget();
            // Leave the page first: a guarded page still showing would otherwise send the
            // person to sign in when the session changes.
            navigate(routes::SIGNED_OUT, Default::default());
            session.set(SessionState::SignedOut);
        }
    });
    let sign_out_now = move |_| signing_out.dispatch(());
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
                        {move || match session.state() {
                            Some(SessionState::SignedIn(info)) => view! {
                                <li class="nhsuk-header__account-item">
                                    <a class="nhsuk-header__account-link" href=routes::ACCOUNT>{info.display_name}</a>
                                </li>
                                <li class="nhsuk-header__account-item">
                                    <button class="nhsuk-header__account-button" type="button" on:click=sign_out_now disabled=move || signing_out.pending().get()>"Sign out"</button>
                                </li>
                            }.into_any(),
                            // Half-way through signing in: not "Sign in" again, but who and a way out.
                            Some(SessionState::SecondFactorRequired { display_name } | SessionState::EnrolmentRequired { display_name }) => view! {
                                <li class="nhsuk-header__account-item">{format!("Signing in as {display_name}")}</li>
                                <li class="nhsuk-header__account-item">
                                    <button class="nhsuk-header__account-button" type="button" on:click=sign_out_now disabled=move || signing_out.pending().get()>"Sign out"</button>
                                </li>
                            }.into_any(),
                            _ => view! {
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
                        {move || {
                            let links = navigation_for(session.role());
                            let paths: Vec<&'static str> = links.iter().map(|(_, path)| *path).collect();
                            links
                                .into_iter()
                                .map(|(text, path)| {
                                    let paths = paths.clone();
                                    let current = Memo::new(move |_| current_link(&location.pathname.get(), &paths) == Some(path));
                                    view! {
                                        <li class=move || {
                                            if current.get() {
                                                "nhsuk-header__navigation-item nhsuk-header__navigation-item--current"
                                            } else {
                                                "nhsuk-header__navigation-item"
                                            }
                                        }>
                                            <a
                                                class="nhsuk-header__navigation-link"
                                                href=path
                                                aria-current=move || current.get().then_some("page")
                                            >
                                                {text}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </nav>
        </header>
    }
}

/// The footer's support links (NHS.UK footer pattern).
pub const FOOTER_LINKS: &[(&str, &str)] = &[
    ("Accessibility statement", routes::ACCESSIBILITY),
    ("Privacy notice", routes::PRIVACY),
    ("Cookies", routes::COOKIES),
    ("Contact the helpdesk", routes::CONTACT),
];

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="nhsuk-footer" role="contentinfo">
            <div class="nhsuk-width-container">
                <h2 class="nhsuk-u-visually-hidden">"Support links"</h2>
                <div class="nhsuk-footer__list-container">
                    <ul class="nhsuk-footer__list">
                        {FOOTER_LINKS.iter().map(|(text, path)| view! {
                            <li class="nhsuk-footer__list-item">
                                <a class="nhsuk-footer__list-item-link" href=*path>{*text}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
                <ServiceStatusLine/>
                <p class="nhsuk-footer__copyright">{SERVICE_NAME}</p>
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

/// The footer's wording for a status answer: whether it works and its version, never what it
/// runs on (administrators see that on their start page).
pub fn describe_status(result: &Result<StatusReport, crate::api::ApiError>) -> String {
    match result {
        Ok(status) => format!("working normally (version {})", status.version),
        Err(_) => "the registry server cannot be reached at the moment".to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_section_shown_is_current() {
        let links = [routes::NEW_RECORD, routes::RECORDS, routes::CHECK_UDI];
        assert_eq!(
            current_link("/records/new", &links),
            Some(routes::NEW_RECORD)
        );
        assert_eq!(current_link("/records/12", &links), Some(routes::RECORDS));
        assert_eq!(current_link("/records", &links), Some(routes::RECORDS));
        assert_eq!(current_link("/recordsx", &links), None);
        assert_eq!(current_link("/", &links), None);
    }

    #[test]
    fn the_footer_never_names_the_engine() {
        let report = StatusReport {
            version: "1.2.3".into(),
            details: Some(crate::api::status::StatusDetails {
                storage: "SQLite 3.46.0".into(),
                schema_version: 7,
                instance_id: "abc".into(),
            }),
        };
        assert_eq!(
            describe_status(&Ok(report)),
            "working normally (version 1.2.3)"
        );
    }
}
