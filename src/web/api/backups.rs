//! Backups of a server through the API: list, run one now, read one, and put one back onto
//! its server (the server is stopped for it and started again if it ran).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Api;
use super::extract::Id;
use super::page::Page;
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::domain::backup::Kind;
use crate::domain::vm::VmId;
use crate::store::backups::{BackupRecord, BackupState};
use crate::web::AppState;

/// A backup.
#[derive(Debug, Serialize, ToSchema)]
pub struct Backup {
    /// Its id.
    pub id: u64,
    /// The server it is of.
    pub server: u64,
    /// `full` or `incremental` (the changes since `parent`).
    pub kind: String,
    /// The backup it holds the changes since.
    pub parent: Option<u64>,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// Why it failed.
    pub failure: Option<String>,
    /// Taken from the running server (`false`: copied while it was off).
    pub live: bool,
    /// The schedule that made it (absent: run by hand or through the API).
    pub schedule: Option<u64>,
    /// Bytes of its files (done ones).
    pub bytes: u64,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it finished or failed (RFC 3339).
    pub finished_at: Option<String>,
}

fn backup_of(b: BackupRecord) -> Backup {
    let (state, failure) = match &b.state {
        BackupState::Running { .. } => ("running", None),
        BackupState::Done => ("done", None),
        BackupState::Failed { reason, .. } => ("failed", Some(reason.clone())),
    };
    Backup {
        id: b.id,
        server: b.vm.0,
        kind: match b.kind {
            Kind::Full => "full",
            Kind::Incremental => "incremental",
        }
        .to_string(),
        parent: b.parent,
        state: state.to_string(),
        failure,
        live: b.live,
        schedule: b.schedule,
        bytes: b.bytes(),
        started_at: b.started_at.rfc3339(),
        finished_at: b.finished_at.map(|t| t.rfc3339()),
    }
}

/// What a restore did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Restored {
    /// The backup.
    pub backup: u64,
    /// The server.
    pub server: u64,
    /// Disks put back.
    pub disks: usize,
}

/// A server's backups, newest first.
#[utoipa::path(
    get,
    path = "/servers/{id}/backups",
    operation_id = "list_backups",
    tag = "backups",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 200, description = "Its backups", body = Page<Backup>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the backups scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<Json<Page<Backup>>, ApiError> {
    api.require(Scope::Backups)?;
    let items = state.svc.backups.list(api.caller(), VmId(id))?.into_iter().map(backup_of).collect();
    Ok(Json(Page { items, next_cursor: None }))
}

/// Back a server up now.
#[utoipa::path(
    post,
    path = "/servers/{id}/backups",
    operation_id = "run_backup",
    tag = "backups",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 202, description = "Started; follow the backup (`Location`)", body = Backup),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the backups scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A backup of it runs, or it is not in a state for one", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Over the account's backup quota, or the host is short of space", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn run(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Response, ApiError> {
    api.require(Scope::Backups)?;
    let b = state.svc.backups.start(api.caller(), VmId(id), None).await?;
    let rec = state.svc.backups.get(api.caller(), b)?;
    let mut resp = (StatusCode::ACCEPTED, Json(backup_of(rec))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/backups/{b}")) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// One backup.
#[utoipa::path(
    get,
    path = "/backups/{id}",
    operation_id = "get_backup",
    tag = "backups",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The backup's id")),
    responses(
        (status = 200, description = "The backup", body = Backup),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the backups scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such backup, or not the token's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Json<Backup>, ApiError> {
    api.require(Scope::Backups)?;
    Ok(Json(backup_of(state.svc.backups.get(api.caller(), id)?)))
}

/// Put a backup back onto its server (its disks are replaced; a running server is stopped
/// for it and started again).
#[utoipa::path(
    post,
    path = "/backups/{id}/restore",
    operation_id = "restore_backup",
    tag = "backups",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The backup's id")),
    responses(
        (status = 200, description = "Restored", body = Restored),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the backups scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such backup, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not done, or its server is busy", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn restore(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<Json<Restored>, ApiError> {
    api.require(Scope::Backups)?;
    let b = state.svc.backups.get(api.caller(), id)?;
    // The API call is the confirmation the cabinet asks to type.
    let hostname = state.svc.vms.get(api.caller(), b.vm)?.hostname;
    let disks = state.svc.backups.restore_in_place(api.caller(), id, &hostname).await?;
    Ok(Json(Restored { backup: id, server: b.vm.0, disks }))
}
