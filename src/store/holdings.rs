//! What an account holds besides VMs (private networks, extra disks, backups), in `OWNER_HOLDINGS`
//! under `(owner, kind, id)` with an amount (1 per network, GiB per disk): one range read gives
//! an owner's list or quota usage. Written in the same transaction as the thing's record.

use redb::{ReadableTable, WriteTransaction};

use super::StoreError;
use super::tables::OWNER_HOLDINGS;
use crate::domain::account::UserId;
use crate::domain::billing::Item;
use crate::domain::time::Timestamp;

/// What kind of holding a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// A private network (amount 1).
    Network = 1,
    /// An extra disk (amount: GiB).
    Disk = 2,
    /// A VM backup, running or done (amount: bytes of its files).
    Backup = 3,
    /// A snapshot of a VM's disks (amount: the bytes it is billed as, like backup storage).
    Snapshot = 4,
    /// A customer's own uploaded ISO image (amount: bytes; counted against the quota, not
    /// billed).
    Iso = 5,
}

impl Kind {
    /// What a holding of this kind with `amount` is billed as, and its billing resource name.
    fn billed(self, id: u64, amount: u64) -> (String, Option<(Item, u64)>) {
        match self {
            Kind::Network => (format!("network:{id}"), None),
            Kind::Disk => (format!("disk:{id}"), Some((Item::DiskGb, amount))),
            Kind::Backup => (format!("backup:{id}"), Some((Item::BackupGb, amount))),
            Kind::Snapshot => (format!("snapshot:{id}"), Some((Item::BackupGb, amount))),
            Kind::Iso => (format!("iso:{id}"), None),
        }
    }
}

/// Record at `now` that `owner` holds `id` of `kind` with `amount` (and bill it from now).
pub fn put(
    tx: &WriteTransaction,
    now: Timestamp,
    owner: UserId,
    kind: Kind,
    id: u64,
    amount: u64,
) -> Result<(), StoreError> {
    tx.open_table(OWNER_HOLDINGS)?.insert((owner.0, kind as u8, id), amount)?;
    let (resource, what) = kind.billed(id, amount);
    super::usage::set_usage(tx, now, owner, &resource, what)
}

/// Forget a holding at `now` (its billing stops).
pub fn remove(
    tx: &WriteTransaction,
    now: Timestamp,
    owner: UserId,
    kind: Kind,
    id: u64,
) -> Result<(), StoreError> {
    tx.open_table(OWNER_HOLDINGS)?.remove((owner.0, kind as u8, id))?;
    super::usage::set_usage(tx, now, owner, &kind.billed(id, 0).0, None)
}

/// Forget a holding whose creation failed: it is not billed at all.
pub fn discard(tx: &WriteTransaction, owner: UserId, kind: Kind, id: u64) -> Result<(), StoreError> {
    tx.open_table(OWNER_HOLDINGS)?.remove((owner.0, kind as u8, id))?;
    super::billing::discard_usage(tx, &kind.billed(id, 0).0)
}

/// `(id, amount)` of each holding of `kind` by `owner`, by id.
pub fn of_kind(
    t: &impl ReadableTable<(u64, u8, u64), u64>,
    owner: UserId,
    kind: Kind,
) -> Result<Vec<(u64, u64)>, StoreError> {
    let k = kind as u8;
    let mut out = Vec::new();
    for row in t.range((owner.0, k, 0)..=(owner.0, k, u64::MAX))? {
        let (key, v) = row?;
        out.push((key.value().2, v.value()));
    }
    Ok(out)
}

/// Sum of the amounts of `owner`'s holdings of `kind`.
pub fn total(
    t: &impl ReadableTable<(u64, u8, u64), u64>,
    owner: UserId,
    kind: Kind,
) -> Result<u64, StoreError> {
    Ok(of_kind(t, owner, kind)?.iter().fold(0u64, |s, (_, a)| s.saturating_add(*a)))
}
