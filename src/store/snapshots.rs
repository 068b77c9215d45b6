//! Snapshots of servers' disks: one record per snapshot under `(vm, id)`, so one range read
//! lists a server's. The snapshot itself lives in the server's qcow2 files (libvirt's internal
//! snapshots); the record says what the owner named it and where its operation is.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::SNAPSHOTS;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// Where a snapshot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SnapshotState {
    /// Being taken.
    Taking,
    /// Taken: it can be reverted to or deleted.
    Ready,
    /// The server is being reverted to it.
    Reverting,
    /// Being deleted.
    Deleting,
}

impl SnapshotState {
    /// The word pages and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotState::Taking => "taking",
            SnapshotState::Ready => "ready",
            SnapshotState::Reverting => "reverting",
            SnapshotState::Deleting => "deleting",
        }
    }
}

/// One snapshot of a server's disks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRecord {
    /// Identifier (unique across servers).
    pub id: u64,
    /// The server.
    pub vm: VmId,
    /// What the owner called it.
    pub label: String,
    /// When it was taken.
    pub taken_at: Timestamp,
    /// Whether the server was running (the snapshot then holds its memory too, and reverting
    /// to it resumes the server where it was).
    pub running: bool,
    /// Where it is.
    pub state: SnapshotState,
    /// Bytes it is billed as (the server's disk files when it was taken), set once taken.
    pub bytes: u64,
    /// The server's extra disks it covers (ids), besides the system disk.
    pub disks: Vec<u64>,
    /// The sizes of the server's disks when it was taken (GiB: the system disk, then `disks`
    /// in order): a revert brings back these sizes, and vpsbox grows them back to today's.
    pub sizes_gb: Vec<u64>,
}

impl Record for SnapshotRecord {
    const KIND: &'static str = "snapshot";
    const VERSION: u8 = 1;
}

impl SnapshotRecord {
    /// The snapshot's name in libvirt (unique per domain; the server's UUID tells whose).
    pub fn libvirt_name(&self) -> String {
        format!("vpsbox-s{}", self.id)
    }
}

/// The snapshots of `vm`, oldest first.
pub fn of_vm(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    vm: VmId,
) -> Result<Vec<SnapshotRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.range((vm.0, 0)..=(vm.0, u64::MAX))? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// Snapshot `id` of `vm`.
pub fn get(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    vm: VmId,
    id: u64,
) -> Result<Option<SnapshotRecord>, StoreError> {
    t.get((vm.0, id))?.map(|v| decode(v.value())).transpose()
}

/// The snapshot of `vm` an operation is working on (not `Ready`), if any.
pub fn pending(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    vm: VmId,
) -> Result<Option<SnapshotRecord>, StoreError> {
    Ok(of_vm(t, vm)?.into_iter().find(|s| s.state != SnapshotState::Ready))
}

/// Write a snapshot's record.
pub fn put(tx: &WriteTransaction, s: &SnapshotRecord) -> Result<(), StoreError> {
    tx.open_table(SNAPSHOTS)?.insert((s.vm.0, s.id), encode(s)?.as_slice())?;
    Ok(())
}

/// Forget a snapshot's record.
pub fn remove(tx: &WriteTransaction, vm: VmId, id: u64) -> Result<(), StoreError> {
    tx.open_table(SNAPSHOTS)?.remove((vm.0, id))?;
    Ok(())
}
