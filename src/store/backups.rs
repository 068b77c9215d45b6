//! Stored backups of VMs: one record per backup (its files, chain link, state), the backup
//! schedules, and the indexes of a VM's backups and schedules.

use redb::{ReadableTable, Table};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use crate::domain::account::UserId;
use crate::domain::backup::Kind;
use crate::domain::catalog::TemplateId;
use crate::domain::disk::DiskId;
use crate::domain::schedule::When;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// Where a backup is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackupState {
    /// Being made: bytes processed of the total.
    Running {
        /// Bytes done.
        processed: u64,
        /// Bytes in all.
        total: u64,
    },
    /// Finished, checked and listed.
    Done,
    /// Failed; no file of it is kept.
    Failed {
        /// Why.
        reason: String,
    },
}

/// One disk's file of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    /// The disk's target in the VM (`vda` is the system disk).
    pub target: String,
    /// The extra disk it is, if not the system disk.
    pub disk: Option<DiskId>,
    /// File name in the VM's backup directory.
    pub name: String,
    /// File size.
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

/// A backup of one VM's disks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupRecord {
    /// Id.
    pub id: u64,
    /// The VM.
    pub vm: VmId,
    /// Its owner.
    pub owner: UserId,
    /// The VM's hostname then, for pages.
    pub hostname: String,
    /// The OS template the VM was installed from (a VM restored from it gets the same).
    pub template: TemplateId,
    /// Its name then, for pages.
    pub template_name: String,
    /// The schedule that made it; `None` for "back up now".
    pub schedule: Option<u64>,
    /// The backup it holds the changes since (incremental).
    pub parent: Option<u64>,
    /// Full or incremental.
    pub kind: Kind,
    /// Taken from the running VM (`false`: copied while it was off).
    pub live: bool,
    /// The libvirt checkpoint taken with it, which the next incremental one starts from.
    pub checkpoint: Option<String>,
    /// Where it is.
    pub state: BackupState,
    /// When it was started.
    pub started_at: Timestamp,
    /// When it finished (or failed).
    pub finished_at: Option<Timestamp>,
    /// Its files, one per disk, once done.
    pub files: Vec<BackupFile>,
}

impl Record for BackupRecord {
    const KIND: &'static str = "backup";
    /// 2: gained `template` and `template_name`.
    const VERSION: u8 = 2;
}

impl BackupRecord {
    /// Total size of its files.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

/// Store `rec`.
pub fn put(t: &mut Table<u64, &[u8]>, rec: &BackupRecord) -> Result<(), StoreError> {
    t.insert(rec.id, encode(rec)?.as_slice())?;
    Ok(())
}

/// The backup `id`, if any.
pub fn get(t: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<Option<BackupRecord>, StoreError> {
    match t.get(id)? {
        Some(v) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// A VM's backups, oldest first.
pub fn of_vm(
    index: &impl ReadableTable<(u64, u64), ()>,
    t: &impl ReadableTable<u64, &'static [u8]>,
    vm: VmId,
) -> Result<Vec<BackupRecord>, StoreError> {
    let mut out = Vec::new();
    for row in index.range((vm.0, 0)..=(vm.0, u64::MAX))? {
        let (k, _) = row?;
        if let Some(r) = get(t, k.value().1)? {
            out.push(r);
        }
    }
    Ok(out)
}

/// Every backup.
pub fn all(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<BackupRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// A backup schedule of a VM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRecord {
    /// Id.
    pub id: u64,
    /// The VM.
    pub vm: VmId,
    /// Its owner (whose time zone the schedule follows).
    pub owner: UserId,
    /// When it runs.
    pub when: When,
    /// How many of its newest backups it keeps.
    pub keep: u32,
    /// Every run up to this time has been dealt with.
    pub handled_until: Timestamp,
    /// When it was added.
    pub created_at: Timestamp,
}

impl Record for ScheduleRecord {
    const KIND: &'static str = "backup schedule";
    const VERSION: u8 = 1;
}

/// Store schedule `s`.
pub fn put_schedule(t: &mut Table<u64, &[u8]>, s: &ScheduleRecord) -> Result<(), StoreError> {
    t.insert(s.id, encode(s)?.as_slice())?;
    Ok(())
}

/// Schedule `id`, if any.
pub fn get_schedule(
    t: &impl ReadableTable<u64, &'static [u8]>,
    id: u64,
) -> Result<Option<ScheduleRecord>, StoreError> {
    match t.get(id)? {
        Some(v) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// A VM's schedules, oldest first.
pub fn schedules_of_vm(
    index: &impl ReadableTable<(u64, u64), ()>,
    t: &impl ReadableTable<u64, &'static [u8]>,
    vm: VmId,
) -> Result<Vec<ScheduleRecord>, StoreError> {
    let mut out = Vec::new();
    for row in index.range((vm.0, 0)..=(vm.0, u64::MAX))? {
        let (k, _) = row?;
        if let Some(s) = get_schedule(t, k.value().1)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// Remove every schedule of `vm` (the VM is being deleted; its backups stay with the account).
pub fn remove_schedules_of_vm(tx: &redb::WriteTransaction, vm: VmId) -> Result<usize, StoreError> {
    use super::tables::{BACKUP_SCHEDULES, VM_SCHEDULES};
    let mut index = tx.open_table(VM_SCHEDULES)?;
    let ids: Vec<u64> = index
        .range((vm.0, 0)..=(vm.0, u64::MAX))?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    let mut t = tx.open_table(BACKUP_SCHEDULES)?;
    for id in &ids {
        t.remove(*id)?;
        index.remove((vm.0, *id))?;
    }
    Ok(ids.len())
}

/// Every schedule.
pub fn all_schedules(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<ScheduleRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// The backup a new VM's system disk is made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreSource {
    /// The backup.
    pub backup: u64,
    /// Its system disk's file (the top of its chain).
    pub file: String,
    /// OS template the backed-up server was installed from.
    pub template: crate::domain::catalog::TemplateId,
    /// Its name.
    pub template_name: String,
    /// The disk's size, GiB: the plan's disk must be at least this.
    pub min_disk_gb: u64,
}

impl Record for RestoreSource {
    const KIND: &'static str = "restore source";
    const VERSION: u8 = 1;
}

/// The backup VM `vm` is being made from, if any.
pub fn restore_source_of(
    t: &impl ReadableTable<u64, &'static [u8]>,
    vm: VmId,
) -> Result<Option<RestoreSource>, StoreError> {
    match t.get(vm.0)? {
        Some(v) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// Whether a VM is being made from backup `id`.
pub fn is_being_restored(t: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<bool, StoreError> {
    for row in t.iter()? {
        let r: RestoreSource = decode(row?.1.value())?;
        if r.backup == id {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An account's preferences.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccountPrefs {
    /// IANA time zone name for schedules and times shown (`UTC` when unset).
    pub time_zone: String,
}

impl Record for AccountPrefs {
    const KIND: &'static str = "account preferences";
    const VERSION: u8 = 1;
}

/// The preferences of `user` (defaults when none were saved).
pub fn prefs_of(
    t: &impl ReadableTable<u64, &'static [u8]>,
    user: UserId,
) -> Result<AccountPrefs, StoreError> {
    match t.get(user.0)? {
        Some(v) => decode(v.value()),
        None => Ok(AccountPrefs::default()),
    }
}
