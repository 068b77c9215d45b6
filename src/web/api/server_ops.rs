//! The slow actions on a server: reinstall, change plan, delete (after a grace period, during
//! which it can be restored). Each answers `202` with its operation.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::auth::Api;
use super::extract::{ApiJson, ApiQuery, Id};
use super::operations::{Operation, accepted};
use super::problem::{ApiError, Problem};
use super::servers::Server;
use crate::domain::api_token::Scope;
use crate::domain::catalog::{PlanId, TemplateId};
use crate::domain::vm::VmId;
use crate::web::AppState;

/// A reinstall.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reinstall {
    /// The OS template's id. The disk is made anew; hostname, addresses, keys and root
    /// password stay.
    pub template: u64,
}

/// A plan change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePlan {
    /// The new plan's id. The server must be stopped; its disk only grows.
    pub plan: u64,
}

/// How long a deleted server stays restorable.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Hours it stays (off, suspended, restorable) before it is deleted; 0 deletes at once.
    /// Default: the host's `[api] deletion_grace_hours`.
    pub grace_hours: Option<u32>,
}

/// Reinstall a server from a template.
#[utoipa::path(
    post,
    path = "/servers/{id}/reinstall",
    operation_id = "reinstall_server",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    request_body = Reinstall,
    responses(
        (status = 202, description = "Begun; follow the operation (`Location`)", body = Operation),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Busy, or scheduled for deletion", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such template, or too small a disk for it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reinstall(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(r): ApiJson<Reinstall>,
) -> Result<Response, ApiError> {
    api.require(Scope::Servers)?;
    let op = state.svc.vms.reinstall(api.caller(), VmId(id), TemplateId(r.template)).await?;
    accepted(&state, &api, op)
}

/// Move a stopped server to another plan.
#[utoipa::path(
    post,
    path = "/servers/{id}/plan",
    operation_id = "change_server_plan",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    request_body = ChangePlan,
    responses(
        (status = 202, description = "Begun; follow the operation (`Location`)", body = Operation),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Running (stop it first), busy, or scheduled for deletion", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such plan, a smaller disk, or over the account's quota", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn change_plan(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(c): ApiJson<ChangePlan>,
) -> Result<Response, ApiError> {
    api.require(Scope::Servers)?;
    let op = state.svc.vms.resize(api.caller(), VmId(id), PlanId(c.plan)).await?;
    accepted(&state, &api, op)
}

/// Delete a server, after a grace period during which it is off, suspended and restorable.
#[utoipa::path(
    delete,
    path = "/servers/{id}",
    operation_id = "delete_server",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id"), DeleteQuery),
    responses(
        (status = 202, description = "Scheduled (or begun, with no grace); follow the operation (`Location`)", body = Operation),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Busy, or scheduled for deletion already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong grace_hours", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<Response, ApiError> {
    api.require(Scope::Servers)?;
    let hours = q.grace_hours.unwrap_or(state.api.deletion_grace_hours);
    if hours > 24 * 90 {
        return Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "API0422",
            "The query parameter grace_hours is wrong",
        )
        .field("grace_hours", "Give 0 to 2160 hours"));
    }
    let op = state.svc.vms.delete_after(api.caller(), VmId(id), i64::from(hours) * 3600).await?;
    accepted(&state, &api, op)
}

/// Restore a server scheduled for deletion: it stays off (and suspended, if it was before).
#[utoipa::path(
    post,
    path = "/servers/{id}/restore",
    operation_id = "restore_server",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 200, description = "Restored; the server as it is now", body = Server),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not scheduled for deletion, or the provider's deletion (a customer's token)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn restore(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<axum::Json<Server>, ApiError> {
    api.require(Scope::Servers)?;
    state.svc.vms.restore_deleted(api.caller(), VmId(id)).await?;
    Ok(axum::Json(super::servers::read(&state, api.caller(), VmId(id))?))
}
