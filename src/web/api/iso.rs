//! A server's CD-ROM drive through the API: the ISO images that may go in (the hoster's
//! published ones, then the owner's own uploads), what is in it, putting one in (booting from
//! it once, always, or not at all) and taking it out. A change takes effect at the server's
//! next start, or at once with `restart` (a running server is powered off and started again).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::Api;
use super::extract::{ApiJson, ApiQuery, Id};
use super::page::Page;
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::domain::vm::VmId;
use crate::service::vms::Drive;
use crate::store::isos::{IsoBoot, IsoRecord};
use crate::web::AppState;

/// An ISO image.
#[derive(Debug, Serialize, ToSchema)]
pub struct Iso {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// One of the server owner's own uploads (`false`: published by the hoster).
    pub own: bool,
}

fn iso_of(i: IsoRecord, own: bool) -> Iso {
    Iso { id: i.id, name: i.name, size: i.size, sha256: i.sha256, own }
}

/// What is in a server's drive.
#[derive(Debug, Serialize, ToSchema)]
pub struct DriveState {
    /// The ISO in it (absent: empty).
    pub iso: Option<Iso>,
    /// How the server boots from it: `no` (only attached), `once` (its next start; after the
    /// installer reboots it boots its disk) or `always` (absent: empty).
    pub boot: Option<String>,
}

fn drive_of(d: Drive) -> DriveState {
    match d.loaded {
        Some((v, rec)) => {
            let own = d.offered.iter().any(|(i, own)| i.id == rec.id && *own);
            DriveState { iso: Some(iso_of(rec, own)), boot: Some(v.boot.as_str().to_string()) }
        }
        None => DriveState { iso: None, boot: None },
    }
}

/// An ISO to put in the drive.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutIso {
    /// The ISO's id (one of `GET /servers/{id}/isos`).
    pub iso: u64,
    /// `no`, `once` (default) or `always`.
    #[serde(default)]
    pub boot: Option<BootWord>,
    /// Power a running server off and start it again now (default: at its next start).
    #[serde(default)]
    pub restart: bool,
}

/// How a server boots from the ISO in its drive.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BootWord {
    /// Only attached.
    No,
    /// At its next start.
    Once,
    /// At every start.
    Always,
}

impl From<BootWord> for IsoBoot {
    fn from(b: BootWord) -> IsoBoot {
        match b {
            BootWord::No => IsoBoot::No,
            BootWord::Once => IsoBoot::Once,
            BootWord::Always => IsoBoot::Always,
        }
    }
}

/// Whether to apply a change now.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RestartQuery {
    /// Power a running server off and start it again now (default: at its next start).
    #[serde(default)]
    pub restart: bool,
}

/// The ISO images that may go into a server's drive: the published ones, then its owner's own.
#[utoipa::path(
    get,
    path = "/servers/{id}/isos",
    operation_id = "list_server_isos",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 200, description = "What may go in", body = Page<Iso>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn offered(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<Json<Page<Iso>>, ApiError> {
    api.require(Scope::Servers)?;
    let d = state.svc.vms.drive(api.caller(), VmId(id))?;
    Ok(Json(Page {
        items: d.offered.into_iter().map(|(i, own)| iso_of(i, own)).collect(),
        next_cursor: None,
    }))
}

/// What is in a server's drive.
#[utoipa::path(
    get,
    path = "/servers/{id}/iso",
    operation_id = "get_server_iso",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 200, description = "The drive", body = DriveState),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Json<DriveState>, ApiError> {
    api.require(Scope::Servers)?;
    Ok(Json(drive_of(state.svc.vms.drive(api.caller(), VmId(id))?)))
}

/// Put an ISO in a server's drive (replacing what is in it).
#[utoipa::path(
    put,
    path = "/servers/{id}/iso",
    operation_id = "put_server_iso",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    request_body = PutIso,
    responses(
        (status = 200, description = "In the drive; the drive as it is now", body = DriveState),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Busy, or scheduled for deletion", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such ISO for this server, or a wrong field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(p): ApiJson<PutIso>,
) -> Result<Json<DriveState>, ApiError> {
    api.require(Scope::Servers)?;
    let boot = p.boot.map_or(IsoBoot::Once, IsoBoot::from);
    state.svc.vms.attach_iso(api.caller(), VmId(id), p.iso, boot, p.restart).await?;
    Ok(Json(drive_of(state.svc.vms.drive(api.caller(), VmId(id))?)))
}

/// Take the ISO out of a server's drive.
#[utoipa::path(
    delete,
    path = "/servers/{id}/iso",
    operation_id = "delete_server_iso",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id"), RestartQuery),
    responses(
        (status = 200, description = "Empty; the drive as it is now", body = DriveState),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The drive is empty, busy, or scheduled for deletion", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiQuery(q): ApiQuery<RestartQuery>,
) -> Result<Json<DriveState>, ApiError> {
    api.require(Scope::Servers)?;
    state.svc.vms.detach_iso(api.caller(), VmId(id), q.restart).await?;
    Ok(Json(drive_of(state.svc.vms.drive(api.caller(), VmId(id))?)))
}
