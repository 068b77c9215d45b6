//! What this installation knows about the host beyond its own records: the UUIDs of the
//! resources it removed from its state (proof that what libvirt still has under them is its own
//! to remove), and the resources with vpsbox's names it found but cannot prove are its own
//! (left alone, listed for the admins).

use redb::{ReadableTable, Table, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{GONE, UNMANAGED};
use crate::domain::time::Timestamp;

/// How long the proof of a removal is kept: reconcile runs every minute, so anything left
/// behind has long been removed by then.
pub const GONE_KEEP_DAYS: i64 = 30;

/// What kind of host resource a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostKind {
    /// A libvirt domain.
    Domain,
    /// A libvirt network filter.
    Filter,
    /// A libvirt network.
    Network,
    /// A file of a VM under the data dir (system disk, seed, serial log).
    File,
    /// An extra disk's image under the data dir.
    DiskImage,
}

impl HostKind {
    /// Lower-case name for keys and pages.
    pub fn as_str(self) -> &'static str {
        match self {
            HostKind::Domain => "domain",
            HostKind::Filter => "network filter",
            HostKind::Network => "network",
            HostKind::File => "file",
            HostKind::DiskImage => "disk image",
        }
    }
}

/// A resource this installation removed from its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoneRecord {
    /// What it was: a VM (domain, filter, files) or a private network.
    pub kind: HostKind,
    /// Its record's id.
    pub id: u64,
    /// When the record was removed.
    pub at: Timestamp,
}

impl Record for GoneRecord {
    const KIND: &'static str = "gone";
    const VERSION: u8 = 1;
}

/// The [`GONE`] key of an extra disk (disks have no UUID; their images are named by id).
pub fn disk_key(id: u64) -> String {
    format!("disk:{id}")
}

/// Note inside `tx` that the resource under `key` (a UUID, or [`disk_key`]) left the state.
pub fn bury(tx: &WriteTransaction, key: &str, rec: &GoneRecord) -> Result<(), StoreError> {
    tx.open_table(GONE)?.insert(key, encode(rec)?.as_slice())?;
    Ok(())
}

/// Whether the resource under `key` left the state (and of which id).
pub fn gone(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<GoneRecord>, StoreError> {
    t.get(key)?.map(|v| decode(v.value())).transpose()
}

/// Forget removals older than [`GONE_KEEP_DAYS`]; returns how many.
pub fn prune_gone(t: &mut Table<&'static str, &'static [u8]>, now: Timestamp) -> Result<usize, StoreError> {
    let cutoff = now.plus_secs(-GONE_KEEP_DAYS * 86_400);
    let mut old = Vec::new();
    for row in t.iter()? {
        let (k, v) = row?;
        if decode::<GoneRecord>(v.value())?.at < cutoff {
            old.push(k.value().to_string());
        }
    }
    for k in &old {
        t.remove(k.as_str())?;
    }
    Ok(old.len())
}

/// A resource with vpsbox's names that this installation leaves alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmanagedRecord {
    /// Kind.
    pub kind: HostKind,
    /// Its name (a file's path).
    pub name: String,
    /// State as last seen (`running`, `shut off`, `active`, ...).
    pub state: String,
    /// Files of its disks (domains).
    pub disks: Vec<String>,
    /// The installation whose mark it carries, if any.
    pub installation: Option<uuid::Uuid>,
    /// Why it is not managed, in a sentence.
    pub why: String,
    /// When reconcile first saw it.
    pub first_seen: Timestamp,
    /// When reconcile last saw it.
    pub last_seen: Timestamp,
}

impl Record for UnmanagedRecord {
    const KIND: &'static str = "unmanaged resource";
    const VERSION: u8 = 1;
}

impl UnmanagedRecord {
    /// Its key in [`UNMANAGED`].
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.name)
    }
}

/// Put the resources of `kinds` that a reconcile pass found unmanaged in place of the last
/// pass's: a new one keeps `first_seen = now` and is returned (to be logged once); one seen
/// before keeps its first sighting; one no longer there is dropped.
pub fn replace_unmanaged(
    tx: &WriteTransaction,
    kinds: &[HostKind],
    found: Vec<UnmanagedRecord>,
) -> Result<Vec<UnmanagedRecord>, StoreError> {
    let mut t = tx.open_table(UNMANAGED)?;
    let mut before = std::collections::HashMap::new();
    for row in t.iter()? {
        let (k, v) = row?;
        let r: UnmanagedRecord = decode(v.value())?;
        if kinds.contains(&r.kind) {
            before.insert(k.value().to_string(), r);
        }
    }
    let mut new = Vec::new();
    for mut r in found {
        let key = r.key();
        match before.remove(&key) {
            Some(old) => r.first_seen = old.first_seen,
            None => new.push(r.clone()),
        }
        t.insert(key.as_str(), encode(&r)?.as_slice())?;
    }
    for key in before.keys() {
        t.remove(key.as_str())?;
    }
    Ok(new)
}

/// Every unmanaged resource, by kind and name.
pub fn unmanaged(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<Vec<UnmanagedRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(name: &str, at: i64) -> UnmanagedRecord {
        UnmanagedRecord {
            kind: HostKind::Domain,
            name: name.into(),
            state: "running".into(),
            disks: vec![],
            installation: None,
            why: "no mark".into(),
            first_seen: Timestamp::from_millis(at),
            last_seen: Timestamp::from_millis(at),
        }
    }

    #[test]
    fn unmanaged_rows_keep_their_first_sighting_and_go_when_gone() {
        let store = crate::store::Store::in_memory().unwrap();
        let tx = store.write().unwrap();
        let new = replace_unmanaged(&tx, &[HostKind::Domain], vec![rec("a", 1), rec("b", 1)]).unwrap();
        assert_eq!(new.len(), 2);
        let new = replace_unmanaged(&tx, &[HostKind::Domain], vec![rec("a", 5)]).unwrap();
        assert!(new.is_empty(), "seen before: not new");
        let all = unmanaged(&tx.open_table(UNMANAGED).unwrap()).unwrap();
        assert_eq!(all.len(), 1, "b is no longer there");
        assert_eq!(
            (all[0].first_seen, all[0].last_seen),
            (Timestamp::from_millis(1), Timestamp::from_millis(5))
        );
        // Other kinds are another pass's business.
        let new = replace_unmanaged(&tx, &[HostKind::Network], vec![]).unwrap();
        assert!(new.is_empty());
        assert_eq!(unmanaged(&tx.open_table(UNMANAGED).unwrap()).unwrap().len(), 1);
    }

    #[test]
    fn proofs_of_removal_are_pruned_after_a_while() {
        let store = crate::store::Store::in_memory().unwrap();
        let tx = store.write().unwrap();
        let (old, new) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let day = 86_400_000;
        let (old, new) = (old.to_string(), new.to_string());
        bury(&tx, &old, &GoneRecord { kind: HostKind::Domain, id: 1, at: Timestamp::from_millis(day) })
            .unwrap();
        bury(&tx, &new, &GoneRecord { kind: HostKind::Network, id: 2, at: Timestamp::from_millis(40 * day) })
            .unwrap();
        let mut t = tx.open_table(GONE).unwrap();
        assert_eq!(prune_gone(&mut t, Timestamp::from_millis(41 * day)).unwrap(), 1);
        assert!(gone(&t, &old).unwrap().is_none());
        assert_eq!(gone(&t, &new).unwrap().map(|g| g.id), Some(2));
    }
}
