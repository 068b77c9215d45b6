//! Servers scheduled for deletion: until the grace period ends a server is off, suspended and
//! can be restored; then the delete runs as any other.

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// A deletion waiting for its grace period to end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionRecord {
    /// When it was asked for.
    pub requested_at: Timestamp,
    /// When the server is deleted.
    pub due: Timestamp,
    /// Whether the server was suspended before (restoring leaves it so).
    pub was_suspended: bool,
    /// Whether the provider (an admin or its billing system) asked: then only the provider
    /// may restore it.
    pub by_provider: bool,
}

impl Record for DeletionRecord {
    const KIND: &'static str = "deletion";
    const VERSION: u8 = 1;
}

/// The deletion scheduled for `vm`.
pub fn of(
    t: &impl ReadableTable<u64, &'static [u8]>,
    vm: VmId,
) -> Result<Option<DeletionRecord>, StoreError> {
    t.get(vm.0)?.map(|v| decode(v.value())).transpose()
}

/// The servers whose deletion is due at `now`.
pub fn due(t: &impl ReadableTable<u64, &'static [u8]>, now: Timestamp) -> Result<Vec<VmId>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        let (k, v) = row?;
        let d: DeletionRecord = decode(v.value())?;
        if d.due <= now {
            out.push(VmId(k.value()));
        }
    }
    Ok(out)
}
