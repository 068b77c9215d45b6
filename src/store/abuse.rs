//! The abuse rule's cases: a server whose vCPUs stayed busy past the rule's limits, and what the
//! admins did about it.

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::ABUSE_CASES;
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// One case of the abuse rule about one server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbuseCase {
    /// The server.
    pub vm: VmId,
    /// Its owner when flagged.
    pub owner: UserId,
    /// Its hostname when flagged.
    pub hostname: String,
    /// Since when its vCPUs were busy.
    pub busy_since: Timestamp,
    /// When the rule flagged it.
    pub flagged_at: Timestamp,
    /// The rule's level then: per cent of its vCPUs.
    pub percent: u8,
    /// The rule's length then: hours.
    pub hours: u32,
    /// The CPU cap an admin set, per cent of its vCPUs.
    pub cap: Option<u8>,
    /// The note an admin gave the customer when suspending it.
    pub suspended: Option<String>,
    /// When an admin closed the case.
    pub closed_at: Option<Timestamp>,
}

impl Record for AbuseCase {
    const KIND: &'static str = "abuse case";
    const VERSION: u8 = 1;
}

impl AbuseCase {
    /// Whether the case is still open.
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

/// The case about `vm`, if there is one.
pub fn get(
    t: &impl redb::ReadableTable<u64, &'static [u8]>,
    vm: VmId,
) -> Result<Option<AbuseCase>, StoreError> {
    match t.get(vm.0)? {
        Some(v) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// Write `case` inside `tx`.
pub fn put(tx: &redb::WriteTransaction, case: &AbuseCase) -> Result<(), StoreError> {
    tx.open_table(ABUSE_CASES)?.insert(case.vm.0, encode(case)?.as_slice())?;
    Ok(())
}
