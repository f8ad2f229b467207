//! The app's server functions at `/api/…`: establishes who is calling, provides the services,
//! hands the request to the function, then turns its outcome into HTTP: the session cookie,
//! and an error's status code (the one place where API errors become HTTP).

use std::collections::HashSet;
use std::net::SocketAddr;

use app::api::ApiError;
use app::api::context::{Caller, ClientInfo, CookieChange, RequestContext, SessionCookie};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{CACHE_CONTROL, HeaderValue, RETRY_AFTER, SET_COOKIE};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

use super::api_not_found;
use crate::app::AppState;
use crate::auth::session_cookie;

/// Registers every server function the app declares. Registration normally happens when the
/// app crate is linked; naming each one here makes it certain (see the registration test).
pub fn register_all() {
    use app::api::{accounts, audit, auth, patients, procedures, statistics, status};
    use leptos::server_fn::axum::register_explicit;
    register_explicit::<status::ServiceStatus>();
    register_explicit::<status::SiteDetails>();
    register_explicit::<auth::CurrentSession>();
    register_explicit::<auth::SignIn>();
    register_explicit::<auth::VerifySecondFactor>();
    register_explicit::<auth::StartEnrolment>();
    register_explicit::<auth::ConfirmEnrolment>();
    register_explicit::<auth::SignOut>();
    register_explicit::<auth::SignOutEverywhere>();
    register_explicit::<auth::ChangePassword>();
    register_explicit::<auth::RequestPasswordReset>();
    register_explicit::<auth::DescribeAccountLink>();
    register_explicit::<auth::SetPasswordFromLink>();
    register_explicit::<accounts::ListUsers>();
    register_explicit::<accounts::InviteUser>();
    register_explicit::<accounts::SetUserDisabled>();
    register_explicit::<accounts::ResendInvitation>();
    register_explicit::<accounts::GetAccount>();
    register_explicit::<accounts::ResetAuthenticator>();
    register_explicit::<accounts::UnlockAccount>();
    register_explicit::<accounts::UpdateAccount>();
    register_explicit::<accounts::SetOrganisationContact>();
    register_explicit::<accounts::ListOrganisations>();
    register_explicit::<accounts::CreateOrganisation>();
    register_explicit::<accounts::AddSite>();
    register_explicit::<audit::ListAudit>();
    register_explicit::<audit::VerifyAuditChain>();
    register_explicit::<audit::RegistrySecurity>();
    register_explicit::<procedures::ProcedureFormOptions>();
    register_explicit::<procedures::PseudonymisationKey>();
    register_explicit::<procedures::EvaluatePseudonym>();
    register_explicit::<procedures::DraftKey>();
    register_explicit::<procedures::LookupDevices>();
    register_explicit::<procedures::SubmitProcedure>();
    register_explicit::<procedures::ListProcedures>();
    register_explicit::<procedures::RecordDetail>();
    register_explicit::<procedures::CorrectProcedure>();
    register_explicit::<procedures::PrintImplantCard>();
    register_explicit::<patients::RegisterPatient>();
    register_explicit::<patients::EvaluateForClaim>();
    register_explicit::<patients::ClaimRecord>();
    register_explicit::<patients::MyImplants>();
    register_explicit::<patients::MyAccessLog>();
    register_explicit::<patients::DownloadMyData>();
    register_explicit::<patients::ReportMistake>();
    register_explicit::<patients::ListClaimReviews>();
    register_explicit::<patients::ResolveClaimReview>();
    register_explicit::<statistics::StatisticsDashboard>();
    register_explicit::<statistics::ClinicStatisticsView>();
    register_explicit::<statistics::StatisticsCsv>();
    register_register_and_notices();
}

/// The device register's and safety notices' functions.
fn register_register_and_notices() {
    use app::api::notices::{self, clinic};
    use app::api::register;
    use leptos::server_fn::axum::register_explicit;
    register_explicit::<register::SearchRegister>();
    register_explicit::<register::RegisterDevice>();
    register_explicit::<register::AddDevice>();
    register_explicit::<register::EditDevice>();
    register_explicit::<register::ReviewQueue>();
    register_explicit::<register::ReviewAddDevice>();
    register_explicit::<register::ReviewMatchDevice>();
    register_explicit::<register::StartImport>();
    register_explicit::<register::UploadImportChunk>();
    register_explicit::<register::RunImport>();
    register_explicit::<register::FollowImport>();
    register_explicit::<notices::ListNotices>();
    register_explicit::<notices::CreateNotice>();
    register_explicit::<notices::LoadNotice>();
    register_explicit::<notices::SaveNoticeDraft>();
    register_explicit::<notices::StartNoticeVersion>();
    register_explicit::<notices::PublishNotice>();
    register_explicit::<notices::CloseNotice>();
    register_explicit::<notices::LoadNoticeProgress>();
    register_explicit::<notices::NoticeProgressCsv>();
    register_explicit::<clinic::ClinicNotices>();
    register_explicit::<clinic::LoadClinicNotice>();
    register_explicit::<clinic::AcknowledgeRecord>();
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
    let token = session_cookie::token(request.headers());
    let caller = match state.auth.caller_for(token.as_deref()).await {
        Ok(caller) => caller,
        Err(error) => return error_response(&ApiError::from(error)),
    };
    let stale_cookie = token.is_some() && caller == Caller::Anonymous;
    let client = ClientInfo {
        ip: client_address(&state, &request),
    };
    let cookie = SessionCookie::default();
    let context = RequestContext {
        caller,
        client,
        cookie: cookie.clone(),
        services: state.services.clone(),
    };
    let response = leptos_axum::handle_server_fns_with_context(
        move || provide_context(context.clone()),
        request,
    )
    .await
    .into_response();
    let mut response = with_error_status(response).await;
    let set_cookie = match cookie.take() {
        Some(CookieChange::Set { token }) => Some(session_cookie::set(&token)),
        Some(CookieChange::Clear) => Some(session_cookie::clear()),
        None if stale_cookie => Some(session_cookie::clear()),
        None => None,
    };
    if let Some(value) = set_cookie.and_then(|value| HeaderValue::from_str(&value).ok()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    // Answers about people and sessions are never stored by the browser or proxies.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The client's address: the connecting one, or what trusted proxies forwarded.
pub fn client_address(state: &AppState, request: &Request) -> Option<String> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())?;
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    Some(state.trusted_proxies.client(peer, &forwarded).to_string())
}

/// The HTTP status for an API error.
pub fn status_of(error: &ApiError) -> StatusCode {
    match error {
        ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
        ApiError::Forbidden | ApiError::Denied { .. } => StatusCode::FORBIDDEN,
        ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
        ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        ApiError::Conflict { .. } => StatusCode::CONFLICT,
        ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        ApiError::Busy { .. } | ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Transport { .. } => StatusCode::BAD_REQUEST,
        ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Server functions answer every error with 500; give each its real status.
async fn with_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes) {
        parts.status = status_of(&error);
        if let Some(seconds) = retry_after(&error) {
            parts
                .headers
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// When to try again, for the errors that say "not now".
fn retry_after(error: &ApiError) -> Option<u64> {
    match error {
        ApiError::RateLimited {
            retry_after_seconds,
        }
        | ApiError::Busy {
            retry_after_seconds,
        }
        | ApiError::Unavailable {
            retry_after_seconds,
        } => Some(*retry_after_seconds),
        _ => None,
    }
}

/// An error answered before any server function ran, shaped as a server function's error.
fn error_response(error: &ApiError) -> Response {
    let mut response = (status_of(error), axum::Json(error)).into_response();
    if let Some(seconds) = retry_after(error) {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
