//! The free trial in the cabinet: the customer's panel on the billing page (ask, wait, the
//! countdown, end early) and the admin's queue (look-alike accounts, approve with limits,
//! decline).

use crate::web::layout::Utc;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{CRUMB_ADMIN, admin_tabs};
use crate::domain::account::UserId;
use crate::domain::quota::{Amounts, Resource};
use crate::domain::time::Timestamp;
use crate::store::trials::{TrialRecord, TrialState};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `2 d 5 h 10 min` from `now` to `end`.
pub fn left(now: Timestamp, end: Timestamp) -> String {
    let s = end.secs_since(now).max(0);
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    if d > 0 { format!("{d} d {h} h {m} min") } else { format!("{h} h {m} min") }
}

/// The customer's trial panel: what they can do now.
pub fn render_trial_panel(ctx: &Ctx, t: Option<&TrialRecord>, days: u32, now: Timestamp) -> Markup {
    html! {
        div.panel #trial {
            h2 { "Free trial" }
            @match t.map(|t| &t.state) {
                None => {
                    p { "New customers can try the service free for " (days) " days, counted from the first server's start, within limits the provider sets. The provider decides on each request and grants it once. Servers left when the trial ends are paid at the price list from the next hour." }
                    form method="post" action="/trial" {
                        (csrf_field(ctx))
                        label for="note" { "What would you like to try? (optional)" }
                        input #note type="text" name="note" maxlength="500";
                        div.actions { button type="submit" { "Ask for a free trial" } }
                    }
                }
                Some(TrialState::Requested) => p { "Your request is waiting for the provider's answer." },
                Some(TrialState::Approved) => p { "Your trial is approved. It starts when your first server starts. " a href="/vms/new" { "Order a server" } },
                Some(TrialState::Active { ends_at, .. }) => {
                    p.countdown { "Trial ends " strong { (Utc(*ends_at)) } " — in " strong { (left(now, *ends_at)) } "." }
                    p.hint { "Servers left then become paid at the price list from the next hour. To stop, delete them before the end." }
                    form method="post" action="/trial/end" {
                        (csrf_field(ctx))
                        button.secondary type="submit" { "End the trial now" }
                    }
                }
                Some(TrialState::Ended { ended_at, converted, .. }) => p {
                    "Your trial ended " (Utc(*ended_at))
                    @if *converted { "; the servers you kept are paid at the price list." } @else { "." }
                },
                Some(TrialState::Declined) => p { "The provider declined your trial request; you can still order servers at the price list." },
            }
        }
    }
}

/// Body of the trial request.
#[derive(Deserialize)]
pub struct TrialForm {
    #[serde(default)]
    note: String,
}

/// `POST /trial`.
pub async fn trial_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<TrialForm>,
) -> Result<Response, WebError> {
    match state.svc.billing.request_trial(s.user.id, &f.note, &caller).await {
        Ok(t) if t.state == TrialState::Approved => {
            Ok(redirect_with_flash("/billing", FlashKind::Ok, "Your free trial is approved."))
        }
        Ok(_) => {
            Ok(redirect_with_flash("/billing", FlashKind::Ok, "Request sent; the provider answers soon."))
        }
        Err(e) => refused(&ctx, "/billing", e),
    }
}

/// `POST /trial/end`.
pub async fn trial_end_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.billing.end_trial(s.user.id, &caller).await {
        Ok(_) => Ok(redirect_with_flash("/billing", FlashKind::Ok, "The trial has ended.")),
        Err(e) => refused(&ctx, "/billing", e),
    }
}

fn state_label(s: &TrialState) -> Markup {
    html! {
        @match s {
            TrialState::Requested => span.badge.working { "waiting" },
            TrialState::Approved => span.badge.ok { "approved" },
            TrialState::Active { ends_at, .. } => { span.badge.ok { "running" } " until " (Utc(*ends_at)) },
            TrialState::Ended { converted, early, .. } => span.badge.muted {
                "ended" @if *early { " early" } @if *converted { ", paid" }
            },
            TrialState::Declined => span.badge.error { "declined" },
        }
    }
}

/// `GET /admin/trials`.
pub async fn admin_trials_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let trials = state.svc.billing.trials()?;
    let quota = state.svc.billing.trial_quota();
    let mut rows = Vec::new();
    for t in trials {
        let user = state.svc.accounts.user(t.owner)?;
        let ip = state.svc.accounts.signup_ip(t.owner)?;
        let alike = state.svc.accounts.look_alikes(t.owner)?;
        rows.push((t, user, ip, alike));
    }
    let body = html! {
        h1 { "Free trials" }
        (admin_tabs("/admin/trials"))
        p.hint { (state.svc.billing.trial_days()) " days from the first server's start; once per customer, only for accounts that never used the service (checked again when they ask). Before approving, look at the accounts that share the e-mail domain or sign-up address." }
        @if rows.is_empty() { p.muted { "No requests." } }
        @for (t, user, ip, alike) in &rows {
            div.panel {
                h2 { (user.email.as_str()) " " (state_label(&t.state)) }
                p { "Asked " (Utc(t.requested_at))
                    @if !t.note.is_empty() { ": “" (t.note) "”" }
                    br; "Signed up from " (ip.as_deref().unwrap_or("(unknown: made by an admin)")) }
                @if alike.is_empty() { p.muted { "No other account shares its e-mail domain or sign-up address." } } @else {
                    p { "Look-alike accounts:" }
                    ul { @for (u, why) in alike { li { a href={ "/admin/users/" (u.id) "/billing" } { (u.email.as_str()) } " — " (why) } } }
                }
                @if t.state == TrialState::Requested {
                    form.cols method="post" action={ "/admin/trials/" (t.owner) } {
                        (csrf_field(&ctx))
                        input type="hidden" name="decision" value="approve";
                        @for r in Resource::ALL {
                            div { label for={ (r.key()) "-" (t.owner) } { (r.label()) }
                                input id={ (r.key()) "-" (t.owner) } type="text" inputmode="numeric" name=(r.key()) value=(quota.get(r)); }
                        }
                        div.actions { button type="submit" { "Approve with these limits" } }
                    }
                    form.inline method="post" action={ "/admin/trials/" (t.owner) } {
                        (csrf_field(&ctx)) input type="hidden" name="decision" value="decline";
                        button.danger type="submit" { "Decline" }
                    }
                }
            }
        }
    };
    Ok(page(&ctx, "Free trials", &[CRUMB_ADMIN, ("Free trials", "/admin/trials")], body).into_response())
}

/// `POST /admin/trials/{id}`: approve (with the limits in the form) or decline.
pub async fn admin_trial_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let back = "/admin/trials";
    let field = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string());
    let approve = match field("decision").as_deref() {
        Some("approve") => true,
        Some("decline") => false,
        _ => return Ok(redirect_with_flash(back, FlashKind::Error, "Choose approve or decline")),
    };
    let mut quota: Amounts = state.svc.billing.trial_quota();
    for r in Resource::ALL {
        if let Some(v) = field(r.key()) {
            match v.parse() {
                Ok(n) => quota.set(r, n),
                Err(_) => {
                    return Ok(redirect_with_flash(
                        back,
                        FlashKind::Error,
                        &format!("{} must be a whole number", r.label()),
                    ));
                }
            }
        }
    }
    match state.svc.billing.decide_trial(UserId(id), approve, quota, &caller).await {
        Ok(_) => Ok(redirect_with_flash(
            back,
            FlashKind::Ok,
            if approve { "Trial approved." } else { "Trial declined." },
        )),
        Err(e) => refused(&ctx, back, e),
    }
}
