//! Service level pages: the customer's availability and credits per server, the admin's
//! incidents and maintenance windows (declare, update, resolve, schedule, call off) with the
//! month's servers below target, and the public status page.

use crate::web::layout::Utc;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{CRUMB_ADMIN, admin_tabs};
use crate::domain::billing::{Month, month_label, parse_month};
use crate::domain::incident::{Blame, Scope, Severity};
use crate::domain::sla::percent_label;
use crate::domain::time::Timestamp;
use crate::service::sla::{NewIncident, NewWindow, SlaError, VmAvailability};
use crate::store::incidents::{IncidentRecord, MaintenanceRecord};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

fn availability_row(hostname: &str, link: &str, a: &VmAvailability) -> Markup {
    html! { tr {
        td { a href=(link) { (hostname) } }
        td { (percent_label(a.ppm)) }
        td { (a.counted_secs / 60) " min" }
        td { @if a.credit_percent > 0 { span.badge.error { (a.credit_percent) "%" } } @else { "0%" } }
        td { (a.downtime.len()) }
    } }
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
    let body = html! {
        h1 { "Availability " (month_label(month)) }
        p { "The provider promises 99.9% availability of each server in the month. Below it, a credit on that server's charges for the month: 5% below 99.9%, 10% below 99.0%, 15% below 95.0%, never more than you paid that month, applied to the next period. Planned maintenance announced in time, force majeure and anything caused inside your server are not counted." }
        @if vms.is_empty() { p.muted { "You have no servers." } } @else {
            div.table-wrap { table #availability {
                thead { tr { th { "Server" } th { "Availability" } th { "Counted downtime" } th { "Credit tier" } th { "Events" } } }
                tbody { @for (vm, a) in vms.iter().zip(&list) { (availability_row(&vm.hostname, &format!("/vms/{}#availability", vm.id), a)) } }
            } }
        }
        h2 { "Credits" }
        @if credits.is_empty() { p.muted { "No month measured yet." } } @else {
            div.table-wrap { table #credits {
                thead { tr { th { "Month" } th { "Servers below 99.9%" } th { "Paid" } th { "Credit" } th { "Booked" } } }
                tbody { @for c in &credits { tr {
                    td { (month_label(c.month)) }
                    td { @for l in c.lines.iter().filter(|l| l.percent > 0) { "#" (l.vm) " " (percent_label(l.ppm)) " → " (l.percent) "% of " (l.charges) "; " } }
                    td { (c.paid) }
                    td { strong { (c.total) } }
                    td { (Utc(c.at)) }
                } } }
            } }
        }
        p { a href="/status" { "Service status" } " · " a href="/support/new" { "Report an outage" } }
    };
    Ok(page(&ctx, "Availability", &[("Availability", "/sla")], body).into_response())
}

fn incident_summary(i: &IncidentRecord) -> Markup {
    html! {
        div.panel.incident id={ "incident-" (i.id) } {
            h3 { (i.title) }
            p { span class={ "badge " (if i.is_open() { "error" } else { "ok" }) } { (if i.is_open() { "ongoing" } else { "resolved" }) }
                " " (i.severity.label()) " · " (i.scope.label()) " · since " (Utc(i.started))
                @if let Some(e) = i.ended { " · until " (Utc(e)) } }
            ul { @for u in &i.updates { li { (Utc(u.at)) ": " (u.text) } } }
        }
    }
}

fn window_line(w: &MaintenanceRecord) -> Markup {
    html! { (Utc(w.starts)) " – " (Utc(w.ends)) ": " (w.description) " (" (w.scope.label()) ")" }
}

/// `GET /status`: public, no login.
pub async fn status_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let v = state.svc.sla.status()?;
    let body = html! {
        h1 { "Service status" }
        @if v.current.is_empty() { p.status-ok { strong { "All systems operational." } } } @else {
            h2 { "Current incidents" }
            @for i in &v.current { (incident_summary(i)) }
        }
        h2 { "Planned maintenance" }
        @if v.upcoming.is_empty() { p.muted { "None planned." } } @else {
            ul #maintenance { @for w in &v.upcoming { li { (window_line(w)) } } }
        }
        @if !v.recent.is_empty() {
            h2 { "Resolved in the last 7 days" }
            @for i in &v.recent { (incident_summary(i)) }
        }
    };
    Ok(page(&ctx, "Service status", &[("Status", "/status")], body).into_response())
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
    let body = html! {
        h1 { "Service level" }
        (admin_tabs("/admin/sla"))
        h2 { "Declare an incident" }
        form.cols method="post" action="/admin/sla/incidents" {
            (csrf_field(&ctx))
            div.wide { label for="title" { "Title" } input #title type="text" name="title" maxlength="200" required; }
            div { label for="severity" { "Severity" } select #severity name="severity" { option value="outage" { "Full outage (counts as downtime)" } option value="degradation" { "Degradation (shown, not counted)" } } }
            div { label for="scope" { "Scope" } input #scope type="text" name="scope" value="host" placeholder="host, or server numbers: 12, 14"; }
            div { label for="started" { "Started (UTC)" } input #started type="datetime-local" name="started" value=(now.input_minute()); }
            div.actions { button type="submit" { "Declare" } }
        }
        h2 { "Incidents" }
        @if incidents.is_empty() { p.muted { "None." } }
        @for i in &incidents {
            (incident_summary(i))
            p { "Responsibility: " (i.blame.label())
                @if let Some(r) = i.request { " · reported in " a href={ "/admin/support/" (r) } { "request #" (r) } } }
            form.cols method="post" action={ "/admin/sla/incidents/" (i.id) } {
                (csrf_field(&ctx))
                div.wide { label for={ "note-" (i.id) } { "Update" } input id={ "note-" (i.id) } type="text" name="note" maxlength="2000"; }
                @if i.is_open() { div { label for={ "end-" (i.id) } { "Restored at (UTC), to resolve" } input id={ "end-" (i.id) } type="datetime-local" name="ended"; } }
                div { label for={ "blame-" (i.id) } { "Responsibility" } select id={ "blame-" (i.id) } name="blame" {
                    @for b in Blame::ALL { option value=(b.key()) selected[b == i.blame] { (b.label()) } } } }
                div.actions { button type="submit" { "Save" } }
            }
        }
        h2 { "Schedule maintenance" }
        p.hint { "Customers it covers are notified " (notice) " h before it starts. A window announced less than " (notice) " h ahead is not excluded from availability." }
        form.cols method="post" action="/admin/sla/maintenance" {
            (csrf_field(&ctx))
            div.wide { label for="description" { "What will be done" } input #description type="text" name="description" maxlength="500" required; }
            div { label for="mscope" { "Scope" } input #mscope type="text" name="scope" value="host"; }
            div { label for="starts" { "Starts (UTC)" } input #starts type="datetime-local" name="starts" required; }
            div { label for="ends" { "Ends (UTC)" } input #ends type="datetime-local" name="ends" required; }
            div.actions { button type="submit" { "Schedule" } }
        }
        @if !windows.is_empty() {
            div.table-wrap { table #windows {
                thead { tr { th { "Window" } th { "Announced" } th { "Notified" } th { "" } } }
                tbody { @for w in &windows { tr {
                    td { (window_line(w)) @if w.cancelled { " " span.badge.muted { "called off" } } }
                    td { (Utc(w.announced_at)) @if !w.cancelled && w.announced_at > w.starts.plus_secs(-notice * 3600) { " " span.badge.working { "short notice: counted" } } }
                    td { (if w.notified { "yes" } else { "not yet" }) }
                    td { @if !w.cancelled && w.ends > now {
                        form method="post" action={ "/admin/sla/maintenance/" (w.id) "/cancel" } { (csrf_field(&ctx)) button.secondary type="submit" { "Call off" } } } }
                } } }
            } }
        }
        h2 { "Servers below 99.9% in " (month_label(month)) }
        @if below.is_empty() { p.muted { "None." } } @else {
            div.table-wrap { table #below {
                thead { tr { th { "Server" } th { "Availability" } th { "Counted downtime" } th { "Credit tier" } th { "Events" } } }
                tbody { @for (vm, a) in &below { (availability_row(&vm.hostname, &format!("/admin/vms/{}", vm.id), a)) } }
            } }
        }
        (month_nav("/admin/sla", month))
        h2 { "Credits booked for " (month_label(credited_month)) }
        @let given: Vec<_> = credits.iter().filter(|(_, c)| c.total.0 > 0).collect();
        @if given.is_empty() { p.muted { "None (the month is not measured yet, or every server met 99.9%)." } } @else {
            div.table-wrap { table #credits {
                thead { tr { th { "Account" } th { "Servers below 99.9%" } th { "Paid" } th { "Credit" } th { "Booked" } } }
                tbody { @for (owner, c) in &given { tr {
                    td { a href={ "/admin/users/" (owner) "/billing" } { (emails.get(owner).map(String::as_str).unwrap_or("?")) } }
                    td { @for l in c.lines.iter().filter(|l| l.percent > 0) { "#" (l.vm) " " (percent_label(l.ppm)) " → " (l.percent) "%; " } }
                    td { (c.paid) }
                    td { strong { (c.total) } }
                    td { (Utc(c.at)) }
                } } }
            } }
        }
        p.hint { "Credits are booked automatically once a month is metered, into the next period, capped at what the account paid that month." }
    };
    Ok(page(&ctx, "Service level", &[CRUMB_ADMIN, ("Service level", "/admin/sla")], body).into_response())
}

fn time_field(v: &str, what: &str) -> Result<Timestamp, SlaError> {
    Timestamp::parse_utc_minute(v)
        .ok_or_else(|| SlaError::Invalid(format!("{what}: a date and time such as 2027-01-15T08:30")))
}

fn scope_field(v: &str) -> Result<Scope, SlaError> {
    Scope::parse(v)
        .ok_or_else(|| SlaError::Invalid("Scope: \"host\" or server numbers such as 12, 14".into()))
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
            if f.started.trim().is_empty() { sla.now() } else { time_field(&f.started, "Started")? };
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
            &format!("Incident #{} declared; the customers it covers were notified.", i.id),
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
        let end = if f.ended.trim().is_empty() { None } else { Some(time_field(&f.ended, "Restored at")?) };
        sla.update_incident(id, &f.note, end, Blame::from_key(&f.blame), &caller).await
    }
    .await;
    match r {
        Ok(_) => {
            Ok(redirect_with_flash(&format!("/admin/sla#incident-{id}"), FlashKind::Ok, "Incident updated."))
        }
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
            starts: time_field(&f.starts, "Starts")?,
            ends: time_field(&f.ends, "Ends")?,
            description: f.description.clone(),
        };
        sla.schedule(n, &caller).await
    }
    .await;
    match r {
        Ok(w) => {
            Ok(redirect_with_flash("/admin/sla", FlashKind::Ok, &format!("Maintenance #{} scheduled.", w.id)))
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
        Ok(_) => Ok(redirect_with_flash("/admin/sla", FlashKind::Ok, "Maintenance called off.")),
        Err(e) => refused(&ctx, "/admin/sla", e),
    }
}
