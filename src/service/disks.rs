//! Extra disks (see `domain::disk`): customers create, grow and delete them within their disk
//! quota; attaching and detaching goes through `Vms`, which redefines and hot-plugs the domain.
//!
//! Images live in `DATA_DIR/volumes/<id>.qcow2`. A disk is recorded (quota reserved) before its
//! image is made and its image removed after its record: [`Disks::reconcile_files`] (at start-up)
//! makes a missing image of a recorded disk and removes images without a record, so a crash
//! between the two steps leaves neither a phantom disk nor an orphan file.

use std::path::PathBuf;
use std::sync::Arc;

use redb::{ReadableTable, WriteTransaction};

use super::audit;
use super::caller::Caller;
use super::quotas::{limits_in, usage_in};
use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::disk::{self, DiskId, DiskSpecError, MAX_DISKS_PER_VM};
use crate::domain::quota::{self, Amounts, QuotaExceeded};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::host::images::{self, ImageError};
use crate::store::codec::{decode, encode};
use crate::store::holdings::{self, Kind};
use crate::store::host::{self, GoneRecord, HostKind};
use crate::store::records::DiskRecord;
use crate::store::tables::{
    DISKS, GONE, META, META_LAST_DISK_ID, OWNER_HOLDINGS, OWNER_VMS, QUOTAS, VM_DISKS,
};
use crate::store::{Store, StoreError};

/// Why a disk operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum DiskError {
    /// Bad name or size.
    #[error("{0}")]
    Spec(#[from] DiskSpecError),
    /// Over quota.
    #[error("{0}")]
    Quota(#[from] QuotaExceeded),
    /// No such disk (or not yours).
    #[error("No such disk")]
    NotFound,
    /// The disk is attached (to delete it, or to attach it elsewhere).
    #[error("The disk is attached to a virtual machine; detach it first")]
    Attached,
    /// The disk is not attached to that VM.
    #[error("The disk is not attached to this virtual machine")]
    NotAttached,
    /// Every disk slot of the VM is used.
    #[error("A virtual machine can have at most {MAX_DISKS_PER_VM} extra disks")]
    TooMany,
    /// A size that is not bigger.
    #[error("Disks can only grow: it has {old} GiB, {new} GiB is not more")]
    Shrink {
        /// Current size.
        old: u64,
        /// Size asked for.
        new: u64,
    },
    /// Image file failure.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The host is short of disk space.
    #[error(transparent)]
    Space(#[from] super::storage::LowSpace),
}

impl Coded for DiskError {
    fn code(&self) -> &'static str {
        match self {
            DiskError::Spec(DiskSpecError::Name) => "DSK0001",
            DiskError::Spec(DiskSpecError::Size(_)) => "DSK0002",
            DiskError::Quota(_) => "DSK0003",
            DiskError::NotFound => "DSK0004",
            DiskError::Attached => "DSK0005",
            DiskError::NotAttached => "DSK0006",
            DiskError::TooMany => "DSK0007",
            DiskError::Shrink { .. } => "DSK0008",
            DiskError::Image(e) => e.code(),
            DiskError::Store(e) => e.code(),
            DiskError::Space(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            DiskError::NotFound => ErrorKind::NotFound,
            DiskError::Attached | DiskError::NotAttached | DiskError::TooMany => ErrorKind::Conflict,
            DiskError::Store(e) => e.kind(),
            DiskError::Space(e) => e.kind(),
            DiskError::Image(_) => ErrorKind::Internal,
            DiskError::Spec(_) | DiskError::Quota(_) | DiskError::Shrink { .. } => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            DiskError::Spec(e) => e.args(),
            DiskError::Quota(q) => q.args(),
            DiskError::TooMany => vec![("max", u32::from(crate::domain::disk::MAX_DISKS_PER_VM).into())],
            DiskError::Shrink { old, new } => vec![("old", (*old).into()), ("new", (*new).into())],
            DiskError::Store(e) => e.args(),
            DiskError::Space(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

store_error_conversions!(DiskError);

/// The extra disks service.
#[derive(Clone)]
pub struct Disks {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    quota_default: Amounts,
    paths: super::vms::VmPaths,
    space: super::storage::SpaceFloor,
}

/// `owner`'s disks, by id, inside `tx`.
pub fn list_in(tx: &redb::ReadTransaction, owner: UserId) -> Result<Vec<DiskRecord>, DiskError> {
    let ids = holdings::of_kind(&tx.open_table(OWNER_HOLDINGS)?, owner, Kind::Disk)?;
    let t = tx.open_table(DISKS)?;
    let mut out = Vec::with_capacity(ids.len());
    for (id, _) in ids {
        out.extend(get_in(&t, DiskId(id))?);
    }
    Ok(out)
}

impl Disks {
    /// The service; images go to `data_dir/volumes`.
    pub fn new(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        quota_default: Amounts,
        data_dir: &std::path::Path,
        space: super::storage::SpaceFloor,
    ) -> Self {
        Disks { store, clock, quota_default, paths: super::vms::VmPaths::new(data_dir), space }
    }

    /// The image of disk `id`.
    pub fn path(&self, id: DiskId) -> PathBuf {
        self.paths.volume(id)
    }

    /// Create an empty disk for `owner`.
    pub async fn create(
        &self,
        owner: UserId,
        name: &str,
        size: &str,
        caller: &Caller,
    ) -> Result<DiskId, DiskError> {
        let name = disk::parse_name(name)?;
        let size_gb = disk::parse_size(size)?;
        self.space.check()?;
        let (store, now, default) = (self.store.clone(), self.clock.now(), self.quota_default);
        let this = self.clone();
        let caller = caller.clone();
        let id = blocking(move || {
            let tx = store.write()?;
            check_quota(&tx, owner, &default, size_gb)?;
            let id = {
                let mut meta = tx.open_table(META)?;
                let mut id = meta.get(META_LAST_DISK_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                // An image under a fresh number belongs to a disk the state does not know (made
                // after the copy the state was restored from): never hand its number out.
                while this.path(DiskId(id)).exists() {
                    id += 1;
                }
                meta.insert(META_LAST_DISK_ID, id)?;
                DiskId(id)
            };
            let rec = DiskRecord { id, owner, name, size_gb, attached: None, created_at: now };
            put(&tx, now, &rec)?;
            let detail = format!("{} {} GiB", rec.name, size_gb);
            audit::record(&tx, now, &caller, owner, &format!("disk:{id}"), "disk.create", &detail)?;
            tx.commit()?;
            Ok::<_, DiskError>(id)
        })
        .await?;
        let (dir, path) = (self.paths.volumes(), self.path(id));
        let made = blocking(move || {
            images::ensure_dir(&dir)?;
            images::create_blank(&path, size_gb).map_err(DiskError::from)
        })
        .await;
        if let Err(e) = made {
            // Take the record back: the customer sees the error and holds nothing.
            let store = self.store.clone();
            blocking(move || {
                let tx = store.write()?;
                if let Some(rec) = get_in(&tx.open_table(DISKS)?, id)? {
                    tx.open_table(DISKS)?.remove(id.0)?;
                    holdings::discard(&tx, rec.owner, Kind::Disk, id.0)?;
                }
                tx.commit()?;
                Ok::<_, DiskError>(())
            })
            .await?;
            return Err(e);
        }
        tracing::info!(disk = %id, owner = %owner, size_gb, "disk created");
        Ok(id)
    }

    /// `owner`'s disks, by id.
    pub fn list(&self, owner: UserId) -> Result<Vec<DiskRecord>, DiskError> {
        list_in(&self.store.read()?, owner)
    }

    /// One disk, if `caller` sees it.
    pub fn get(&self, caller: &Caller, id: DiskId) -> Result<DiskRecord, DiskError> {
        let rec = get_in(&self.store.read()?.open_table(DISKS)?, id)?.ok_or(DiskError::NotFound)?;
        if caller.sees(rec.owner) { Ok(rec) } else { Err(DiskError::NotFound) }
    }

    /// Delete a detached disk: its record first (quota freed), then its image.
    pub async fn delete(&self, caller: &Caller, id: DiskId) -> Result<(), DiskError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let rec = get_in(&tx.open_table(DISKS)?, id)?.ok_or(DiskError::NotFound)?;
            if !caller.sees(rec.owner) {
                return Err(DiskError::NotFound);
            }
            if rec.attached.is_some() {
                return Err(DiskError::Attached);
            }
            tx.open_table(DISKS)?.remove(id.0)?;
            // Proof for reconcile that an image left under this id is ours to remove.
            let gone = GoneRecord { kind: HostKind::DiskImage, id: id.0, at: now };
            crate::store::host::bury(&tx, &host::disk_key(id.0), &gone)?;
            holdings::remove(&tx, now, rec.owner, Kind::Disk, id.0)?;
            audit::record(&tx, now, &caller, rec.owner, &format!("disk:{id}"), "disk.delete", &rec.name)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
        let path = self.path(id);
        blocking(move || images::remove_if_exists(&path).map_err(DiskError::from)).await
    }

    /// Make the image files match the records: a recorded disk without an image gets an empty
    /// one; an image without a record is removed. Returns (made, removed). Blocking.
    pub fn reconcile_files(&self) -> Result<(usize, usize), DiskError> {
        let recs: Vec<DiskRecord> = {
            let tx = self.store.read()?;
            let t = tx.open_table(DISKS)?;
            let mut out = Vec::new();
            for row in t.iter()? {
                out.push(decode(row?.1.value())?);
            }
            out
        };
        let mut made = 0;
        if !recs.is_empty() {
            images::ensure_dir(&self.paths.volumes())?;
        }
        for r in &recs {
            if !self.path(r.id).exists() {
                tracing::warn!(disk = %r.id, "making the missing image of a recorded disk");
                images::create_blank(&self.path(r.id), r.size_gb)?;
                made += 1;
            }
        }
        let mut removed = 0;
        // After a restore from a copy, an image without a record may be a disk made after the
        // copy was taken: keep it.
        let restored = self.store.restored_at()?.is_some();
        let now = self.clock.now();
        let mut found = Vec::new();
        let dir = self.paths.volumes();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e.flatten().collect::<Vec<_>>(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
            Err(source) => return Err(ImageError::Io { path: dir, source }.into()),
        };
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let part = name.ends_with(".part");
            let id = name.strip_suffix(".qcow2.part").or_else(|| name.strip_suffix(".qcow2"));
            let Some(id) = id.and_then(|s| s.parse::<u64>().ok()) else { continue };
            let known = recs.iter().any(|r| r.id.0 == id);
            let gone = {
                let tx = self.store.read()?;
                host::gone(&tx.open_table(GONE)?, &host::disk_key(id))?.is_some()
            };
            // Only an image of a disk this state has (a leftover of its resize) or deleted.
            if (known && part) || (!known && gone && !restored) {
                tracing::warn!(file = %entry.path().display(), "removing a disk image of a deleted disk, or a leftover");
                images::remove_if_exists(&entry.path())?;
                removed += 1;
            } else if !known {
                let why = if restored {
                    "an image under the data dir of a disk the state (restored from a copy) has no record of"
                } else {
                    "an image under the data dir of a disk this state has no record of"
                };
                let path = entry.path().to_string_lossy().into_owned();
                found.push(super::unmanaged::row(HostKind::DiskImage, &path, "kept", None, why.into(), now));
            }
        }
        super::unmanaged::record(&self.store, now, &[HostKind::DiskImage], found)?;
        Ok((made, removed))
    }
}

fn get_in(t: &impl ReadableTable<u64, &'static [u8]>, id: DiskId) -> Result<Option<DiskRecord>, DiskError> {
    Ok(t.get(id.0)?.map(|v| decode(v.value())).transpose()?)
}

/// Write a disk record and its holding (billed from `now` at its size).
fn put(tx: &WriteTransaction, now: Timestamp, rec: &DiskRecord) -> Result<(), DiskError> {
    tx.open_table(DISKS)?.insert(rec.id.0, encode(rec)?.as_slice())?;
    holdings::put(tx, now, rec.owner, Kind::Disk, rec.id.0, rec.size_gb)?;
    Ok(())
}

fn check_quota(
    tx: &WriteTransaction,
    owner: UserId,
    default: &Amounts,
    more_gb: u64,
) -> Result<(), DiskError> {
    let limits = limits_in(&tx.open_table(QUOTAS)?, owner, default)?;
    let used = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, owner)?;
    quota::check(&limits, &used, &Amounts { disk_gb: more_gb, ..Amounts::default() })?;
    Ok(())
}

/// Attach disk `id` of `owner` to VM `vm` inside `tx`, in the lowest free slot. Another
/// owner's disk is `NotFound`; an attached one `Attached`.
pub(crate) fn attach_in(
    tx: &WriteTransaction,
    owner: UserId,
    vm: VmId,
    id: DiskId,
) -> Result<DiskRecord, DiskError> {
    let mut rec =
        get_in(&tx.open_table(DISKS)?, id)?.filter(|r| r.owner == owner).ok_or(DiskError::NotFound)?;
    if rec.attached.is_some() {
        return Err(DiskError::Attached);
    }
    let mut vm_disks = tx.open_table(VM_DISKS)?;
    let mut used = Vec::new();
    for row in vm_disks.range((vm.0, 0)..=(vm.0, u8::MAX))? {
        used.push(row?.0.value().1);
    }
    let slot = (0..MAX_DISKS_PER_VM).find(|s| !used.contains(s)).ok_or(DiskError::TooMany)?;
    vm_disks.insert((vm.0, slot), id.0)?;
    rec.attached = Some((vm, slot));
    tx.open_table(DISKS)?.insert(id.0, encode(&rec)?.as_slice())?;
    Ok(rec)
}

/// Detach disk `id` from VM `vm` inside `tx`.
pub(crate) fn detach_in(tx: &WriteTransaction, vm: VmId, id: DiskId) -> Result<DiskRecord, DiskError> {
    let mut rec = get_in(&tx.open_table(DISKS)?, id)?.ok_or(DiskError::NotFound)?;
    let Some((on, slot)) = rec.attached.filter(|(on, _)| *on == vm) else {
        return Err(DiskError::NotAttached);
    };
    tx.open_table(VM_DISKS)?.remove((on.0, slot))?;
    rec.attached = None;
    tx.open_table(DISKS)?.insert(id.0, encode(&rec)?.as_slice())?;
    Ok(rec)
}

/// Detach every disk of VM `vm` inside `tx` (the VM is being deleted; the disks stay).
pub(crate) fn detach_all_in(tx: &WriteTransaction, vm: VmId) -> Result<(), DiskError> {
    let attached = attached_in(&tx.open_table(VM_DISKS)?, &tx.open_table(DISKS)?, vm)?;
    for d in attached {
        detach_in(tx, vm, d.id)?;
    }
    Ok(())
}

/// Record a disk's new size inside `tx` (quota checked for the growth).
pub(crate) fn resize_in(
    tx: &WriteTransaction,
    now: Timestamp,
    id: DiskId,
    size_gb: u64,
    default: &Amounts,
) -> Result<DiskRecord, DiskError> {
    let mut rec = get_in(&tx.open_table(DISKS)?, id)?.ok_or(DiskError::NotFound)?;
    if size_gb <= rec.size_gb {
        return Err(DiskError::Shrink { old: rec.size_gb, new: size_gb });
    }
    check_quota(tx, rec.owner, default, size_gb - rec.size_gb)?;
    rec.size_gb = size_gb;
    put(tx, now, &rec)?;
    Ok(rec)
}

/// The disks attached to VM `vm`, by slot.
pub fn attached_in(
    vm_disks: &impl ReadableTable<(u64, u8), u64>,
    disks: &impl ReadableTable<u64, &'static [u8]>,
    vm: VmId,
) -> Result<Vec<DiskRecord>, DiskError> {
    let mut out = Vec::new();
    for row in vm_disks.range((vm.0, 0)..=(vm.0, u8::MAX))? {
        out.extend(get_in(disks, DiskId(row?.1.value()))?);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "disks_tests.rs"]
mod tests;
