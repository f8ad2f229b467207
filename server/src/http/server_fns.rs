//! The app's server functions at `/api/…`: establishes who is calling, provides the services,
//! and hands the request to the function.

use std::collections::HashSet;

use app::api::context::{Caller, RequestContext};
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

use super::api_not_found;
use crate::app::AppState;

/// Registers every server function the app declares. Registration normally happens when the
/// app crate is linked; naming each one here makes it certain (see the registration test).
pub fn register_all() {
    use leptos::server_fn::axum::register_explicit;
    register_explicit::<app::api::status::ServiceStatus>();
}

/// The paths of all registered server functions, with their HTTP methods.
pub fn registered() -> HashSet<(String, Method)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_string(), method))
        .collect()
}

pub async fn handle(State(state): State<AppState>, request: Request) -> Response {
    let key = (request.uri().path().to_string(), request.method().clone());
    if !state.server_fns.contains(&key) {
        return api_not_found(request.uri().path());
    }
    let context = RequestContext {
        caller: Caller::Anonymous,
        services: state.services.clone(),
    };
    leptos_axum::handle_server_fns_with_context(move || provide_context(context.clone()), request)
        .await
        .into_response()
}
