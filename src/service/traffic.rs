//! Traffic accounting: bytes in and out of each VM's public interface, per UTC day, from the
//! interface counters libvirt keeps. Samples are turned into deltas against the counters last
//! seen (stored, so a daemon restart loses nothing); a new run id (the domain was started
//! again) means the counters restarted from zero.

use std::sync::Arc;

use redb::ReadableTable;

use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::domain::time::{Timestamp, date_of_day, day_of, day_of_date, days_in_month};
use crate::domain::vm::VmId;
use crate::hv::NicCounters;
use crate::store::tables::{TRAFFIC_DAYS, TRAFFIC_SEEN};
use crate::store::{Store, StoreError};

/// Why traffic could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum TrafficError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for TrafficError {
    fn code(&self) -> &'static str {
        match self {
            TrafficError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

store_error_conversions!(TrafficError);

/// One VM's traffic in a calendar month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthTraffic {
    /// Year.
    pub year: i64,
    /// Month (1–12).
    pub month: u32,
    /// Bytes (in, out) for each day of the month, the 1st first.
    pub days: Vec<(u64, u64)>,
}

impl MonthTraffic {
    /// Bytes (in, out) of the whole month.
    pub fn total(&self) -> (u64, u64) {
        self.days.iter().fold((0, 0), |(a, b), (i, o)| (a + i, b + o))
    }
}

/// Bytes since the last sample: the difference while the run is the same and the counters grew,
/// else (a restart) everything counted so far in the new run.
pub fn delta(seen: Option<(u32, u64, u64)>, now: NicCounters) -> (u64, u64) {
    match seen {
        Some((run, rx, tx)) if run == now.run && now.rx >= rx && now.tx >= tx => (now.rx - rx, now.tx - tx),
        _ => (now.rx, now.tx),
    }
}

/// The traffic service.
#[derive(Clone)]
pub struct Traffic {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
}

impl Traffic {
    /// The service over `store`.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>) -> Traffic {
        Traffic { store, clock }
    }

    /// Book one sampling round (each VM's counters now) to today, in one transaction.
    pub async fn record(&self, samples: Vec<(VmId, NicCounters)>) -> Result<(), TrafficError> {
        if samples.is_empty() {
            return Ok(());
        }
        let this = self.clone();
        blocking(move || this.record_now(samples)).await
    }

    /// [`Traffic::record`] on the calling thread (for blocking callers, such as a VM about to
    /// be powered off).
    pub fn record_now(&self, samples: Vec<(VmId, NicCounters)>) -> Result<(), TrafficError> {
        let day = u32::try_from(day_of(self.clock.now())).unwrap_or(0);
        let tx = self.store.write()?;
        {
            let (mut seen, mut days) = (tx.open_table(TRAFFIC_SEEN)?, tx.open_table(TRAFFIC_DAYS)?);
            for (vm, c) in samples {
                let last = seen.get(vm.0)?.map(|v| v.value());
                let (din, dout) = delta(last, c);
                if din > 0 || dout > 0 {
                    let (i, o) = days.get((vm.0, day))?.map(|v| v.value()).unwrap_or((0, 0));
                    days.insert((vm.0, day), (i.saturating_add(din), o.saturating_add(dout)))?;
                }
                seen.insert(vm.0, (c.run, c.rx, c.tx))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A VM's traffic in the month containing `at`.
    pub fn month(&self, vm: VmId, at: Timestamp) -> Result<MonthTraffic, TrafficError> {
        month_in(&self.store.read()?, vm, at)
    }

    /// This month's traffic of a VM.
    pub fn this_month(&self, vm: VmId) -> Result<MonthTraffic, TrafficError> {
        self.month(vm, self.clock.now())
    }
}

/// A VM's traffic in the month containing `at`, inside `tx`.
pub fn month_in(tx: &redb::ReadTransaction, vm: VmId, at: Timestamp) -> Result<MonthTraffic, TrafficError> {
    let (year, month, _) = date_of_day(day_of(at));
    let first = day_of_date(year, month, 1);
    let n = days_in_month(year, month);
    let mut days = vec![(0, 0); n as usize];
    let t = tx.open_table(TRAFFIC_DAYS)?;
    let lo = u32::try_from(first).unwrap_or(0);
    for row in t.range((vm.0, lo)..(vm.0, lo + n))? {
        let (k, v) = row?;
        if let Some(slot) = days.get_mut((k.value().1 - lo) as usize) {
            *slot = v.value();
        }
    }
    Ok(MonthTraffic { year, month, days })
}

/// Forget a deleted VM's traffic, inside `tx`.
pub fn forget_in(tx: &redb::WriteTransaction, vm: VmId) -> Result<(), StoreError> {
    tx.open_table(TRAFFIC_SEEN)?.remove(vm.0)?;
    tx.open_table(TRAFFIC_DAYS)?.retain_in((vm.0, 0)..=(vm.0, u32::MAX), |_, _| false)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn c(run: u32, rx: u64, tx: u64) -> NicCounters {
        NicCounters { run, rx, tx }
    }

    #[test]
    fn deltas_across_restarts() {
        assert_eq!(delta(None, c(5, 100, 40)), (100, 40), "first sample counts the run so far");
        assert_eq!(delta(Some((5, 100, 40)), c(5, 150, 41)), (50, 1));
        assert_eq!(delta(Some((5, 100, 40)), c(6, 30, 2)), (30, 2), "restarted: a new run");
        assert_eq!(delta(Some((5, 100, 40)), c(5, 10, 2)), (10, 2), "counters went back: restarted");
    }

    #[tokio::test]
    async fn samples_land_on_their_day_and_survive_a_restart() {
        let store = Arc::new(Store::in_memory().unwrap());
        // 2026-01-31 23:59:30 UTC
        let start = Timestamp::from_secs(day_of_date(2026, 1, 31) * 86_400 + 86_370);
        let clock = Arc::new(ManualClock::new(start));
        let t = Traffic::new(store.clone(), clock.clone());
        let vm = VmId(3);
        t.record(vec![(vm, c(1, 1000, 500))]).await.unwrap();
        clock.advance_secs(60); // 1 February
        t.record(vec![(vm, c(1, 1600, 900))]).await.unwrap();
        // A daemon restart: a fresh service over the same store continues from the stored counters.
        let t2 = Traffic::new(store, clock.clone());
        t2.record(vec![(vm, c(1, 1700, 950)), (VmId(4), c(9, 7, 7))]).await.unwrap();
        let jan = t2.month(vm, start).unwrap();
        assert_eq!((jan.days.len(), jan.days[30], jan.total()), (31, (1000, 500), (1000, 500)));
        let feb = t2.this_month(vm).unwrap();
        assert_eq!((feb.month, feb.days.len(), feb.days[0]), (2, 28, (700, 450)));
        // The VM was stopped and started: its counters begin again.
        t2.record(vec![(vm, c(2, 100, 10))]).await.unwrap();
        assert_eq!(t2.this_month(vm).unwrap().total(), (800, 460));
    }
}
