//! Availability records: the spans when a VM that was meant to run did not, with their cause,
//! and the daemon's heartbeat (the last moment it is known to have been up).

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{DOWNTIME, META, META_HEARTBEAT, META_LAST_DOWNTIME_ID, OPEN_DOWNTIME, SLA_CREDITS};
use crate::domain::account::UserId;
use crate::domain::billing::Month;
use crate::domain::money::Money;
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
    let id = super::next_id(tx, META_LAST_DOWNTIME_ID)?;
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

/// A platform fault seen and not over yet: the VM stopped without its owner asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDowntime {
    /// Its owner.
    pub owner: UserId,
    /// Since when.
    pub from: Timestamp,
    /// Why.
    pub cause: Cause,
    /// What was seen.
    pub note: String,
}

impl Record for OpenDowntime {
    const KIND: &'static str = "open downtime";
    const VERSION: u8 = 1;
}

/// Open a downtime span of `vm` inside `tx`, unless one is open already.
pub fn open(tx: &WriteTransaction, vm: VmId, d: &OpenDowntime) -> Result<bool, StoreError> {
    let mut t = tx.open_table(OPEN_DOWNTIME)?;
    if t.get(vm.0)?.is_some() {
        return Ok(false);
    }
    t.insert(vm.0, encode(d)?.as_slice())?;
    Ok(true)
}

/// Close `vm`'s open downtime at `now` inside `tx`, recording its span.
pub fn close(tx: &WriteTransaction, vm: VmId, now: Timestamp) -> Result<Option<DowntimeRecord>, StoreError> {
    let open: Option<OpenDowntime> =
        tx.open_table(OPEN_DOWNTIME)?.remove(vm.0)?.map(|v| decode(v.value())).transpose()?;
    match open {
        Some(o) => Ok(Some(add(tx, vm, o.owner, Span::new(o.from, now), o.cause, &o.note)?)),
        None => Ok(None),
    }
}

/// `vm`'s open downtime, if any.
pub fn open_of(
    t: &impl ReadableTable<u64, &'static [u8]>,
    vm: VmId,
) -> Result<Option<OpenDowntime>, StoreError> {
    t.get(vm.0)?.map(|v| decode(v.value())).transpose()
}

/// One VM's line of a month's availability credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditLine {
    /// The VM.
    pub vm: VmId,
    /// Its availability, parts per million.
    pub ppm: i64,
    /// Downtime that counted, seconds.
    pub counted_secs: i64,
    /// Credit tier, percent.
    pub percent: u8,
    /// Its charges in the month.
    pub charges: Money,
    /// The credit before the cap.
    pub credit: Money,
}

/// The availability credit of one account for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaCreditRecord {
    /// The month measured.
    pub month: Month,
    /// A line per VM billed in it.
    pub lines: Vec<CreditLine>,
    /// What the account paid for the service that month (all its charges): the cap.
    pub paid: Money,
    /// Booked (the lines' sum, capped).
    pub total: Money,
    /// When it was booked.
    pub at: Timestamp,
    /// The ledger entry, when the total was above zero.
    pub ledger_seq: Option<u64>,
}

impl Record for SlaCreditRecord {
    const KIND: &'static str = "sla credit";
    const VERSION: u8 = 1;
}

/// Store `owner`'s credit record inside `tx`.
pub fn put_credit(tx: &WriteTransaction, owner: UserId, rec: &SlaCreditRecord) -> Result<(), StoreError> {
    tx.open_table(SLA_CREDITS)?.insert((owner.0, rec.month), encode(rec)?.as_slice())?;
    Ok(())
}

/// `owner`'s credit records, newest month first.
pub fn credits_of(
    t: &impl ReadableTable<(u64, u32), &'static [u8]>,
    owner: UserId,
) -> Result<Vec<SlaCreditRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.range((owner.0, 0)..=(owner.0, u32::MAX))?.rev() {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}
