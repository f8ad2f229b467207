//! Pages about one thing their address names (`/admin/devices/:id`): the id, loading it, and
//! the page while it loads or when it cannot be shown.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;

/// The address's `:id`, when it is a number.
pub fn use_id_param() -> impl Fn() -> Option<i64> + Copy + 'static {
    let params = use_params_map();
    move || params.with(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()))
}

/// `load(id)`, or "not found" for `what` (for example "That device") when the address has no
/// usable id.
pub async fn load_by_id<T, F>(
    id: Option<i64>,
    what: &'static str,
    load: impl FnOnce(i64) -> F,
) -> Result<T, ApiError>
where
    F: Future<Output = Result<T, ApiError>>,
{
    match id {
        Some(id) => load(id).await,
        None => Err(ApiError::not_found(what)),
    }
}

/// The page's heading and, under it, `loading` while the item loads (`problem` is `None`) or
/// what went wrong.
pub fn not_shown(
    heading: &'static str,
    loading: &'static str,
    problem: Option<ApiError>,
) -> AnyView {
    match problem {
        None => view! { <h1>{heading}</h1><p role="status">{loading}</p> }.into_any(),
        Some(error) => view! {
            <h1>{heading}</h1>
            <p class="nhsuk-error-message" role="alert">{error.to_string()}</p>
        }
        .into_any(),
    }
}
