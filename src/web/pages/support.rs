//! Support requests: the customer's list, the new-request form (category first, with the
//! instant self-service action offered before a request where one exists), the thread with
//! replies and text-log attachments; the admin queue by due time, the thread with the answer
//! form, and the monthly report of responses within target.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use super::sla::{MonthQuery, month_nav};
use super::vms::power_button;
use crate::domain::billing::month_label;
use crate::domain::support::{self as rules, Category, Status, Urgency};
use crate::domain::support_hours::Channel;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::support::{NewRequest, attachment};
use crate::service::vms::PowerAction;
use crate::store::support::{Author, MessageRecord, SupportRecord};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, Door, FlashKind, PathId, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::{CsrfForm, CsrfUpload, UPLOAD_LIMIT};
use crate::web::layout::{csrf_field, page};

/// A request category in the reader's language.
pub fn category_words(ctx: &Ctx, c: Category) -> String {
    ctx.fmt_string(Msg::SupportCategory, &[("category", c.key().into())])
}

/// A channel (cabinet, Telegram, e-mail, phone) in the reader's language.
pub fn channel_words(ctx: &Ctx, c: Channel) -> String {
    ctx.fmt_string(Msg::SupportChannel, &[("channel", c.key().into())])
}

/// A response target (`20 min`, `4 h`) in the reader's language.
pub fn target_words(ctx: &Ctx, mins: i64) -> String {
    if mins % 60 == 0 {
        ctx.fmt_string(Msg::SupportHours, &[("n", (mins / 60).into())])
    } else {
        ctx.fmt_string(Msg::SupportMinutes, &[("n", mins.into())])
    }
}

/// `12 min left` or `1 h 3 min late` in the reader's language.
fn time_left_words(ctx: &Ctx, due: Timestamp, now: Timestamp) -> String {
    let left = due.secs_since(now);
    let mins = left.abs().div_euclid(60);
    let time = if mins >= 60 {
        ctx.fmt_string(Msg::SupportHoursMinutes, &[("h", (mins / 60).into()), ("m", (mins % 60).into())])
    } else {
        ctx.fmt_string(Msg::SupportMinutes, &[("n", mins.into())])
    };
    ctx.fmt_string(if left < 0 { Msg::SupportLate } else { Msg::SupportLeft }, &[("time", time.into())])
}

fn status_badge(ctx: &Ctx, s: Status) -> Markup {
    let class = match s {
        Status::Open => "working",
        Status::Answered => "ok",
        Status::Resolved | Status::Closed => "muted",
    };
    html! { span class={ "badge " (class) } { (ctx.fmt(Msg::SupportStatus, &[("status", s.label().into())])) } }
}

/// `12 min left` or `3 min late`, marked when the target is near or missed.
fn due_cell(ctx: &Ctx, due: Option<Timestamp>, target_mins: i64, now: Timestamp) -> Markup {
    match due {
        None => html! { span.muted { "—" } },
        Some(d) => {
            let class = match rules::urgency(d, target_mins, now) {
                Urgency::InTime => "badge ok",
                Urgency::AtRisk => "badge working",
                Urgency::Breached => "badge error",
            };
            let title = ctx.fmt_string(Msg::SupportDue, &[("at", ctx.lang.time(d).into())]);
            html! { span class=(class) title=(title) { (time_left_words(ctx, d, now)) } }
        }
    }
}

fn targets_table(ctx: &Ctx) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { th { (ctx.t(Msg::SupportColRequest)) } th { (ctx.t(Msg::SupportColTarget)) } } }
            tbody { @for c in Category::ALL { tr { td { (category_words(ctx, c)) } td { (target_words(ctx, c.target_mins())) } } } }
        } }
        p.hint { (ctx.t(Msg::SupportAroundTheClock)) }
    }
}

fn render_thread(ctx: &Ctx, r: &SupportRecord, messages: &[MessageRecord], files: &str) -> Markup {
    html! {
        @for m in messages {
            div class={ "msg " (match m.author { Author::Customer(_) => "from-customer", Author::Staff(_) => "from-staff", Author::System => "from-system" }) } {
                p.meta {
                    strong { (match m.author { Author::Customer(_) => ctx.t(Msg::SupportFromCustomer), Author::Staff(_) => ctx.t(Msg::SupportFromStaff), Author::System => "vpsbox" }) }
                    " · " (ctx.time(m.at))
                }
                div.body { (m.body) }
                @for (i, a) in m.attachments.iter().enumerate() {
                    p.attachment {
                        (ctx.t(Msg::SupportAttached)) " " a href={ (files) "/" (r.id) "/files/" (m.n) "/" (i) } { (a.name) } " "
                        (ctx.fmt(Msg::SupportAttachedSize, &[("n", a.text.len().into())]))
                    }
                }
            }
        }
    }
}

fn reply_form(ctx: &Ctx, action: &str, staff: bool) -> Markup {
    html! {
        form method="post" action=(action) enctype="multipart/form-data" {
            (csrf_field(ctx))
            label for="body" { (ctx.t(Msg::SupportReply)) }
            textarea #body name="body" rows="5" required {}
            label for="attachment" { (ctx.t(Msg::SupportAttach)) }
            input #attachment type="file" name="attachment" multiple accept="text/*,.log,.txt";
            @if staff { label.check { input type="checkbox" name="resolve" value="1"; " " (ctx.t(Msg::SupportMarkResolved)) } }
            div.actions { button type="submit" { (ctx.t(Msg::SupportSend)) } }
        }
    }
}

fn attachments_of(
    form: &CsrfUpload,
) -> Result<Vec<crate::store::support::Attachment>, crate::service::support::SupportError> {
    form.files.iter().map(|(name, bytes)| attachment(name, bytes)).collect()
}

/// `GET /support`.
pub async fn support_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let list = state.svc.support.of_owner(s.user.id)?;
    let now = state.svc.support.now();
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::SupportTitle)) }
        p { a.button href="/support/new" { (t(Msg::SupportNew)) } " " a href="/sla" { (t(Msg::SupportSlaLink)) } " · " a href="/status" { (t(Msg::SupportStatusLink)) } }
        @if list.is_empty() { p.muted { (t(Msg::SupportNone)) } } @else {
            div.table-wrap { table #requests {
                thead { tr {
                    th { "#" } th { (t(Msg::SupportColSubject)) } th { (t(Msg::SupportColCategory)) } th { (t(Msg::SupportColStatus)) }
                    th { (t(Msg::SupportColFiled)) } th { (t(Msg::SupportColDue)) }
                } }
                tbody { @for r in &list { tr {
                    td { (r.id) }
                    td { a href={ "/support/" (r.id) } { (r.subject) } }
                    td { (category_words(&ctx, r.category)) }
                    td { (status_badge(&ctx, r.status)) }
                    td { (ctx.time(r.created_at)) }
                    td { (due_cell(&ctx, r.due, i64::from(r.due_mins), now)) }
                } } }
            } }
        }
        h2 { (t(Msg::SupportTargets)) }
        (targets_table(&ctx))
    };
    Ok(page(&ctx, t(Msg::SupportTitle), &[(t(Msg::SupportTitle), "/support")], body).into_response())
}

/// Query of the new-request form.
#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    category: String,
}

/// The instant action offered before a request, where one exists.
fn self_service(ctx: &Ctx, c: Category, vms: &[crate::store::records::VmListRecord]) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        @match c {
            Category::HardReboot => div.panel #self-service {
                h2 { (t(Msg::SupportResetTitle)) }
                p { (t(Msg::SupportResetText)) }
                @for vm in vms { p { strong { (vm.hostname) } " " (power_button(ctx, "/vms", vm.id, PowerAction::Reset, t(Msg::SupportResetButton), "danger")) } }
                @if vms.is_empty() { p.muted { (t(Msg::SupportNoServers)) } }
            },
            Category::QuotaIncrease => div.panel #self-service {
                h2 { (t(Msg::SupportQuotaTitle)) }
                p { (t(Msg::SupportQuotaText)) }
                p { a.button href="/quota" { (t(Msg::SupportQuotaButton)) } }
            },
            Category::Password => div.panel #self-service {
                h2 { (t(Msg::SupportPasswordTitle)) }
                p { (t(Msg::SupportPasswordText)) }
                p { a.button href="/account" { (t(Msg::SupportPasswordLink)) } }
                p { (t(Msg::SupportTwoFactorText)) }
                p { a.button.secondary href="/account/2fa" { (t(Msg::SupportTwoFactorLink)) } }
            },
            _ => {},
        }
    }
}

/// `GET /support/new`.
pub async fn support_new_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let t = |m| ctx.t(m);
    let crumbs = [(t(Msg::SupportTitle), "/support"), (t(Msg::SupportNew), "/support/new")];
    let Some(category) = Category::from_key(&q.category) else {
        let body = html! {
            h1 { (t(Msg::SupportNewTitle)) }
            p { (t(Msg::SupportWhatAbout)) }
            ul.choices { @for c in Category::ALL { li {
                a href={ "/support/new?category=" (c.key()) } { (category_words(&ctx, c)) } " — "
                (ctx.fmt(Msg::SupportAnsweredWithin, &[("target", target_words(&ctx, c.target_mins()).into())]))
            } } }
        };
        return Ok(page(&ctx, t(Msg::SupportNewTitle), &crumbs, body).into_response());
    };
    let vms = state.svc.vms.list(s.user.id)?;
    let title = category_words(&ctx, category);
    let body = html! {
        h1 { (title) }
        (self_service(&ctx, category, &vms))
        div.panel {
            h2 { (t(Msg::SupportWrite)) }
            p.hint { (ctx.fmt(Msg::SupportFirstResponse, &[("target", target_words(&ctx, category.target_mins()).into())]))
                @if category.is_incident() { " " (t(Msg::SupportIncidentHint)) } }
            form method="post" action="/support" enctype="multipart/form-data" {
                (csrf_field(&ctx))
                input type="hidden" name="category" value=(category.key());
                label for="subject" { (t(Msg::SupportSubject)) }
                input #subject type="text" name="subject" maxlength="200" required;
                label for="body" { (t(Msg::SupportMessage)) }
                textarea #body name="body" rows="6" required {}
                @if !vms.is_empty() {
                    fieldset { legend { (t(Msg::SupportServers)) }
                        @for vm in &vms { label.check { input type="checkbox" name="vm" value=(vm.id); " " (vm.hostname) " (#" (vm.id) ")" } }
                    }
                }
                label for="attachment" { (t(Msg::SupportAttach)) }
                input #attachment type="file" name="attachment" multiple accept="text/*,.log,.txt";
                div.actions { button type="submit" { (t(Msg::SupportSendRequest)) } }
            }
        }
    };
    Ok(page(&ctx, &title, &crumbs, body).into_response())
}

/// `POST /support`.
pub async fn support_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    form: CsrfUpload,
) -> Result<Response, WebError> {
    let Some(category) = Category::from_key(form.field("category")) else {
        let msg = format!("{} (SUP0001)", ctx.t(Msg::SupportChooseCategory));
        return Ok(redirect_with_flash("/support/new", FlashKind::Error, &msg));
    };
    let back = format!("/support/new?category={}", category.key());
    let vms: Result<Vec<VmId>, _> =
        form.all("vm").iter().map(|v| crate::web::form::form_id("vm", v).map(VmId)).collect();
    let vms = vms?;
    let attachments = match attachments_of(&form) {
        Ok(a) => a,
        Err(e) => return refused(&ctx, &back, e),
    };
    let n = NewRequest {
        attachments,
        ..NewRequest::in_cabinet(category, form.field("subject"), form.field("body"), vms)
    };
    match state.svc.support.file(s.user.id, n, &caller).await {
        Ok(r) => Ok(redirect_with_flash(
            &format!("/support/{}", r.id),
            FlashKind::Ok,
            &ctx.fmt_string(
                Msg::SupportSent,
                &[("id", r.id.into()), ("due", r.due.map(|d| ctx.lang.time(d)).unwrap_or_default().into())],
            ),
        )),
        Err(e) => refused(&ctx, &back, e),
    }
}

/// The routes of one request (`/{id}/...`), mounted at `/support` for its owner and at
/// `/admin/support` for the admins (with `Extension(Mount::Admin)`).
pub fn thread_routes() -> Router<AppState> {
    Router::new()
        .route("/{id}", get(thread_get))
        .route("/{id}/reply", post(reply_post).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/{id}/close", post(close_post))
        .route("/{id}/files/{n}/{i}", get(file_get))
}

/// `GET {base}/{id}`: the thread, with the reply form while it is open.
async fn thread_get(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<u64>,
) -> Result<Response, WebError> {
    let (r, messages) = state.svc.support.get(&door.caller, id)?;
    let owner = if door.admin() { Some(state.svc.accounts.user(r.owner)?) } else { None };
    let now = state.svc.support.now();
    let (ctx, base, admin) = (&door.ctx, door.base.as_str(), door.admin());
    let vms_base = if admin { "/admin/vms" } else { "/vms" };
    let body = html! {
        h1 { "#" (r.id) " " (r.subject) }
        @if admin { (admin_tabs(ctx, "/admin/support")) }
        p { (status_badge(ctx, r.status)) " " (category_words(ctx, r.category))
            " · " (ctx.fmt(Msg::SupportVia, &[("channel", channel_words(ctx, r.channel).into())]))
            @if let Some(o) = &owner {
                " · " a href={ "/admin/users/" (r.owner) "/billing" } { (ctx.fmt(Msg::AdminSupportFrom, &[("email", o.email.as_str().into())])) }
                " · " (ctx.fmt(Msg::AdminSupportFiled, &[("at", ctx.lang.time(r.created_at).into())]))
            }
            @if let Some(d) = r.due {
                " · " (ctx.fmt(Msg::SupportAnswerDue, &[("at", ctx.lang.time(d).into())]))
                " (" (due_cell(ctx, Some(d), i64::from(r.due_mins), now)) ")"
            }
            @if admin {
                @if let Some(f) = r.first_response { " · " (ctx.fmt(Msg::AdminFirstResponse, &[("at", ctx.lang.time(f).into())])) }
                @if r.breached { " · " span.badge.error { (ctx.t(Msg::AdminTargetMissed)) } }
            }
            @if !r.vms.is_empty() { " · " (ctx.t(Msg::SupportServersList)) " " @for v in &r.vms { a href={ (vms_base) "/" (v) } { "#" (v) } " " } }
            @match (r.incident, admin) {
                (Some(i), true) => { " · " a href={ "/admin/sla#incident-" (i) } { (ctx.fmt(Msg::AdminIncidentN, &[("id", i.into())])) } },
                (Some(_), false) => { " · " a href="/status" { (ctx.t(Msg::SupportIncidentReported)) } },
                (None, _) => {},
            } }
        (render_thread(ctx, &r, &messages, base))
        @if r.status != Status::Closed {
            div.panel { (reply_form(ctx, &format!("{base}/{id}/reply"), admin)) }
            form method="post" action={ (base) "/" (id) "/close" } { (csrf_field(ctx)) button.secondary type="submit" { (ctx.t(if admin { Msg::AdminClose } else { Msg::SupportClose })) } }
        }
    };
    let title = ctx.fmt_string(Msg::SupportRequestTitle, &[("id", id.into())]);
    let own_crumb = format!("#{id}");
    let own_href = format!("{base}/{id}");
    let crumbs: Vec<(&str, &str)> = if admin {
        vec![crumb_admin(ctx), (ctx.t(Msg::AdminSupportTitle), "/admin/support")]
    } else {
        vec![(ctx.t(Msg::SupportTitle), "/support"), (&own_crumb, &own_href)]
    };
    Ok(page(ctx, &title, &crumbs, body).into_response())
}

/// `POST {base}/{id}/reply`: the owner's reply reopens it; an admin's answers (or resolves) it.
async fn reply_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<u64>,
    form: CsrfUpload,
) -> Result<Response, WebError> {
    let back = format!("{}/{id}", door.base);
    let attachments = match attachments_of(&form) {
        Ok(a) => a,
        Err(e) => return refused(&door.ctx, &back, e),
    };
    let resolve = door.admin() && form.field("resolve") == "1";
    match state.svc.support.reply(&door.caller, id, form.field("body"), attachments, resolve).await {
        Ok(_) => Ok(redirect_with_flash(&back, FlashKind::Ok, door.ctx.t(Msg::SupportReplied))),
        Err(e) => refused(&door.ctx, &back, e),
    }
}

/// `POST {base}/{id}/close`.
async fn close_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<u64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    state.svc.support.close(&door.caller, id).await?;
    Ok(redirect_with_flash(&format!("{}/{id}", door.base), FlashKind::Ok, door.ctx.t(Msg::SupportClosed)))
}

/// `GET {base}/{id}/files/{n}/{i}`: an attached text log.
async fn file_get(
    State(state): State<AppState>,
    door: Door,
    PathId((id, n, i)): PathId<(u64, u32, usize)>,
) -> Result<Response, WebError> {
    let (_, messages) = state.svc.support.get(&door.caller, id)?;
    let a =
        messages.iter().find(|m| m.n == n).and_then(|m| m.attachments.get(i)).ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", a.name)),
        ],
        a.text.clone(),
    )
        .into_response())
}

/// `GET /admin/support`: the queue.
pub async fn admin_support_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let queue = state.svc.support.queue()?;
    let now = state.svc.support.now();
    let emails = super::admin::account_emails(&state)?;
    let waiting = queue.iter().filter(|i| i.due.is_some()).count();
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::AdminSupportTitle)) }
        (admin_tabs(&ctx, "/admin/support"))
        p { (ctx.fmt(Msg::AdminSupportWaiting, &[("n", waiting.into())])) " "
            a href="/admin/support/new" { (t(Msg::AdminSupportFile)) } " · "
            a href="/admin/support/report" { (t(Msg::AdminSupportReportLink)) } " · "
            a href="/admin/sla" { (t(Msg::AdminSupportIncidentsLink)) } }
        @if queue.is_empty() { p.muted { (t(Msg::AdminTrialsNone)) } } @else {
            div.table-wrap { table #queue {
                thead { tr {
                    th { (t(Msg::AdminColRequest)) } th { (t(Msg::AdminColAccount)) } th { (t(Msg::AdminColCategory)) } th { (t(Msg::AdminColSubject)) }
                    th { (t(Msg::AdminColStatus)) } th { (t(Msg::AdminColFiled)) } th { (t(Msg::AdminColTimeLeft)) }
                } }
                tbody { @for i in &queue { tr {
                    td { a href=(i.link) { (ctx.fmt(Msg::AdminQueueLabel, &[("quota", (if i.wanted.is_some() { "yes" } else { "no" }).into()), ("id", i.id.into())])) } }
                    td { (emails.get(&i.owner).map(String::as_str).unwrap_or("?")) }
                    td { (category_words(&ctx, i.category)) }
                    td { @match &i.wanted { Some(w) => { (super::quota::amounts_words(&ctx, w)) } None => { (i.subject) } } }
                    td { (ctx.fmt(Msg::AdminQueueStatus, &[("status", i.status.into())])) }
                    td { (ctx.time(i.filed)) }
                    td { (due_cell(&ctx, i.due, i.due_mins, now)) }
                } } }
            } }
        }
    };
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminSupportTitle), "/admin/support")];
    Ok(page(&ctx, t(Msg::AdminSupportQueue), &crumbs, body).into_response())
}

/// `GET /admin/support/report?month=2027-01`.
pub async fn admin_support_report_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Query(q): Query<MonthQuery>,
) -> Result<Response, WebError> {
    let support = &state.svc.support;
    let month = q.or(support.month_at(support.now()));
    let report = support.report(month)?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (ctx.fmt(Msg::AdminSupportReport, &[("month", month_label(month).into())])) }
        (admin_tabs(&ctx, "/admin/support"))
        (month_nav("/admin/support/report", month))
        div.table-wrap { table #report {
            thead { tr {
                th { (t(Msg::AdminColCategory)) } th { (t(Msg::AdminColTarget)) } th { (t(Msg::AdminColFiled)) } th { (t(Msg::AdminColInTarget)) }
                th { (t(Msg::AdminColLate)) } th { (t(Msg::AdminColWaiting)) } th { (t(Msg::AdminColShare)) }
            } }
            tbody { @for c in Category::ALL { @let l = report.by_category.get(&c).copied().unwrap_or_default(); tr {
                td { (category_words(&ctx, c)) } td { (target_words(&ctx, c.target_mins())) } td { (l.filed) } td { (l.in_target) } td { (l.late) } td { (l.waiting) }
                td { (l.share_permille().map(|p| ctx.lang.percent(i64::from(p) * 1000)).unwrap_or_else(|| "—".into())) }
            } } }
        } }
        h2 { (t(Msg::AdminByChannel)) }
        div.table-wrap { table #report-channels {
            thead { tr {
                th { (t(Msg::AdminColChannel)) } th { (t(Msg::AdminColFiled)) } th { (t(Msg::AdminColInTarget)) }
                th { (t(Msg::AdminColLate)) } th { (t(Msg::AdminColWaiting)) } th { (t(Msg::AdminColShare)) }
            } }
            tbody { @for c in Channel::ALL { @let l = report.by_channel.get(&c).copied().unwrap_or_default(); tr {
                td { (channel_words(&ctx, c)) } td { (l.filed) } td { (l.in_target) } td { (l.late) } td { (l.waiting) }
                td { (l.share_permille().map(|p| ctx.lang.percent(i64::from(p) * 1000)).unwrap_or_else(|| "—".into())) }
            } } }
        } }
        p.hint { (ctx.fmt(Msg::AdminReportHint, &[("mins", crate::domain::support_hours::MESSENGER_TARGET_MINS.into())])) }
    };
    let title = ctx.fmt_string(Msg::AdminSupportReport, &[("month", month_label(month).into())]);
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminSupportTitle), "/admin/support")];
    Ok(page(&ctx, &title, &crumbs, body).into_response())
}
