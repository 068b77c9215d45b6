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
pub use restore::RestoreAsNew;
mod run;
pub mod schedules;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use redb::ReadableTable;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::Clock;
use crate::domain::backup::Kind;
use crate::domain::quota::{self, Amounts, QuotaExceeded};
use crate::domain::vm::VmId;
use crate::host::images::ImageError;
use crate::hv::HvError;
use crate::service::audit;
use crate::service::caller::Caller;
use crate::service::quotas::{limits_in, usage_in};
use crate::service::vms::Vms;
use crate::service::{Coded, ErrorKind, blocking};
use crate::store::backups::{self as rec, BackupFile, BackupRecord, BackupState};
use crate::store::holdings;
use crate::store::records::VmPhase;
use crate::store::tables::{
    BACKUPS, META, META_LAST_BACKUP_ID, OWNER_HOLDINGS, OWNER_VMS, QUOTAS, VM_BACKUPS,
};
use crate::store::{Store, StoreError};

/// A backup's failure reason when the daemon stopped in the middle of it.
pub const INTERRUPTED: &str = "Interrupted: the daemon stopped during the backup";

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
    /// The host is short of disk space.
    #[error(transparent)]
    Space(#[from] crate::service::storage::LowSpace),
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
    /// Stored backups fill the account's backup storage.
    #[error(
        "Your backups use {used} of your {limit_gb} GiB of backup storage; delete older backups or ask for a quota increase"
    )]
    StorageFull {
        /// In use, for people (e.g. `4.2 GiB`).
        used: String,
        /// The limit.
        limit_gb: u64,
    },
    /// The backup has no system disk file.
    #[error("This backup holds no system disk, so no server can be made from it")]
    NoSystemDisk,
    /// The backup is being restored as a new server.
    #[error("A server is being made from this backup; try again when it is ready")]
    InUse,
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
            BackupError::NotDone
            | BackupError::HasDependent(_)
            | BackupError::StillRunning
            | BackupError::StorageFull { .. }
            | BackupError::InUse
            | BackupError::NoSystemDisk => ErrorKind::Conflict,
            BackupError::Hv(e) => e.kind(),
            BackupError::Vm(e) => e.kind(),
            BackupError::Store(e) => e.kind(),
            BackupError::Space(e) => e.kind(),
            BackupError::Image(_) => ErrorKind::Internal,
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
            BackupError::StorageFull { .. } => "BKP0014",
            BackupError::InUse => "BKP0015",
            BackupError::NoSystemDisk => "BKP0016",
            BackupError::Hv(e) => e.code(),
            BackupError::Vm(e) => e.code(),
            BackupError::Store(e) => e.code(),
            BackupError::Space(e) => e.code(),
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            BackupError::Quota(q) => q.args(),
            BackupError::Hv(e) => e.args(),
            BackupError::Vm(e) => e.args(),
            BackupError::Store(e) => e.args(),
            BackupError::Space(e) => e.args(),
            BackupError::Schedule(e) => e.args(),
            BackupError::FrequencyNotOffered(f) => vec![("frequency", (*f).into())],
            BackupError::Keep(n) => vec![("max", (*n).into())],
            BackupError::TooManySchedules(n) => vec![("max", (*n).into())],
            BackupError::Form(field) => vec![("field", field.split(' ').next().unwrap_or(field).into())],
            BackupError::HasDependent(id) => vec![("backup", (*id).into())],
            BackupError::StorageFull { used, limit_gb } => {
                vec![("used", used.as_str().into()), ("limit", (*limit_gb).into())]
            }
            _ => Vec::new(),
        }
    }
}

/// `bytes` as GiB with one decimal, for people.
pub fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
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
    /// Where failures are reported.
    notices: crate::service::notices::Notices,
    /// Free space kept on the host.
    space: crate::service::storage::SpaceFloor,
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
    /// Free space kept on the host (new backups are refused below it).
    pub space: crate::service::storage::SpaceFloor,
}

impl Backups {
    /// Backups as `settings` say.
    pub fn new(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        vms: Vms,
        settings: BackupSettings,
        quota_default: Amounts,
        notices: crate::service::notices::Notices,
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
            notices,
            space: settings.space,
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

    /// The VM `id` if `caller` sees it (another customer's answers "no such backup").
    fn visible_vm(&self, caller: &Caller, id: VmId) -> Result<crate::store::records::VmRecord, BackupError> {
        match self.vms.get(caller, id) {
            Err(e) if e.kind() == ErrorKind::NotFound => Err(BackupError::NotFound),
            other => Ok(other?),
        }
    }

    /// One backup, if `caller` sees it.
    pub fn get(&self, caller: &Caller, id: u64) -> Result<BackupRecord, BackupError> {
        let tx = self.store.read()?;
        let b = rec::get(&tx.open_table(BACKUPS)?, id)?.ok_or(BackupError::NotFound)?;
        if caller.sees(b.owner) { Ok(b) } else { Err(BackupError::NotFound) }
    }

    /// A VM's backups, newest first.
    pub fn list(&self, caller: &Caller, vm: VmId) -> Result<Vec<BackupRecord>, BackupError> {
        self.visible_vm(caller, vm)?;
        let tx = self.store.read()?;
        let mut out = rec::of_vm(&tx.open_table(VM_BACKUPS)?, &tx.open_table(BACKUPS)?, vm)?;
        out.reverse();
        Ok(out)
    }

    /// Every backup `owner` holds (running or stored), newest first, with whether its VM
    /// still exists: a deleted VM's backups stay with the account until deleted.
    pub fn list_account(
        &self,
        owner: crate::domain::account::UserId,
    ) -> Result<Vec<(BackupRecord, bool)>, BackupError> {
        let tx = self.store.read()?;
        let (t, vms) = (tx.open_table(BACKUPS)?, tx.open_table(crate::store::tables::VMS)?);
        let mut out = Vec::new();
        for (id, _) in holdings::of_kind(&tx.open_table(OWNER_HOLDINGS)?, owner, holdings::Kind::Backup)? {
            if let Some(b) = rec::get(&t, id)? {
                let exists = vms.get(b.vm.0)?.is_some();
                out.push((b, exists));
            }
        }
        out.sort_by_key(|(b, _)| std::cmp::Reverse(b.id));
        Ok(out)
    }

    /// Every backup on the host, newest first (admin).
    pub fn list_all(&self) -> Result<Vec<BackupRecord>, BackupError> {
        let tx = self.store.read()?;
        let mut out = rec::all(&tx.open_table(BACKUPS)?)?;
        out.reverse();
        Ok(out)
    }

    /// Delete backup `id` (its files, record and quota use), unless it is still running or a
    /// newer backup is built on it.
    pub async fn delete(&self, caller: &Caller, id: u64) -> Result<(), BackupError> {
        let b = self.get(caller, id)?;
        if matches!(b.state, BackupState::Running { .. }) {
            return Err(BackupError::StillRunning);
        }
        let lock = self.vm_lock(b.vm);
        let _one = lock.lock().await;
        let dependent = {
            let tx = self.store.read()?;
            if rec::is_being_restored(&tx.open_table(crate::store::tables::VM_RESTORES)?, id)? {
                return Err(BackupError::InUse);
            }
            rec::of_vm(&tx.open_table(VM_BACKUPS)?, &tx.open_table(BACKUPS)?, b.vm)?
                .into_iter()
                .find(|x| x.parent == Some(id))
        };
        if let Some(d) = dependent {
            return Err(BackupError::HasDependent(d.id));
        }
        self.remove_backup(id, caller).await
    }

    /// Start a backup of `vm` now (made with "back up now" when `schedule` is `None`): the
    /// record is written at once and the backup runs in the background. Returns its id.
    pub async fn start(&self, caller: &Caller, vm: VmId, schedule: Option<u64>) -> Result<u64, BackupError> {
        let id = self.create(caller, vm, schedule).await?;
        let this = self.clone();
        tokio::spawn(async move {
            this.run(id).await;
            if let Ok(b) = this.get(&Caller::system(), id)
                && let BackupState::Failed { reason } = &b.state
            {
                this.report_failure(&b, reason, 1).await;
            }
        });
        Ok(id)
    }

    /// Write the record of a new backup (quota checked and held in the same transaction).
    async fn create(&self, caller: &Caller, vm: VmId, schedule: Option<u64>) -> Result<u64, BackupError> {
        let v = self.visible_vm(caller, vm)?;
        if v.phase != VmPhase::Ready {
            return Err(BackupError::VmBusy);
        }
        self.space.check()?;
        let (store, now, default, caller) =
            (self.store.clone(), self.clock.now(), self.quota_default, caller.clone());
        blocking(move || {
            let tx = store.write()?;
            {
                let limits = limits_in(&tx.open_table(QUOTAS)?, v.owner, &default)?;
                let held = tx.open_table(OWNER_HOLDINGS)?;
                let used = usage_in(&tx.open_table(OWNER_VMS)?, &held, v.owner)?;
                quota::check(&limits, &used, &Amounts { backups: 1, ..Amounts::default() })?;
                let bytes: u64 =
                    holdings::of_kind(&held, v.owner, holdings::Kind::Backup)?.iter().map(|(_, b)| b).sum();
                if bytes >= limits.backup_gb.saturating_mul(1 << 30) {
                    return Err(BackupError::StorageFull { used: gib(bytes), limit_gb: limits.backup_gb });
                }
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
                template: v.template,
                template_name: v.template_name.clone(),
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
            holdings::put(&tx, now, v.owner, holdings::Kind::Backup, id, 0)?;
            let scheduled = if schedule.is_some() { "yes" } else { "no" };
            let detail = audit::told(
                crate::i18n::Msg::AuditBackupStart,
                vec![("backup", id.into()), ("scheduled", scheduled.into())],
            );
            audit::record(&tx, now, &caller, v.owner, &format!("vm:{}", v.id), "backup.start", detail)?;
            tx.commit()?;
            Ok::<_, BackupError>(id)
        })
        .await
    }

    /// Make backup `id` (waiting for a free slot and for any other backup of the VM), and
    /// record the outcome.
    pub async fn run(&self, id: u64) {
        let Ok(b) = self.get(&Caller::system(), id) else { return };
        let _slot = self.slots.clone().acquire_owned().await;
        let lock = self.vm_lock(b.vm);
        let _one = lock.lock().await;
        let outcome = self.make(&b).await;
        let (state, files, detail) = match outcome {
            Ok((made, files)) => {
                let detail = audit::told(
                    crate::i18n::Msg::AuditBackupDone,
                    vec![
                        ("backup", id.into()),
                        ("kind", made.kind.as_str().into()),
                        ("live", (if made.live { "yes" } else { "no" }).into()),
                    ],
                );
                (made, files, detail)
            }
            Err(e) => {
                tracing::warn!(backup = id, code = e.code(), "backup failed: {e}");
                let mut failed = b.clone();
                failed.state = BackupState::Failed { reason: format!("{} ({})", e, e.code()) };
                let detail = audit::told(
                    crate::i18n::Msg::AuditBackupFailed,
                    vec![("backup", id.into()), ("reason", format!("{e} ({})", e.code()).into())],
                );
                (failed, Vec::new(), detail)
            }
        };
        if let Err(e) = self.finish_record(state, files, detail).await {
            tracing::error!(backup = id, "cannot record the backup's outcome: {e}");
        }
    }

    /// Tell the owner and the admins that a backup failed (after `attempts` tries).
    pub(super) async fn report_failure(&self, b: &BackupRecord, reason: &str, attempts: u32) {
        use crate::i18n::Msg;
        use crate::service::notices::told;
        use crate::store::notices::Audience;
        let args = vec![
            ("backup", b.id.into()),
            ("hostname", b.hostname.clone().into()),
            ("account", b.owner.0.into()),
            ("attempts", attempts.into()),
            ("reason", reason.into()),
        ];
        let link = Some(format!("/vms/{}/backups", b.vm));
        let owner = told(
            "backup.failed",
            Msg::NoticeBackupFailed,
            Some(Msg::NoticeBackupFailedBody),
            args.clone(),
            link,
        );
        let admins = told(
            "backup.failed",
            Msg::NoticeBackupFailedAdmin,
            Some(Msg::NoticeBackupFailedAdminBody),
            args,
            Some("/admin/backups".into()),
        );
        for (to, n) in [(Audience::User(b.owner), owner), (Audience::Admins, admins)] {
            if let Err(e) = self.notices.notify(to, n).await {
                tracing::error!(backup = b.id, "cannot write the failure notice: {e}");
            }
        }
    }

    /// Write the final state of a backup (and its holding's size).
    async fn finish_record(
        &self,
        mut b: BackupRecord,
        files: Vec<BackupFile>,
        detail: audit::Detail,
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
                holdings::put(&tx, now, b.owner, holdings::Kind::Backup, b.id, b.bytes())?;
            } else {
                holdings::remove(&tx, now, b.owner, holdings::Kind::Backup, b.id)?;
            }
            audit::record(&tx, now, &Caller::system(), b.owner, &format!("vm:{}", b.vm), action, detail)?;
            tx.commit()?;
            Ok::<_, BackupError>(())
        })
        .await
    }
}
