//! The Implant Registry portal: a Leptos app rendered in the browser, and the server functions
//! it calls (their bodies compiled only into the server, with the `ssr` feature).

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod offline;
pub mod pages;
pub mod pseudonymise;
pub mod public;
pub mod routes;
pub mod scan;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::layout::Layout;
use pages::account::{
    authenticator::AuthenticatorPage, forgot_password::ForgotPasswordPage, overview::AccountPage,
    set_password::SetPasswordPage, sign_in::SignInPage, signed_out::SignedOutPage,
};
use pages::admin::{
    account::ManageAccountPage, audit::AuditPage, claims::ClaimReviewsPage,
    organisations::OrganisationsPage, users::UsersPage,
};
use pages::notices::{
    clinic::{ClinicNoticePage, ClinicNoticesPage},
    detail::NoticePage,
    form::{EditNoticePage, NewNoticePage},
    list::NoticesPage,
};
use pages::patients::{
    access::AccessLogPage, claim::AddRecordPage, implants::MyImplantsPage, register::RegisterPage,
    report::ReportMistakePage,
};
use pages::records::{
    card::ImplantCardPage,
    correct::CorrectRecordPage,
    detail::RecordPage,
    list::RecordsPage,
    new::{FixQueuedPage, NewRecordPage},
};
use pages::register::{
    device::DevicePage,
    form::{EditDevicePage, NewDevicePage},
    import::ImportDevicesPage,
    list::DeviceRegisterPage,
    review::ReviewQueuePage,
};
use pages::staff::start::StartPage;
use pages::statistics::{clinic::ClinicStatisticsPage, public::StatisticsPage};
use pages::support::{
    accessibility::AccessibilityPage, contact::ContactPage, cookies::CookiesPage,
    privacy::PrivacyPage,
};
use pages::{home::HomePage, not_found::NotFoundPage, udi::check::CheckUdiPage};

#[component]
pub fn App() -> impl IntoView {
    session::Session::provide();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/udi") view=CheckUdiPage/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                    <Route path=path!("/account") view=AccountPage/>
                    <Route path=path!("/account/authenticator") view=AuthenticatorPage/>
                    <Route path=path!("/account/set-password") view=SetPasswordPage/>
                    <Route path=path!("/admin/users") view=UsersPage/>
                    <Route path=path!("/admin/organisations") view=OrganisationsPage/>
                    <Route path=path!("/admin/audit") view=AuditPage/>
                    <Route path=path!("/admin/claims") view=ClaimReviewsPage/>
                    <Route path=path!("/records") view=RecordsPage/>
                    <Route path=path!("/records/new") view=NewRecordPage/>
                    <Route path=path!("/records/outbox/:id") view=FixQueuedPage/>
                    <Route path=path!("/records/:id") view=RecordPage/>
                    <Route path=path!("/records/:id/correct") view=CorrectRecordPage/>
                    <Route path=path!("/records/:id/card") view=ImplantCardPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/my-implants") view=MyImplantsPage/>
                    <Route path=path!("/my-implants/add") view=AddRecordPage/>
                    <Route path=path!("/record-access") view=AccessLogPage/>
                    <Route path=path!("/admin/devices") view=DeviceRegisterPage/>
                    <Route path=path!("/admin/devices/new") view=NewDevicePage/>
                    <Route path=path!("/admin/devices/import") view=ImportDevicesPage/>
                    <Route path=path!("/admin/devices/review") view=ReviewQueuePage/>
                    <Route path=path!("/admin/devices/:id") view=DevicePage/>
                    <Route path=path!("/admin/devices/:id/edit") view=EditDevicePage/>
                    <Route path=path!("/admin/notices") view=NoticesPage/>
                    <Route path=path!("/admin/notices/new") view=NewNoticePage/>
                    <Route path=path!("/admin/notices/:id") view=NoticePage/>
                    <Route path=path!("/admin/notices/:id/edit") view=EditNoticePage/>
                    <Route path=path!("/safety-notices") view=ClinicNoticesPage/>
                    <Route path=path!("/safety-notices/:id") view=ClinicNoticePage/>
                    <Route path=path!("/statistics") view=StatisticsPage/>
                    <Route path=path!("/clinic-statistics") view=ClinicStatisticsPage/>
                    <Route path=path!("/start") view=StartPage/>
                    <Route path=path!("/signed-out") view=SignedOutPage/>
                    <Route path=path!("/accessibility") view=AccessibilityPage/>
                    <Route path=path!("/privacy") view=PrivacyPage/>
                    <Route path=path!("/cookies") view=CookiesPage/>
                    <Route path=path!("/contact") view=ContactPage/>
                    <Route path=path!("/admin/users/:id") view=ManageAccountPage/>
                    <Route path=path!("/my-implants/:id/report") view=ReportMistakePage/>
                </Routes>
            </Layout>
        </Router>
    }
}
