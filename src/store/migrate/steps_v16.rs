//! Schema 16 → 17: quotas gain limits on snapshots and on customers' own ISO images.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::steps::old_record;
use crate::domain::account::UserId;
use crate::domain::quota::Amounts;
use crate::domain::time::Timestamp;
use crate::store::StoreError;
use crate::store::codec::{Record, encode};
use crate::store::records::{QuotaRecord, QuotaRequestRecord, RequestStatus};
use crate::store::tables::{QUOTA_REQUESTS, QUOTAS, TRIALS};
use crate::store::trials::{TrialRecord, TrialState};

/// The snapshot limit a stored quota written before schema 17 gets: the built-in default when
/// the step was written, frozen here (a later change of the default must not change what this
/// migration writes). Requests ask for none.
pub(super) const V16_SNAPSHOTS: u64 = 3;
/// The own-ISO storage limit (GiB) such a quota gets, frozen likewise.
pub(super) const V16_ISO_GB: u64 = 10;

/// The snapshot and own-ISO limits a trial's quota written before schema 17 gets (the trial
/// defaults then).
const V16_TRIAL: (u64, u64) = (1, 2);

/// `Amounts` before schema 17 (no `snapshots`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct AmountsV3 {
    pub vms: u64,
    pub vcpus: u64,
    pub memory_mib: u64,
    pub disk_gb: u64,
    pub ipv4: u64,
    pub backups: u64,
    pub private_networks: u64,
    pub backup_gb: u64,
}

impl AmountsV3 {
    pub(super) fn with(self, (snapshots, iso_gb): (u64, u64)) -> Amounts {
        let AmountsV3 { vms, vcpus, memory_mib, disk_gb, ipv4, backups, private_networks, backup_gb } = self;
        Amounts {
            vms,
            vcpus,
            memory_mib,
            disk_gb,
            ipv4,
            backups,
            private_networks,
            backup_gb,
            snapshots,
            iso_gb,
        }
    }
}

/// A quota request before schema 17.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct RequestV3 {
    pub id: u64,
    pub owner: UserId,
    pub wanted: AmountsV3,
    pub reason: String,
    pub status: RequestStatus,
    pub created_at: Timestamp,
    pub decided: Option<(Timestamp, UserId)>,
}

/// A trial before schema 17.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct TrialV1 {
    pub owner: UserId,
    pub requested_at: Timestamp,
    pub note: String,
    pub state: TrialState,
    pub decided: Option<(Timestamp, Option<UserId>)>,
    pub days: u32,
    pub quota: AmountsV3,
    pub previous_limits: Option<AmountsV3>,
    pub notified: Vec<u32>,
}

fn is_current<R: Record>(bytes: &[u8]) -> bool {
    bytes.first() == Some(&R::VERSION)
}

/// Rewrite every row of `table` not in `R`'s current shape with `upgrade`.
fn rewrite<R: Record>(
    tx: &WriteTransaction,
    table: redb::TableDefinition<u64, &[u8]>,
    upgrade: impl Fn(&[u8]) -> Result<R, StoreError>,
) -> Result<usize, StoreError> {
    let mut t = tx.open_table(table)?;
    let mut rows = Vec::new();
    for row in t.iter()? {
        let (k, v) = row?;
        if !is_current::<R>(v.value()) {
            rows.push((k.value(), encode(&upgrade(v.value())?)?));
        }
    }
    for (k, v) in &rows {
        t.insert(*k, v.as_slice())?;
    }
    Ok(rows.len())
}

/// Stored limits (and a trial's saved limits, put back when it ends) get the frozen default
/// snapshot and own-ISO limits, trials' quotas the trial defaults, requests ask for none. Records already in the
/// current shape (written by an earlier step of the same run) stay.
pub(super) fn v16_snapshot_quota(tx: &WriteTransaction) -> Result<(), StoreError> {
    let quotas = rewrite(tx, QUOTAS, |b| {
        let limits: AmountsV3 = old_record("quota", 3, b)?;
        Ok(QuotaRecord { limits: limits.with((V16_SNAPSHOTS, V16_ISO_GB)) })
    })?;
    let requests = rewrite(tx, QUOTA_REQUESTS, |b| {
        let r: RequestV3 = old_record("quota_request", 3, b)?;
        Ok(QuotaRequestRecord {
            id: r.id,
            owner: r.owner,
            wanted: r.wanted.with((0, 0)),
            reason: r.reason,
            status: r.status,
            created_at: r.created_at,
            decided: r.decided,
        })
    })?;
    let trials = rewrite(tx, TRIALS, |b| {
        let t: TrialV1 = old_record("trial", 1, b)?;
        Ok(TrialRecord {
            owner: t.owner,
            requested_at: t.requested_at,
            note: t.note,
            state: t.state,
            decided: t.decided,
            days: t.days,
            quota: t.quota.with(V16_TRIAL),
            previous_limits: t.previous_limits.map(|l| l.with((V16_SNAPSHOTS, V16_ISO_GB))),
            notified: t.notified,
        })
    })?;
    tracing::info!(quotas, requests, trials, "quota records gained snapshot and own-ISO limits");
    Ok(())
}
