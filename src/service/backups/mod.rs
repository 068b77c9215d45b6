//! VM backups: "back up now", the backup run itself (live through libvirt's backup API with
//! checkpoints while the VM runs, a direct copy while it is off), their listing, and recovery
//! of runs a daemon stop interrupted.
//!
//! Order of a run: the record (state `Running`) and its quota holding are written first; the
//! files are made under temporary names (see [`crate::host::backup_files`]); only when every
//! file is checked and renamed does the record become `Done` with its files. A run that fails,
//! or that a crash interrupted (found at start-up), becomes `Failed` and its leftovers are
//! removed, so no partial file is ever listed as a backup.

mod restore;
pub mod schedules;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use redb::ReadableTable;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::Clock;
use crate::domain::backup::{self, Kind};
use crate::domain::quota::{self, Amounts, QuotaExceeded};
use crate::domain::vm::VmId;
use crate::host::backup_files::{self, Names};
use crate::host::images::{self, ImageError};
use crate::hv::{BackupJob, BackupTarget, HvError, JobState};
use crate::service::audit::{self, Actor};
use crate::service::quotas::{limits_in, usage_in};
use crate::service::vms::{Scope, Vms};
use crate::service::{Coded, ErrorKind, blocking};
use crate::store::backups::{self as rec, BackupFile, BackupRecord, BackupState};
use crate::store::holdings;
use crate::store::records::VmPhase;
use crate::store::tables::{
    BACKUPS, META, META_LAST_BACKUP_ID, OWNER_HOLDINGS, OWNER_VMS, QUOTAS, VM_BACKUPS,
};
use crate::store::{Store, StoreError};

/// A backup could not be made, found or used.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// No such backup or VM, or not the customer's.
    #[error("No such backup")]
    NotFound,
    /// The VM is being created, changed or deleted.
    #[error("The virtual machine is busy being set up or changed; try again when it is ready")]
    VmBusy,
    /// The backup quota is used up.
    #[error(transparent)]
    Quota(#[from] QuotaExceeded),
    /// The hypervisor failed or is away.
    #[error(transparent)]
    Hv(#[from] HvError),
    /// A backup file could not be written, checked or read.
    #[error("Backup file error: {0}")]
    Image(#[from] ImageError),
    /// The VM service refused.
    #[error(transparent)]
    Vm(#[from] crate::service::VmError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A schedule field is out of range.
    #[error("{0}")]
    Schedule(crate::domain::schedule::ScheduleError),
    /// The frequency is not one the host offers.
    #[error("Backups {0} are not offered on this host")]
    FrequencyNotOffered(&'static str),
    /// Retention outside its bounds.
    #[error("A schedule keeps between 1 and {0} backups")]
    Keep(u32),
    /// The VM has as many schedules as allowed.
    #[error("A server can have at most {0} backup schedules")]
    TooManySchedules(usize),
    /// A form field could not be read.
    #[error("Please check the {0}")]
    Form(&'static str),
    /// The hostname typed to confirm does not match.
    #[error("Type the server's hostname to confirm")]
    NotConfirmed,
    /// The backup has not finished well.
    #[error("Only a finished backup can be restored or downloaded")]
    NotDone,
    /// A newer backup is built on this one.
    #[error("Backup {0} is built on this one; delete it first")]
    HasDependent(u64),
    /// The backup is still being made.
    #[error("The backup is still running")]
    StillRunning,
}

store_error_conversions!(BackupError);

impl Coded for BackupError {
    fn kind(&self) -> ErrorKind {
        match self {
            BackupError::NotFound => ErrorKind::NotFound,
            BackupError::VmBusy | BackupError::Quota(_) | BackupError::TooManySchedules(_) => {
                ErrorKind::Conflict
            }
            BackupError::Schedule(_)
            | BackupError::FrequencyNotOffered(_)
            | BackupError::Keep(_)
            | BackupError::Form(_)
            | BackupError::NotConfirmed => ErrorKind::Invalid,
            BackupError::NotDone | BackupError::HasDependent(_) | BackupError::StillRunning => {
                ErrorKind::Conflict
            }
            BackupError::Hv(e) => e.kind(),
            BackupError::Vm(e) => e.kind(),
            BackupError::Image(_) | BackupError::Store(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            BackupError::NotFound => "BKP0001",
            BackupError::VmBusy => "BKP0002",
            BackupError::Quota(_) => "BKP0003",
            BackupError::Image(_) => "BKP0004",
            BackupError::Schedule(_) => "BKP0005",
            BackupError::FrequencyNotOffered(_) => "BKP0006",
            BackupError::Keep(_) => "BKP0007",
            BackupError::TooManySchedules(_) => "BKP0008",
            BackupError::Form(_) => "BKP0009",
            BackupError::NotConfirmed => "BKP0010",
            BackupError::NotDone => "BKP0011",
            BackupError::HasDependent(_) => "BKP0012",
            BackupError::StillRunning => "BKP0013",
            BackupError::Hv(e) => e.code(),
            BackupError::Vm(e) => e.code(),
            BackupError::Store(e) => e.code(),
        }
    }
}

/// How often a running live backup's progress is read.
const POLL: Duration = Duration::from_millis(250);

/// The name of the libvirt checkpoint taken with backup `id`.
pub fn checkpoint_name(id: u64) -> String {
    format!("vpsbox-b{id}")
}

/// The backups service.
#[derive(Clone)]
pub struct Backups {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    vms: Vms,
    dir: PathBuf,
    quota_default: Amounts,
    /// Bounds the backups running at once on the host.
    slots: Arc<tokio::sync::Semaphore>,
    /// One backup per VM at a time.
    running: Arc<Mutex<HashMap<VmId, Arc<tokio::sync::Mutex<()>>>>>,
    /// Frequencies customers may choose.
    frequencies: Vec<crate::domain::schedule::Frequency>,
    /// Wait before a failed scheduled backup is tried again.
    retry_after: Duration,
}

/// How backups are set up on this host.
#[derive(Debug, Clone)]
pub struct BackupSettings {
    /// Where backup files go.
    pub dir: PathBuf,
    /// Backups running at once.
    pub max_concurrent: usize,
    /// Frequencies customers may choose.
    pub frequencies: Vec<crate::domain::schedule::Frequency>,
    /// Wait before a failed scheduled backup is tried again.
    pub retry_after: Duration,
}

impl Backups {
    /// Backups as `settings` say.
    pub fn new(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        vms: Vms,
        settings: BackupSettings,
        quota_default: Amounts,
    ) -> Backups {
        Backups {
            store,
            clock,
            vms,
            dir: settings.dir,
            quota_default,
            slots: Arc::new(tokio::sync::Semaphore::new(settings.max_concurrent.max(1))),
            running: Arc::default(),
            frequencies: settings.frequencies,
            retry_after: settings.retry_after,
        }
    }

    /// The frequencies customers may choose.
    pub fn frequencies(&self) -> Vec<crate::domain::schedule::Frequency> {
        self.frequencies.clone()
    }

    /// The time zone `owner` set (`UTC` when none).
    pub fn time_zone_of(&self, owner: crate::domain::account::UserId) -> String {
        let tz = self
            .store
            .read()
            .ok()
            .and_then(|tx| tx.open_table(crate::store::tables::ACCOUNT_PREFS).ok())
            .and_then(|t| rec::prefs_of(&t, owner).ok())
            .map(|p| p.time_zone)
            .unwrap_or_default();
        if tz.is_empty() { "UTC".into() } else { tz }
    }

    /// Directory of one VM's backup files.
    pub fn vm_dir(&self, vm: VmId) -> PathBuf {
        self.dir.join(format!("vm-{}", vm.0))
    }

    /// The file of `f` of backup `b`.
    pub fn file_path(&self, b: &BackupRecord, f: &BackupFile) -> PathBuf {
        self.vm_dir(b.vm).join(&f.name)
    }

    fn vm_lock(&self, vm: VmId) -> Arc<tokio::sync::Mutex<()>> {
        match self.running.lock() {
            Ok(mut m) => m.entry(vm).or_default().clone(),
            Err(_) => Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// The VM `id` if visible in `scope` (another customer's answers "no such backup").
    fn visible_vm(&self, scope: Scope, id: VmId) -> Result<crate::store::records::VmRecord, BackupError> {
        match self.vms.get(scope, id) {
            Err(e) if e.kind() == ErrorKind::NotFound => Err(BackupError::NotFound),
            other => Ok(other?),
        }
    }

    /// One backup, if visible in `scope`.
    pub fn get(&self, scope: Scope, id: u64) -> Result<BackupRecord, BackupError> {
        let tx = self.store.read()?;
        let b = rec::get(&tx.open_table(BACKUPS)?, id)?.ok_or(BackupError::NotFound)?;
        match scope {
            Scope::Owner(o) if o != b.owner => Err(BackupError::NotFound),
            _ => Ok(b),
        }
    }

    /// A VM's backups, newest first.
    pub fn list(&self, scope: Scope, vm: VmId) -> Result<Vec<BackupRecord>, BackupError> {
        self.visible_vm(scope, vm)?;
        let tx = self.store.read()?;
        let mut out = rec::of_vm(&tx.open_table(VM_BACKUPS)?, &tx.open_table(BACKUPS)?, vm)?;
        out.reverse();
        Ok(out)
    }

    /// Delete backup `id` (its files, record and quota use), unless it is still running or a
    /// newer backup is built on it.
    pub async fn delete(&self, scope: Scope, id: u64, actor: Actor) -> Result<(), BackupError> {
        let b = self.get(scope, id)?;
        if matches!(b.state, BackupState::Running { .. }) {
            return Err(BackupError::StillRunning);
        }
        let lock = self.vm_lock(b.vm);
        let _one = lock.lock().await;
        let dependent = {
            let tx = self.store.read()?;
            rec::of_vm(&tx.open_table(VM_BACKUPS)?, &tx.open_table(BACKUPS)?, b.vm)?
                .into_iter()
                .find(|x| x.parent == Some(id))
        };
        if let Some(d) = dependent {
            return Err(BackupError::HasDependent(d.id));
        }
        self.remove_backup(id, &actor).await
    }

    /// Start a backup of `vm` now (made with "back up now" when `schedule` is `None`): the
    /// record is written at once and the backup runs in the background. Returns its id.
    pub async fn start(
        &self,
        scope: Scope,
        vm: VmId,
        schedule: Option<u64>,
        actor: Actor,
    ) -> Result<u64, BackupError> {
        let id = self.create(scope, vm, schedule, &actor).await?;
        let this = self.clone();
        tokio::spawn(async move { this.run(id).await });
        Ok(id)
    }

    /// Write the record of a new backup (quota checked and held in the same transaction).
    async fn create(
        &self,
        scope: Scope,
        vm: VmId,
        schedule: Option<u64>,
        actor: &Actor,
    ) -> Result<u64, BackupError> {
        let v = self.visible_vm(scope, vm)?;
        if v.phase != VmPhase::Ready {
            return Err(BackupError::VmBusy);
        }
        let (store, now, default, actor) =
            (self.store.clone(), self.clock.now(), self.quota_default, actor.clone());
        blocking(move || {
            let tx = store.write()?;
            {
                let limits = limits_in(&tx.open_table(QUOTAS)?, v.owner, &default)?;
                let used = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, v.owner)?;
                quota::check(&limits, &used, &Amounts { backups: 1, ..Amounts::default() })?;
            }
            let id = {
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_BACKUP_ID)?.map(|x| x.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_BACKUP_ID, id)?;
                id
            };
            let b = BackupRecord {
                id,
                vm: v.id,
                owner: v.owner,
                hostname: v.hostname.clone(),
                schedule,
                parent: None,
                kind: Kind::Full,
                live: false,
                checkpoint: None,
                state: BackupState::Running { processed: 0, total: 0 },
                started_at: now,
                finished_at: None,
                files: Vec::new(),
            };
            rec::put(&mut tx.open_table(BACKUPS)?, &b)?;
            tx.open_table(VM_BACKUPS)?.insert((v.id.0, id), ())?;
            holdings::put(&tx, v.owner, holdings::Kind::Backup, id, 0)?;
            let what = if schedule.is_some() { "scheduled" } else { "on request" };
            audit::record(
                &tx,
                now,
                &actor,
                v.owner,
                &format!("vm:{}", v.id),
                "backup.start",
                &format!("backup {id} {what}"),
            )?;
            tx.commit()?;
            Ok::<_, BackupError>(id)
        })
        .await
    }

    /// Make backup `id` (waiting for a free slot and for any other backup of the VM), and
    /// record the outcome.
    pub async fn run(&self, id: u64) {
        let Ok(b) = self.get(Scope::Admin, id) else { return };
        let _slot = self.slots.clone().acquire_owned().await;
        let lock = self.vm_lock(b.vm);
        let _one = lock.lock().await;
        let outcome = self.make(&b).await;
        let (state, files, detail) = match outcome {
            Ok((made, files)) => {
                let detail = format!(
                    "backup {id} done: {} {}",
                    made.kind.as_str(),
                    if made.live { "live" } else { "offline" }
                );
                (made, files, detail)
            }
            Err(e) => {
                tracing::warn!(backup = id, code = e.code(), "backup failed: {e}");
                let mut failed = b.clone();
                failed.state = BackupState::Failed { reason: format!("{} ({})", e, e.code()) };
                (failed, Vec::new(), format!("backup {id} failed: {e}"))
            }
        };
        if let Err(e) = self.finish_record(state, files, detail).await {
            tracing::error!(backup = id, "cannot record the backup's outcome: {e}");
        }
    }

    /// Write the final state of a backup (and its holding's size).
    async fn finish_record(
        &self,
        mut b: BackupRecord,
        files: Vec<BackupFile>,
        detail: String,
    ) -> Result<(), BackupError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            if !matches!(b.state, BackupState::Failed { .. }) {
                b.state = BackupState::Done;
                b.files = files;
            }
            b.finished_at = Some(now);
            rec::put(&mut tx.open_table(BACKUPS)?, &b)?;
            let action = if b.state == BackupState::Done { "backup.done" } else { "backup.failed" };
            if b.state == BackupState::Done {
                holdings::put(&tx, b.owner, holdings::Kind::Backup, b.id, b.bytes())?;
            } else {
                holdings::remove(&tx, b.owner, holdings::Kind::Backup, b.id)?;
            }
            audit::record(&tx, now, &Actor::system(), b.owner, &format!("vm:{}", b.vm), action, &detail)?;
            tx.commit()?;
            Ok::<_, BackupError>(())
        })
        .await
    }

    /// Do the work of backup `b`: returns the record as made (kind, parent, checkpoint) and
    /// its files. Nothing is listed until the caller records them.
    async fn make(&self, b: &BackupRecord) -> Result<(BackupRecord, Vec<BackupFile>), BackupError> {
        let vm = self.vms.get(Scope::Admin, b.vm)?;
        let hv = self.vms.hv()?;
        let (disks, running) = {
            let (vms, vm2, hv2) = (self.vms.clone(), vm.clone(), hv.clone());
            blocking(move || {
                let disks = vms.backup_disks(&vm2)?;
                let running = hv2.state(&vm2.uuid)?.is_some_and(|s| s.is_active());
                Ok::<_, BackupError>((disks, running))
            })
            .await?
        };
        let dir = self.vm_dir(b.vm);
        images::ensure_dir(&self.dir)?;
        images::ensure_dir(&dir)?;
        let mut made = b.clone();
        made.live = running;
        let parent = if running { self.parent_for(b, &hv).await? } else { None };
        made.kind = if parent.is_some() { Kind::Incremental } else { Kind::Full };
        made.parent = parent.as_ref().map(|p| p.id);
        let names: Vec<(String, Option<crate::domain::disk::DiskId>, PathBuf, Names)> = disks
            .iter()
            .map(|(target, disk, path)| {
                let done = dir.join(format!("b{}-{target}.qcow2", b.id));
                (target.clone(), *disk, path.clone(), Names::of(&done))
            })
            .collect();
        for (_, _, _, n) in &names {
            n.clear_leftovers()?;
        }
        let parent_file = |target: &str| -> Option<PathBuf> {
            let p = parent.as_ref()?;
            p.files.iter().find(|f| f.target == target).map(|f| dir.join(&f.name))
        };
        if running {
            // Job files: for an incremental backup, overlays on the parent's files.
            let mut targets = Vec::new();
            for (target, _, src, n) in &names {
                if let Some(pf) = parent_file(target) {
                    let size = images::virtual_size(src)?;
                    backup_files::create_job_overlay(n, &pf, size)?;
                }
                targets.push(BackupTarget { target: target.clone(), file: n.job.clone() });
            }
            let checkpoint = (b.schedule.is_some()).then(|| checkpoint_name(b.id));
            let job = BackupJob {
                disks: targets,
                incremental: parent.as_ref().and_then(|p| p.checkpoint.clone()),
                checkpoint: checkpoint.clone(),
                reuse_files: parent.is_some(),
            };
            made.checkpoint = checkpoint;
            let (h, uuid) = (hv.clone(), vm.uuid);
            blocking(move || h.backup_begin(&uuid, &job).map_err(BackupError::from)).await?;
            if let Err(e) = self.wait_job(&made, &hv, vm.uuid).await {
                self.discard(&made, &names, &hv, vm.uuid).await;
                return Err(e);
            }
        }
        let mut files = Vec::new();
        for (target, disk, src, n) in &names {
            let source = if running { n.job.clone() } else { src.clone() };
            let pf = parent_file(target);
            let n2 = n.clone();
            let done = blocking(move || {
                backup_files::finish(&n2, &source, pf.as_deref()).map_err(BackupError::from)
            })
            .await;
            let done = match done {
                Ok(d) => d,
                Err(e) => {
                    self.discard(&made, &names, &hv, vm.uuid).await;
                    return Err(e);
                }
            };
            let name = n.done.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            files.push(BackupFile {
                target: target.clone(),
                disk: *disk,
                name,
                bytes: done.bytes,
                sha256: done.sha256,
            });
        }
        // The chain continues from this backup's checkpoint: older ones of the schedule go.
        if let (Some(sched), Some(_)) = (b.schedule, &made.checkpoint) {
            self.drop_checkpoints_before(b.vm, sched, b.id, &hv, vm.uuid).await;
        }
        Ok((made, files))
    }

    /// The backup the next one of `b`'s schedule can be incremental against: the schedule's
    /// newest done backup, when its checkpoint still exists and its chain is shorter than the
    /// schedule keeps.
    async fn parent_for(
        &self,
        b: &BackupRecord,
        hv: &Arc<dyn crate::hv::Hypervisor>,
    ) -> Result<Option<BackupRecord>, BackupError> {
        let Some(sched) = b.schedule else { return Ok(None) };
        let Some(keep) = self.keep_of(sched) else { return Ok(None) };
        let list = self.list(Scope::Admin, b.vm)?;
        let Some(last) = list.into_iter().find(|x| x.schedule == Some(sched) && x.state == BackupState::Done)
        else {
            return Ok(None);
        };
        let Some(cp) = last.checkpoint.clone() else { return Ok(None) };
        let all = self.stored_of(b.vm)?;
        let chain = backup::chain_of(&all, last.id).map_or(0, |c| c.len());
        if backup::next_kind(chain, keep) == Kind::Full {
            return Ok(None);
        }
        let (h, uuid) = (hv.clone(), self.vms.get(Scope::Admin, b.vm)?.uuid);
        let have = blocking(move || h.checkpoints(&uuid).map_err(BackupError::from)).await?;
        Ok(have.contains(&cp).then_some(last))
    }

    /// What retention needs of a VM's done backups.
    fn stored_of(&self, vm: VmId) -> Result<Vec<backup::Stored>, BackupError> {
        Ok(self
            .list(Scope::Admin, vm)?
            .iter()
            .filter(|b| b.state == BackupState::Done)
            .map(|b| backup::Stored {
                id: b.id,
                schedule: b.schedule,
                parent: b.parent,
                taken_at: b.started_at,
            })
            .collect())
    }

    /// Follow a live backup job to its end, recording progress.
    async fn wait_job(
        &self,
        b: &BackupRecord,
        hv: &Arc<dyn crate::hv::Hypervisor>,
        uuid: uuid::Uuid,
    ) -> Result<(), BackupError> {
        let mut last_saved = 0u64;
        loop {
            tokio::time::sleep(POLL).await;
            let h = hv.clone();
            let state = blocking(move || h.backup_state(&uuid).map_err(BackupError::from)).await?;
            match state {
                JobState::Running { processed, total } => {
                    // Progress is shown, not needed for recovery: save it now and then.
                    if processed.saturating_sub(last_saved) > total / 20 {
                        last_saved = processed;
                        self.save_progress(b.id, processed, total).await?;
                    }
                }
                JobState::Completed => return Ok(()),
                JobState::Failed(why) => {
                    return Err(HvError::Call(format!("the backup job failed: {why}")).into());
                }
                JobState::Idle => {
                    return Err(HvError::Call("the backup job ended without a result".into()).into());
                }
            }
        }
    }

    async fn save_progress(&self, id: u64, processed: u64, total: u64) -> Result<(), BackupError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            {
                let mut t = tx.open_table(BACKUPS)?;
                if let Some(mut b) = rec::get(&t, id)? {
                    if matches!(b.state, BackupState::Running { .. }) {
                        b.state = BackupState::Running { processed, total };
                        rec::put(&mut t, &b)?;
                    }
                }
            }
            tx.commit()?;
            Ok::<_, BackupError>(())
        })
        .await
    }

    /// After a failure: stop the job if it still runs, drop the checkpoint it made, remove its
    /// files.
    async fn discard(
        &self,
        b: &BackupRecord,
        names: &[(String, Option<crate::domain::disk::DiskId>, PathBuf, Names)],
        hv: &Arc<dyn crate::hv::Hypervisor>,
        uuid: uuid::Uuid,
    ) {
        let (h, cp) = (hv.clone(), b.checkpoint.clone());
        let files: Vec<Names> = names.iter().map(|n| n.3.clone()).collect();
        let _ = blocking(move || {
            if matches!(h.backup_state(&uuid), Ok(JobState::Running { .. })) {
                let _ = h.backup_abort(&uuid);
            }
            if let Some(cp) = cp {
                let _ = h.delete_checkpoint(&uuid, &cp, false);
            }
            for n in &files {
                let _ = n.clear_leftovers();
                let _ = images::remove_if_exists(&n.done);
            }
            Ok::<_, BackupError>(())
        })
        .await;
    }

    /// Delete the checkpoints of schedule `sched`'s backups older than `keep_from`: the next
    /// incremental backup starts from the newest.
    async fn drop_checkpoints_before(
        &self,
        vm: VmId,
        sched: u64,
        keep_from: u64,
        hv: &Arc<dyn crate::hv::Hypervisor>,
        uuid: uuid::Uuid,
    ) {
        let Ok(list) = self.list(Scope::Admin, vm) else { return };
        let old: Vec<String> = list
            .iter()
            .filter(|b| b.schedule == Some(sched) && b.id < keep_from)
            .filter_map(|b| b.checkpoint.clone())
            .collect();
        let h = hv.clone();
        let _ = blocking(move || {
            let have = h.checkpoints(&uuid)?;
            for cp in old.iter().filter(|c| have.contains(c)) {
                if let Err(e) = h.delete_checkpoint(&uuid, cp, false) {
                    tracing::warn!(checkpoint = cp, "cannot delete an old checkpoint: {e}");
                }
            }
            Ok::<_, BackupError>(())
        })
        .await;
    }

    /// At start-up: backups a stopped daemon left running are failed (their job stopped, their
    /// checkpoint and files removed). Returns how many.
    pub async fn recover(&self) -> Result<usize, BackupError> {
        let stale: Vec<BackupRecord> = {
            let tx = self.store.read()?;
            rec::all(&tx.open_table(BACKUPS)?)?
                .into_iter()
                .filter(|b| matches!(b.state, BackupState::Running { .. }))
                .collect()
        };
        for b in &stale {
            if let (Ok(vm), Ok(hv)) = (self.vms.get_any(b.vm), self.vms.hv()) {
                let names: Vec<(String, Option<crate::domain::disk::DiskId>, PathBuf, Names)> =
                    std::fs::read_dir(self.vm_dir(b.vm))
                        .into_iter()
                        .flatten()
                        .flatten()
                        .filter(|e| e.file_name().to_string_lossy().starts_with(&format!("b{}-", b.id)))
                        .map(|e| {
                            let p = e.path();
                            let base = strip_suffixes(&p);
                            (String::new(), None, base.clone(), Names::of(&base))
                        })
                        .collect();
                let mut cp = b.clone();
                cp.checkpoint = Some(checkpoint_name(b.id));
                self.discard(&cp, &names, &hv, vm.uuid).await;
            }
            let mut failed = b.clone();
            failed.state =
                BackupState::Failed { reason: "Interrupted: the daemon stopped during the backup".into() };
            self.finish_record(failed, Vec::new(), format!("backup {} interrupted by a daemon stop", b.id))
                .await?;
        }
        Ok(stale.len())
    }
}

/// `x.qcow2` for `x.qcow2`, `x.qcow2.job` and `x.qcow2.partial`.
fn strip_suffixes(p: &Path) -> PathBuf {
    let s = p.to_string_lossy();
    let s = s.strip_suffix(".job").or_else(|| s.strip_suffix(".partial")).unwrap_or(&s);
    PathBuf::from(s)
}
