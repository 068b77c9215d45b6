//! The start page and the customer dashboard.

use crate::web::layout::Utc;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use crate::web::AppState;
use crate::web::ctx::{Ctx, Customer};
use crate::web::error::WebError;
use crate::web::layout::page;

/// `GET /`: the dashboard for a session, the login page otherwise.
pub async fn root_get(ctx: Ctx) -> Response {
    let to = if ctx.session.is_some() { "/dashboard" } else { "/login" };
    Redirect::to(to).into_response()
}

/// `GET /dashboard`.
pub async fn dashboard_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let crate::service::pages::Dashboard {
        vms,
        limits,
        usage,
        sessions,
        balance,
        days_left,
        trial_ends,
        status,
        now,
    } = state.svc.dashboard(s.user.id)?;
    let running = vms.iter().filter(|v| v.power.is_active()).count();
    let body = html! {
        h1 { "Dashboard" }
        @for i in &status.current {
            p.flash.err #incident { "Incident: " strong { (i.title) } " (" (i.severity.label()) " since " (Utc(i.started)) "). " a href="/status" { "Status page" } }
        }
        @for w in &status.upcoming {
            p.flash.info #maintenance { "Planned maintenance " strong { (Utc(w.starts)) " – " (Utc(w.ends)) } ": " (w.description) " (" (w.scope.label()) "). " a href="/status" { "Status page" } }
        }
        @if let Some(end) = trial_ends {
            p.flash.info { "Free trial until " strong { (Utc(end)) } " (in " (super::trial::left(now, end)) "). Servers left then become paid. " a href="/billing#trial" { "Details" } }
        }
        div.grid {
            div.panel {
                h2 { "Balance" }
                p.stat { (super::billing::money(balance)) }
                p.muted { @if let Some(d) = days_left { "about " (d) " days at the current rate · " } a href="/billing" { "billing" } }
            }
            div.panel {
                h2 { "Virtual servers" }
                p.stat { (vms.len()) }
                @if vms.is_empty() {
                    p.muted { "You have no virtual servers yet. " a href="/vms/new" { "Order one" } }
                } @else {
                    p.muted { (running) " running · " a href="/vms" { "manage" } }
                }
            }
            div.panel {
                h2 { "Quota" }
                p.stat { (usage.vms) " / " (limits.vms) }
                p.muted { (usage.vcpus) " of " (limits.vcpus) " vCPUs · " a href="/quota" { "details" } }
            }
            div.panel {
                h2 { "Account" }
                p { (s.user.email.as_str()) }
                p.muted { "Member since " (Utc(s.user.created_at)) }
                p.muted { (sessions) " active " (if sessions == 1 { "session" } else { "sessions" }) " · " a href="/account" { "manage" } }
            }
        }
    };
    Ok(page(&ctx, "Dashboard", &[], body).into_response())
}
