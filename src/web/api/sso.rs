//! `POST /users/{id}/sso`: a single sign-on link into the cabinet for a customer, valid once
//! for 60 seconds, optionally onto one of its servers' pages. A billing system sends its
//! customer's browser there ("Log in to control panel").

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Api;
use super::extract::{ApiJson, Id};
use super::problem::{ApiError, Problem};
use crate::domain::account::UserId;
use crate::domain::api_token::Scope;
use crate::domain::vm::VmId;
use crate::service::caller::Caller;
use crate::web::AppState;

/// What the link opens.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoRequest {
    /// One of the account's servers, whose page the link opens (else the dashboard).
    pub server: Option<u64>,
}

/// A single sign-on link.
#[derive(Debug, Serialize, ToSchema)]
pub struct SsoLinkBody {
    /// The link (`https://<panel>/sso/<token>`): it works once, until `expires_at`.
    pub url: String,
    /// When it stops working (RFC 3339), 60 seconds after it was made.
    pub expires_at: String,
}

/// The cabinet's base URL: `public_url`, else the host this request came to (the `Host`
/// header, or the authority of an HTTP/2 request).
fn base_url(state: &AppState, headers: &HeaderMap, uri: &Uri) -> String {
    if !state.public_url.is_empty() {
        return state.public_url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "localhost".into());
    format!("https://{host}")
}

/// A single sign-on link for a customer.
#[utoipa::path(
    post,
    path = "/users/{id}/sso",
    operation_id = "create_sso_link",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id")),
    request_body = SsoRequest,
    responses(
        (status = 201, description = "The link, valid once for 60 seconds", body = SsoLinkBody),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the sso scope, or the account is an admin's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account, or the server is not the account's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The account is disabled", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    api: Api,
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Id(id): Id,
    ApiJson(r): ApiJson<SsoRequest>,
) -> Result<(StatusCode, Json<SsoLinkBody>), ApiError> {
    api.require(Scope::Sso)?;
    let user = UserId(id);
    if let Some(server) = r.server {
        let vm = state.svc.vms.get(&Caller::system(), VmId(server))?;
        if vm.owner != user {
            return Err(crate::service::vms::VmError::NotFound.into());
        }
    }
    let link = state.svc.accounts.issue_sso(api.caller(), user, r.server).await?;
    let url = format!("{}/sso/{}", base_url(&state, &headers, &uri), link.token);
    Ok((StatusCode::CREATED, Json(SsoLinkBody { url, expires_at: link.expires_at.rfc3339() })))
}
