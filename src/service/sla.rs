//! Availability: the daemon's heartbeat; at start-up, a gap since the last heartbeat (the host
//! or vpsbox was down) counted as downtime of every VM that was meant to run; and each VM's
//! availability and credit tier for a month.

use std::sync::Arc;

use redb::ReadableTable;

use crate::clock::Clock;
use crate::domain::billing::{self, Month};
use crate::domain::sla::{self, Cause, Span};
use crate::domain::time::Timestamp;
use crate::service::{Coded, ErrorKind, blocking};
use crate::store::records::{VmPhase, VmRecord};
use crate::store::sla::{self as rec, DowntimeRecord};
use crate::store::tables::{DOWNTIME, META, VMS};
use crate::store::{Store, StoreError};

/// How often the heartbeat is written.
pub const HEARTBEAT_SECS: i64 = 30;

/// A gap longer than this since the last heartbeat is downtime (three missed beats).
pub const GAP_SECS: i64 = 3 * HEARTBEAT_SECS;

/// Availability could not be read or recorded.
#[derive(Debug, thiserror::Error)]
pub enum SlaError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

store_error_conversions!(SlaError);

impl Coded for SlaError {
    fn code(&self) -> &'static str {
        match self {
            SlaError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

/// A VM's availability in a month (so far, for the current one).
#[derive(Debug, Clone)]
pub struct VmAvailability {
    /// The part of the month the VM existed (until now).
    pub period: Span,
    /// Downtime spans overlapping it, with causes.
    pub downtime: Vec<DowntimeRecord>,
    /// Seconds that count against the SLA.
    pub counted_secs: i64,
    /// Availability, parts per million.
    pub ppm: i64,
    /// Credit tier, percent.
    pub credit_percent: u8,
}

/// Whether `vm` was meant to run (as last recorded): ready, running, not held.
fn meant_to_run(vm: &VmRecord) -> bool {
    vm.phase == VmPhase::Ready && vm.power.is_active() && !vm.suspended
}

/// The availability service.
#[derive(Clone)]
pub struct Sla {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    tz: jiff::tz::TimeZone,
}

impl Sla {
    /// The service; months are counted in `tz` (the billing time zone).
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, tz: jiff::tz::TimeZone) -> Sla {
        Sla { store, clock, tz }
    }

    /// Write the heartbeat.
    pub async fn beat(&self) -> Result<(), SlaError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            rec::beat(&tx, now)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// At start-up: if the last heartbeat is older than [`GAP_SECS`], record the gap as
    /// downtime of every VM that was meant to run. Returns the gap counted, if any.
    pub async fn recover_gap(&self) -> Result<Option<(Span, usize)>, SlaError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let last = rec::heartbeat(&tx.open_table(META)?)?;
            let mut counted = None;
            if let Some(last) = last.filter(|l| now.secs_since(*l) > GAP_SECS) {
                let span = Span::new(last, now);
                let vms: Vec<VmRecord> = {
                    let t = tx.open_table(VMS)?;
                    let mut out = Vec::new();
                    for row in t.iter()? {
                        out.push(crate::store::codec::decode(row?.1.value())?);
                    }
                    out
                };
                let mut n = 0;
                for vm in vms.iter().filter(|v| meant_to_run(v)) {
                    rec::add(&tx, vm.id, vm.owner, span, Cause::HostDown, "vpsbox or its host was down (no heartbeat)")?;
                    n += 1;
                }
                tracing::warn!(from = %last.display_utc(), secs = span.secs(), vms = n, "down since the last heartbeat: counted as downtime");
                counted = Some((span, n));
            }
            rec::beat(&tx, now)?;
            tx.commit()?;
            Ok(counted)
        })
        .await
    }

    /// Record downtime of `vm` (platform faults, incidents).
    pub async fn record(
        &self,
        vm: &VmRecord,
        span: Span,
        cause: Cause,
        note: &str,
    ) -> Result<DowntimeRecord, SlaError> {
        let (store, vm, note) = (self.store.clone(), vm.clone(), note.to_string());
        blocking(move || {
            let tx = store.write()?;
            let d = rec::add(&tx, vm.id, vm.owner, span, cause, &note)?;
            tx.commit()?;
            Ok(d)
        })
        .await
    }

    /// `vm`'s availability in `month` (until now for the current month).
    pub fn availability(&self, vm: &VmRecord, month: Month) -> Result<VmAvailability, SlaError> {
        let (first, next) = billing::hours_of_month(month, &self.tz);
        let now = self.clock.now();
        let period = Span::new(billing::start_of(first).max(vm.created_at), billing::start_of(next).min(now));
        let tx = self.store.read()?;
        let downtime = rec::of_vm(&tx.open_table(DOWNTIME)?, vm.id, period)?;
        let spans: Vec<(Span, Cause)> = downtime.iter().map(|d| (d.span, d.cause)).collect();
        let counted_secs = sla::counted_secs(&spans, &[], period);
        let ppm = sla::availability_ppm(period.secs(), counted_secs);
        Ok(VmAvailability { period, downtime, counted_secs, ppm, credit_percent: sla::credit_percent(ppm) })
    }

    /// The month `t` falls in.
    pub fn month_at(&self, t: Timestamp) -> Month {
        billing::month_of(billing::hour_of(t), &self.tz)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::sla::Cause;
    use crate::service::vms::tests::{actor, env, ready};
    use crate::service::vms::{PowerAction, Scope};

    #[tokio::test]
    async fn time_the_daemon_was_down_counts_for_the_vms_meant_to_run() {
        let e = env().await;
        let sla = &e.svc.sla;
        let running = ready(&e, e.vms().create(e.owner, e.order("up"), actor(&e)).await.unwrap()).await;
        let stopped = ready(&e, e.vms().create(e.owner, e.order("off"), actor(&e)).await.unwrap()).await;
        e.vms().power(Scope::Owner(e.owner), stopped.id, PowerAction::ForceOff, actor(&e)).await.unwrap();
        assert_eq!(sla.recover_gap().await.unwrap(), None, "the first start has nothing to compare");
        sla.beat().await.unwrap();
        // A restart a minute later is no gap; one after 30 minutes down is.
        e.clock.advance_secs(60);
        assert_eq!(sla.recover_gap().await.unwrap(), None);
        let down_from = e.svc.vms.now();
        e.clock.advance_secs(30 * 60);
        let (span, vms) = sla.recover_gap().await.unwrap().unwrap();
        assert_eq!((span.from, span.secs(), vms), (down_from, 1800, 1));
        let month = sla.month_at(e.svc.vms.now());
        let vm = e.vms().get_any(running.id).unwrap();
        let a = sla.availability(&vm, month).unwrap();
        assert_eq!(a.downtime.len(), 1);
        assert_eq!((a.downtime[0].cause, a.counted_secs), (Cause::HostDown, 1800));
        // Up for 31 minutes in all, down 30 of them: far below 95%.
        assert_eq!(a.credit_percent, 15);
        let off = sla.availability(&e.vms().get_any(stopped.id).unwrap(), month).unwrap();
        assert!(off.downtime.is_empty(), "a VM its owner stopped was not meant to run");
        assert_eq!(off.ppm, 1_000_000);
        // A week later the month's figure is up to the 5% tier (30 min of 7 days ≈ 99.70%).
        e.clock.advance_secs(7 * 86_400);
        sla.beat().await.unwrap();
        let a = sla.availability(&vm, month).unwrap();
        assert_eq!((crate::domain::sla::percent_label(a.ppm), a.credit_percent), ("99.70%".to_string(), 5));
    }
}
