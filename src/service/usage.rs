//! Usage history of every server: each sampling round reads libvirt's bulk statistics of all
//! domains (one call), turns them into usage since the previous round against the counters
//! last seen (stored, so a restart loses nothing but the gap), and adds it to each server's
//! rings of five-minute and hourly buckets — all in one write transaction. The same round keeps
//! the abuse rule's streaks and flags a server whose vCPUs stayed busy too long
//! (`service::abuse`).

use std::collections::HashSet;
use std::sync::Arc;

use redb::ReadableTable;

use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::config::AbuseConfig;
use crate::domain::time::Timestamp;
use crate::domain::usage::{Counters, Range, Reading, Series, StoredReading, Sums, TIERS, Usage, between};
use crate::domain::vm::VmId;
use crate::hv::stats::DomainStats;
use crate::store::tables::{CPU_BUSY_SINCE, VM_BY_UUID, VM_USAGE, VM_USAGE_SEEN};
use crate::store::{Store, StoreError};

/// Why usage could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for UsageError {
    fn code(&self) -> &'static str {
        match self {
            UsageError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

store_error_conversions!(UsageError);

/// What one sampling round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Servers whose usage was added.
    pub servers: usize,
    /// Servers the abuse rule flagged in this round.
    pub flagged: Vec<VmId>,
}

/// The reading of one domain's statistics at `at`.
pub fn reading_of(s: &DomainStats, at: i64) -> Reading {
    Reading {
        at,
        vcpus: s.vcpus,
        counters: Counters {
            cpu_ns: (s.cpu_seconds * 1e9) as u64,
            disk_read: s.disk.in_bytes,
            disk_written: s.disk.out_bytes,
            net_rx: s.net.in_bytes,
            net_tx: s.net.out_bytes,
        },
    }
}

fn seen_tuple(r: &Reading) -> StoredReading {
    let c = &r.counters;
    (r.at, r.vcpus, c.cpu_ns, c.disk_read, c.disk_written, c.net_rx, c.net_tx)
}

fn reading_of_seen(t: StoredReading) -> Reading {
    Reading {
        at: t.0,
        vcpus: t.1,
        counters: Counters { cpu_ns: t.2, disk_read: t.3, disk_written: t.4, net_rx: t.5, net_tx: t.6 },
    }
}

/// The usage history service.
#[derive(Clone)]
pub struct UsageHistory {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    abuse: AbuseConfig,
}

impl UsageHistory {
    /// The service over `store`, with the abuse rule's limits.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, abuse: AbuseConfig) -> UsageHistory {
        UsageHistory { store, clock, abuse }
    }

    /// Book one sampling round of every domain's statistics (see [`UsageHistory::record_now`]).
    pub async fn record(&self, stats: Vec<DomainStats>) -> Result<Recorded, UsageError> {
        let this = self.clone();
        blocking(move || this.record_now(&stats)).await
    }

    /// Book one sampling round on the calling thread: running domains that are vpsbox's
    /// servers get their usage since the last round; others are ignored.
    pub fn record_now(&self, stats: &[DomainStats]) -> Result<Recorded, UsageError> {
        let now = self.clock.now();
        let tx = self.store.write()?;
        let out = self.record_in(&tx, stats, now)?;
        tx.commit()?;
        Ok(out)
    }

    /// Book rounds read at other times, oldest first, in one transaction (the demo's history).
    /// Their counters are not the live ones: the next live round starts afresh.
    pub fn backfill(
        &self,
        rounds: impl Iterator<Item = (Timestamp, Vec<DomainStats>)>,
    ) -> Result<(), UsageError> {
        let tx = self.store.write()?;
        let mut uuids = HashSet::new();
        for (at, stats) in rounds {
            self.record_in(&tx, &stats, at)?;
            uuids.extend(stats.iter().map(|s| s.uuid));
        }
        {
            let ids = tx.open_table(VM_BY_UUID)?;
            let mut seen = tx.open_table(VM_USAGE_SEEN)?;
            for u in uuids {
                if let Some(vm) = ids.get(u.to_string().as_str())?.map(|v| v.value()) {
                    seen.remove(vm)?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// One round read at `now`, inside `tx`.
    fn record_in(
        &self,
        tx: &redb::WriteTransaction,
        stats: &[DomainStats],
        now: Timestamp,
    ) -> Result<Recorded, UsageError> {
        let at = now.as_secs();
        let mut out = Recorded::default();
        let mut busy_now = HashSet::new();
        {
            let ids = tx.open_table(VM_BY_UUID)?;
            let mut seen = tx.open_table(VM_USAGE_SEEN)?;
            let mut rings = tx.open_table(VM_USAGE)?;
            let mut busy = tx.open_table(CPU_BUSY_SINCE)?;
            let mut buf = uuid::Uuid::encode_buffer();
            for s in stats.iter().filter(|s| s.running) {
                let key: &str = s.uuid.as_hyphenated().encode_lower(&mut buf);
                let Some(vm) = ids.get(key)?.map(|v| v.value()) else { continue };
                let now_reading = reading_of(s, at);
                let before = seen.insert(vm, seen_tuple(&now_reading))?.map(|v| reading_of_seen(v.value()));
                let Some(u) = before.and_then(|b| between(&b, &now_reading)) else { continue };
                add_to_rings(&mut rings, vm, at, &u)?;
                out.servers += 1;
                if self.abuse.enabled && u.busy(self.abuse.cpu_percent) {
                    busy_now.insert(vm);
                    let known = busy.get(vm)?.map(|v| v.value());
                    let since = match known {
                        Some(since) => since,
                        None => {
                            let since = at - i64::from(u.secs);
                            busy.insert(vm, since)?;
                            since
                        }
                    };
                    if at - since >= i64::from(self.abuse.hours) * 3600 {
                        out.flagged.push(VmId(vm));
                    }
                }
            }
            // A server that is off, idle or gone has no streak.
            busy.retain(|vm, _| busy_now.contains(&vm))?;
        }
        let mut flagged = Vec::with_capacity(out.flagged.len());
        for vm in std::mem::take(&mut out.flagged) {
            if super::abuse::flag_in(tx, now, vm, &self.abuse)? {
                flagged.push(vm);
            }
        }
        out.flagged = flagged;
        Ok(out)
    }

    /// Every case of the abuse rule, open ones first, newest first within each.
    pub fn abuse_cases(&self) -> Result<Vec<crate::store::abuse::AbuseCase>, UsageError> {
        Ok(super::abuse::list(&self.store)?)
    }

    /// The abuse rule's limits.
    pub fn abuse_rule(&self) -> &AbuseConfig {
        &self.abuse
    }

    /// A server's usage over `range` up to now.
    pub fn series(&self, vm: VmId, range: Range) -> Result<Series, UsageError> {
        Ok(series_in(&self.store.read()?, vm, range, self.clock.now())?)
    }
}

/// Add `u` (ending at second `at`) to `vm`'s buckets of every tier.
fn add_to_rings(
    rings: &mut redb::Table<(u64, u8, u16), (i64, Sums)>,
    vm: u64,
    at: i64,
    u: &Usage,
) -> Result<(), StoreError> {
    for tier in TIERS {
        // The interval ends at `at`: it belongs to the bucket of its last second.
        let start = tier.bucket(at - 1);
        let key = (vm, tier.id, tier.slot(start));
        let mut total = match rings.get(key)?.map(|v| v.value()) {
            Some((s, t)) if s == start => Usage::from_tuple(t),
            _ => Usage::default(),
        };
        total.add(u);
        rings.insert(key, (start, total.to_tuple()))?;
    }
    Ok(())
}

/// `vm`'s usage over `range` up to `now`, inside `tx`.
pub fn series_in(
    tx: &redb::ReadTransaction,
    vm: VmId,
    range: Range,
    now: Timestamp,
) -> Result<Series, StoreError> {
    let tier = range.tier();
    let to = now.as_secs();
    let from = tier.bucket(to - range.span()) + tier.step;
    let mut points = Vec::with_capacity(usize::from(tier.slots));
    let t = tx.open_table(VM_USAGE)?;
    for row in t.range((vm.0, tier.id, 0)..=(vm.0, tier.id, u16::MAX))? {
        let (_, v) = row?;
        let (start, u) = v.value();
        if start >= from && start <= to {
            points.push((start, Usage::from_tuple(u)));
        }
    }
    points.sort_unstable_by_key(|(s, _)| *s);
    Ok(Series { range, from, to, points })
}

/// Forget a deleted server's usage history, inside `tx`.
pub fn forget_in(tx: &redb::WriteTransaction, vm: VmId) -> Result<(), StoreError> {
    tx.open_table(VM_USAGE_SEEN)?.remove(vm.0)?;
    tx.open_table(CPU_BUSY_SINCE)?.remove(vm.0)?;
    tx.open_table(VM_USAGE)?.retain_in((vm.0, 0, 0)..=(vm.0, u8::MAX, u16::MAX), |_, _| false)?;
    Ok(())
}

#[cfg(test)]
#[path = "usage_tests.rs"]
mod tests;
