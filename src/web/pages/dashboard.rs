//! The start page and the customer dashboard.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use crate::i18n::Msg;
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
        count,
        running,
        limits,
        usage,
        sessions,
        balance,
        days_left,
        trial_ends,
        status,
        now,
    } = state.svc.dashboard(s.user.id)?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::NavDashboard)) }
        @for i in &status.current {
            p.flash.err #incident {
                (t(Msg::DashboardIncident)) " " strong { (i.title) } " "
                (ctx.fmt(Msg::DashboardIncidentSince, &[("severity", super::sla::severity_word(&ctx, i.severity).into()), ("since", ctx.lang.time(i.started).into())]))
                " " a href="/status" { (t(Msg::DashboardStatusPage)) }
            }
        }
        @for w in &status.upcoming {
            p.flash.info #maintenance { (t(Msg::DashboardMaintenance)) " " (super::sla::window_line(&ctx, w)) ". " a href="/status" { (t(Msg::DashboardStatusPage)) } }
        }
        @if let Some(end) = trial_ends {
            p.flash.info {
                (t(Msg::DashboardTrialUntil)) " " strong { (ctx.time(end)) } " "
                (ctx.fmt(Msg::DashboardTrialLeft, &[("left", super::trial::left(&ctx, now, end).into())]))
                " " a href="/billing#trial" { (t(Msg::DashboardDetails)) }
            }
        }
        div.grid {
            div.panel {
                h2 { (t(Msg::DashboardBalance)) }
                p.stat { (ctx.money(balance)) }
                p.muted { @if let Some(d) = days_left { (ctx.fmt(Msg::DashboardDaysLeft, &[("days", d.into())])) " · " } a href="/billing" { (t(Msg::DashboardBillingLink)) } }
            }
            div.panel {
                h2 { (t(Msg::DashboardServers)) }
                p.stat { (count) }
                @if count == 0 {
                    p.muted { (t(Msg::DashboardNoServers)) " " a href="/vms/new" { (t(Msg::DashboardOrderOne)) } }
                } @else {
                    p.muted { (ctx.fmt(Msg::DashboardRunning, &[("count", running.into())])) " · " a href="/vms" { (t(Msg::DashboardManage)) } }
                }
            }
            div.panel {
                h2 { (t(Msg::DashboardQuota)) }
                p.stat { (usage.vms) " / " (limits.vms) }
                p.muted { (ctx.fmt(Msg::DashboardVcpus, &[("used", usage.vcpus.into()), ("limit", limits.vcpus.into())])) " · " a href="/quota" { (t(Msg::DashboardDetailsLink)) } }
            }
            div.panel {
                h2 { (t(Msg::NavAccount)) }
                p { (s.user.email.as_str()) }
                p.muted { (ctx.fmt(Msg::DashboardMemberSince, &[("since", ctx.lang.time(s.user.created_at).into())])) }
                p.muted { (ctx.fmt(Msg::DashboardSessions, &[("count", sessions.into())])) " · " a href="/account" { (t(Msg::DashboardManage)) } }
            }
        }
    };
    Ok(page(&ctx, ctx.t(Msg::NavDashboard), &[], body).into_response())
}
