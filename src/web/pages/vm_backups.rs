//! A server's backups in the cabinet: the list with progress and outcome, "back up now", and
//! the backup schedules (several, each with its frequency, time in the account's time zone and
//! retention).

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::backup::Kind;
use crate::domain::schedule::{Frequency, When};
use crate::domain::vm::VmId;
use crate::i18n::{Lang, Msg};
use crate::service::backups::BackupError;
use crate::service::backups::schedules::MAX_KEEP;
use crate::store::backups::{BackupRecord, BackupState};
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, FlashKind, PathId, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `bytes` as MiB with one decimal, written the page language's way.
pub(super) fn mib(ctx: &Ctx, bytes: u64) -> String {
    let tenths = (u128::from(bytes) * 10 + (1 << 19)) >> 20;
    let sep = if ctx.lang == Lang::En { '.' } else { ',' };
    ctx.fmt_string(Msg::BackupSize, &[("mib", format!("{}{sep}{}", tenths / 10, tenths % 10).into())])
}

/// A backup's state: progress, done, or failed with the reason.
pub(super) fn state_cell(ctx: &Ctx, b: &BackupRecord) -> Markup {
    html! {
        @match &b.state {
            BackupState::Running { processed, total } => {
                @if *total > 0 { span.badge.working { (ctx.fmt(Msg::BackupStateRunningPercent, &[("percent", (processed.saturating_mul(100) / total).into())])) } }
                @else { span.badge.working { (ctx.t(Msg::BackupStateRunning)) } }
            }
            BackupState::Done => span.badge.ok { (ctx.t(Msg::BackupStateDone)) },
            BackupState::Failed { reason } => {
                span.badge.error { (ctx.t(Msg::BackupStateFailed)) } br;
                span.muted { (failure_words(&ctx.catalog, ctx.lang, reason)) }
            },
        }
    }
}

/// Why a backup failed, in `lang`: the error's own message when the recorded reason ends with
/// its code and the message needs no values (they are not kept), else as recorded.
fn failure_words(catalog: &crate::i18n::Catalog, lang: crate::i18n::Lang, reason: &str) -> String {
    if reason == crate::service::backups::INTERRUPTED {
        return catalog.t(lang, Msg::BackupInterrupted).to_string();
    }
    let code = reason.strip_suffix(')').and_then(|r| r.rsplit_once(" (")).map(|(_, c)| c);
    let is_code = |c: &str| {
        c.len() == 7
            && c[..3].bytes().all(|b| b.is_ascii_uppercase())
            && c[3..].bytes().all(|b| b.is_ascii_digit())
    };
    match code.filter(|c| is_code(c)).and_then(|c| catalog.error(lang, c, &[]).map(|m| (m, c))) {
        Some((message, code)) => format!("{message} ({code})"),
        None => reason.to_string(),
    }
}

/// The name of a frequency.
fn frequency_words(f: Frequency) -> Msg {
    match f {
        Frequency::Hourly => Msg::FrequencyHourly,
        Frequency::Daily => Msg::FrequencyDaily,
        Frequency::Weekly => Msg::FrequencyWeekly,
        Frequency::Monthly => Msg::FrequencyMonthly,
    }
}

const WEEKDAYS: [Msg; 7] =
    [Msg::Weekday1, Msg::Weekday2, Msg::Weekday3, Msg::Weekday4, Msg::Weekday5, Msg::Weekday6, Msg::Weekday7];

/// When a schedule runs, in words.
pub(super) fn describe(ctx: &Ctx, w: &When) -> String {
    let time = format!("{:02}:{:02}", w.hour, w.minute);
    match w.frequency {
        Frequency::Hourly => {
            ctx.fmt_string(Msg::ScheduleHourly, &[("minute", format!("{:02}", w.minute).into())])
        }
        Frequency::Daily => ctx.fmt_string(Msg::ScheduleDaily, &[("time", time.into())]),
        Frequency::Weekly => {
            let day = WEEKDAYS.get(usize::from(w.weekday.saturating_sub(1))).map_or("?", |m| ctx.t(*m));
            ctx.fmt_string(Msg::ScheduleWeekly, &[("weekday", day.into()), ("time", time.into())])
        }
        Frequency::Monthly => ctx.fmt_string(
            if w.day > 28 { Msg::ScheduleMonthlyLate } else { Msg::ScheduleMonthly },
            &[("day", u32::from(w.day).into()), ("time", time.into())],
        ),
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
    let t = |m| ctx.t(m);
    let host = [("hostname", vm.hostname.as_str().into())];
    let body = html! {
        h1 { (ctx.fmt(Msg::VmBackupsTitle, &host)) }
        p.hint { (t(Msg::VmBackupsHint)) }
        form.inline method="post" action={ (base) "/backups" } {
            (csrf_field(ctx)) button type="submit" { (t(Msg::VmBackupsNow)) }
        }
        @if backups.is_empty() { p.muted { (t(Msg::VmBackupsNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::VmBackupsColTaken)) } th { (t(Msg::VmBackupsColKind)) } th { (t(Msg::VmBackupsColMadeBy)) }
                    th { (t(Msg::VmBackupsColState)) } th { (t(Msg::VmBackupsColSize)) } th { (t(Msg::VmBackupsColFiles)) }
                    th { (t(Msg::VmBackupsColRestore)) } th { "" }
                } }
                tbody { @for b in &backups { tr {
                    td { (ctx.time(b.started_at)) }
                    td {
                        (t(if b.kind == Kind::Full { Msg::BackupKindFull } else { Msg::BackupKindIncremental }))
                        @if let Some(p) = b.parent { br; span.muted { (ctx.fmt(Msg::VmBackupsOnBackup, &[("backup", p.into())])) } }
                        @if !b.live && b.state == BackupState::Done { br; span.muted { (t(Msg::VmBackupsWasOff)) } }
                    }
                    td { @match b.schedule { Some(sid) => { (ctx.fmt(Msg::VmBackupsBySchedule, &[("schedule", sid.into())])) }, None => (t(Msg::VmBackupsByHand)) } }
                    td { (state_cell(ctx, b)) }
                    td { @if b.state == BackupState::Done { (mib(ctx, b.bytes())) } }
                    td { @if b.state == BackupState::Done { @for f in &b.files {
                        a href={ (base) "/backups/" (b.id) "/" (f.target) ".qcow2" } download { (f.target) ".qcow2" }
                        br; span.muted title="SHA-256" { code { (f.sha256.get(..16).unwrap_or_default()) "…" } } br;
                    } } }
                    td { @if b.state == BackupState::Done {
                        form method="post" action={ (base) "/backups/" (b.id) "/restore" } {
                            (csrf_field(ctx))
                            input type="text" name="confirm" placeholder=(vm.hostname) autocomplete="off" required aria-label=(ctx.fmt(Msg::VmBackupsConfirm, &host));
                            button.danger type="submit" { (t(Msg::VmBackupsRestore)) }
                        }
                    } }
                    td { @if !matches!(b.state, BackupState::Running { .. }) {
                        form.inline method="post" action={ (base) "/backups/" (b.id) "/delete" } {
                            (csrf_field(ctx)) button.secondary type="submit" { (t(Msg::VmBackupsDelete)) }
                        }
                    } }
                } } }
            } }
        }
        p.hint { (t(Msg::VmBackupsRestoreHint)) }
        h2 { (t(Msg::VmSchedulesTitle)) }
        p.hint { (ctx.fmt(Msg::VmSchedulesHint, &[("zone", tz.as_str().into())])) }
        @if schedules.is_empty() { p.muted { (t(Msg::VmSchedulesNone)) } } @else {
            div.table-wrap { table {
                thead { tr { th { "#" } th { (t(Msg::VmSchedulesColWhen)) } th { (t(Msg::VmSchedulesColKeeps)) } th { "" } } }
                tbody { @for sc in &schedules { tr {
                    td { (sc.id) }
                    td { (describe(ctx, &sc.when)) }
                    td { (sc.keep) }
                    td { form.inline method="post" action={ (base) "/backups/schedules/" (sc.id) "/delete" } {
                        (csrf_field(ctx)) button.danger type="submit" { (t(Msg::VmSchedulesRemove)) }
                    } }
                } } }
            } }
        }
        div.panel {
            h2 { (t(Msg::VmSchedulesAddTitle)) }
            form method="post" action={ (base) "/backups/schedules" } {
                (csrf_field(ctx))
                label for="frequency" { (t(Msg::VmSchedulesFrequency)) }
                select #frequency name="frequency" { @for f in &offered { option value=(f.as_str()) { (t(frequency_words(*f))) } } }
                label for="time" { (t(Msg::VmSchedulesTime)) }
                input #time type="time" name="time" value="03:00" required;
                label for="weekday" { (t(Msg::VmSchedulesWeekday)) }
                select #weekday name="weekday" {
                    @for (i, d) in WEEKDAYS.iter().enumerate() {
                        option value=(i + 1) { (t(*d)) }
                    }
                }
                label for="day" { (t(Msg::VmSchedulesDay)) }
                input #day type="number" name="day" min="1" max="31" value="1";
                label for="keep" { (t(Msg::VmSchedulesKeep)) }
                input #keep type="number" name="keep" min="1" max=(MAX_KEEP) value="7" required;
                div.actions { button type="submit" { (t(Msg::VmSchedulesAdd)) } }
            }
        }
    };
    let mut crumbs = if door.admin() {
        vec![super::admin::crumb_admin(ctx), (t(Msg::VmsTitle), "/admin/vms")]
    } else {
        vec![(t(Msg::VmsTitle), "/vms")]
    };
    crumbs.push((vm.hostname.as_str(), base.as_str()));
    Ok(page(ctx, t(Msg::VmBackups), &crumbs, body).into_response())
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
        Ok(_) => Ok(redirect_with_flash(&back, FlashKind::Ok, door.ctx.t(Msg::VmBackupsStarted))),
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
        Ok(sc) => Ok(redirect_with_flash(
            &back,
            FlashKind::Ok,
            &door.ctx.fmt_string(Msg::VmSchedulesAdded, &[("when", describe(&door.ctx, &sc.when).into())]),
        )),
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
        Ok(()) => Ok(redirect_with_flash(&back, FlashKind::Ok, door.ctx.t(Msg::VmSchedulesRemoved))),
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
            let ctx = &door.ctx;
            let disks = ctx.fmt_string(Msg::VmBackupsDisks, &[("count", n.into())]);
            let msg =
                ctx.fmt_string(Msg::VmBackupsRestored, &[("backup", bid.into()), ("disks", disks.into())]);
            Ok(redirect_with_flash(&back, FlashKind::Ok, &msg))
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
        Ok(()) => Ok(redirect_with_flash(
            &back,
            FlashKind::Ok,
            &door.ctx.fmt_string(Msg::VmBackupsDeleted, &[("backup", bid.into())]),
        )),
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

#[cfg(test)]
mod tests {
    use super::failure_words;
    use crate::i18n::{Catalog, Lang};

    #[test]
    fn a_failure_reads_in_the_readers_language_when_its_code_says_enough() {
        let c = Catalog::builtin(Lang::En);
        let ru = failure_words(&c, Lang::Ru, "The state store cannot save changes right now (STO0008)");
        assert!(ru.ends_with("(STO0008)") && !ru.starts_with("The state"), "{ru}");
        assert_ne!(
            failure_words(&c, Lang::Kk, crate::service::backups::INTERRUPTED),
            crate::service::backups::INTERRUPTED
        );
        // Unknown codes and free text stay as recorded.
        assert_eq!(failure_words(&c, Lang::Ru, "disk on fire (XYZ9999)"), "disk on fire (XYZ9999)");
        assert_eq!(failure_words(&c, Lang::Ru, "qemu said no"), "qemu said no");
    }
}
