//! Rescue mode through the API: boot a server into the hoster's rescue system (its own disks
//! attached, root's one-time password in the answer, shown this once) and back into its own
//! system. Both are slow: each answers `202` with its operation.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Api;
use super::extract::Id;
use super::operations::{Operation, accepted};
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::domain::vm::VmId;
use crate::web::AppState;

/// Rescue begun.
#[derive(Debug, Serialize, ToSchema)]
pub struct RescueStarted {
    /// The operation that boots the rescue system.
    pub operation: Operation,
    /// The rescue system's root password: shown this once, never kept in plain text (the
    /// server's SSH keys are let in too).
    pub password: String,
}

/// Boot a server into the rescue system (it is powered off first).
#[utoipa::path(
    post,
    path = "/servers/{id}/rescue",
    operation_id = "enter_rescue",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 202, description = "Begun; follow the operation (`Location`)", body = RescueStarted),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Busy, suspended, in rescue already, scheduled for deletion, or no rescue system on this host", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn enter(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Response, ApiError> {
    api.require(Scope::Servers)?;
    let started = state.svc.vms.enter_rescue(api.caller(), VmId(id)).await?;
    let operation = Operation::of(state.svc.vms.operation(api.caller(), started.operation)?);
    let mut resp =
        (StatusCode::ACCEPTED, Json(RescueStarted { operation, password: started.password })).into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/operations/{}", started.operation)) {
        h.insert(header::LOCATION, v);
    }
    // A password is in the body: no cache keeps it.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Boot a server in rescue into its own system again.
#[utoipa::path(
    delete,
    path = "/servers/{id}/rescue",
    operation_id = "leave_rescue",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 202, description = "Begun; follow the operation (`Location`)", body = Operation),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Busy, or not in rescue", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn leave(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Response, ApiError> {
    api.require(Scope::Servers)?;
    let op = state.svc.vms.leave_rescue(api.caller(), VmId(id)).await?;
    accepted(&state, &api, op)
}
