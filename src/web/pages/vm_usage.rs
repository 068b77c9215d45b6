//! A server's usage graphs (CPU, disk and network over 24 hours or 30 days, drawn as inline
//! SVG, no JavaScript) and the abuse rule's panel: what the owner is told about a cap or a
//! suspension, and the admins' cap, lift, suspend and close forms.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::time::Timestamp;
use crate::domain::usage::{Range, Series, Usage};
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::store::abuse::AbuseCase;
use crate::store::records::VmRecord;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, PathId};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// Width of a chart's drawing, in its own units.
const W: i64 = 360;
/// Where a chart's zero line is; values rise to 10.
const BASE: i64 = 90;

/// Blue for the first series, orange for the second (as the traffic chart).
const COLOURS: [&str; 2] = ["#3b82f6", "#f59e0b"];

/// `HH:MM` (24 hours) or `MM-DD` (30 days) of a moment, UTC.
fn tick(range: Range, at: i64) -> String {
    let s = Timestamp::from_secs(at).display_utc();
    match range {
        Range::Day => s.get(11..16).unwrap_or("").to_string(),
        Range::Month => s.get(5..10).unwrap_or("").to_string(),
    }
}

/// One chart: each series' values per point, as polylines broken where readings are missing.
fn chart(s: &Series, label: &str, lines: &[&dyn Fn(&Usage) -> u64], max_text: &str) -> Markup {
    let span = (s.to - s.from).max(1);
    let step = s.range.tier().step;
    let max = s.points.iter().flat_map(|(_, u)| lines.iter().map(move |f| f(u))).max().unwrap_or(0).max(1);
    let x = |at: i64| (at - s.from).clamp(0, span) * W / span;
    let y = |v: u64| BASE - (i128::from(v) * 80 / i128::from(max)) as i64;
    // Runs of consecutive buckets: a gap in the readings is a gap in the line.
    let mut runs: Vec<&[(i64, Usage)]> = Vec::new();
    let mut begin = 0;
    for i in 1..=s.points.len() {
        if i == s.points.len() || s.points[i].0 - s.points[i - 1].0 > step {
            runs.push(&s.points[begin..i]);
            begin = i;
        }
    }
    html! {
        svg.chart viewBox={ "0 0 " (W) " 100" } width="100%" role="img" aria-label=(label) {
            @for (i, f) in lines.iter().enumerate() {
                @for run in &runs {
                    @let pts = run.iter().map(|(at, u)| format!("{},{}", x(*at + step / 2), y(f(u)))).collect::<Vec<_>>().join(" ");
                    @if run.len() == 1 {
                        circle cx=(x(run[0].0 + step / 2)) cy=(y(f(&run[0].1))) r="1.5" fill=(COLOURS[i % 2]) {}
                    } @else {
                        polyline points=(pts) fill="none" stroke=(COLOURS[i % 2]) stroke-width="1.2" {}
                    }
                }
            }
            line x1="0" y1="90.5" x2=(W) y2="90.5" stroke="#9ca3af" stroke-width="0.5" {}
            line x1="0" y1="9.5" x2=(W) y2="9.5" stroke="#e5e7eb" stroke-width="0.5" {}
            text x="2" y="8" font-size="7" fill="#6b7280" { (max_text) }
            text x="0" y="99" font-size="7" fill="#6b7280" { (tick(s.range, s.from)) }
            text x=(W) y="99" font-size="7" fill="#6b7280" text-anchor="end" { (tick(s.range, s.to)) }
        }
    }
}

/// The usage panel of a server's page (`base` is its door's VM list).
pub fn usage_panel(ctx: &Ctx, base: &str, id: VmId, s: &Series) -> Markup {
    let t = |m| ctx.t(m);
    let range = ctx.t(if s.range == Range::Day { Msg::UsageDay } else { Msg::UsageMonth });
    let total = s.total();
    let peak_cpu = s.points.iter().map(|(_, u)| u.cpu_permille()).max().unwrap_or(0);
    let pct = |permille: u32| ctx.lang.percent(i64::from(permille) * 1000);
    let rate = |n: u64| format!("{}/s", ctx.lang.bytes(n));
    let peak = |f: &dyn Fn(&Usage) -> u64| s.points.iter().map(|(_, u)| u.per_sec(f(u))).max().unwrap_or(0);
    let cpu = |u: &Usage| u64::from(u.cpu_permille());
    let read = |u: &Usage| u.per_sec(u.disk_read);
    let written = |u: &Usage| u.per_sec(u.disk_written);
    let rx = |u: &Usage| u.per_sec(u.net_rx);
    let tx = |u: &Usage| u.per_sec(u.net_tx);
    let cpu_args =
        [("range", range.into()), ("avg", pct(total.cpu_permille()).into()), ("peak", pct(peak_cpu).into())];
    html! {
        div.panel.usage #usage {
            h2 { (t(Msg::UsageTitle)) }
            nav.tabs aria-label=(t(Msg::UsageTitle)) {
                @for r in [Range::Day, Range::Month] {
                    @let name = t(if r == Range::Day { Msg::UsageDay } else { Msg::UsageMonth });
                    @let href = format!("{base}/{id}?usage={}#usage", r.as_str());
                    @if r == s.range { a href=(href) aria-current="page" { (name) } } @else { a href=(href) { (name) } }
                }
            }
            @if s.points.is_empty() {
                p.muted { (t(Msg::UsageEmpty)) }
            } @else {
                div.grid {
                    div {
                        h3 { (ctx.fmt(Msg::UsageCpu, &cpu_args)) }
                        (chart(s, &ctx.fmt_string(Msg::UsageCpu, &cpu_args), &[&cpu], &pct(peak_cpu.max(1))))
                    }
                    @let disk_args = [("range", range.into()), ("read", rate(total.per_sec(total.disk_read)).into()), ("written", rate(total.per_sec(total.disk_written)).into())];
                    div {
                        h3 { (ctx.fmt(Msg::UsageDisk, &disk_args)) }
                        (chart(s, &ctx.fmt_string(Msg::UsageDisk, &disk_args), &[&read, &written], &rate(peak(&|u| u.disk_read).max(peak(&|u| u.disk_written)))))
                    }
                    @let net_args = [("range", range.into()), ("in", rate(total.per_sec(total.net_rx)).into()), ("out", rate(total.per_sec(total.net_tx)).into())];
                    div {
                        h3 { (ctx.fmt(Msg::UsageNet, &net_args)) }
                        (chart(s, &ctx.fmt_string(Msg::UsageNet, &net_args), &[&rx, &tx], &rate(peak(&|u| u.net_rx).max(peak(&|u| u.net_tx)))))
                    }
                }
                p.hint { (t(Msg::UsageHint)) }
            }
        }
    }
}

/// What the page says about the abuse rule: to the owner, a cap or a suspension's note; to
/// admins, the case and what they can do about it.
pub fn abuse_panel(ctx: &Ctx, base: &str, admin: bool, vm: &VmRecord, case: Option<&AbuseCase>) -> Markup {
    let Some(c) = case else { return html! {} };
    let t = |m| ctx.t(m);
    html! {
        @if c.is_open() {
            @if let Some(p) = c.cap { p.flash.info { (ctx.fmt(Msg::VmAbuseCapped, &[("percent", p.into())])) } }
            @if let (true, Some(note)) = (vm.suspended, &c.suspended) {
                p.flash.err { (ctx.fmt(Msg::VmAbuseNote, &[("note", note.as_str().into())])) }
            }
        }
        @if admin {
            div.panel #abuse {
                h2 { (t(Msg::AbuseTitle)) }
                p { (ctx.fmt(Msg::AbuseFlagged, &[
                    ("at", ctx.lang.time(c.flagged_at).into()),
                    ("since", ctx.lang.time(c.busy_since).into()),
                    ("percent", c.percent.into()),
                    ("hours", c.hours.into()),
                ])) }
                p { strong { (state_words(ctx, c)) } }
                @if c.is_open() {
                    form method="post" action={ (base) "/" (vm.id) "/abuse/cap" } {
                        (csrf_field(ctx))
                        label for="abuse-cap" { (t(Msg::AbuseCapLabel)) }
                        input #abuse-cap type="number" name="percent" min="1" max="100" value=(c.cap.unwrap_or(50)) required;
                        div.actions { button.secondary type="submit" { (t(Msg::AbuseCap)) } }
                    }
                    div.actions {
                        @if c.cap.is_some() {
                            form.inline method="post" action={ (base) "/" (vm.id) "/abuse/lift" } {
                                (csrf_field(ctx))
                                button.secondary type="submit" { (t(Msg::AbuseLift)) }
                            }
                        }
                        form.inline method="post" action={ (base) "/" (vm.id) "/abuse/close" } {
                            (csrf_field(ctx))
                            button.secondary type="submit" { (t(Msg::AbuseClose)) }
                        }
                    }
                    @if !vm.suspended {
                        form method="post" action={ (base) "/" (vm.id) "/abuse/suspend" } {
                            (csrf_field(ctx))
                            label for="abuse-note" { (t(Msg::AbuseNoteLabel)) }
                            textarea #abuse-note name="note" rows="2" maxlength="500" required {}
                            div.actions { button.danger type="submit" { (t(Msg::AbuseSuspend)) } }
                        }
                    }
                }
            }
        }
    }
}

/// A case's state in words.
pub fn state_words(ctx: &Ctx, c: &AbuseCase) -> String {
    match (c.closed_at, c.cap, &c.suspended) {
        (Some(at), _, _) => ctx.fmt_string(Msg::AbuseStateClosed, &[("at", ctx.lang.time(at).into())]),
        (None, _, Some(_)) => ctx.t(Msg::AbuseStateSuspended).to_string(),
        (None, Some(p), None) => ctx.fmt_string(Msg::AbuseStateCapped, &[("percent", p.into())]),
        (None, None, None) => ctx.t(Msg::AbuseStateOpen).to_string(),
    }
}

/// `abuse/cap`: the cap, per cent of each vCPU.
#[derive(Deserialize)]
pub struct CapForm {
    percent: u8,
}

/// `abuse/suspend`: the note for the owner.
#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

/// The abuse forms are the admins': through the owners' door they do not exist.
fn admin_only(door: &Door) -> Result<(), WebError> {
    if door.admin() { Ok(()) } else { Err(WebError::NotFound) }
}

/// `POST {base}/{id}/abuse/cap` (admins).
pub async fn cap_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<CapForm>,
) -> Result<Response, WebError> {
    admin_only(&door)?;
    let r = state.svc.vms.abuse_cap(&door.caller, id, f.percent).await;
    let r = r.map(|_| door.ctx.fmt_string(Msg::AbuseDoneCapped, &[("percent", f.percent.into())]));
    super::vms::finish(&state, &door, id, r)
}

/// The end of an admin's step on a case: back to the server's page saying `done`.
fn step_done(
    state: &AppState,
    door: &Door,
    id: VmId,
    r: Result<AbuseCase, crate::service::vms::VmError>,
    done: Msg,
) -> Result<Response, WebError> {
    super::vms::finish(state, door, id, r.map(|_| door.ctx.t(done).to_string()))
}

/// `POST {base}/{id}/abuse/lift` (admins).
pub async fn lift_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    admin_only(&door)?;
    let r = state.svc.vms.abuse_lift(&door.caller, id).await;
    step_done(&state, &door, id, r, Msg::AbuseDoneLifted)
}

/// `POST {base}/{id}/abuse/close` (admins).
pub async fn close_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    admin_only(&door)?;
    let r = state.svc.vms.abuse_close(&door.caller, id).await;
    step_done(&state, &door, id, r, Msg::AbuseDoneClosed)
}

/// `POST {base}/{id}/abuse/suspend` (admins).
pub async fn suspend_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<NoteForm>,
) -> Result<Response, WebError> {
    admin_only(&door)?;
    let r = state.svc.vms.abuse_suspend(&door.caller, id, &f.note).await;
    if r.is_ok() {
        state.svc.consoles.end_vm(id, crate::service::console::Ended::Suspended);
    }
    step_done(&state, &door, id, r, Msg::AbuseDoneSuspended)
}

/// `GET /admin/abuse`: every case of the abuse rule, open ones first.
pub async fn admin_abuse_get(
    State(state): State<AppState>,
    crate::web::ctx::Admin(ctx, ..): crate::web::ctx::Admin,
) -> Result<Response, WebError> {
    let cases = state.svc.usage.abuse_cases()?;
    let rule = state.svc.usage.abuse_rule();
    let emails = super::admin::account_emails(&state)?;
    let t = |m| ctx.t(m);
    let title = t(Msg::AdminAbuseTitle);
    let body = html! {
        h1 { (title) }
        (super::admin::admin_tabs(&ctx, "/admin/abuse"))
        p { (ctx.fmt(Msg::AdminAbuseIntro, &[("percent", rule.cpu_percent.into()), ("hours", rule.hours.into())])) }
        @if !rule.enabled { p.flash.info { (t(Msg::AdminAbuseOff)) } }
        @if cases.is_empty() { p.muted { (t(Msg::AdminAbuseNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::AdminAbuseServer)) } th { (t(Msg::AdminAbuseOwner)) }
                    th { (t(Msg::AdminAbuseFlaggedAt)) } th { (t(Msg::AdminAbuseState)) }
                } }
                tbody { @for c in &cases { tr {
                    td { a href={ "/admin/vms/" (c.vm) "#abuse" } { (c.hostname) } }
                    td { (emails.get(&c.owner).map_or("", String::as_str)) }
                    td { (ctx.time(c.flagged_at)) }
                    td { (state_words(&ctx, c)) }
                } } }
            } }
        }
    };
    Ok(crate::web::layout::page(
        &ctx,
        title,
        &[super::admin::crumb_admin(&ctx), (title, "/admin/abuse")],
        body,
    )
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn point(at: i64, permille: u64) -> (i64, Usage) {
        let u = Usage {
            secs: 300,
            cpu_ns: permille * 300_000_000,
            vcpu_ns: 300_000_000_000,
            disk_read: 3_000,
            ..Usage::default()
        };
        (at, u)
    }

    #[test]
    fn lines_break_at_missing_readings_and_scale_to_the_peak() {
        let from = 1_800_000_000 - 86_400 + 300;
        let s = Series {
            range: Range::Day,
            from,
            to: 1_800_000_000,
            points: vec![point(from, 500), point(from + 300, 1000), point(from + 3000, 250)],
        };
        let html = usage_panel(&Ctx::for_tests(Lang::En), "/vms", VmId(4), &s).into_string();
        // Two runs on the CPU chart: a line of two points, then a lone point.
        assert!(html.contains("<polyline points=\"0,50 1,10\""), "{html}");
        assert!(html.contains("<circle cx=\"13\" cy=\"70\""), "{html}");
        assert!(html.contains("CPU over 24 hours: average 58.30%, peak 100.00%"), "{html}");
        assert!(html.contains("href=\"/vms/4?usage=30d#usage\""), "{html}");
        assert!(!html.contains("<script"), "no JavaScript");
        let empty = usage_panel(&Ctx::for_tests(Lang::Ru), "/vms", VmId(4), &Series::default()).into_string();
        assert!(!empty.contains("<svg"), "{empty}");
    }
}
