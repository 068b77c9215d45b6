//! Accounts, for billing systems: create (with the billing system's own id for it), read by id
//! or by that id, update, disable and enable. Only the provider's tokens carry the users scope.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::Api;
use super::extract::{ApiJson, ApiQuery, Id};
use super::page::{Page, PageQuery};
use super::problem::{ApiError, Problem};
use crate::domain::account::{Role, UserId};
use crate::domain::api_token::Scope;
use crate::service::AccountError;
use crate::store::records::UserRecord;
use crate::web::AppState;

/// An account.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    /// Its id.
    pub id: u64,
    /// Its e-mail address (the login name).
    pub email: String,
    /// `customer` or `admin`.
    pub role: String,
    /// Disabled accounts cannot log in; their tokens stop working.
    pub disabled: bool,
    /// The billing system's id of it, if set.
    pub external_id: Option<String>,
    /// The cabinet's language it chose (`kk`, `ru`, `en`), if any.
    pub language: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

fn user_of(u: UserRecord, external_id: Option<String>) -> User {
    User {
        id: u.id.0,
        email: u.email.as_str().to_string(),
        role: u.role.as_str().to_string(),
        disabled: u.disabled,
        external_id,
        language: u.language,
        created_at: u.created_at.rfc3339(),
    }
}

fn read(state: &AppState, id: UserId) -> Result<User, ApiError> {
    let u = state.svc.accounts.user(id)?;
    let external = state.svc.accounts.external_of(id)?;
    Ok(user_of(u, external))
}

/// A new customer account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Its e-mail address (the login name).
    pub email: String,
    /// Its password (10+ characters); without one the account gets a random password, and the
    /// customer comes in by single sign-on or a password reset.
    pub password: Option<String>,
    /// The billing system's id of it (unique, 1–128 characters).
    pub external_id: Option<String>,
}

/// Changes to an account; what is absent stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    /// A new outside id; `""` drops it.
    pub external_id: Option<String>,
    /// Disable (`true`) or enable (`false`) the account.
    pub disabled: Option<bool>,
}

/// Filters of the account list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Only the account with this outside id.
    pub external_id: Option<String>,
    /// Only the account with this e-mail address.
    pub email: Option<String>,
    /// Items per page, 1–500 (default 100).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Create a customer account.
#[utoipa::path(
    post,
    path = "/users",
    operation_id = "create_user",
    tag = "users",
    security(("bearer" = [])),
    request_body = NewUser,
    responses(
        (status = 201, description = "Created; `Location` names it", body = User),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the users scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The e-mail address or the external id is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    api: Api,
    State(state): State<AppState>,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<Response, ApiError> {
    api.require(Scope::Users)?;
    let password = match new.password {
        Some(p) => p,
        None => crate::service::tokens::random_password(),
    };
    let id =
        state.svc.accounts.create_user_with(&new.email, &password, Role::Customer, new.external_id).await?;
    let user = read(&state, id)?;
    let mut resp = (StatusCode::CREATED, Json(user)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/users/{}", id.0)) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// List accounts (or find one by its outside id).
#[utoipa::path(
    get,
    path = "/users",
    operation_id = "list_users",
    tag = "users",
    security(("bearer" = [])),
    params(UserFilter),
    responses(
        (status = 200, description = "Accounts by id", body = Page<User>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the users scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    api: Api,
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<UserFilter>,
) -> Result<Json<Page<User>>, ApiError> {
    api.require(Scope::Users)?;
    let page = PageQuery { limit: f.limit, cursor: f.cursor };
    let all = match (f.external_id.as_deref(), f.email.as_deref()) {
        (Some(e), _) => match state.svc.accounts.by_external(e) {
            Ok(u) if f.email.as_deref().is_none_or(|m| m.trim().eq_ignore_ascii_case(u.email.as_str())) => {
                vec![user_of(u, Some(e.trim().to_string()))]
            }
            Ok(_) | Err(AccountError::NotFound) => Vec::new(),
            Err(e) => return Err(e.into()),
        },
        (None, Some(m)) => match state.svc.accounts.user_by_email(m) {
            Ok(u) => {
                let external = state.svc.accounts.external_of(u.id)?;
                vec![user_of(u, external)]
            }
            Err(AccountError::NotFound) => Vec::new(),
            Err(e) => return Err(e.into()),
        },
        (None, None) => {
            let mut out = Vec::new();
            for u in state.svc.accounts.list_users()? {
                let external = state.svc.accounts.external_of(u.id)?;
                out.push(user_of(u, external));
            }
            out
        }
    };
    Ok(Json(page.page(all, |u| u.id)?))
}

/// One account.
#[utoipa::path(
    get,
    path = "/users/{id}",
    operation_id = "get_user",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The account", body = User),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the users scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Json<User>, ApiError> {
    api.require(Scope::Users)?;
    Ok(Json(read(&state, UserId(id))?))
}

/// Change an account: its outside id, or disable/enable it (its sessions end; its tokens stop).
#[utoipa::path(
    patch,
    path = "/users/{id}",
    operation_id = "update_user",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id")),
    request_body = UserChange,
    responses(
        (status = 200, description = "The account as it is now", body = User),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the users scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The external id is taken, or the last admin would be disabled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(change): ApiJson<UserChange>,
) -> Result<Json<User>, ApiError> {
    api.require(Scope::Users)?;
    let user = state.svc.accounts.user(UserId(id))?;
    if let Some(e) = change.external_id {
        let e = Some(e).filter(|e| !e.trim().is_empty());
        state.svc.accounts.set_external(user.id, e).await?;
    }
    if let Some(d) = change.disabled
        && d != user.disabled
    {
        state.svc.accounts.set_disabled(user.id, d).await?;
    }
    Ok(Json(read(&state, user.id)?))
}

/// Close a customer account for good: it must own no servers. Its e-mail and `external_id`
/// are freed, its sessions and tokens end; its ledger and statements stay for the books.
#[utoipa::path(
    delete,
    path = "/users/{id}",
    operation_id = "delete_user",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id")),
    responses(
        (status = 204, description = "Closed"),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the users scope, or the account is an admin's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account still has servers", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<StatusCode, ApiError> {
    api.require(Scope::Users)?;
    state.svc.accounts.close_account(api.caller(), UserId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
