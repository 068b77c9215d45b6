//! The account's backups in one list (a deleted server's backups stay here until deleted):
//! storage used against the quota, downloads, delete, and a new server made from a backup;
//! and the admin's view of every backup on the host, failures first.

use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use super::plans::plan_choices;
use super::vm_backups::{mib, state_cell};
use crate::domain::backup::Kind;
use crate::i18n::Msg;
use crate::service::backups::{BackupError, RestoreAsNew};
use crate::service::tokens;
use crate::service::{Coded, ErrorKind};
use crate::store::backups::{BackupRecord, BackupState};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error_text, page};

/// Serve file `target` of backup `b` (streamed, resumable with HTTP ranges), or 404.
pub async fn serve_backup_file(
    state: &AppState,
    b: &BackupRecord,
    file: &str,
    req: Request,
) -> Result<Response, WebError> {
    let target = file.strip_suffix(".qcow2").ok_or(WebError::NotFound)?;
    let f = b.files.iter().find(|f| f.target == target);
    let Some(f) = f.filter(|_| b.state == BackupState::Done) else {
        return Err(WebError::NotFound);
    };
    let path = state.svc.backups.file_path(b, f);
    let served = tower::ServiceExt::oneshot(tower_http::services::ServeFile::new(path), req).await;
    let mut resp = match served {
        Ok(r) => r.into_response(),
        Err(never) => match never {},
    };
    let name = format!("attachment; filename=\"{}-backup{}-{}.qcow2\"", b.hostname, b.id, f.target);
    if let Ok(v) = HeaderValue::from_str(&name) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    Ok(resp)
}

/// `GET /backups`.
pub async fn backups_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let list = state.svc.backups.list_account(s.user.id)?;
    let (limits, usage) = state.svc.quotas.overview(s.user.id)?;
    let bytes: u64 = list.iter().map(|(b, _)| b.bytes()).sum();
    let t = |m| ctx.t(m);
    let usage_text = ctx.fmt_string(
        Msg::BackupsUsage,
        &[
            ("used", usage.backups.into()),
            ("limit", limits.backups.into()),
            ("gib", ctx.lang.gib(bytes).into()),
            ("limit_gib", limits.backup_gb.into()),
        ],
    );
    let body = html! {
        h1 { (t(Msg::BackupsTitle)) }
        p { (usage_text) " " a href="/quota" { (t(Msg::BackupsAskMore)) } }
        p.hint { (t(Msg::BackupsHint)) }
        @if list.is_empty() { p.muted { (t(Msg::BackupsNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { "#" } th { (t(Msg::BackupsColServer)) } th { (t(Msg::VmBackupsColTaken)) } th { (t(Msg::VmBackupsColKind)) }
                    th { (t(Msg::VmBackupsColState)) } th { (t(Msg::VmBackupsColSize)) } th { (t(Msg::VmBackupsColFiles)) } th { "" }
                } }
                tbody { @for (b, exists) in &list { tr {
                    td { (b.id) }
                    td {
                        @if *exists { a href={ "/vms/" (b.vm) "/backups" } { (b.hostname) } }
                        @else { (b.hostname) br; span.muted { (t(Msg::BackupsServerDeleted)) } }
                    }
                    td { (ctx.time(b.started_at)) }
                    td {
                        (t(if b.kind == Kind::Full { Msg::BackupKindFull } else { Msg::BackupKindIncremental }))
                        @if let Some(p) = b.parent { br; span.muted { (ctx.fmt(Msg::VmBackupsOnBackup, &[("backup", p.into())])) } }
                    }
                    td { (state_cell(&ctx, b)) }
                    td { @if b.state == BackupState::Done { (mib(&ctx, b.bytes())) } }
                    td { @if b.state == BackupState::Done { @for f in &b.files {
                        a href={ "/backups/" (b.id) "/" (f.target) ".qcow2" } download { (f.target) ".qcow2" } br;
                    } } }
                    td {
                        @if b.state == BackupState::Done {
                            a.button href={ "/backups/" (b.id) "/new" } { (t(Msg::BackupsNewServer)) } " "
                        }
                        @if !matches!(b.state, BackupState::Running { .. }) {
                            form.inline method="post" action={ "/backups/" (b.id) "/delete" } {
                                (csrf_field(&ctx)) button.secondary type="submit" { (t(Msg::VmBackupsDelete)) }
                            }
                        }
                    }
                } } }
            } }
        }
    };
    Ok(page(&ctx, t(Msg::BackupsTitle), &[(t(Msg::BackupsTitle), "/backups")], body).into_response())
}

/// Fields of the "new server from a backup" form, kept to refill it after an error.
#[derive(Deserialize, Default)]
pub struct FromBackupForm {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    once: String,
}

fn render_from_backup(
    state: &AppState,
    ctx: &Ctx,
    b: &BackupRecord,
    f: &FromBackupForm,
    error: Option<(&str, &str)>,
) -> Result<Markup, WebError> {
    let plans = state.svc.plans.offered()?;
    let keys = state.svc.keys.list(b.owner)?;
    let once = if f.once.is_empty() { tokens::encode(&tokens::random_bytes()) } else { f.once.clone() };
    let action = format!("/backups/{}/new", b.id);
    let t = |m| ctx.t(m);
    Ok(page(
        ctx,
        t(Msg::FromBackupTitle),
        &[(t(Msg::BackupsTitle), "/backups"), (t(Msg::FromBackupCrumb), action.as_str())],
        html! {
            h1 { (ctx.fmt(Msg::FromBackupHeading, &[("id", b.id.into())])) }
            p { (ctx.fmt(Msg::FromBackupOf, &[("hostname", b.hostname.as_str().into()), ("at", ctx.lang.time(b.started_at).into())])) }
            @if let Some((msg, code)) = error { (form_error_text(ctx, msg, code)) }
            p.hint { (t(Msg::FromBackupHint)) }
            form method="post" action=(action) {
                (csrf_field(ctx))
                input type="hidden" name="once" value=(once);
                h2 { (t(Msg::OrderPlan)) }
                (plan_choices(ctx, &plans, &f.plan))
                label for="hostname" { (t(Msg::OrderHostname)) }
                input #hostname type="text" name="hostname" value=(f.hostname) placeholder="web1.example.com" required;
                @if !keys.is_empty() {
                    h2 { (t(Msg::FromBackupKeys)) }
                    @for k in &keys {
                        label.check { input type="checkbox" name="key" value=(k.id); " " (k.name) " " span.muted { (k.key.fingerprint()) } }
                    }
                }
                div.actions { button type="submit" { (t(Msg::OrderCreate)) } }
            }
        },
    ))
}

/// A finished backup of the customer, or 404.
fn own_backup(state: &AppState, caller: &crate::service::Caller, id: u64) -> Result<BackupRecord, WebError> {
    state.svc.backups.get(caller, id).map_err(|_| WebError::NotFound)
}

/// `GET /backups/{bid}/new`.
pub async fn backup_new_get(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(bid): Path<u64>,
) -> Result<Response, WebError> {
    let b = own_backup(&state, &caller, bid)?;
    if b.state != BackupState::Done {
        return refused(&ctx, "/backups", BackupError::NotDone);
    }
    Ok(render_from_backup(&state, &ctx, &b, &FromBackupForm::default(), None)?.into_response())
}

/// `POST /backups/{bid}/new`: order a server made from the backup; goes to its page.
pub async fn backup_new_post(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(bid): Path<u64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let b = own_backup(&state, &caller, bid)?;
    let field =
        |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let f = FromBackupForm { plan: field("plan"), hostname: field("hostname"), once: field("once") };
    let req = RestoreAsNew {
        plan: crate::domain::catalog::PlanId(crate::web::form::form_id("plan", &f.plan)?),
        hostname: f.hostname.clone(),
        key_ids: pairs.iter().filter(|(k, _)| k == "key").filter_map(|(_, v)| v.parse().ok()).collect(),
        once_key: f.once.clone(),
    };
    match state.svc.backups.restore_as_new(&caller, bid, req).await {
        Ok(id) => Ok(Redirect::to(&format!("/vms/{id}")).into_response()),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(WebError::NotFound),
        Err(e) if e.is_user_error() => {
            let status = crate::web::error::status_of(e.kind());
            let page = render_from_backup(&state, &ctx, &b, &f, Some((&ctx.error_text(&e), e.code())))?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /backups/{bid}/{file}`: a backup file of the account (also of a deleted server).
pub async fn backup_download_get(
    State(state): State<AppState>,
    Customer(_ctx, _, caller): Customer,
    Path((bid, file)): Path<(u64, String)>,
    req: Request,
) -> Result<Response, WebError> {
    let b = own_backup(&state, &caller, bid)?;
    serve_backup_file(&state, &b, &file, req).await
}

/// `POST /backups/{bid}/delete`.
pub async fn backup_delete_post(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(bid): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.backups.delete(&caller, bid).await {
        Ok(()) => Ok(redirect_with_flash(
            "/backups",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::BackupsDeleted, &[("id", bid.into())]),
        )),
        Err(BackupError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&ctx, "/backups", e),
    }
}

/// `GET /admin/backups`: every backup on the host; failed ones first.
pub async fn admin_backups_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let mut list = state.svc.backups.list_all()?;
    list.sort_by_key(|b| (!matches!(b.state, BackupState::Failed { .. }), std::cmp::Reverse(b.id)));
    let failed = list.iter().filter(|b| matches!(b.state, BackupState::Failed { .. })).count();
    let running = list.iter().filter(|b| matches!(b.state, BackupState::Running { .. })).count();
    let stored: u64 = list.iter().map(BackupRecord::bytes).sum();
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::AdminBackupsTitle)) }
        (admin_tabs(&ctx, "/admin/backups"))
        p { (ctx.fmt(Msg::AdminBackupsLine, &[
            ("stored", (list.len() - failed - running).into()),
            ("size", ctx.fmt_string(Msg::AdminGib, &[("n", ctx.lang.gib(stored).into())]).into()),
            ("running", running.into()), ("failed", failed.into()),
        ])) }
        @if list.is_empty() { p.muted { (t(Msg::BackupsNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { "#" } th { (t(Msg::AdminColAccount)) } th { (t(Msg::AdminColServer)) } th { (t(Msg::AdminColStarted)) }
                    th { (t(Msg::VmBackupsColKind)) } th { (t(Msg::VmBackupsColState)) } th { (t(Msg::VmBackupsColSize)) }
                } }
                tbody { @for b in &list { tr {
                    td { (b.id) }
                    td { a href={ "/admin/users/" (b.owner) "/quota" } { (b.owner) } }
                    td { a href={ "/admin/vms/" (b.vm) } { (b.hostname) } }
                    td { (ctx.time(b.started_at)) }
                    td {
                        (t(if b.kind == Kind::Full { Msg::BackupKindFull } else { Msg::BackupKindIncremental }))
                        @if let Some(sid) = b.schedule { br; span.muted { (ctx.fmt(Msg::AdminScheduleN, &[("id", sid.into())])) } }
                    }
                    td { (state_cell(&ctx, b)) }
                    td { @if b.state == BackupState::Done { (mib(&ctx, b.bytes())) } }
                } } }
            } }
        }
    };
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminBackupsTitle), "/admin/backups")];
    Ok(page(&ctx, t(Msg::AdminBackupsTitle), &crumbs, body).into_response())
}
