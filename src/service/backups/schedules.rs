//! Backup schedules of a VM: several per VM, each with its frequency, time in the account's
//! time zone and retention; the tick that starts due backups (a run missed while the daemon
//! was down is made once) and retention after each scheduled backup.

use redb::ReadableTable;

use super::{BackupError, Backups};
use crate::domain::backup;
use crate::domain::schedule::{self, When};
use crate::domain::vm::VmId;
use crate::service::Coded;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::backups::{self as rec, BackupState, ScheduleRecord};
use crate::store::holdings;
use crate::store::tables::{
    BACKUP_SCHEDULES, BACKUPS, META, META_LAST_SCHEDULE_ID, VM_BACKUPS, VM_SCHEDULES,
};

/// Schedules one VM may have.
pub const MAX_PER_VM: usize = 8;

/// The most backups a schedule may keep.
pub const MAX_KEEP: u32 = 60;

impl Backups {
    /// Add a schedule to `vm`. Its first run is the first time it names after now.
    pub async fn add_schedule(
        &self,
        caller: &Caller,
        vm: VmId,
        when: When,
        keep: u32,
    ) -> Result<ScheduleRecord, BackupError> {
        when.validate().map_err(BackupError::Schedule)?;
        if !self.frequencies.contains(&when.frequency) {
            return Err(BackupError::FrequencyNotOffered(when.frequency.as_str()));
        }
        if !(1..=MAX_KEEP).contains(&keep) {
            return Err(BackupError::Keep(MAX_KEEP));
        }
        let v = self.visible_vm(caller, vm)?;
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let existing =
                rec::schedules_of_vm(&tx.open_table(VM_SCHEDULES)?, &tx.open_table(BACKUP_SCHEDULES)?, v.id)?;
            if existing.len() >= MAX_PER_VM {
                return Err(BackupError::TooManySchedules(MAX_PER_VM));
            }
            let id = {
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_SCHEDULE_ID)?.map(|x| x.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_SCHEDULE_ID, id)?;
                id
            };
            let s = ScheduleRecord {
                id,
                vm: v.id,
                owner: v.owner,
                when,
                keep,
                handled_until: now,
                created_at: now,
            };
            rec::put_schedule(&mut tx.open_table(BACKUP_SCHEDULES)?, &s)?;
            tx.open_table(VM_SCHEDULES)?.insert((v.id.0, id), ())?;
            let detail = schedule_detail(id, &when, Some(keep));
            audit::record(
                &tx,
                now,
                &caller,
                v.owner,
                &format!("vm:{}", v.id),
                "backup.schedule.add",
                detail,
            )?;
            tx.commit()?;
            Ok::<_, BackupError>(s)
        })
        .await
    }

    /// A VM's schedules, oldest first.
    pub fn schedules(&self, caller: &Caller, vm: VmId) -> Result<Vec<ScheduleRecord>, BackupError> {
        self.visible_vm(caller, vm)?;
        let tx = self.store.read()?;
        Ok(rec::schedules_of_vm(&tx.open_table(VM_SCHEDULES)?, &tx.open_table(BACKUP_SCHEDULES)?, vm)?)
    }

    /// Remove a schedule. Its backups stay (until the customer deletes them); the next backup
    /// of another schedule never chains on them.
    pub async fn remove_schedule(&self, caller: &Caller, vm: VmId, id: u64) -> Result<(), BackupError> {
        let v = self.visible_vm(caller, vm)?;
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let s = rec::get_schedule(&tx.open_table(BACKUP_SCHEDULES)?, id)?.filter(|s| s.vm == v.id);
            let s = s.ok_or(BackupError::NotFound)?;
            tx.open_table(BACKUP_SCHEDULES)?.remove(id)?;
            tx.open_table(VM_SCHEDULES)?.remove((v.id.0, id))?;
            let detail = schedule_detail(id, &s.when, None);
            audit::record(
                &tx,
                now,
                &caller,
                v.owner,
                &format!("vm:{}", v.id),
                "backup.schedule.remove",
                detail,
            )?;
            tx.commit()?;
            Ok::<_, BackupError>(())
        })
        .await
    }

    /// How many backups schedule `id` keeps; `None` when it no longer exists.
    pub(super) fn keep_of(&self, id: u64) -> Option<u32> {
        let tx = self.store.read().ok()?;
        let t = tx.open_table(BACKUP_SCHEDULES).ok()?;
        rec::get_schedule(&t, id).ok().flatten().map(|s| s.keep)
    }

    /// Start the backups that are due: for each schedule, the latest of its runs since the
    /// last one dealt with (one run after any pause). Marking the run dealt with and writing
    /// the backup's record happen in one transaction, so a run is started at most once.
    /// Returns the backups started.
    pub async fn tick(&self) -> Result<Vec<u64>, BackupError> {
        let now = self.clock.now();
        let all: Vec<ScheduleRecord> = {
            let tx = self.store.read()?;
            rec::all_schedules(&tx.open_table(BACKUP_SCHEDULES)?)?
        };
        let mut started = Vec::new();
        for s in all {
            let tz = schedule::zone(&self.time_zone_of(s.owner)).unwrap_or(jiff::tz::TimeZone::UTC);
            let Some(slot) = schedule::due(&s.when, &tz, s.handled_until, now) else { continue };
            match self.create_scheduled(&s, slot).await {
                Ok(Some(id)) => {
                    let this = self.clone();
                    tokio::spawn(async move { this.run_scheduled(id).await });
                    started.push(id);
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(schedule = s.id, code = e.code(), "scheduled backup not started: {e}")
                }
            }
        }
        Ok(started)
    }
}

/// Attempts of a scheduled backup before it is reported failed.
pub const ATTEMPTS: u32 = 3;

/// Wait between attempts.
pub const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(300);

impl Backups {
    /// Mark `slot` of schedule `s` dealt with and write its backup's record; `None` when the
    /// slot was dealt with already, or the quota is used up (recorded in the activity log).
    async fn create_scheduled(
        &self,
        s: &ScheduleRecord,
        slot: crate::domain::time::Timestamp,
    ) -> Result<Option<u64>, BackupError> {
        let (store, sid) = (self.store.clone(), s.id);
        let fresh = blocking(move || {
            let tx = store.write()?;
            let cur = rec::get_schedule(&tx.open_table(BACKUP_SCHEDULES)?, sid)?;
            let Some(mut cur) = cur.filter(|c| c.handled_until < slot) else {
                return Ok::<_, BackupError>(false);
            };
            cur.handled_until = slot;
            rec::put_schedule(&mut tx.open_table(BACKUP_SCHEDULES)?, &cur)?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
        if !fresh {
            return Ok(None);
        }
        match self.create(&Caller::system(), s.vm, Some(s.id)).await {
            Ok(id) => Ok(Some(id)),
            Err(e @ (BackupError::Quota(_) | BackupError::StorageFull { .. })) => {
                let why = format!("{e} ({})", e.code());
                self.note(s, &why).await;
                let hostname = self.vms.get(&Caller::system(), s.vm).map(|v| v.hostname).unwrap_or_default();
                let n = crate::service::notices::told(
                    "backup.skipped",
                    crate::i18n::Msg::NoticeBackupSkipped,
                    Some(crate::i18n::Msg::NoticeBackupSkippedBody),
                    vec![("hostname", hostname.into()), ("reason", why.into())],
                    Some("/backups".into()),
                );
                if let Err(e) = self.notices.notify(crate::store::notices::Audience::User(s.owner), n).await {
                    tracing::error!(schedule = s.id, "cannot write the notice: {e}");
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Run a scheduled backup, retrying a failure, then apply the schedule's retention.
    async fn run_scheduled(&self, first: u64) {
        let mut id = first;
        for attempt in 1..=ATTEMPTS {
            self.run(id).await;
            let Ok(b) = self.get(&Caller::system(), id) else { return };
            match b.state {
                BackupState::Done => {
                    if let Err(e) = self.apply_retention(b.vm).await {
                        tracing::warn!(vm = %b.vm, code = e.code(), "backup retention failed: {e}");
                    }
                    return;
                }
                BackupState::Failed { ref reason } if attempt == ATTEMPTS => {
                    tracing::error!(backup = id, "scheduled backup failed {ATTEMPTS} times");
                    self.report_failure(&b, reason, ATTEMPTS).await;
                    return;
                }
                _ => {
                    tokio::time::sleep(self.retry_after).await;
                    let Some(sched) = b.schedule else { return };
                    match self.create(&Caller::system(), b.vm, Some(sched)).await {
                        Ok(next) => id = next,
                        Err(e) => {
                            tracing::warn!(
                                backup = id,
                                code = e.code(),
                                "cannot retry a scheduled backup: {e}"
                            );
                            let reason = format!("{e} ({})", e.code());
                            self.report_failure(&b, &reason, attempt).await;
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Delete the backups of `vm` that its schedules no longer keep (never one a kept backup
    /// needs). Returns the ids deleted.
    pub async fn apply_retention(&self, vm: VmId) -> Result<Vec<u64>, BackupError> {
        let stored = self.stored_of(vm)?;
        {
            // A new VM is being made from one of them: its chain must stay; prune next time.
            let tx = self.store.read()?;
            let restores = tx.open_table(crate::store::tables::VM_RESTORES)?;
            for b in &stored {
                if rec::is_being_restored(&restores, b.id)? {
                    return Ok(Vec::new());
                }
            }
        }
        let gone = backup::prune(&stored, |s| self.keep_of(s));
        for id in &gone {
            self.remove_backup(*id, &Caller::system()).await?;
        }
        Ok(gone)
    }

    /// Delete a backup's files, then its record and quota holding.
    pub(super) async fn remove_backup(&self, id: u64, caller: &Caller) -> Result<(), BackupError> {
        let b = self.get(&Caller::system(), id)?;
        for f in &b.files {
            crate::host::images::remove_if_exists(&self.file_path(&b, f))?;
        }
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            tx.open_table(BACKUPS)?.remove(b.id)?;
            tx.open_table(VM_BACKUPS)?.remove((b.vm.0, b.id))?;
            holdings::remove(&tx, now, b.owner, holdings::Kind::Backup, b.id)?;
            audit::record(
                &tx,
                now,
                &caller,
                b.owner,
                &format!("vm:{}", b.vm),
                "backup.delete",
                format!("#{}", b.id),
            )?;
            tx.commit()?;
            Ok::<_, BackupError>(())
        })
        .await
    }

    /// Write a line about schedule `s` to its owner's activity log.
    async fn note(&self, s: &ScheduleRecord, detail: &str) {
        let (store, now, s, detail) = (self.store.clone(), self.clock.now(), s.clone(), detail.to_string());
        let _ = blocking(move || {
            let tx = store.write()?;
            audit::record(
                &tx,
                now,
                &Caller::system(),
                s.owner,
                &format!("vm:{}", s.vm),
                "backup.skipped",
                &detail,
            )?;
            tx.commit()?;
            Ok::<_, BackupError>(())
        })
        .await;
    }
}

/// Schedule `id` running `when` (keeping `keep` backups) in an audit entry's details.
fn schedule_detail(id: u64, when: &crate::domain::schedule::When, keep: Option<u32>) -> audit::Detail {
    audit::told(
        crate::i18n::Msg::AuditSchedule,
        vec![
            ("id", id.into()),
            ("frequency", when.frequency.as_str().into()),
            ("minute", format!("{:02}", when.minute).into()),
            ("time", format!("{:02}:{:02}", when.hour, when.minute).into()),
            ("weekday", u32::from(when.weekday).into()),
            ("day", u32::from(when.day).into()),
            ("keep", keep.map_or_else(|| "none".to_string(), |k| k.to_string()).into()),
        ],
    )
}
