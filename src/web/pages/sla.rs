//! Service level pages: the customer's availability and credits per server, the admin's
//! incidents and maintenance windows (declare, update, resolve, schedule, call off) with the
//! month's servers below target, and the public status page.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use crate::domain::billing::{Month, month_label, parse_month};
use crate::domain::incident::{Blame, Scope, Severity};
use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::service::sla::{NewIncident, NewWindow, Refusal, SlaError, VmAvailability};
use crate::store::incidents::{IncidentRecord, MaintenanceRecord};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

fn availability_row(ctx: &Ctx, hostname: &str, link: &str, a: &VmAvailability) -> Markup {
    html! { tr {
        td { a href=(link) { (hostname) } }
        td { (ctx.lang.percent(a.ppm)) }
        td { (ctx.fmt(Msg::AvailabilityMinutes, &[("minutes", (a.counted_secs / 60).into())])) }
        td { @if a.credit_percent > 0 { span.badge.error { (a.credit_percent) "%" } } @else { "0%" } }
        td { (a.downtime.len()) }
    } }
}

/// An incident's or a window's scope in words.
pub fn scope_words(ctx: &Ctx, scope: &Scope) -> String {
    match scope {
        Scope::Host => ctx.t(Msg::ScopeHost).to_string(),
        Scope::Vms(list) if list.is_empty() => ctx.t(Msg::ScopeNone).to_string(),
        Scope::Vms(list) if list.len() == 1 => ctx.fmt_string(Msg::ScopeOne, &[("vm", list[0].0.into())]),
        Scope::Vms(list) => {
            let ids: Vec<String> = list.iter().map(|v| format!("#{v}")).collect();
            ctx.fmt_string(Msg::ScopeMany, &[("list", ids.join(", ").into())])
        }
    }
}

/// An incident's severity in words.
pub fn severity_word(ctx: &Ctx, s: Severity) -> &str {
    ctx.t(match s {
        Severity::Outage => Msg::SeverityOutage,
        Severity::Degradation => Msg::SeverityDegradation,
    })
}

/// Query naming a month (`?month=2027-01`).
#[derive(Deserialize, Default)]
pub struct MonthQuery {
    #[serde(default)]
    month: String,
}

impl MonthQuery {
    /// The month asked for, or `default`.
    pub fn or(&self, default: Month) -> Month {
        parse_month(&self.month).unwrap_or(default)
    }
}

/// Links to the month before and after `month` on the page at `base`.
pub fn month_nav(base: &str, month: Month) -> Markup {
    let (prev, next) = (month.saturating_sub(1), month + 1);
    html! {
        p.month-nav {
            a href={ (base) "?month=" (month_label(prev)) } { "← " (month_label(prev)) }
            " · " a href={ (base) "?month=" (month_label(next)) } { (month_label(next)) " →" }
        }
    }
}

/// `GET /sla`: the customer's availability this month per server, and past credits.
pub async fn sla_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    Query(q): Query<MonthQuery>,
) -> Result<Response, WebError> {
    let sla = &state.svc.sla;
    let month = q.or(sla.month_at(sla.now()));
    let vms: Vec<_> =
        state.svc.vms.list(s.user.id)?.iter().filter_map(|v| state.svc.vms.get_any(v.id).ok()).collect();
    let list = sla.availability_of(&vms, month)?;
    let credits = sla.credits(s.user.id)?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (ctx.fmt(Msg::SlaTitle, &[("month", month_label(month).into())])) }
        p { (t(Msg::SlaTerms)) }
        @if vms.is_empty() { p.muted { (t(Msg::SlaNoServers)) } } @else {
            div.table-wrap { table #availability {
                thead { tr {
                    th { (t(Msg::SlaColServer)) } th { (t(Msg::SlaColAvailability)) } th { (t(Msg::SlaColDowntime)) }
                    th { (t(Msg::SlaColTier)) } th { (t(Msg::SlaColEvents)) }
                } }
                tbody { @for (vm, a) in vms.iter().zip(&list) { (availability_row(&ctx, &vm.hostname, &format!("/vms/{}#availability", vm.id), a)) } }
            } }
        }
        h2 { (t(Msg::SlaCredits)) }
        @if credits.is_empty() { p.muted { (t(Msg::SlaNoMonth)) } } @else {
            div.table-wrap { table #credits {
                thead { tr {
                    th { (t(Msg::SlaColMonth)) } th { (t(Msg::SlaColBelow)) } th { (t(Msg::SlaColPaid)) }
                    th { (t(Msg::SlaColCredit)) } th { (t(Msg::SlaColBooked)) }
                } }
                tbody { @for c in &credits { tr {
                    td { (month_label(c.month)) }
                    td { @for l in c.lines.iter().filter(|l| l.percent > 0) {
                        (ctx.fmt(Msg::SlaCreditLine, &[
                            ("vm", l.vm.0.into()), ("availability", ctx.lang.percent(l.ppm).into()),
                            ("percent", u32::from(l.percent).into()), ("charges", ctx.money(l.charges).into()),
                        ])) "; "
                    } }
                    td { (ctx.money(c.paid)) }
                    td { strong { (ctx.money(c.total)) } }
                    td { (ctx.time(c.at)) }
                } } }
            } }
        }
        p { a href="/status" { (t(Msg::AvailabilityStatus)) } " · " a href="/support/new" { (t(Msg::SlaReportOutage)) } }
    };
    Ok(page(&ctx, t(Msg::SlaPage), &[(t(Msg::SlaPage), "/sla")], body).into_response())
}

fn incident_summary(ctx: &Ctx, i: &IncidentRecord) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        div.panel.incident id={ "incident-" (i.id) } {
            h3 { @if i.reported_by.is_some() { (ctx.fmt(Msg::IncidentReportedTitle, &[("title", i.title.as_str().into())])) } @else { (i.title) } }
            p { span class={ "badge " (if i.is_open() { "error" } else { "ok" }) } { (if i.is_open() { t(Msg::StatusOngoing) } else { t(Msg::StatusResolved) }) }
                " " (severity_word(ctx, i.severity)) " · " (scope_words(ctx, &i.scope)) " · " (ctx.fmt(Msg::StatusSince, &[("at", ctx.lang.time(i.started).into())]))
                @if let Some(e) = i.ended { " · " (ctx.fmt(Msg::StatusUntil, &[("at", ctx.lang.time(e).into())])) } }
            ul { @for u in &i.updates { li { (ctx.time(u.at)) ": " (update_words(ctx, u)) } } }
        }
    }
}

/// A line of an incident's history in the reader's language (lines written before they were
/// kept as messages, in the English they were written in).
fn update_words(ctx: &Ctx, u: &crate::store::incidents::IncidentUpdate) -> String {
    u.told
        .as_ref()
        .and_then(|t| crate::service::notices::say(&ctx.catalog, ctx.lang, t))
        .map_or_else(|| u.text.clone(), |s| s.trim().to_string())
}

/// A maintenance window in one line: when, what, whom it covers.
pub fn window_line(ctx: &Ctx, w: &MaintenanceRecord) -> Markup {
    html! { (ctx.time(w.starts)) " – " (ctx.time(w.ends)) ": " (w.description) " (" (scope_words(ctx, &w.scope)) ")" }
}

/// `GET /status`: public, no login.
pub async fn status_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let v = state.svc.sla.status()?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::StatusTitle)) }
        @if v.current.is_empty() { p.status-ok { strong { (t(Msg::StatusAllOk)) } } } @else {
            h2 { (t(Msg::StatusCurrent)) }
            @for i in &v.current { (incident_summary(&ctx, i)) }
        }
        h2 { (t(Msg::StatusPlanned)) }
        @if v.upcoming.is_empty() { p.muted { (t(Msg::StatusNonePlanned)) } } @else {
            ul #maintenance { @for w in &v.upcoming { li { (window_line(&ctx, w)) } } }
        }
        @if !v.recent.is_empty() {
            h2 { (t(Msg::StatusRecent)) }
            @for i in &v.recent { (incident_summary(&ctx, i)) }
        }
    };
    Ok(page(&ctx, t(Msg::StatusTitle), &[(t(Msg::StatusCrumb), "/status")], body).into_response())
}

/// `GET /admin/sla`.
pub async fn admin_sla_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Query(q): Query<MonthQuery>,
) -> Result<Response, WebError> {
    let sla = &state.svc.sla;
    let now = sla.now();
    let month = q.or(sla.month_at(now));
    let incidents = sla.incidents()?;
    let windows = sla.windows()?;
    let vms = state.svc.vms.records()?;
    let list = sla.availability_of(&vms, month)?;
    let below: Vec<_> = vms.iter().zip(&list).filter(|(_, a)| a.credit_percent > 0).collect();
    let credited_month = month.saturating_sub(1);
    let credits = sla.credits_in(credited_month)?;
    let emails = super::admin::account_emails(&state)?;
    let notice = sla.notice_hours();
    let t = |m| ctx.t(m);
    let blame = |b: Blame| ctx.fmt_string(Msg::AdminBlame, &[("blame", b.key().into())]);
    let body = html! {
        h1 { (t(Msg::AdminSlaTitle)) }
        (admin_tabs(&ctx, "/admin/sla"))
        h2 { (t(Msg::AdminDeclareTitle)) }
        form.cols method="post" action="/admin/sla/incidents" {
            (csrf_field(&ctx))
            div.wide { label for="title" { (t(Msg::AdminTitleLabel)) } input #title type="text" name="title" maxlength="200" required; }
            div { label for="severity" { (t(Msg::AdminSeverity)) } select #severity name="severity" {
                option value="outage" { (t(Msg::AdminSeverityOutage)) } option value="degradation" { (t(Msg::AdminSeverityDegradation)) }
            } }
            div { label for="scope" { (t(Msg::AdminScope)) } input #scope type="text" name="scope" value="host" placeholder=(t(Msg::AdminScopePlaceholder)); }
            div { label for="started" { (t(Msg::AdminStartedUtc)) } input #started type="datetime-local" name="started" value=(now.input_minute()); }
            div.actions { button type="submit" { (t(Msg::AdminDeclare)) } }
        }
        h2 { (t(Msg::AdminIncidents)) }
        @if incidents.is_empty() { p.muted { (t(Msg::AdminNoneDot)) } }
        @for i in &incidents {
            (incident_summary(&ctx, i))
            p { (ctx.fmt(Msg::AdminResponsibilityLine, &[("blame", i.blame.key().into())]))
                @if let Some(r) = i.request { " · " (t(Msg::AdminReportedIn)) " " a href={ "/admin/support/" (r) } { (ctx.fmt(Msg::AdminRequestN, &[("id", r.into())])) } } }
            form.cols method="post" action={ "/admin/sla/incidents/" (i.id) } {
                (csrf_field(&ctx))
                div.wide { label for={ "note-" (i.id) } { (t(Msg::AdminUpdate)) } input id={ "note-" (i.id) } type="text" name="note" maxlength="2000"; }
                @if i.is_open() { div { label for={ "end-" (i.id) } { (t(Msg::AdminRestoredAt)) } input id={ "end-" (i.id) } type="datetime-local" name="ended"; } }
                div { label for={ "blame-" (i.id) } { (t(Msg::AdminResponsibility)) } select id={ "blame-" (i.id) } name="blame" {
                    @for b in Blame::ALL { option value=(b.key()) selected[b == i.blame] { (blame(b)) } } } }
                div.actions { button type="submit" { (t(Msg::AdminSave)) } }
            }
        }
        h2 { (t(Msg::AdminScheduleTitle)) }
        p.hint { (ctx.fmt(Msg::AdminScheduleHint, &[("hours", notice.into())])) }
        form.cols method="post" action="/admin/sla/maintenance" {
            (csrf_field(&ctx))
            div.wide { label for="description" { (t(Msg::AdminWhatDone)) } input #description type="text" name="description" maxlength="500" required; }
            div { label for="mscope" { (t(Msg::AdminScope)) } input #mscope type="text" name="scope" value="host"; }
            div { label for="starts" { (t(Msg::AdminStartsUtc)) } input #starts type="datetime-local" name="starts" required; }
            div { label for="ends" { (t(Msg::AdminEndsUtc)) } input #ends type="datetime-local" name="ends" required; }
            div.actions { button type="submit" { (t(Msg::AdminSchedule)) } }
        }
        @if !windows.is_empty() {
            div.table-wrap { table #windows {
                thead { tr { th { (t(Msg::AdminColWindow)) } th { (t(Msg::AdminColAnnounced)) } th { (t(Msg::AdminColNotified)) } th { "" } } }
                tbody { @for w in &windows { tr {
                    td { (window_line(&ctx, w)) @if w.cancelled { " " span.badge.muted { (t(Msg::AdminCalledOff)) } } }
                    td { (ctx.time(w.announced_at)) @if !w.cancelled && w.announced_at > w.starts.plus_secs(-notice * 3600) { " " span.badge.working { (t(Msg::AdminShortNotice)) } } }
                    td { (t(if w.notified { Msg::AdminYes } else { Msg::AdminNotYet })) }
                    td { @if !w.cancelled && w.ends > now {
                        form method="post" action={ "/admin/sla/maintenance/" (w.id) "/cancel" } { (csrf_field(&ctx)) button.secondary type="submit" { (t(Msg::AdminCallOff)) } } } }
                } } }
            } }
        }
        h2 { (ctx.fmt(Msg::AdminBelowTitle, &[("month", month_label(month).into())])) }
        @if below.is_empty() { p.muted { (t(Msg::AdminNoneDot)) } } @else {
            div.table-wrap { table #below {
                thead { tr {
                    th { (t(Msg::AdminColServer)) } th { (t(Msg::AdminColAvailability)) } th { (t(Msg::AdminColCounted)) }
                    th { (t(Msg::AdminColTier)) } th { (t(Msg::AdminColEvents)) }
                } }
                tbody { @for (vm, a) in &below { (availability_row(&ctx, &vm.hostname, &format!("/admin/vms/{}", vm.id), a)) } }
            } }
        }
        (month_nav("/admin/sla", month))
        h2 { (ctx.fmt(Msg::AdminCreditsTitle, &[("month", month_label(credited_month).into())])) }
        @let given: Vec<_> = credits.iter().filter(|(_, c)| c.total.0 > 0).collect();
        @if given.is_empty() { p.muted { (t(Msg::AdminCreditsNone)) } } @else {
            div.table-wrap { table #credits {
                thead { tr {
                    th { (t(Msg::AdminColAccount)) } th { (t(Msg::AdminColBelow)) } th { (t(Msg::AdminColPaid)) }
                    th { (t(Msg::AdminColCredit)) } th { (t(Msg::AdminColBooked)) }
                } }
                tbody { @for (owner, c) in &given { tr {
                    td { a href={ "/admin/users/" (owner) "/billing" } { (emails.get(owner).map(String::as_str).unwrap_or("?")) } }
                    td { @for l in c.lines.iter().filter(|l| l.percent > 0) { "#" (l.vm) " " (ctx.lang.percent(l.ppm)) " → " (l.percent) "%; " } }
                    td { (ctx.money(c.paid)) }
                    td { strong { (ctx.money(c.total)) } }
                    td { (ctx.time(c.at)) }
                } } }
            } }
        }
        p.hint { (t(Msg::AdminCreditsHint)) }
    };
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminSlaTitle), "/admin/sla")];
    Ok(page(&ctx, t(Msg::AdminSlaTitle), &crumbs, body).into_response())
}

fn time_field(v: &str, what: &'static str) -> Result<Timestamp, SlaError> {
    Timestamp::parse_utc_minute(v).ok_or(SlaError::Refused(Refusal::BadTime(what)))
}

fn scope_field(v: &str) -> Result<Scope, SlaError> {
    Scope::parse(v).ok_or(SlaError::Refused(Refusal::BadScope))
}

/// Form to declare an incident.
#[derive(Deserialize)]
pub struct IncidentForm {
    title: String,
    severity: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    started: String,
}

/// `POST /admin/sla/incidents`.
pub async fn admin_incident_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    CsrfForm(f): CsrfForm<IncidentForm>,
) -> Result<Response, WebError> {
    let sla = &state.svc.sla;
    let parsed = (|| {
        let started =
            if f.started.trim().is_empty() { sla.now() } else { time_field(&f.started, "started")? };
        let severity = if f.severity == "degradation" { Severity::Degradation } else { Severity::Outage };
        Ok::<_, SlaError>(NewIncident {
            severity,
            scope: scope_field(&f.scope)?,
            title: f.title.clone(),
            started,
        })
    })();
    match async { sla.declare(parsed?, &caller).await }.await {
        Ok(i) => Ok(redirect_with_flash(
            "/admin/sla",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::AdminIncidentDeclared, &[("id", i.id.into())]),
        )),
        Err(e) => refused(&ctx, "/admin/sla", e),
    }
}

/// Form to update an incident.
#[derive(Deserialize)]
pub struct IncidentUpdateForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    ended: String,
    #[serde(default)]
    blame: String,
}

/// `POST /admin/sla/incidents/{id}`.
pub async fn admin_incident_update_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<IncidentUpdateForm>,
) -> Result<Response, WebError> {
    let sla = &state.svc.sla;
    let r = async {
        let end = if f.ended.trim().is_empty() { None } else { Some(time_field(&f.ended, "restored")?) };
        sla.update_incident(id, &f.note, end, Blame::from_key(&f.blame), &caller).await
    }
    .await;
    match r {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/admin/sla#incident-{id}"),
            FlashKind::Ok,
            ctx.t(Msg::AdminIncidentUpdated),
        )),
        Err(e) => refused(&ctx, "/admin/sla", e),
    }
}

/// Form to schedule maintenance.
#[derive(Deserialize)]
pub struct WindowForm {
    description: String,
    #[serde(default)]
    scope: String,
    starts: String,
    ends: String,
}

/// `POST /admin/sla/maintenance`.
pub async fn admin_window_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    CsrfForm(f): CsrfForm<WindowForm>,
) -> Result<Response, WebError> {
    let sla = &state.svc.sla;
    let r = async {
        let n = NewWindow {
            scope: scope_field(&f.scope)?,
            starts: time_field(&f.starts, "starts")?,
            ends: time_field(&f.ends, "ends")?,
            description: f.description.clone(),
        };
        sla.schedule(n, &caller).await
    }
    .await;
    match r {
        Ok(w) => {
            let text = ctx.fmt_string(Msg::AdminMaintenanceScheduled, &[("id", w.id.into())]);
            Ok(redirect_with_flash("/admin/sla", FlashKind::Ok, &text))
        }
        Err(e) => refused(&ctx, "/admin/sla", e),
    }
}

/// `POST /admin/sla/maintenance/{id}/cancel`.
pub async fn admin_window_cancel_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    match state.svc.sla.cancel_window(id, &caller).await {
        Ok(_) => Ok(redirect_with_flash("/admin/sla", FlashKind::Ok, ctx.t(Msg::AdminMaintenanceCalledOff))),
        Err(e) => refused(&ctx, "/admin/sla", e),
    }
}
