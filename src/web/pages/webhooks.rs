//! `/admin/webhooks`: every webhook subscription with its recent deliveries (the delivery
//! log), and "send test". Subscriptions are made through the API (`POST /api/v1/webhooks`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::i18n::Msg;
use crate::store::webhooks::DeliveryState;
use crate::web::AppState;
use crate::web::ctx::{Admin, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// Deliveries shown per subscription.
const LOG_ROWS: usize = 20;

/// `GET /admin/webhooks`.
pub async fn admin_webhooks_get(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
) -> Result<Response, WebError> {
    let hooks = state.svc.webhooks.list(&caller)?;
    let owners = super::admin::account_emails(&state)?;
    let mut logs = Vec::new();
    for w in &hooks {
        logs.push(state.svc.webhooks.deliveries(&caller, w.id, LOG_ROWS)?);
    }
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::WebhooksTitle)) }
        (super::admin::admin_tabs(&ctx, "/admin/webhooks"))
        p.hint { (t(Msg::WebhooksHint)) }
        @if hooks.is_empty() { p.muted { (t(Msg::WebhooksNone)) } }
        @for (w, log) in hooks.iter().zip(&logs) {
            div.panel {
                h2 { "#" (w.id) " " code { (w.url) } }
                p {
                    (t(Msg::WebhooksOwner)) ": " (owners.get(&w.owner).map_or("?", String::as_str))
                    " · " (t(Msg::WebhooksEvents)) ": " code { (w.events.join(", ")) }
                    " · " (ctx.time(w.created_at))
                }
                form.inline method="post" action={ "/admin/webhooks/" (w.id) "/test" } {
                    (csrf_field(&ctx)) button.secondary type="submit" { (t(Msg::WebhooksSendTest)) }
                }
                @if log.is_empty() { p.muted { (t(Msg::WebhooksNoDeliveries)) } } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th { (t(Msg::WebhooksColQueued)) } th { (t(Msg::WebhooksColEvent)) } th { (t(Msg::WebhooksColState)) }
                            th { (t(Msg::WebhooksColAttempts)) } th { (t(Msg::WebhooksColAnswer)) }
                        } }
                        tbody { @for d in log { tr {
                            td { (ctx.time(d.created_at)) }
                            td { code { (d.event) } " " span.muted { (d.event_id) } }
                            td { @match d.state {
                                DeliveryState::Pending => { (t(Msg::WebhooksPending)) " · " (ctx.time(d.next_at)) },
                                DeliveryState::Delivered => (t(Msg::WebhooksDelivered)),
                                DeliveryState::Failed => (t(Msg::WebhooksFailed)),
                            } }
                            td { (d.attempts) }
                            td { @if let Some(s) = d.last_status { (s) " " } @if let Some(e) = &d.last_error { span.muted { (e) } } }
                        } } }
                    } }
                }
            }
        }
    };
    let crumbs = [super::admin::crumb_admin(&ctx), (t(Msg::AdminTabWebhooks), "/admin/webhooks")];
    Ok(page(&ctx, t(Msg::WebhooksTitle), &crumbs, body).into_response())
}

/// `POST /admin/webhooks/{id}/test`: queue a `ping` delivery.
pub async fn admin_webhook_test_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.webhooks.send_test(&caller, id).await {
        Ok(_) => Ok(redirect_with_flash("/admin/webhooks", FlashKind::Ok, ctx.t(Msg::WebhooksTestQueued))),
        Err(e) => refused(&ctx, "/admin/webhooks", e),
    }
}
