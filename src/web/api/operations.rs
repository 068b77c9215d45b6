//! Slow actions answer `202 Accepted` with `Location: /api/v1/operations/{id}`; the operation
//! shows where the action is, and how it ended.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Api;
use super::extract::Id;
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::store::operations::{OpState, OperationRecord};
use crate::store::records::IntentOp;
use crate::web::AppState;

/// An error as an operation keeps it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OperationError {
    /// The stable code.
    pub code: String,
    /// What went wrong.
    pub detail: String,
}

/// A slow action on a server.
#[derive(Debug, Serialize, ToSchema)]
pub struct Operation {
    /// Its id.
    pub id: u64,
    /// The server.
    pub server: u64,
    /// `create`, `reinstall`, `change_plan`, `delete`, `rescue`, `leave_rescue`, `snapshot`,
    /// `revert_snapshot` or `delete_snapshot` (the last five started in the cabinet).
    pub kind: String,
    /// `running`, `succeeded`, `failed` or `cancelled` (a scheduled deletion called off).
    pub status: String,
    /// Why it failed (`failed`), or the last failed attempt of one that is retried (`running`).
    pub error: Option<OperationError>,
    /// When it began (RFC 3339).
    pub started_at: String,
    /// When it ended (RFC 3339).
    pub finished_at: Option<String>,
}

impl Operation {
    /// An operation as the API shows it.
    pub fn of(r: OperationRecord) -> Operation {
        let kind = match r.op {
            IntentOp::Create => "create",
            IntentOp::Reinstall => "reinstall",
            IntentOp::Resize => "change_plan",
            IntentOp::Delete => "delete",
            IntentOp::Rescue => "rescue",
            IntentOp::Unrescue => "leave_rescue",
            IntentOp::Snapshot => "snapshot",
            IntentOp::RevertSnapshot => "revert_snapshot",
            IntentOp::DeleteSnapshot => "delete_snapshot",
        };
        let (status, error) = match r.state {
            OpState::Running => {
                ("running", r.last_error.map(|(code, detail)| OperationError { code, detail }))
            }
            OpState::Succeeded => ("succeeded", None),
            OpState::Failed { code, message } => ("failed", Some(OperationError { code, detail: message })),
            OpState::Cancelled => ("cancelled", None),
        };
        Operation {
            id: r.id,
            server: r.vm.0,
            kind: kind.to_string(),
            status: status.to_string(),
            error,
            started_at: r.started_at.rfc3339(),
            finished_at: r.finished_at.map(|t| t.rfc3339()),
        }
    }
}

/// `202 Accepted` for operation `id`: the operation, and where to follow it.
pub fn accepted(state: &AppState, api: &Api, id: u64) -> Result<Response, ApiError> {
    let op = Operation::of(state.svc.vms.operation(api.caller(), id)?);
    let mut resp = (StatusCode::ACCEPTED, Json(op)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/operations/{id}")) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// One operation.
#[utoipa::path(
    get,
    path = "/operations/{id}",
    operation_id = "get_operation",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The operation's id")),
    responses(
        (status = 200, description = "The operation", body = Operation),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such operation, or not on the token's servers", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Json<Operation>, ApiError> {
    api.require(Scope::Servers)?;
    Ok(Json(Operation::of(state.svc.vms.operation(api.caller(), id)?)))
}
