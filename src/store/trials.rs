//! Free trials: one record per account that ever asked for one (so a trial is granted once).

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode};
use crate::domain::account::UserId;
use crate::domain::quota::Amounts;
use crate::domain::time::Timestamp;

/// Where a trial is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrialState {
    /// Asked for; an admin decides.
    Requested,
    /// Granted; it starts with the account's first server.
    Approved,
    /// Running: free until `ends_at`.
    Active {
        /// The first server's start.
        started_at: Timestamp,
        /// When it ends (`days` after the start, or earlier if the customer ended it).
        ends_at: Timestamp,
    },
    /// Over.
    Ended {
        /// When it started, if it did.
        started_at: Option<Timestamp>,
        /// When it ended.
        ended_at: Timestamp,
        /// The customer ended it early.
        early: bool,
        /// Servers were left, so the service became paid.
        converted: bool,
    },
    /// Refused by an admin.
    Declined,
}

/// An account's trial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialRecord {
    /// The account.
    pub owner: UserId,
    /// When it was asked for.
    pub requested_at: Timestamp,
    /// What the customer wrote.
    pub note: String,
    /// Where it is.
    pub state: TrialState,
    /// When and by whom it was decided (`None` inside: approved automatically).
    pub decided: Option<(Timestamp, Option<UserId>)>,
    /// Its length, days.
    pub days: u32,
    /// The limits during the trial.
    pub quota: Amounts,
    /// The account's limits before, put back when the trial ends.
    pub previous_limits: Option<Amounts>,
    /// Hours-before-the-end notices sent (24, 1).
    pub notified: Vec<u32>,
}

impl Record for TrialRecord {
    const KIND: &'static str = "trial";
    /// 2: `Amounts` gained `snapshots`.
    const VERSION: u8 = 2;
}

impl TrialRecord {
    /// The window in which hours are free: from the start to the end (an hour that begins
    /// inside it is free).
    pub fn free_window(&self) -> Option<(Timestamp, Timestamp)> {
        match self.state {
            TrialState::Active { started_at, ends_at } => Some((started_at, ends_at)),
            TrialState::Ended { started_at: Some(s), ended_at, .. } => Some((s, ended_at)),
            _ => None,
        }
    }
}

/// `owner`'s trial, if they ever asked for one.
pub fn get(
    t: &impl ReadableTable<u64, &'static [u8]>,
    owner: UserId,
) -> Result<Option<TrialRecord>, StoreError> {
    t.get(owner.0)?.map(|v| decode(v.value())).transpose()
}

/// Every trial.
pub fn all(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<TrialRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}
