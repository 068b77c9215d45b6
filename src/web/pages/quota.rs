//! Quotas: the customer's usage against limits with the increase request form, the admin's
//! request queue and per-account limits, and the activity logs.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use crate::domain::account::UserId;
use crate::domain::quota::{Amounts, Resource};
use crate::i18n::Msg;
use crate::service::Coded;
use crate::store::records::{AuditRecord, RequestStatus};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

fn status_badge(ctx: &Ctx, s: &RequestStatus) -> Markup {
    match s {
        RequestStatus::Pending => html! { span.badge.working { (ctx.t(Msg::QuotaWaiting)) } },
        RequestStatus::Approved => html! { span.badge.ok { (ctx.t(Msg::QuotaApproved)) } },
        RequestStatus::Declined => html! { span.badge.error { (ctx.t(Msg::QuotaDeclined)) } },
    }
}

/// A quota resource's name in the reader's language.
pub fn resource_name(ctx: &Ctx, r: Resource) -> String {
    ctx.fmt_string(Msg::ResourceName, &[("resource", r.key().into())])
}

/// Amounts as `name: n` pairs in the reader's language.
pub(super) fn amounts_words(ctx: &Ctx, a: &Amounts) -> String {
    Resource::ALL
        .iter()
        .map(|r| format!("{}: {}", resource_name(ctx, *r), a.get(*r)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn amounts_inputs(ctx: &Ctx, a: &Amounts) -> Markup {
    html! {
        @for r in Resource::ALL {
            div { label for=(r.key()) { (resource_name(ctx, r)) } input id=(r.key()) type="text" inputmode="numeric" name=(r.key()) value=(a.get(r)); }
        }
    }
}

/// The usage-and-limits table.
fn limits_table(ctx: &Ctx, usage: &Amounts, limits: &Amounts) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        div.table-wrap { table {
            thead { tr { th { (t(Msg::QuotaColResource)) } th { (t(Msg::QuotaColUsed)) } th { (t(Msg::QuotaColLimit)) } } }
            tbody { @for r in Resource::ALL { tr { td { (resource_name(ctx, r)) } td { (usage.get(r)) } td { (limits.get(r)) } } } }
        } }
    }
}

/// Amounts from a form; a resource the form leaves out keeps its `base` value (so a script
/// written before a resource existed still works). The error names the resource.
fn parse_amounts(ctx: &Ctx, pairs: &[(String, String)], base: &Amounts) -> Result<Amounts, String> {
    let mut a = *base;
    for r in Resource::ALL {
        if let Some((_, v)) = pairs.iter().find(|(k, _)| k == r.key()) {
            let n = v.trim().parse().map_err(|_| {
                ctx.fmt_string(Msg::QuotaNotNumber, &[("resource", resource_name(ctx, r).into())])
            })?;
            a.set(r, n);
        }
    }
    Ok(a)
}

/// `GET /quota`.
pub async fn quota_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let (limits, usage) = state.svc.quotas.overview(s.user.id)?;
    let requests = state.svc.quotas.requests(Some(s.user.id))?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::QuotaTitle)) }
        (limits_table(&ctx, &usage, &limits))
        div.panel {
            h2 { (t(Msg::QuotaAskTitle)) }
            p.hint { (t(Msg::QuotaAskHint)) }
            form.cols method="post" action="/quota/requests" {
                (csrf_field(&ctx))
                (amounts_inputs(&ctx, &limits))
                div.wide { label for="reason" { (t(Msg::QuotaReason)) } textarea #reason name="reason" rows="3" required {} }
                div.actions { button type="submit" { (t(Msg::QuotaSend)) } }
            }
        }
        @if !requests.is_empty() {
            h2 { (t(Msg::QuotaRequests)) }
            div.table-wrap { table {
                thead { tr { th { (t(Msg::QuotaColSent)) } th { (t(Msg::QuotaColAsked)) } th { (t(Msg::QuotaColStatus)) } } }
                tbody { @for r in &requests { tr {
                    td { (ctx.time(r.created_at)) }
                    td { (amounts_words(&ctx, &r.wanted)) }
                    td { (status_badge(&ctx, &r.status)) }
                } } }
            } }
        }
    };
    Ok(page(&ctx, t(Msg::QuotaTitle), &[(t(Msg::QuotaTitle), "/quota")], body).into_response())
}

/// `POST /quota/requests`.
pub async fn quota_request_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (limits, _) = state.svc.quotas.overview(s.user.id)?;
    let wanted = match parse_amounts(&ctx, &pairs, &limits) {
        Ok(a) => a,
        Err(msg) => return Ok(redirect_with_flash("/quota", FlashKind::Error, &format!("{msg} (QTA0001)"))),
    };
    let reason = pairs.iter().find(|(k, _)| k == "reason").map(|(_, v)| v.as_str()).unwrap_or("");
    match state.svc.quotas.request(s.user.id, wanted, reason, &caller).await {
        Ok(_) => Ok(redirect_with_flash("/quota", FlashKind::Ok, ctx.t(Msg::QuotaSent))),
        Err(e) => refused(&ctx, "/quota", e),
    }
}

/// What an audit entry's action (`vm.start`) did, in words; an action without words shows its
/// code.
pub(super) fn action_words(ctx: &Ctx, action: &str) -> String {
    let key = action.replace(['.', '_'], "-");
    ctx.fmt_string(Msg::AuditAction, &[("action", key.into()), ("code", action.into())])
}

/// An audit entry's details in the reader's language (entries written before details were kept
/// as messages, as they were written).
pub(super) fn detail_words(ctx: &Ctx, a: &AuditRecord) -> String {
    a.told
        .as_ref()
        .and_then(|t| crate::service::notices::say(&ctx.catalog, ctx.lang, t))
        .unwrap_or_else(|| a.detail.clone())
}

fn render_audit(ctx: &Ctx, list: &[AuditRecord], show_owner: bool) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        @if list.is_empty() { p.muted { (t(Msg::ActivityNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::ActivityColWhen)) } @if show_owner { th { (t(Msg::ActivityColOwner)) } } th { (t(Msg::ActivityColWho)) }
                    th { (t(Msg::ActivityColWhat)) } th { (t(Msg::ActivityColResource)) } th { (t(Msg::ActivityColDetails)) } th { (t(Msg::ActivityColFrom)) }
                } }
                tbody { @for a in list { tr {
                    td { (ctx.time(a.at)) }
                    @if show_owner { td { (a.owner) } }
                    td { (a.actor.map(|u| u.to_string()).unwrap_or_else(|| "vpsbox".into())) }
                    td title=(a.action) { (action_words(ctx, &a.action)) }
                    td { (a.resource) }
                    td { (detail_words(ctx, a)) }
                    td.muted { (a.ip) }
                } } }
            } }
        }
    }
}

/// `GET /activity`: what happened to the customer's resources.
pub async fn activity_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let list = state.svc.activity(Some(s.user.id), 200)?;
    let title = ctx.t(Msg::ActivityTitle);
    let body = html! { h1 { (title) } (render_audit(&ctx, &list, false)) };
    Ok(page(&ctx, title, &[(title, "/activity")], body).into_response())
}

/// `GET /admin/audit`.
pub async fn admin_audit_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let list = state.svc.activity(None, 500)?;
    let title = ctx.t(Msg::AdminAuditTitle);
    let body = html! { h1 { (title) } (admin_tabs(&ctx, "/admin/audit")) (render_audit(&ctx, &list, true)) };
    Ok(page(&ctx, title, &[crumb_admin(&ctx), (title, "/admin/audit")], body).into_response())
}

fn render_requests(state: &AppState, ctx: &Ctx) -> Result<Markup, WebError> {
    let requests = state.svc.quotas.requests(None)?;
    let t = |m| ctx.t(m);
    Ok(page(
        ctx,
        t(Msg::AdminQuotaTitle),
        &[crumb_admin(ctx), (t(Msg::AdminQuotaTitle), "/admin/quota-requests")],
        html! {
            h1 { (t(Msg::AdminQuotaTitle)) }
            (admin_tabs(ctx, "/admin/quota-requests"))
            @if requests.is_empty() { p.muted { (t(Msg::AdminTrialsNone)) } } @else {
                div.table-wrap { table {
                    thead { tr {
                        th { (t(Msg::AdminColSent)) } th { (t(Msg::AdminColAccount)) } th { (t(Msg::AdminColAskedFor)) }
                        th { (t(Msg::AdminColReason)) } th { (t(Msg::AdminColStatus)) } th { "" }
                    } }
                    tbody { @for r in &requests { tr {
                        td { (ctx.time(r.created_at)) }
                        td { a href={ "/admin/users/" (r.owner) "/quota" } { (r.owner) } }
                        td { (amounts_words(ctx, &r.wanted)) }
                        td { (r.reason) }
                        td { (status_badge(ctx, &r.status)) }
                        td { @if r.status == RequestStatus::Pending {
                            form.inline method="post" action={ "/admin/quota-requests/" (r.id) } {
                                (csrf_field(ctx)) input type="hidden" name="decision" value="approve";
                                button type="submit" { (t(Msg::AdminApprove)) }
                            } " "
                            form.inline method="post" action={ "/admin/quota-requests/" (r.id) } {
                                (csrf_field(ctx)) input type="hidden" name="decision" value="decline";
                                button.secondary type="submit" { (t(Msg::AdminDecline)) }
                            }
                        } }
                    } } }
                } }
            }
        },
    ))
}

/// `GET /admin/quota-requests`.
pub async fn admin_requests_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    Ok(render_requests(&state, &ctx)?.into_response())
}

/// Body of `POST /admin/quota-requests/{id}`.
#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
}

/// `POST /admin/quota-requests/{id}`.
pub async fn admin_request_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Result<Response, WebError> {
    let approve = match f.decision.as_str() {
        "approve" => true,
        "decline" => false,
        other => {
            return Err(WebError::BadValue { field: "decision".into(), value: other.to_string() });
        }
    };
    match state.svc.quotas.decide(id, approve, &caller).await {
        Ok(_) => Ok(redirect_with_flash(
            "/admin/quota-requests",
            FlashKind::Ok,
            ctx.t(if approve { Msg::AdminQuotaApproved } else { Msg::AdminQuotaDeclined }),
        )),
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            "/admin/quota-requests",
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/users/{id}/quota`.
pub async fn admin_user_quota_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
) -> Result<Response, WebError> {
    let user = state.svc.accounts.user(UserId(id))?;
    let (limits, usage) = state.svc.quotas.overview(user.id)?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (ctx.fmt(Msg::AdminQuotaOf, &[("email", user.email.as_str().into())])) }
        (limits_table(&ctx, &usage, &limits))
        div.panel {
            h2 { (t(Msg::AdminSetLimits)) }
            form.cols method="post" action={ "/admin/users/" (user.id) "/quota" } {
                (csrf_field(&ctx))
                (amounts_inputs(&ctx, &limits))
                div.actions { button type="submit" { (t(Msg::AdminSaveLimits)) } }
            }
        }
    };
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminTabAccounts), "/admin/users")];
    Ok(page(&ctx, t(Msg::AdminQuota), &crumbs, body).into_response())
}

/// `POST /admin/users/{id}/quota`.
pub async fn admin_user_quota_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let user = state.svc.accounts.user(UserId(id))?;
    let back = format!("/admin/users/{id}/quota");
    let (current, _) = state.svc.quotas.overview(user.id)?;
    let limits = match parse_amounts(&ctx, &pairs, &current) {
        Ok(a) => a,
        Err(msg) => return Ok(redirect_with_flash(&back, FlashKind::Error, &format!("{msg} (QTA0001)"))),
    };
    state.svc.quotas.set_limits(user.id, limits, &caller).await?;
    Ok(redirect_with_flash(&back, FlashKind::Ok, ctx.t(Msg::AdminLimitsSaved)))
}
