//! Webhook subscriptions of the provider's tokens: where vpsbox POSTs which events, the
//! delivery log, and "send test". Deliveries are signed: see docs/api.md.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Api;
use super::extract::{ApiJson, ApiQuery, Id};
use super::page::{Page, PageQuery};
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::service::webhooks::NewWebhook;
use crate::store::webhooks::{DeliveryRecord, DeliveryState, WebhookRecord};
use crate::web::AppState;

/// A subscription to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// Where to POST (http:// or https://).
    pub url: String,
    /// Event types: `server.created`, `server.create_failed`, `server.suspended`,
    /// `server.unsuspended`, `server.deleted`, `server.plan_changed`, `backup.completed`,
    /// `backup.failed`, `incident.opened`, `incident.resolved`, `balance.low`, `trial.ending`.
    pub events: Vec<String>,
}

/// A subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    /// Its id.
    pub id: u64,
    /// Where deliveries go.
    pub url: String,
    /// The event types it gets.
    pub events: Vec<String>,
    /// The signing secret: only in the answer that made the subscription.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

fn webhook_of(w: WebhookRecord, with_secret: bool) -> Webhook {
    Webhook {
        id: w.id,
        url: w.url,
        events: w.events,
        secret: with_secret.then_some(w.secret),
        created_at: w.created_at.rfc3339(),
    }
}

/// One delivery of an event to a subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// Its id.
    pub id: u64,
    /// The event's id (the same in every attempt: de-duplicate by it).
    pub event_id: String,
    /// The event's type (`ping` for "send test").
    pub event: String,
    /// `pending`, `delivered` or `failed` (given up after the last retry).
    pub state: String,
    /// Attempts made.
    pub attempts: u32,
    /// The last attempt's HTTP status.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the next attempt is due (pending ones; RFC 3339).
    pub next_attempt_at: Option<String>,
    /// When it was queued (RFC 3339).
    pub created_at: String,
}

fn delivery_of(d: DeliveryRecord) -> Delivery {
    let state = match d.state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Failed => "failed",
    };
    Delivery {
        id: d.id,
        event_id: d.event_id,
        event: d.event,
        state: state.to_string(),
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error,
        next_attempt_at: (d.state == DeliveryState::Pending).then(|| d.next_at.rfc3339()),
        created_at: d.created_at.rfc3339(),
    }
}

/// Subscribe to events.
#[utoipa::path(
    post,
    path = "/webhooks",
    operation_id = "create_webhook",
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = WebhookIn,
    responses(
        (status = 201, description = "Made; the answer carries the signing secret, once", body = Webhook),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the webhooks scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Too many subscriptions", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong URL or event", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    api: Api,
    State(state): State<AppState>,
    ApiJson(w): ApiJson<WebhookIn>,
) -> Result<Response, ApiError> {
    api.require(Scope::Webhooks)?;
    let rec = state
        .svc
        .webhooks
        .create(api.caller(), api.auth.token.id, NewWebhook { url: w.url, events: w.events })
        .await?;
    let location = format!("/api/v1/webhooks/{}", rec.id);
    let mut resp = (StatusCode::CREATED, Json(webhook_of(rec, true))).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// The subscriptions of the token's account.
#[utoipa::path(
    get,
    path = "/webhooks",
    operation_id = "list_webhooks",
    tag = "webhooks",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Subscriptions by id", body = Page<Webhook>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the webhooks scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    api: Api,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Webhook>>, ApiError> {
    api.require(Scope::Webhooks)?;
    let all = state.svc.webhooks.list(api.caller())?.into_iter().map(|w| webhook_of(w, false)).collect();
    Ok(Json(q.page(all, |w| w.id)?))
}

/// Delete a subscription (its queue and log go with it).
#[utoipa::path(
    delete,
    path = "/webhooks/{id}",
    operation_id = "delete_webhook",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the webhooks scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<StatusCode, ApiError> {
    api.require(Scope::Webhooks)?;
    state.svc.webhooks.delete(api.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send a `ping` event to a subscription ("send test").
#[utoipa::path(
    post,
    path = "/webhooks/{id}/test",
    operation_id = "test_webhook",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The subscription's id")),
    responses(
        (status = 202, description = "Queued; see the deliveries", body = Delivery),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the webhooks scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn test(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<(StatusCode, Json<Delivery>), ApiError> {
    api.require(Scope::Webhooks)?;
    let d = state.svc.webhooks.send_test(api.caller(), id).await?;
    let found = state.svc.webhooks.deliveries(api.caller(), id, 50)?.into_iter().find(|x| x.id == d);
    let found = found.ok_or(crate::service::webhooks::WebhookError::NotFound)?;
    Ok((StatusCode::ACCEPTED, Json(delivery_of(found))))
}

/// A subscription's deliveries, newest first (the last 100).
#[utoipa::path(
    get,
    path = "/webhooks/{id}/deliveries",
    operation_id = "list_webhook_deliveries",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "Deliveries, newest first", body = Page<Delivery>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the webhooks scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn deliveries(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<Json<Page<Delivery>>, ApiError> {
    api.require(Scope::Webhooks)?;
    let items = state.svc.webhooks.deliveries(api.caller(), id, 100)?.into_iter().map(delivery_of).collect();
    Ok(Json(Page { items, next_cursor: None }))
}
