//! `POST /servers`: order a server for an account, idempotently. A billing system that retries
//! a timed-out create never makes two servers: the `Idempotency-Key` (required) replays the
//! first answer for the same body from the same token (24 hours), and refuses a different
//! body; the `external_service_id` (the billing system's id of the service) names one server
//! on the whole host, so even a retry under a new key gets a 409 naming the server it has.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::auth::Api;
use super::extract::{ApiQuery, RawJson, parse_json};
use super::problem::{ApiError, Problem};
use super::servers::Server;
use crate::domain::account::UserId;
use crate::domain::api_token::Scope;
use crate::domain::catalog::{PlanId, TemplateId};
use crate::domain::ssh::SshKey;
use crate::service::vms::{CreateVm, OrderExtras, Ordered};
use crate::web::AppState;

/// A server to order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServer {
    /// The account it is for (the provider's tokens; a customer's token orders for itself).
    pub owner: Option<u64>,
    /// Or the account by its outside id (`external_id`).
    pub owner_external_id: Option<String>,
    /// The plan's id.
    pub plan: u64,
    /// The OS template's id.
    pub template: u64,
    /// Its hostname (unique among the account's servers).
    pub hostname: String,
    /// Public keys (OpenSSH lines) for root and the template's login user.
    #[serde(default)]
    pub ssh_keys: Vec<String>,
    /// A root password (10–128 characters); a key or a password is needed.
    pub root_password: Option<String>,
    /// The billing system's id of the service: one server per id on the host.
    pub external_service_id: Option<String>,
}

/// `?dry_run=true`: check everything, make nothing.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateQuery {
    /// Only check: quota, plan, template, hostname, addresses, credentials.
    pub dry_run: Option<bool>,
}

/// The answer to a dry run.
#[derive(Debug, Serialize, ToSchema)]
pub struct DryRun {
    /// Always true: the order would be taken now.
    pub would_create: bool,
}

/// The key a request carries, checked: 1–255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let missing = || {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "API0422", "An Idempotency-Key header is required")
            .field("Idempotency-Key", "1 to 255 visible ASCII characters, new for every order")
    };
    let key = headers.get("idempotency-key").ok_or_else(missing)?.to_str().map_err(|_| missing())?.trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(missing());
    }
    Ok(key.to_string())
}

fn answer(status: u16, body: String, location: Option<&str>, replayed: bool) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut resp = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if let Some(v) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    if replayed {
        resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    resp
}

/// Order a server.
#[utoipa::path(
    post,
    path = "/servers",
    operation_id = "create_server",
    tag = "servers",
    security(("bearer" = [])),
    params(
        CreateQuery,
        ("Idempotency-Key" = String, Header, description = "New for every order; a retry sends the same one"),
    ),
    request_body = NewServer,
    responses(
        (status = 202, description = "Ordered (or the first answer to this key, with `Idempotent-Replayed: true`); it is being built, `Location` names it", body = Server),
        (status = 200, description = "A dry run: it would be ordered", body = DryRun),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account (or not the token's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The external_service_id names another server, the hostname is taken, or the account is suspended", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong field, a missing key, the key used with another body, or over quota", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    api: Api,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CreateQuery>,
    headers: HeaderMap,
    RawJson(body): RawJson,
) -> Result<Response, ApiError> {
    api.require(Scope::Servers)?;
    let dry_run = q.dry_run.unwrap_or(false);
    let key = if dry_run { None } else { Some(idempotency_key(&headers)?) };
    let hash: [u8; 32] = Sha256::digest(&body).into();
    let kept_under = key.as_ref().map(|k| format!("{}/{k}", api.auth.token.id));
    if let Some(k) = &kept_under
        && let Some(rec) = state.svc.idempotency.lookup(k)?
    {
        if rec.body_hash != hash {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "API0412",
                "This Idempotency-Key was used with another body; use a new key for a new order",
            ));
        }
        return Ok(answer(rec.status, rec.body, rec.location.as_deref(), true));
    }
    let new: NewServer = parse_json(&body)?;
    let owner = owner_of(&api, &state, &new)?;
    let mut keys = Vec::new();
    for (i, line) in new.ssh_keys.iter().enumerate() {
        let k = SshKey::parse(line).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "API0422",
                format!("The field ssh_keys[{i}] is wrong"),
            )
            .field(&format!("ssh_keys[{i}]"), e.to_string())
        })?;
        keys.push(k);
    }
    let once_key = match &key {
        Some(k) => format!("api/{}/{k}", api.auth.token.id),
        // A dry run makes nothing, so it never matches an earlier order.
        None => {
            format!("api-dry-run/{}", crate::service::tokens::encode(&crate::service::tokens::random_bytes()))
        }
    };
    let order = CreateVm {
        plan: PlanId(new.plan),
        template: TemplateId(new.template),
        hostname: new.hostname,
        key_ids: Vec::new(),
        root_password: new.root_password,
        once_key,
        networks: Vec::new(),
        restore: None,
    };
    let extras = OrderExtras { keys, external: new.external_service_id, dry_run };
    let id = match state.svc.vms.create_with(owner, order, extras, api.caller()).await? {
        Ordered::WouldMake => {
            let body = serde_json::to_string(&DryRun { would_create: true }).unwrap_or_default();
            return Ok(answer(200, body, None, false));
        }
        Ordered::Made(id) | Ordered::Again(id) => id,
    };
    let text = serde_json::to_string(&super::servers::read(&state, api.caller(), id)?).unwrap_or_default();
    let location = format!("/api/v1/servers/{}", id.0);
    let Some(k) = kept_under else { return Ok(answer(202, text, Some(&location), false)) };
    // Requests that raced with the same key all answer what the first of them kept.
    let kept = state.svc.idempotency.keep(k, hash, 202, text.clone(), Some(location)).await?;
    let replayed = kept.body != text;
    Ok(answer(kept.status, kept.body, kept.location.as_deref(), replayed))
}

/// The account a new server is for: a customer's token orders for its own account only.
fn owner_of(api: &Api, state: &AppState, new: &NewServer) -> Result<UserId, ApiError> {
    let named = match (&new.owner, &new.owner_external_id) {
        (Some(id), _) => Some(state.svc.accounts.user(UserId(*id))?.id),
        (None, Some(e)) => Some(state.svc.accounts.by_external(e)?.id),
        (None, None) => None,
    };
    match (api.caller().only_owner(), named) {
        (Some(me), Some(o)) if o != me => Err(crate::service::AccountError::NotFound.into()),
        (Some(me), _) => Ok(me),
        (None, Some(o)) => Ok(o),
        (None, None) => {
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "API0422", "The field owner is wrong")
                .field("owner", "Name the account: owner or owner_external_id"))
        }
    }
}
