//! Snapshots of a server's disks: the owner takes them (within the account's snapshot quota),
//! lists them, reverts the server to one (confirmed by typing the hostname) and deletes them.
//!
//! They are libvirt's internal snapshots: kept inside the server's own qcow2 files, with its
//! memory as well when the server runs, so a revert brings back a running server where it was.
//! Each is an operation like reinstall: the record is written (state `Taking`, `Reverting`,
//! `Deleting`) in the transaction that begins it, the one step does the libvirt call (again
//! after a crash: each is idempotent), and the operation's end settles the record.
//!
//! What they mean for the rest of the server:
//! - Billing and quota: each snapshot is an account holding, counted against the `snapshots`
//!   quota and billed like backup storage at the size of the server's disk files when it was
//!   taken (as a full backup of that moment would be).
//! - Backups' checkpoints: QEMU cannot load a snapshot into disks that carry dirty bitmaps, so
//!   a revert drops the server's backup checkpoints first; its next backup is a full one.
//! - Disk sizes: a revert brings back the sizes the disks had; vpsbox grows them back to what
//!   the server has paid for since.
//! - Reinstall and restore (which replace the disks) and detaching a disk a snapshot covers are
//!   refused while snapshots exist (`VM0030`); a plan change and growing a disk work.
//! - libvirt also puts back the definition the snapshot holds; vpsbox defines the server from
//!   its records again at once, so the next power cycle runs today's configuration, and plugs
//!   in extra disks attached since.

use redb::ReadableTable;

use super::ops::load_vm;
use super::{VmError, Vms};
use crate::domain::disk::DiskSpec;
use crate::domain::quota::{self, Amounts};
use crate::domain::time::Timestamp;
use crate::domain::vm::{DomainKind, VmId};
use crate::host::images;
use crate::hv::{Device, Hypervisor};
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::quotas::{limits_in, usage_in};
use crate::store::holdings::{self, Kind};
use crate::store::operations::{self, OpState};
use crate::store::records::IntentRecord;
use crate::store::records::{IntentOp, VmRecord};
use crate::store::snapshots::{self, SnapshotRecord, SnapshotState};
use crate::store::tables::{INTENTS, VMS};
use crate::store::tables::{META_LAST_SNAPSHOT_ID, OWNER_HOLDINGS, OWNER_VMS, QUOTAS, SNAPSHOTS, VM_RESCUE};
use crate::store::vms;

/// A snapshot's name: 1 to 64 printable characters (surrounding spaces trimmed); empty gives
/// one from the time.
pub fn snapshot_label(input: &str, now: Timestamp) -> Result<String, VmError> {
    let label = input.trim();
    if label.is_empty() {
        return Ok(format!("snapshot {}", now.rfc3339()));
    }
    if label.chars().count() > 64 || label.chars().any(char::is_control) {
        return Err(VmError::SnapshotLabel);
    }
    Ok(label.to_string())
}

impl Vms {
    /// The snapshots of `id`, oldest first.
    pub fn snapshots(&self, caller: &Caller, id: VmId) -> Result<Vec<SnapshotRecord>, VmError> {
        self.get(caller, id)?;
        Ok(snapshots::of_vm(&self.store.read()?.open_table(SNAPSHOTS)?, id)?)
    }

    /// Take a snapshot of `id`'s disks (and memory, while it runs) named `label`. The
    /// operation's id.
    pub async fn take_snapshot(&self, caller: &Caller, id: VmId, label: &str) -> Result<u64, VmError> {
        let vm = self.get(caller, id)?;
        if vm.suspended {
            return Err(VmError::Suspended);
        }
        let label = snapshot_label(label, self.clock.now())?;
        let hv = self.hv()?;
        let uuid = vm.uuid;
        let running =
            blocking(move || Ok::<_, VmError>(hv.state(&uuid)?)).await?.is_some_and(|s| s.is_active());
        let attached = self.attached_disks(&vm)?;
        let (default, now) = (self.quota_default, self.clock.now());
        self.begin(caller, id, IntentOp::Snapshot, move |vm, tx| {
            refuse_in_rescue(tx, vm.id)?;
            let limits = limits_in(&tx.open_table(QUOTAS)?, vm.owner, &default)?;
            let used = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, vm.owner)?;
            quota::check(&limits, &used, &Amounts { snapshots: 1, ..Amounts::default() })?;
            let sid = crate::store::next_id(tx, META_LAST_SNAPSHOT_ID)?;
            let mut sizes_gb = vec![vm.spec.disk_gb];
            sizes_gb.extend(attached.iter().map(|d| d.size_gb));
            let rec = SnapshotRecord {
                id: sid,
                vm: vm.id,
                label: label.clone(),
                taken_at: now,
                running,
                state: SnapshotState::Taking,
                bytes: 0,
                disks: attached.iter().map(|d| d.id.0).collect(),
                sizes_gb,
            };
            snapshots::put(tx, &rec)?;
            // Counted against the quota from now; billed once its size is known.
            holdings::put(tx, now, vm.owner, Kind::Snapshot, sid, 0)?;
            Ok(label.into())
        })
        .await
    }

    /// Bring `id` back to snapshot `snap`: the caller typed the hostname to confirm. The
    /// operation's id.
    pub async fn revert_snapshot(
        &self,
        caller: &Caller,
        id: VmId,
        snap: u64,
        confirm: &str,
    ) -> Result<u64, VmError> {
        let vm = self.get(caller, id)?;
        if confirm.trim().to_ascii_lowercase().trim_end_matches('.') != vm.hostname {
            return Err(VmError::ConfirmMismatch);
        }
        if vm.suspended {
            return Err(VmError::Suspended);
        }
        self.hv()?;
        let attached: Vec<u64> = self.attached_disks(&vm)?.iter().map(|d| d.id.0).collect();
        self.begin(caller, id, IntentOp::RevertSnapshot, move |vm, tx| {
            refuse_in_rescue(tx, vm.id)?;
            let mut rec = ready_snapshot(tx, vm.id, snap)?;
            if rec.disks.iter().any(|d| !attached.contains(d)) {
                return Err(VmError::SnapshotDisksChanged);
            }
            rec.state = SnapshotState::Reverting;
            snapshots::put(tx, &rec)?;
            Ok(rec.label.into())
        })
        .await
    }

    /// Delete snapshot `snap` of `id`. The operation's id.
    pub async fn delete_snapshot(&self, caller: &Caller, id: VmId, snap: u64) -> Result<u64, VmError> {
        self.get(caller, id)?;
        self.hv()?;
        self.begin(caller, id, IntentOp::DeleteSnapshot, move |vm, tx| {
            refuse_in_rescue(tx, vm.id)?;
            let mut rec = ready_snapshot(tx, vm.id, snap)?;
            rec.state = SnapshotState::Deleting;
            snapshots::put(tx, &rec)?;
            Ok(rec.label.into())
        })
        .await
    }

    /// Refuse what would replace or remove `id`'s disks while it has snapshots (`VM0030`).
    pub fn refuse_with_snapshots(&self, id: VmId) -> Result<(), VmError> {
        let n = snapshots::of_vm(&self.store.read()?.open_table(SNAPSHOTS)?, id)?.len();
        if n > 0 {
            return Err(VmError::HasSnapshots(n));
        }
        Ok(())
    }

    /// The snapshot the running operation on `vm` works on.
    fn pending_snapshot(&self, vm: &VmRecord) -> Result<SnapshotRecord, VmError> {
        snapshots::pending(&self.store.read()?.open_table(SNAPSHOTS)?, vm.id)?.ok_or(VmError::NoSnapshot)
    }

    /// The `TakeSnapshot` step: the snapshot made (if not yet), its billed size written.
    pub(super) fn take_snapshot_step(&self, vm: &VmRecord) -> Result<(), VmError> {
        let rec = self.pending_snapshot(vm)?;
        let hv = self.hv()?;
        hv.snapshot_create(&vm.uuid, &rec.libvirt_name(), &rec.label)?;
        let mut bytes = images::allocated_bytes(&self.paths.disk(&vm.uuid));
        for d in &rec.disks {
            bytes = bytes
                .saturating_add(images::allocated_bytes(&self.paths.volume(crate::domain::disk::DiskId(*d))));
        }
        let tx = self.store.write()?;
        let found = snapshots::get(&tx.open_table(SNAPSHOTS)?, vm.id, rec.id)?;
        if let Some(mut r) = found {
            r.bytes = bytes;
            snapshots::put(&tx, &r)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The `RevertSnapshot` step: the backup checkpoints dropped (QEMU refuses to load a
    /// snapshot into disks with dirty bitmaps), the revert, the definition from the records
    /// again, the disks grown back to today's sizes and disks attached since plugged in.
    pub(super) fn revert_snapshot_step(&self, vm: &VmRecord) -> Result<(), VmError> {
        let rec = self.pending_snapshot(vm)?;
        let hv = self.hv()?;
        let kind = self.domain_kind(hv.as_ref())?;
        let attached = self.attached_disks(vm)?;
        if kind != DomainKind::Test {
            self.drop_checkpoints(hv.as_ref(), vm, &attached)?;
        }
        hv.snapshot_revert(&vm.uuid, &rec.libvirt_name())?;
        self.define_vm(hv.as_ref(), vm)?;
        if kind == DomainKind::Test {
            return Ok(());
        }
        let running = hv.state(&vm.uuid)?.is_some_and(|s| s.is_active());
        let mut disks = vec![("vda".to_string(), self.paths.disk(&vm.uuid), vm.spec.disk_gb)];
        for d in &attached {
            if let Some(spec) = self.disk_spec(d) {
                if running && !rec.disks.contains(&d.id.0) {
                    // Attached after the snapshot: not in the definition it ran with.
                    hv.attach_live(&vm.uuid, kind, &Device::Disk(spec))?;
                    continue;
                }
                let DiskSpec { target, path, .. } = spec;
                disks.push((target, path, d.size_gb));
            }
        }
        for (target, path, gb) in disks {
            if running {
                if images::virtual_size(&path)? < gb << 30 {
                    hv.resize_disk_live(&vm.uuid, &target, gb << 30)?;
                }
            } else {
                images::grow(&path, gb)?;
            }
        }
        Ok(())
    }

    /// Remove every backup checkpoint of `vm`: through libvirt while it runs; for a server that
    /// is off (libvirt cannot delete a checkpoint's bitmaps then), the metadata through libvirt
    /// and the bitmaps from the files.
    fn drop_checkpoints(
        &self,
        hv: &dyn Hypervisor,
        vm: &VmRecord,
        attached: &[crate::store::records::DiskRecord],
    ) -> Result<(), VmError> {
        let running = hv.state(&vm.uuid)?.is_some_and(|s| s.is_active());
        for cp in hv.checkpoints(&vm.uuid)? {
            hv.delete_checkpoint(&vm.uuid, &cp, !running)?;
        }
        if !running {
            images::remove_bitmaps(&self.paths.disk(&vm.uuid))?;
            for d in attached {
                images::remove_bitmaps(&self.paths.volume(d.id))?;
            }
        }
        Ok(())
    }

    /// The `DeleteSnapshot` step.
    pub(super) fn delete_snapshot_step(&self, vm: &VmRecord) -> Result<(), VmError> {
        let rec = self.pending_snapshot(vm)?;
        Ok(self.hv()?.snapshot_delete(&vm.uuid, &rec.libvirt_name())?)
    }

    /// A snapshot operation that failed. The server is as the failed step left it (a failed
    /// revert may have stopped it): its power state is read again, the snapshot record settled,
    /// and a half-made snapshot removed (best effort).
    pub(super) async fn snapshot_failed(
        &self,
        intent: IntentRecord,
        code: String,
        message: String,
    ) -> Result<(), VmError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let power = self.hv().and_then(|hv| Ok(hv.state(&self.get(&Caller::system(), intent.vm)?.uuid)?));
        let power = power.ok().flatten();
        let this = self.clone();
        blocking(move || {
            let tx = store.write()?;
            let mut vm = load_vm(&tx.open_table(VMS)?, intent.vm)?;
            tx.open_table(INTENTS)?.remove(intent.vm.0)?;
            let failed = OpState::Failed { code: code.clone(), message: message.clone() };
            operations::end(&tx, intent.vm, failed, now)?;
            let pending =
                crate::store::snapshots::pending(&tx.open_table(crate::store::tables::SNAPSHOTS)?, vm.id)?;
            let (action, label) = super::snapshots::settle_in(&tx, &vm, intent.op, now, false)?;
            if let Some(p) = power {
                vm.power = p;
            }
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            super::log_system(&tx, now, &vm, action, format!("{label} — {code}: {message}"))?;
            tx.commit()?;
            if let Some(s) = pending.filter(|_| intent.op == IntentOp::Snapshot) {
                // A half-made snapshot of the failed step goes (best effort).
                if let Err(e) = this.hv().and_then(|hv| Ok(hv.snapshot_delete(&vm.uuid, &s.libvirt_name())?))
                {
                    tracing::warn!(vm = %vm.id, "cannot remove a failed snapshot: {e}");
                }
            }
            Ok(())
        })
        .await
    }
}

/// Settle the snapshot record of a snapshot operation on `vm` that ended (`ok`: succeeded);
/// the audit action to log and the snapshot's name. Taking: billed from now at its size (or, failed, forgotten and
/// never billed); reverting: ready again; deleting: gone (or, failed, ready again).
pub(super) fn settle_in(
    tx: &redb::WriteTransaction,
    vm: &VmRecord,
    op: IntentOp,
    now: Timestamp,
    ok: bool,
) -> Result<(&'static str, String), VmError> {
    let Some(mut rec) = snapshots::pending(&tx.open_table(SNAPSHOTS)?, vm.id)? else {
        return Ok(("vm.snapshot_failed", String::new()));
    };
    let label = rec.label.clone();
    match (op, ok) {
        (IntentOp::Snapshot, true) => {
            holdings::put(tx, now, vm.owner, Kind::Snapshot, rec.id, rec.bytes)?;
        }
        (IntentOp::Snapshot, false) => {
            holdings::discard(tx, vm.owner, Kind::Snapshot, rec.id)?;
            snapshots::remove(tx, vm.id, rec.id)?;
            return Ok(("vm.snapshot_failed", label));
        }
        (IntentOp::DeleteSnapshot, true) => {
            holdings::remove(tx, now, vm.owner, Kind::Snapshot, rec.id)?;
            snapshots::remove(tx, vm.id, rec.id)?;
            return Ok(("vm.snapshot_deleted", label));
        }
        _ => {}
    }
    rec.state = SnapshotState::Ready;
    snapshots::put(tx, &rec)?;
    let action = match (op, ok) {
        (_, false) => "vm.snapshot_failed",
        (IntentOp::RevertSnapshot, true) => "vm.snapshot_reverted",
        _ => "vm.snapshot_taken",
    };
    Ok((action, label))
}

/// Forget every snapshot of a server being deleted (its files go with it): billing stops.
pub(super) fn forget_in(tx: &redb::WriteTransaction, vm: &VmRecord, now: Timestamp) -> Result<(), VmError> {
    let all = snapshots::of_vm(&tx.open_table(SNAPSHOTS)?, vm.id)?;
    for s in all {
        holdings::remove(tx, now, vm.owner, Kind::Snapshot, s.id)?;
        snapshots::remove(tx, vm.id, s.id)?;
    }
    Ok(())
}

/// Refuse what would replace or remove the disks snapshots live in while `vm` has any.
pub(super) fn refuse_with_snapshots(tx: &redb::WriteTransaction, vm: VmId) -> Result<(), VmError> {
    let n = snapshots::of_vm(&tx.open_table(SNAPSHOTS)?, vm)?.len();
    if n > 0 {
        return Err(VmError::HasSnapshots(n));
    }
    Ok(())
}

fn refuse_in_rescue(tx: &redb::WriteTransaction, vm: VmId) -> Result<(), VmError> {
    if tx.open_table(VM_RESCUE)?.get(vm.0)?.is_some() {
        return Err(VmError::InRescue);
    }
    Ok(())
}

/// Snapshot `snap` of `vm`, ready for an operation.
fn ready_snapshot(tx: &redb::WriteTransaction, vm: VmId, snap: u64) -> Result<SnapshotRecord, VmError> {
    let rec = snapshots::get(&tx.open_table(SNAPSHOTS)?, vm, snap)?.ok_or(VmError::NoSnapshot)?;
    if rec.state != SnapshotState::Ready {
        return Err(VmError::Busy("another operation is running"));
    }
    Ok(rec)
}
