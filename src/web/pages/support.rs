//! Support requests: the customer's list, the new-request form (category first, with the
//! instant self-service action offered before a request where one exists), the thread with
//! replies and text-log attachments; the admin queue by due time, the thread with the answer
//! form, and the monthly report of responses within target.

use crate::web::layout::Utc;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{CRUMB_ADMIN, admin_tabs};
use super::sla::{MonthQuery, month_nav};
use super::vms::power_button;
use crate::domain::billing::month_label;
use crate::domain::support::{self as rules, Category, Status, Urgency, permille_label, target_label};
use crate::domain::vm::VmId;
use crate::service::support::{NewRequest, attachment};
use crate::service::vms::PowerAction;
use crate::store::support::{Author, MessageRecord, SupportRecord};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, Door, FlashKind, PathId, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::{CsrfForm, CsrfUpload, UPLOAD_LIMIT};
use crate::web::layout::{csrf_field, page};

const CRUMB: (&str, &str) = ("Support", "/support");

fn status_badge(s: Status) -> Markup {
    let class = match s {
        Status::Open => "working",
        Status::Answered => "ok",
        Status::Resolved | Status::Closed => "muted",
    };
    html! { span class={ "badge " (class) } { (s.label()) } }
}

/// `12 min left` or `3 min late`, marked when the target is near or missed.
fn due_cell(
    due: Option<crate::domain::time::Timestamp>,
    category: Category,
    now: crate::domain::time::Timestamp,
) -> Markup {
    match due {
        None => html! { span.muted { "—" } },
        Some(d) => {
            let class = match rules::urgency(d, category.target_mins(), now) {
                Urgency::InTime => "badge ok",
                Urgency::AtRisk => "badge working",
                Urgency::Breached => "badge error",
            };
            html! { span class=(class) title={ "due " (Utc(d)) } { (rules::time_left_label(d, now)) } }
        }
    }
}

fn targets_table() -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { th { "Request" } th { "First response within" } } }
            tbody { @for c in Category::ALL { tr { td { (c.label()) } td { (target_label(c.target_mins())) } } } }
        } }
        p.hint { "Around the clock, every day of the year." }
    }
}

fn render_thread(r: &SupportRecord, messages: &[MessageRecord], files: &str) -> Markup {
    html! {
        @for m in messages {
            div class={ "msg " (match m.author { Author::Customer(_) => "from-customer", Author::Staff(_) => "from-staff", Author::System => "from-system" }) } {
                p.meta {
                    strong { (match m.author { Author::Customer(_) => "Customer", Author::Staff(_) => "Support", Author::System => "vpsbox" }) }
                    " · " (Utc(m.at))
                }
                div.body { (m.body) }
                @for (i, a) in m.attachments.iter().enumerate() {
                    p.attachment { "Attached: " a href={ (files) "/" (r.id) "/files/" (m.n) "/" (i) } { (a.name) } " (" (a.text.len()) " bytes)" }
                }
            }
        }
    }
}

fn reply_form(ctx: &Ctx, action: &str, staff: bool) -> Markup {
    html! {
        form method="post" action=(action) enctype="multipart/form-data" {
            (csrf_field(ctx))
            label for="body" { "Reply" }
            textarea #body name="body" rows="5" required {}
            label for="attachment" { "Attach text logs (optional, up to 3, 256 KiB each)" }
            input #attachment type="file" name="attachment" multiple accept="text/*,.log,.txt";
            @if staff { label.check { input type="checkbox" name="resolve" value="1"; " Mark as resolved" } }
            div.actions { button type="submit" { "Send" } }
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
    let body = html! {
        h1 { "Support" }
        p { a.button href="/support/new" { "New request" } " " a href="/sla" { "Availability and credits" } " · " a href="/status" { "Service status" } }
        @if list.is_empty() { p.muted { "No requests yet." } } @else {
            div.table-wrap { table #requests {
                thead { tr { th { "#" } th { "Subject" } th { "Category" } th { "Status" } th { "Filed" } th { "Answer due" } } }
                tbody { @for r in &list { tr {
                    td { (r.id) }
                    td { a href={ "/support/" (r.id) } { (r.subject) } }
                    td { (r.category.label()) }
                    td { (status_badge(r.status)) }
                    td { (Utc(r.created_at)) }
                    td { (due_cell(r.due, r.category, now)) }
                } } }
            } }
        }
        h2 { "Response targets" }
        (targets_table())
    };
    Ok(page(&ctx, "Support", &[CRUMB], body).into_response())
}

/// Query of the new-request form.
#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    category: String,
}

/// The instant action offered before a request, where one exists.
fn self_service(ctx: &Ctx, c: Category, vms: &[crate::store::records::VmListRecord]) -> Markup {
    html! {
        @match c {
            Category::HardReboot => div.panel #self-service {
                h2 { "Reset it yourself now" }
                p { "A hard reset restarts a hung server at once, like the reset button of a physical machine. No need to wait for support." }
                @for vm in vms { p { strong { (vm.hostname) } " " (power_button(ctx, "/vms", vm.id, PowerAction::Reset, "Hard reset", "danger")) } }
                @if vms.is_empty() { p.muted { "You have no servers." } }
            },
            Category::QuotaIncrease => div.panel #self-service {
                h2 { "Ask for higher limits directly" }
                p { "The quota form sends your request straight to the provider's queue (answered within 20 minutes)." }
                p { a.button href="/quota" { "Open the quota form" } }
            },
            Category::Password => div.panel #self-service {
                h2 { "Change or recover your password yourself" }
                p { "You are logged in, so you can change it at once on " a href="/account" { "your account page" } ". Write to support below if you need it reset for another reason." }
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
    let crumbs = [CRUMB, ("New request", "/support/new")];
    let Some(category) = Category::from_key(&q.category) else {
        let body = html! {
            h1 { "New support request" }
            p { "What is it about?" }
            ul.choices { @for c in Category::ALL { li { a href={ "/support/new?category=" (c.key()) } { (c.label()) } " — answered within " (target_label(c.target_mins())) } } }
        };
        return Ok(page(&ctx, "New support request", &crumbs, body).into_response());
    };
    let vms = state.svc.vms.list(s.user.id)?;
    let body = html! {
        h1 { (category.label()) }
        (self_service(&ctx, category, &vms))
        div.panel {
            h2 { "Write to support" }
            p.hint { "First response within " (target_label(category.target_mins())) ", around the clock."
                @if category.is_incident() { " Reporting an incident starts the downtime count for the servers you name (or all yours) now." } }
            form method="post" action="/support" enctype="multipart/form-data" {
                (csrf_field(&ctx))
                input type="hidden" name="category" value=(category.key());
                label for="subject" { "Subject" }
                input #subject type="text" name="subject" maxlength="200" required;
                label for="body" { "Message" }
                textarea #body name="body" rows="6" required {}
                @if !vms.is_empty() {
                    fieldset { legend { "Servers it concerns" }
                        @for vm in &vms { label.check { input type="checkbox" name="vm" value=(vm.id); " " (vm.hostname) " (#" (vm.id) ")" } }
                    }
                }
                label for="attachment" { "Attach text logs (optional, up to 3, 256 KiB each)" }
                input #attachment type="file" name="attachment" multiple accept="text/*,.log,.txt";
                div.actions { button type="submit" { "Send request" } }
            }
        }
    };
    Ok(page(&ctx, category.label(), &crumbs, body).into_response())
}

/// `POST /support`.
pub async fn support_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    form: CsrfUpload,
) -> Result<Response, WebError> {
    let Some(category) = Category::from_key(form.field("category")) else {
        return Ok(redirect_with_flash(
            "/support/new",
            FlashKind::Error,
            "Choose what the request is about (SUP0001)",
        ));
    };
    let back = format!("/support/new?category={}", category.key());
    let vms: Result<Vec<VmId>, _> = form.all("vm").iter().map(|v| v.parse().map(VmId)).collect();
    let Ok(vms) = vms else { return Err(WebError::BadRequest("bad server number".into())) };
    let attachments = match attachments_of(&form) {
        Ok(a) => a,
        Err(e) => return refused(&ctx, &back, e),
    };
    let n = NewRequest {
        category,
        subject: form.field("subject").into(),
        body: form.field("body").into(),
        vms,
        attachments,
    };
    match state.svc.support.file(s.user.id, n, &caller).await {
        Ok(r) => Ok(redirect_with_flash(
            &format!("/support/{}", r.id),
            FlashKind::Ok,
            &format!(
                "Request #{} sent. Support answers by {}.",
                r.id,
                r.due.map(|d| d.display_utc()).unwrap_or_default()
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
        @if admin { (admin_tabs("/admin/support")) }
        p { (status_badge(r.status)) " " (r.category.label())
            @if let Some(o) = &owner {
                " · from " a href={ "/admin/users/" (r.owner) "/billing" } { (o.email.as_str()) }
                " · filed " (Utc(r.created_at))
            }
            @if let Some(d) = r.due { " · answer due " (Utc(d)) " (" (due_cell(Some(d), r.category, now)) ")" }
            @if admin {
                @if let Some(f) = r.first_response { " · first response " (Utc(f)) }
                @if r.breached { " · " span.badge.error { "target missed" } }
            }
            @if !r.vms.is_empty() { " · servers: " @for v in &r.vms { a href={ (vms_base) "/" (v) } { "#" (v) } " " } }
            @match (r.incident, admin) {
                (Some(i), true) => { " · " a href={ "/admin/sla#incident-" (i) } { "incident #" (i) } },
                (Some(_), false) => { " · " a href="/status" { "incident reported" } },
                (None, _) => {},
            } }
        (render_thread(&r, &messages, base))
        @if r.status != Status::Closed {
            div.panel { (reply_form(ctx, &format!("{base}/{id}/reply"), admin)) }
            form method="post" action={ (base) "/" (id) "/close" } { (csrf_field(ctx)) button.secondary type="submit" { (if admin { "Close" } else { "Close the request" }) } }
        }
    };
    let title = format!("Request #{id}");
    let own_crumb = format!("#{id}");
    let own_href = format!("{base}/{id}");
    let crumbs: Vec<(&str, &str)> = if admin {
        vec![CRUMB_ADMIN, ("Support", "/admin/support")]
    } else {
        vec![CRUMB, (&own_crumb, &own_href)]
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
        Ok(_) => Ok(redirect_with_flash(&back, FlashKind::Ok, "Reply sent.")),
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
    Ok(redirect_with_flash(&format!("{}/{id}", door.base), FlashKind::Ok, "Request closed."))
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
    let body = html! {
        h1 { "Support" }
        (admin_tabs("/admin/support"))
        p { (waiting) " waiting for an answer, most urgent first. " a href="/admin/support/report" { "Monthly report" } " · " a href="/admin/sla" { "Incidents and maintenance" } }
        @if queue.is_empty() { p.muted { "No requests." } } @else {
            div.table-wrap { table #queue {
                thead { tr { th { "Request" } th { "Account" } th { "Category" } th { "Subject" } th { "Status" } th { "Filed" } th { "Time left" } } }
                tbody { @for i in &queue { tr {
                    td { a href=(i.link) { (i.label) } }
                    td { (emails.get(&i.owner).map(String::as_str).unwrap_or("?")) }
                    td { (i.category.label()) }
                    td { (i.subject) }
                    td { (i.status) }
                    td { (Utc(i.filed)) }
                    td { (due_cell(i.due, i.category, now)) }
                } } }
            } }
        }
    };
    Ok(page(&ctx, "Support queue", &[CRUMB_ADMIN, ("Support", "/admin/support")], body).into_response())
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
    let body = html! {
        h1 { "Support report " (month_label(month)) }
        (admin_tabs("/admin/support"))
        (month_nav("/admin/support/report", month))
        div.table-wrap { table #report {
            thead { tr { th { "Category" } th { "Target" } th { "Filed" } th { "In target" } th { "Late" } th { "Waiting" } th { "Share in target" } } }
            tbody { @for c in Category::ALL { @let l = report.get(&c).copied().unwrap_or_default(); tr {
                td { (c.label()) } td { (target_label(c.target_mins())) } td { (l.filed) } td { (l.in_target) } td { (l.late) } td { (l.waiting) }
                td { (l.share_permille().map(permille_label).unwrap_or_else(|| "—".into())) }
            } } }
        } }
        p.hint { "A request counts as in target when its first response came within the category's target; one still unanswered past its target counts as late. Quota increase requests count with their decision as the response." }
    };
    Ok(page(&ctx, "Support report", &[CRUMB_ADMIN, ("Support", "/admin/support")], body).into_response())
}
