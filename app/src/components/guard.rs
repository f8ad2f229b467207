//! Pages for signed-in people only: send others to sign in (and back afterwards), and tell
//! signed-in people without the right role plainly.

use crate::api::session::roles;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::session::{Role, SessionState};
use crate::session::use_session;

#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    view! { <RequireRole roles=roles::EVERYONE>{children()}</RequireRole> }
}

#[component]
pub fn RequireRole(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    // Read without tracking: the redirect must follow the session, not re-run (and loop)
    // when the address changes.
    let sign_in_link = move || {
        let here = format!(
            "{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked()
        );
        crate::routes::sign_in_then(&String::from(js_sys::encode_uri_component(&here)))
    };
    Effect::new(move |redirected: Option<bool>| {
        if redirected == Some(true) {
            return true;
        }
        if let Some(SessionState::SignedOut) = session.state() {
            // Signing out moves to the signed-out page; this page, on its way out, stays quiet.
            if location.pathname.get_untracked() == crate::routes::SIGNED_OUT {
                return true;
            }
            navigate(&sign_in_link(), Default::default());
            return true;
        }
        false
    });
    move || {
        match session.state() {
        None => view! { <p role="status">"Checking your sign-in…"</p> }.into_any(),
        Some(SessionState::SignedIn(info)) if roles.contains(&info.role) => children().into_any(),
        Some(SessionState::SignedIn(_)) => view! {
            <h1>"You do not have access to this page"</h1>
            <p>"Your account's role does not include this page. If you need it, ask your organisation's manager or the registry helpdesk."</p>
            <p><a href="/">"Go to the home page"</a></p>
        }
        .into_any(),
        Some(_) => view! {
            <h1>"Sign in to continue"</h1>
            <p><a href=sign_in_link()>"Sign in"</a>" to see this page."</p>
        }
        .into_any(),
    }
    }
}
