//! The Implant Registry portal: a Leptos app rendered in the browser, and the server functions
//! it calls (their bodies compiled only into the server, with the `ssr` feature).

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::layout::Layout;
use pages::{home::HomePage, not_found::NotFoundPage, udi::check::CheckUdiPage};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/udi") view=CheckUdiPage/>
                </Routes>
            </Layout>
        </Router>
    }
}
