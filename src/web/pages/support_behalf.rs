//! An admin files a support request for a customer who phoned or wrote an e-mail: the same
//! request as one filed in the cabinet (queue, targets, incidents, report), recorded with its
//! channel; the customer sees it on their Support page.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::admin::{CRUMB_ADMIN, admin_tabs};
use super::support::{category_words, channel_words, target_words};
use crate::domain::support::Category;
use crate::domain::support_hours::Channel;
use crate::domain::vm::VmId;
use crate::service::support::NewRequest;
use crate::web::AppState;
use crate::web::ctx::{Admin, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

const BACK: &str = "/admin/support/new";

/// `GET /admin/support/new`.
pub async fn behalf_get(State(_state): State<AppState>, Admin(ctx, ..): Admin) -> Result<Response, WebError> {
    let body = html! {
        h1 { "File a request for a customer" }
        (admin_tabs("/admin/support"))
        p.hint { "For a customer who phoned or wrote an e-mail: the request joins the queue with its channel and the category's target, and the customer sees it on their Support page. An outage report opens an incident from now." }
        form.cols method="post" action=(BACK) {
            (csrf_field(&ctx))
            div { label for="email" { "Customer's e-mail" } input #email type="email" name="email" required; }
            div { label for="channel" { "Came by" } select #channel name="channel" {
                @for c in [Channel::Phone, Channel::Email] { option value=(c.key()) { (channel_words(&ctx, c)) } }
            } }
            div.wide { label for="category" { "Category" } select #category name="category" {
                @for c in Category::ALL { option value=(c.key()) { (category_words(&ctx, c)) " — " (target_words(&ctx, c.target_mins())) } }
            } }
            div { label for="vms" { "Server numbers (optional)" } input #vms type="text" name="vms" placeholder="12, 14"; }
            div.wide { label for="subject" { "Subject" } input #subject type="text" name="subject" maxlength="200" required; }
            div.wide { label for="body" { "What the customer said" } textarea #body name="body" rows="6" required {} }
            div.actions { button type="submit" { "File the request" } }
        }
    };
    Ok(page(&ctx, "File a request", &[CRUMB_ADMIN, ("Support", "/admin/support")], body).into_response())
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
        _ => return Ok(redirect_with_flash(BACK, FlashKind::Error, "Choose phone or e-mail (SUP0001)")),
    };
    let Some(category) = Category::from_key(&f.category) else {
        return Ok(redirect_with_flash(BACK, FlashKind::Error, "Choose what the request is about (SUP0001)"));
    };
    let vms: Result<Vec<VmId>, _> = f
        .vms
        .split([',', ' ', '#'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().map(VmId))
        .collect();
    let Ok(vms) = vms else {
        return Ok(redirect_with_flash(BACK, FlashKind::Error, "Server numbers are whole numbers (SUP0001)"));
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
            &format!("Request #{} filed for {}.", r.id, f.email.trim()),
        )),
        Err(e) => refused(&ctx, BACK, e),
    }
}
