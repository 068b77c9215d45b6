//! The free trial in the cabinet: the customer's panel on the billing page (ask, wait, the
//! countdown, end early) and the admin's queue (look-alike accounts, approve with limits,
//! decline).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use crate::domain::account::UserId;
use crate::domain::quota::{Amounts, Resource};
use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::store::trials::{TrialRecord, TrialState};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `2 d 5 h 10 min` from `now` to `end`, in the reader's language.
pub fn left(ctx: &Ctx, now: Timestamp, end: Timestamp) -> String {
    let s = end.secs_since(now).max(0);
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    if d > 0 {
        ctx.fmt_string(Msg::TrialLeftDays, &[("d", d.into()), ("h", h.into()), ("m", m.into())])
    } else {
        ctx.fmt_string(Msg::TrialLeftHours, &[("h", h.into()), ("m", m.into())])
    }
}

/// The customer's trial panel: what they can do now.
pub fn render_trial_panel(ctx: &Ctx, t: Option<&TrialRecord>, days: u32, now: Timestamp) -> Markup {
    let tr = |m| ctx.t(m);
    html! {
        div.panel #trial {
            h2 { (tr(Msg::TrialTitle)) }
            @match t.map(|t| &t.state) {
                None => {
                    p { (ctx.fmt(Msg::TrialOffer, &[("days", days.into())])) }
                    form method="post" action="/trial" {
                        (csrf_field(ctx))
                        label for="note" { (tr(Msg::TrialNote)) }
                        input #note type="text" name="note" maxlength="500";
                        div.actions { button type="submit" { (tr(Msg::TrialAsk)) } }
                    }
                }
                Some(TrialState::Requested) => p { (tr(Msg::TrialWaiting)) },
                Some(TrialState::Approved) => p { (tr(Msg::TrialApproved)) " " a href="/vms/new" { (tr(Msg::TrialOrder)) } },
                Some(TrialState::Active { ends_at, .. }) => {
                    p.countdown { (ctx.fmt(Msg::TrialEnds, &[("at", ctx.lang.time(*ends_at).into()), ("left", left(ctx, now, *ends_at).into())])) }
                    p.hint { (tr(Msg::TrialEndsHint)) }
                    form method="post" action="/trial/end" {
                        (csrf_field(ctx))
                        button.secondary type="submit" { (tr(Msg::TrialEndNow)) }
                    }
                }
                Some(TrialState::Ended { ended_at, converted, .. }) => p {
                    (ctx.fmt(if *converted { Msg::TrialEndedPaid } else { Msg::TrialEnded }, &[("at", ctx.lang.time(*ended_at).into())]))
                },
                Some(TrialState::Declined) => p { (tr(Msg::TrialDeclined)) },
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
            Ok(redirect_with_flash("/billing", FlashKind::Ok, ctx.t(Msg::TrialApprovedFlash)))
        }
        Ok(_) => Ok(redirect_with_flash("/billing", FlashKind::Ok, ctx.t(Msg::TrialRequestedFlash))),
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
        Ok(_) => Ok(redirect_with_flash("/billing", FlashKind::Ok, ctx.t(Msg::TrialEndedFlash))),
        Err(e) => refused(&ctx, "/billing", e),
    }
}

fn state_label(ctx: &Ctx, s: &TrialState) -> Markup {
    let t = |m| ctx.t(m);
    let yes = |b: bool| if b { "yes" } else { "no" };
    html! {
        @match s {
            TrialState::Requested => span.badge.working { (t(Msg::AdminTrialWaiting)) },
            TrialState::Approved => span.badge.ok { (t(Msg::AdminTrialApproved)) },
            TrialState::Active { ends_at, .. } => {
                span.badge.ok { (t(Msg::AdminTrialRunning)) } " " (ctx.fmt(Msg::AdminTrialUntil, &[("at", ctx.lang.time(*ends_at).into())]))
            },
            TrialState::Ended { converted, early, .. } => span.badge.muted {
                (ctx.fmt(Msg::AdminTrialEnded, &[("early", yes(*early).into()), ("paid", yes(*converted).into())]))
            },
            TrialState::Declined => span.badge.error { (t(Msg::AdminTrialDeclined)) },
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
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::AdminTrialsTitle)) }
        (admin_tabs(&ctx, "/admin/trials"))
        p.hint { (ctx.fmt(Msg::AdminTrialsHint, &[("days", state.svc.billing.trial_days().into())])) }
        @if rows.is_empty() { p.muted { (t(Msg::AdminTrialsNone)) } }
        @for (tr, user, ip, alike) in &rows {
            div.panel {
                h2 { (user.email.as_str()) " " (state_label(&ctx, &tr.state)) }
                p { (ctx.fmt(Msg::AdminTrialAsked, &[("at", ctx.lang.time(tr.requested_at).into())]))
                    @if !tr.note.is_empty() { ": “" (tr.note) "”" }
                    br;
                    @match ip.as_deref() {
                        Some(ip) => { (ctx.fmt(Msg::AdminSignedUpFrom, &[("address", ip.into())])) }
                        None => { (t(Msg::AdminSignedUpUnknown)) }
                    }
                }
                @if alike.is_empty() { p.muted { (t(Msg::AdminAlikeNone)) } } @else {
                    p { (t(Msg::AdminAlike)) }
                    ul { @for (u, why) in alike { li {
                        a href={ "/admin/users/" (u.id) "/billing" } { (u.email.as_str()) } " — "
                        (ctx.fmt(Msg::AdminAlikeWhy, &[("why", why.key().into())]))
                    } } }
                }
                @if tr.state == TrialState::Requested {
                    form.cols method="post" action={ "/admin/trials/" (tr.owner) } {
                        (csrf_field(&ctx))
                        input type="hidden" name="decision" value="approve";
                        @for r in Resource::ALL {
                            div { label for={ (r.key()) "-" (tr.owner) } { (super::quota::resource_name(&ctx, r)) }
                                input id={ (r.key()) "-" (tr.owner) } type="text" inputmode="numeric" name=(r.key()) value=(quota.get(r)); }
                        }
                        div.actions { button type="submit" { (t(Msg::AdminTrialApprove)) } }
                    }
                    form.inline method="post" action={ "/admin/trials/" (tr.owner) } {
                        (csrf_field(&ctx)) input type="hidden" name="decision" value="decline";
                        button.danger type="submit" { (t(Msg::AdminTrialDecline)) }
                    }
                }
            }
        }
    };
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminTrialsTitle), "/admin/trials")];
    Ok(page(&ctx, t(Msg::AdminTrialsTitle), &crumbs, body).into_response())
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
        _ => return Ok(redirect_with_flash(back, FlashKind::Error, ctx.t(Msg::AdminTrialChoose))),
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
                        &ctx.fmt_string(
                            Msg::AdminWholeNumber,
                            &[("what", super::quota::resource_name(&ctx, r).into())],
                        ),
                    ));
                }
            }
        }
    }
    match state.svc.billing.decide_trial(UserId(id), approve, quota, &caller).await {
        Ok(_) => Ok(redirect_with_flash(
            back,
            FlashKind::Ok,
            ctx.t(if approve { Msg::AdminTrialApprovedFlash } else { Msg::AdminTrialDeclinedFlash }),
        )),
        Err(e) => refused(&ctx, back, e),
    }
}
