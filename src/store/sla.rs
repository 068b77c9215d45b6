//! Availability records: the spans when a VM that was meant to run did not, with their cause,
//! and the daemon's heartbeat (the last moment it is known to have been up).

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{DOWNTIME, META, META_HEARTBEAT, META_LAST_DOWNTIME_ID};
use crate::domain::account::UserId;
use crate::domain::sla::{Cause, Span};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// A span when a VM meant to run did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DowntimeRecord {
    /// Id.
    pub id: u64,
    /// The VM.
    pub vm: VmId,
    /// Its owner.
    pub owner: UserId,
    /// When.
    pub span: Span,
    /// Why.
    pub cause: Cause,
    /// What was seen.
    pub note: String,
}

impl Record for DowntimeRecord {
    const KIND: &'static str = "downtime";
    const VERSION: u8 = 1;
}

/// Record a downtime span of `vm` inside `tx`.
pub fn add(
    tx: &WriteTransaction,
    vm: VmId,
    owner: UserId,
    span: Span,
    cause: Cause,
    note: &str,
) -> Result<DowntimeRecord, StoreError> {
    let id = {
        let mut meta = tx.open_table(META)?;
        let id = meta.get(META_LAST_DOWNTIME_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
        meta.insert(META_LAST_DOWNTIME_ID, id)?;
        id
    };
    let rec = DowntimeRecord { id, vm, owner, span, cause, note: note.to_string() };
    tx.open_table(DOWNTIME)?.insert((vm.0, id), encode(&rec)?.as_slice())?;
    Ok(rec)
}

/// `vm`'s downtime spans that overlap `period`, oldest first.
pub fn of_vm(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    vm: VmId,
    period: Span,
) -> Result<Vec<DowntimeRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.range((vm.0, 0)..=(vm.0, u64::MAX))? {
        let d: DowntimeRecord = decode(row?.1.value())?;
        if d.span.from < period.to && d.span.to > period.from {
            out.push(d);
        }
    }
    Ok(out)
}

/// The last heartbeat, if the daemon ever ran on this state.
pub fn heartbeat(t: &impl ReadableTable<&'static str, u64>) -> Result<Option<Timestamp>, StoreError> {
    Ok(t.get(META_HEARTBEAT)?.map(|v| Timestamp::from_millis(i64::try_from(v.value()).unwrap_or(0))))
}

/// Write the heartbeat `now` inside `tx`.
pub fn beat(tx: &WriteTransaction, now: Timestamp) -> Result<(), StoreError> {
    tx.open_table(META)?.insert(META_HEARTBEAT, u64::try_from(now.as_millis()).unwrap_or(0))?;
    Ok(())
}
