//! An admin files a support request for a customer who phoned or wrote an e-mail: the same
//! request as one filed in the cabinet (queue, targets, incidents, report), recorded with its
//! channel; the customer sees it on their Support page.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use super::support::{category_words, channel_words, target_words};
use crate::domain::support::Category;
use crate::domain::support_hours::Channel;
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::support::NewRequest;
use crate::web::AppState;
use crate::web::ctx::{Admin, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

const BACK: &str = "/admin/support/new";

/// `GET /admin/support/new`.
pub async fn behalf_get(State(_state): State<AppState>, Admin(ctx, ..): Admin) -> Result<Response, WebError> {
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::AdminBehalfTitle)) }
        (admin_tabs(&ctx, "/admin/support"))
        p.hint { (t(Msg::AdminBehalfHint)) }
        form.cols method="post" action=(BACK) {
            (csrf_field(&ctx))
            div { label for="email" { (t(Msg::AdminBehalfEmail)) } input #email type="email" name="email" required; }
            div { label for="channel" { (t(Msg::AdminBehalfCameBy)) } select #channel name="channel" {
                @for c in [Channel::Phone, Channel::Email] { option value=(c.key()) { (channel_words(&ctx, c)) } }
            } }
            div.wide { label for="category" { (t(Msg::AdminColCategory)) } select #category name="category" {
                @for c in Category::ALL { option value=(c.key()) { (category_words(&ctx, c)) " — " (target_words(&ctx, c.target_mins())) } }
            } }
            div { label for="vms" { (t(Msg::AdminBehalfServers)) } input #vms type="text" name="vms" placeholder="12, 14"; }
            div.wide { label for="subject" { (t(Msg::AdminBehalfSubject)) } input #subject type="text" name="subject" maxlength="200" required; }
            div.wide { label for="body" { (t(Msg::AdminBehalfSaid)) } textarea #body name="body" rows="6" required {} }
            div.actions { button type="submit" { (t(Msg::AdminBehalfSubmit)) } }
        }
    };
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminSupportTitle), "/admin/support")];
    Ok(page(&ctx, t(Msg::AdminBehalfShort), &crumbs, body).into_response())
}

/// Body of `POST /admin/support/new`.
#[derive(Deserialize)]
pub struct BehalfForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    vms: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

/// `POST /admin/support/new`.
pub async fn behalf_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    CsrfForm(f): CsrfForm<BehalfForm>,
) -> Result<Response, WebError> {
    let channel = match Channel::from_key(&f.channel) {
        Some(c @ (Channel::Phone | Channel::Email)) => c,
        _ => return Ok(redirect_with_flash(BACK, FlashKind::Error, ctx.t(Msg::AdminBehalfChooseChannel))),
    };
    let Some(category) = Category::from_key(&f.category) else {
        return Ok(redirect_with_flash(BACK, FlashKind::Error, ctx.t(Msg::AdminBehalfChooseCategory)));
    };
    let vms: Result<Vec<VmId>, _> = f
        .vms
        .split([',', ' ', '#'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().map(VmId))
        .collect();
    let Ok(vms) = vms else {
        return Ok(redirect_with_flash(BACK, FlashKind::Error, ctx.t(Msg::AdminBehalfWhole)));
    };
    let owner = match state.svc.accounts.user_by_email(&f.email) {
        Ok(u) => u.id,
        Err(e) => return refused(&ctx, BACK, e),
    };
    let n = NewRequest { channel, ..NewRequest::in_cabinet(category, &f.subject, &f.body, vms) };
    match state.svc.support.file(owner, n, &caller).await {
        Ok(r) => Ok(redirect_with_flash(
            &format!("/admin/support/{}", r.id),
            FlashKind::Ok,
            &ctx.fmt_string(Msg::AdminBehalfFiled, &[("id", r.id.into()), ("email", f.email.trim().into())]),
        )),
        Err(e) => refused(&ctx, BACK, e),
    }
}
