//! What a server's owner or the provider does to it through the API: power buttons, and
//! suspension with a reason (the provider's tokens).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::Api;
use super::extract::{ApiJson, Id};
use super::problem::{ApiError, Problem};
use super::servers::Server;
use crate::domain::api_token::Scope;
use crate::domain::vm::VmId;
use crate::service::vms::PowerAction;
use crate::web::AppState;

/// A power button.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Power {
    /// `start`, `shutdown` (ACPI, the guest shuts down cleanly), `force-off`, `reboot` or
    /// `reset` (an instant hard reset of a hung guest).
    pub action: String,
}

/// A suspension's reason.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    /// Why (kept in the audit log), e.g. "unpaid invoice 1042".
    #[serde(default)]
    pub reason: String,
}

/// Press a power button.
#[utoipa::path(
    post,
    path = "/servers/{id}/power",
    operation_id = "power_server",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    request_body = Power,
    responses(
        (status = 200, description = "Done; the server as it is now", body = Server),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the power scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for it (running, stopped, busy, suspended)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown action", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn power(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(p): ApiJson<Power>,
) -> Result<Json<Server>, ApiError> {
    api.require(Scope::Power)?;
    let action = PowerAction::parse(&p.action).ok_or_else(|| {
        ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "API0422", "The field action is wrong")
            .field("action", "One of start, shutdown, force-off, reboot, reset")
    })?;
    state.svc.vms.power(api.caller(), VmId(id), action).await?;
    Ok(Json(super::servers::read(&state, api.caller(), VmId(id))?))
}

/// Suspend a server: it is powered off and its owner cannot start it.
#[utoipa::path(
    post,
    path = "/servers/{id}/suspend",
    operation_id = "suspend_server",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    request_body = Suspension,
    responses(
        (status = 200, description = "Suspended", body = Server),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server (a customer's token never suspends)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn suspend(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(s): ApiJson<Suspension>,
) -> Result<Json<Server>, ApiError> {
    api.require(Scope::Servers)?;
    state.svc.vms.set_suspended_for(api.caller(), VmId(id), true, &s.reason).await?;
    Ok(Json(super::servers::read(&state, api.caller(), VmId(id))?))
}

/// Lift a suspension (the server stays off until started).
#[utoipa::path(
    post,
    path = "/servers/{id}/unsuspend",
    operation_id = "unsuspend_server",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    request_body = Suspension,
    responses(
        (status = 200, description = "No longer suspended", body = Server),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server (a customer's token never unsuspends)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Scheduled for deletion: restore it instead", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unsuspend(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(s): ApiJson<Suspension>,
) -> Result<Json<Server>, ApiError> {
    api.require(Scope::Servers)?;
    state.svc.vms.set_suspended_for(api.caller(), VmId(id), false, &s.reason).await?;
    Ok(Json(super::servers::read(&state, api.caller(), VmId(id))?))
}

/// A new root password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RootPassword {
    /// 10 to 128 characters.
    pub password: String,
}

/// Where a new root password took effect.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct PasswordSet {
    /// `now` (set in the running guest through its QEMU guest agent, and kept for
    /// reinstalls) or `at_reinstall` (kept for the next reinstall: the server is off, or its
    /// guest runs no agent).
    pub applied: String,
    /// Why not now, when `applied` is `at_reinstall`.
    pub detail: Option<String>,
}

/// Set a server's root password.
#[utoipa::path(
    post,
    path = "/servers/{id}/password",
    operation_id = "set_root_password",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    request_body = RootPassword,
    responses(
        (status = 200, description = "Set; where it took effect", body = PasswordSet),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Scheduled for deletion", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Too short or too long a password", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn password(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(p): ApiJson<RootPassword>,
) -> Result<Json<PasswordSet>, ApiError> {
    api.require(Scope::Servers)?;
    let applied = state.svc.vms.set_root_password(api.caller(), VmId(id), &p.password).await?;
    Ok(Json(match applied {
        crate::service::vms::PasswordApplied::Now => PasswordSet { applied: "now".into(), detail: None },
        crate::service::vms::PasswordApplied::AtReinstall(why) => {
            PasswordSet { applied: "at_reinstall".into(), detail: Some(why) }
        }
    }))
}
