//! Stored backups of VMs: one record per backup (its files, chain link, state), and the
//! index of a VM's backups.

use redb::{ReadableTable, Table};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use crate::domain::account::UserId;
use crate::domain::backup::Kind;
use crate::domain::disk::DiskId;
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
    const VERSION: u8 = 1;
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
