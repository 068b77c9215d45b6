//! Snapshots of a server through the API: list, take one, bring the server back to one,
//! delete one. Taking, reverting and deleting are slow: each answers `202` with its operation,
//! as the cabinet's buttons start the same operations.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Api;
use super::extract::{ApiJson, Id, Ids};
use super::operations::{Operation, accepted};
use super::page::Page;
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::domain::vm::VmId;
use crate::store::snapshots::SnapshotRecord;
use crate::web::AppState;

/// A snapshot of a server's disks (and memory, if it ran).
#[derive(Debug, Serialize, ToSchema)]
pub struct Snapshot {
    /// Its id.
    pub id: u64,
    /// The server it is of.
    pub server: u64,
    /// What it is called.
    pub label: String,
    /// `taking`, `ready`, `reverting` or `deleting`.
    pub state: String,
    /// Taken from the running server: it holds its memory too, and reverting resumes it.
    pub memory: bool,
    /// Bytes it is billed as (set once taken).
    pub bytes: u64,
    /// The server's extra disks it covers (ids), besides the system disk.
    pub disks: Vec<u64>,
    /// When it was taken (RFC 3339).
    pub taken_at: String,
}

fn snapshot_of(s: SnapshotRecord) -> Snapshot {
    Snapshot {
        id: s.id,
        server: s.vm.0,
        label: s.label,
        state: s.state.as_str().to_string(),
        memory: s.running,
        bytes: s.bytes,
        disks: s.disks,
        taken_at: s.taken_at.rfc3339(),
    }
}

/// A snapshot to take.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeSnapshot {
    /// What to call it (at most 64 characters, one line); absent or empty: named after the
    /// time.
    #[serde(default)]
    pub label: Option<String>,
}

/// A server's snapshots, oldest first.
#[utoipa::path(
    get,
    path = "/servers/{id}/snapshots",
    operation_id = "list_snapshots",
    tag = "backups",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 200, description = "Its snapshots", body = Page<Snapshot>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the backups scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<Json<Page<Snapshot>>, ApiError> {
    api.require(Scope::Backups)?;
    let items = state.svc.vms.snapshots(api.caller(), VmId(id))?.into_iter().map(snapshot_of).collect();
    Ok(Json(Page { items, next_cursor: None }))
}

/// Take a snapshot of a server (of its memory too while it runs).
#[utoipa::path(
    post,
    path = "/servers/{id}/snapshots",
    operation_id = "take_snapshot",
    tag = "backups",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    request_body = TakeSnapshot,
    responses(
        (status = 202, description = "Begun; follow the operation (`Location`), then list the snapshots", body = Operation),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the backups scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Busy, suspended, in rescue, or scheduled for deletion", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong label, or over the account's snapshot quota", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn take(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(t): ApiJson<TakeSnapshot>,
) -> Result<Response, ApiError> {
    api.require(Scope::Backups)?;
    let label = t.label.unwrap_or_default();
    let op = state.svc.vms.take_snapshot(api.caller(), VmId(id), &label).await?;
    accepted(&state, &api, op)
}

/// Bring a server back to one of its snapshots (what its disks held then; its memory too, and
/// running, if the snapshot was taken while it ran). What was written since is lost.
#[utoipa::path(
    post,
    path = "/servers/{id}/snapshots/{snapshot}/revert",
    operation_id = "revert_snapshot",
    tag = "backups",
    security(("bearer" = [])),
    params(
        ("id" = u64, Path, description = "The server's id"),
        ("snapshot" = u64, Path, description = "The snapshot's id"),
    ),
    responses(
        (status = 202, description = "Begun; follow the operation (`Location`)", body = Operation),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the backups scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server or snapshot, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Busy, suspended, in rescue, the snapshot not ready, or the server's disks changed since", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn revert(
    api: Api,
    State(state): State<AppState>,
    Ids(id, snapshot): Ids,
) -> Result<Response, ApiError> {
    api.require(Scope::Backups)?;
    // The API call is the confirmation the cabinet asks to type.
    let hostname = state.svc.vms.get(api.caller(), VmId(id))?.hostname;
    let op = state.svc.vms.revert_snapshot(api.caller(), VmId(id), snapshot, &hostname).await?;
    accepted(&state, &api, op)
}

/// Delete a snapshot of a server.
#[utoipa::path(
    delete,
    path = "/servers/{id}/snapshots/{snapshot}",
    operation_id = "delete_snapshot",
    tag = "backups",
    security(("bearer" = [])),
    params(
        ("id" = u64, Path, description = "The server's id"),
        ("snapshot" = u64, Path, description = "The snapshot's id"),
    ),
    responses(
        (status = 202, description = "Begun; follow the operation (`Location`)", body = Operation),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the backups scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server or snapshot, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Busy, in rescue, or the snapshot not ready", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    api: Api,
    State(state): State<AppState>,
    Ids(id, snapshot): Ids,
) -> Result<Response, ApiError> {
    api.require(Scope::Backups)?;
    let op = state.svc.vms.delete_snapshot(api.caller(), VmId(id), snapshot).await?;
    accepted(&state, &api, op)
}
