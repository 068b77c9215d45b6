//! A server's backups in the cabinet: the list with progress and outcome, "back up now", and
//! the backup schedules (several, each with its frequency, time in the account's time zone and
//! retention).

use crate::web::layout::Utc;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::schedule::{Frequency, When};
use crate::domain::vm::VmId;
use crate::service::backups::BackupError;
use crate::service::backups::schedules::MAX_KEEP;
use crate::store::backups::{BackupRecord, BackupState};
use crate::web::AppState;
use crate::web::ctx::{Door, FlashKind, PathId, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `bytes` as MiB with one decimal.
pub(super) fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
}

/// A backup's state: progress, done, or failed with the reason.
pub(super) fn state_cell(b: &BackupRecord) -> Markup {
    html! {
        @match &b.state {
            BackupState::Running { processed, total } => {
                @if *total > 0 { span.badge.working { "running " ((processed.saturating_mul(100)) / total) "%" } }
                @else { span.badge.working { "running" } }
            }
            BackupState::Done => span.badge.ok { "done" },
            BackupState::Failed { reason } => { span.badge.error { "failed" } br; span.muted { (reason) } },
        }
    }
}

/// `GET {base}/{id}/backups` (owners at `/vms`, admins at `/admin/vms`).
pub async fn vm_backups_get(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
) -> Result<Response, WebError> {
    let (ctx, scope) = (&door.ctx, &door.caller);
    let vm = state.svc.vms.get(scope, id)?;
    let backups = state.svc.backups.list(scope, vm.id)?;
    let schedules = state.svc.backups.schedules(scope, vm.id)?;
    // Schedules run in the owner's time zone, whoever looks at them.
    let tz = state.svc.accounts.time_zone(vm.owner)?;
    let offered = state.svc.backups.frequencies();
    let base = format!("{}/{}", door.base, vm.id);
    let body = html! {
        h1 { "Backups of " (vm.hostname) }
        p.hint { "Backups are taken while the server runs, without stopping it (crash-consistent, like pulling the power cord: journaling file systems recover). Each disk is kept as a compressed, checksummed image." }
        form.inline method="post" action={ (base) "/backups" } {
            (csrf_field(ctx)) button type="submit" { "Back up now" }
        }
        @if backups.is_empty() { p.muted { "No backups yet." } } @else {
            div.table-wrap { table {
                thead { tr { th { "Taken" } th { "Kind" } th { "Made by" } th { "State" } th { "Size" } th { "Files" } th { "Restore" } th { "" } } }
                tbody { @for b in &backups { tr {
                    td { (Utc(b.started_at)) }
                    td {
                        (b.kind.as_str())
                        @if let Some(p) = b.parent { br; span.muted { "on backup " (p) } }
                        @if !b.live && b.state == BackupState::Done { br; span.muted { "server was off" } }
                    }
                    td { @match b.schedule { Some(sid) => { "schedule " (sid) }, None => "back up now" } }
                    td { (state_cell(b)) }
                    td { @if b.state == BackupState::Done { (mib(b.bytes())) } }
                    td { @if b.state == BackupState::Done { @for f in &b.files {
                        a href={ (base) "/backups/" (b.id) "/" (f.target) ".qcow2" } download { (f.target) ".qcow2" }
                        br; span.muted title="SHA-256" { code { (f.sha256.get(..16).unwrap_or_default()) "…" } } br;
                    } } }
                    td { @if b.state == BackupState::Done {
                        form method="post" action={ (base) "/backups/" (b.id) "/restore" } {
                            (csrf_field(ctx))
                            input type="text" name="confirm" placeholder=(vm.hostname) autocomplete="off" required aria-label={ "Type " (vm.hostname) " to confirm" };
                            button.danger type="submit" { "Restore onto this server" }
                        }
                    } }
                    td { @if !matches!(b.state, BackupState::Running { .. }) {
                        form.inline method="post" action={ (base) "/backups/" (b.id) "/delete" } {
                            (csrf_field(ctx)) button.secondary type="submit" { "Delete" }
                        }
                    } }
                } } }
            } }
        }
        p.hint { "Restore replaces the server's disks with the backup: the server is powered off, its disks are replaced, and it is started again if it was running. Everything written since the backup is lost. Downloads are qcow2 images; an incremental one needs the files of the backups it is built on (open it with them in one directory)." }
        h2 { "Schedules" }
        p.hint { "Times are in your time zone, " strong { (tz) } " (change it on the Account page). A run missed while the host was down is made once when it is back. Each schedule keeps its newest backups; older ones are deleted unless a newer one is built on them." }
        @if schedules.is_empty() { p.muted { "No schedules." } } @else {
            div.table-wrap { table {
                thead { tr { th { "#" } th { "When" } th { "Keeps" } th { "" } } }
                tbody { @for sc in &schedules { tr {
                    td { (sc.id) }
                    td { (sc.when.describe()) }
                    td { (sc.keep) }
                    td { form.inline method="post" action={ (base) "/backups/schedules/" (sc.id) "/delete" } {
                        (csrf_field(ctx)) button.danger type="submit" { "Remove" }
                    } }
                } } }
            } }
        }
        div.panel {
            h2 { "Add a schedule" }
            form method="post" action={ (base) "/backups/schedules" } {
                (csrf_field(ctx))
                label for="frequency" { "How often" }
                select #frequency name="frequency" { @for f in &offered { option value=(f.as_str()) { (f.as_str()) } } }
                label for="time" { "Time of day (hourly: the minute counts)" }
                input #time type="time" name="time" value="03:00" required;
                label for="weekday" { "Weekday (weekly)" }
                select #weekday name="weekday" {
                    @for (i, d) in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].iter().enumerate() {
                        option value=(i + 1) { (d) }
                    }
                }
                label for="day" { "Day of the month (monthly; the last day in shorter months)" }
                input #day type="number" name="day" min="1" max="31" value="1";
                label for="keep" { "Keep the newest" }
                input #keep type="number" name="keep" min="1" max=(MAX_KEEP) value="7" required;
                div.actions { button type="submit" { "Add schedule" } }
            }
        }
    };
    let mut crumbs = if door.admin() {
        vec![super::admin::CRUMB_ADMIN, ("Virtual machines", "/admin/vms")]
    } else {
        vec![("Servers", "/vms")]
    };
    crumbs.push((vm.hostname.as_str(), base.as_str()));
    Ok(page(ctx, "Backups", &crumbs, body).into_response())
}

/// `POST {base}/{id}/backups`: back up now.
pub async fn vm_backup_now_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let back = format!("{}/{id}/backups", door.base);
    match state.svc.backups.start(&door.caller, VmId(id), None).await {
        Ok(_) => Ok(redirect_with_flash(&back, FlashKind::Ok, "Backup started; it shows here as it runs.")),
        Err(BackupError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&door.ctx, &back, e),
    }
}

/// Body of the schedule form.
#[derive(Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    weekday: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    keep: String,
}

impl ScheduleForm {
    fn when(&self) -> Result<(When, u32), BackupError> {
        let bad = |what: &'static str| BackupError::Form(what);
        let frequency = Frequency::parse(&self.frequency).ok_or(bad("frequency"))?;
        let (h, m) = self.time.trim().split_once(':').ok_or(bad("time of day"))?;
        let hour = h.parse::<u8>().map_err(|_| bad("time of day"))?;
        let minute = m.get(..2).unwrap_or(m).parse::<u8>().map_err(|_| bad("time of day"))?;
        let weekday = if self.weekday.is_empty() {
            1
        } else {
            self.weekday.trim().parse().map_err(|_| bad("weekday"))?
        };
        let day = if self.day.is_empty() {
            1
        } else {
            self.day.trim().parse().map_err(|_| bad("day of the month"))?
        };
        let keep = self.keep.trim().parse::<u32>().map_err(|_| bad("number of backups to keep"))?;
        Ok((When { frequency, minute, hour, weekday, day }, keep))
    }
}

/// `POST {base}/{id}/backups/schedules`.
pub async fn vm_schedule_add_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<u64>,
    CsrfForm(f): CsrfForm<ScheduleForm>,
) -> Result<Response, WebError> {
    let back = format!("{}/{id}/backups", door.base);
    let added = match f.when() {
        Ok((when, keep)) => state.svc.backups.add_schedule(&door.caller, VmId(id), when, keep).await,
        Err(e) => Err(e),
    };
    match added {
        Ok(sc) => {
            Ok(redirect_with_flash(&back, FlashKind::Ok, &format!("Schedule added: {}.", sc.when.describe())))
        }
        Err(BackupError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&door.ctx, &back, e),
    }
}

/// `POST {base}/{id}/backups/schedules/{sid}/delete`.
pub async fn vm_schedule_delete_post(
    State(state): State<AppState>,
    door: Door,
    Path((id, sid)): Path<(u64, u64)>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let back = format!("{}/{id}/backups", door.base);
    match state.svc.backups.remove_schedule(&door.caller, VmId(id), sid).await {
        Ok(()) => Ok(redirect_with_flash(&back, FlashKind::Ok, "Schedule removed; its backups stay.")),
        Err(BackupError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&door.ctx, &back, e),
    }
}

/// Body of the restore form.
#[derive(Deserialize)]
pub struct RestoreForm {
    #[serde(default)]
    confirm: String,
}

/// `POST {base}/{id}/backups/{bid}/restore`.
pub async fn vm_backup_restore_post(
    State(state): State<AppState>,
    door: Door,
    Path((id, bid)): Path<(u64, u64)>,
    CsrfForm(f): CsrfForm<RestoreForm>,
) -> Result<Response, WebError> {
    let back = format!("{}/{id}/backups", door.base);
    let scope = &door.caller;
    if state.svc.backups.get(scope, bid).map(|b| b.vm).ok() != Some(VmId(id)) {
        return Err(WebError::NotFound);
    }
    match state.svc.backups.restore_in_place(scope, bid, &f.confirm).await {
        Ok(n) => {
            let disks = if n == 1 { "1 disk".to_string() } else { format!("{n} disks") };
            Ok(redirect_with_flash(&back, FlashKind::Ok, &format!("Backup {bid} restored ({disks}).")))
        }
        Err(BackupError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&door.ctx, &back, e),
    }
}

/// `GET {base}/{id}/backups/{bid}/{file}`: a backup file, streamed, resumable (HTTP ranges).
pub async fn vm_backup_download_get(
    State(state): State<AppState>,
    door: Door,
    Path((id, bid, file)): Path<(u64, u64, String)>,
    req: Request,
) -> Result<Response, WebError> {
    let b = state.svc.backups.get(&door.caller, bid)?;
    if b.vm != VmId(id) {
        return Err(WebError::NotFound);
    }
    super::backups::serve_backup_file(&state, &b, &file, req).await
}

/// `POST {base}/{id}/backups/{bid}/delete`.
pub async fn vm_backup_delete_post(
    State(state): State<AppState>,
    door: Door,
    Path((id, bid)): Path<(u64, u64)>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let back = format!("{}/{id}/backups", door.base);
    let scope = &door.caller;
    if state.svc.backups.get(scope, bid).map(|b| b.vm).ok() != Some(VmId(id)) {
        return Err(WebError::NotFound);
    }
    match state.svc.backups.delete(scope, bid).await {
        Ok(()) => Ok(redirect_with_flash(&back, FlashKind::Ok, &format!("Backup {bid} deleted."))),
        Err(BackupError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&door.ctx, &back, e),
    }
}

/// The backup routes of one VM (`/{id}/backups/...`), mounted with the VM routes for owners
/// and for admins.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/{id}/backups", get(vm_backups_get).post(vm_backup_now_post))
        .route("/{id}/backups/schedules", post(vm_schedule_add_post))
        .route("/{id}/backups/{bid}/restore", post(vm_backup_restore_post))
        .route("/{id}/backups/{bid}/delete", post(vm_backup_delete_post))
        .route("/{id}/backups/{bid}/{file}", get(vm_backup_download_get))
        .route("/{id}/backups/schedules/{sid}/delete", post(vm_schedule_delete_post))
}
