//! SLA figures for `make bench`:
//!   sla_bench N    N VMs (10 per account) over a 30-day month of events in a redb file: ten
//!                  downtime spans per VM (platform faults, host gaps, customer-caused), one
//!                  open fault in a hundred, 20 incidents (host-wide and per VM) and 10
//!                  maintenance windows; then the availability of every VM for the month (as
//!                  the admin page reads it) and the month's credits booked, each timed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark, not product code

mod common;

use std::sync::Arc;

use redb::ReadableTableMetadata;

use vpsbox::clock::{Clock, ManualClock, Stopwatch};
use vpsbox::config::Config;
use vpsbox::domain::account::UserId;
use vpsbox::domain::billing::{self, Item};
use vpsbox::domain::catalog::PlanId;
use vpsbox::domain::incident::{Blame, Scope, Severity};
use vpsbox::domain::money::Money;
use vpsbox::domain::sla::{Cause, Span};
use vpsbox::domain::time::Timestamp;
use vpsbox::domain::vm::VmId;
use vpsbox::hv::link::HvLink;
use vpsbox::service::Services;
use vpsbox::store::Store;
use vpsbox::store::billing::MonthLine;
use vpsbox::store::incidents::{self, IncidentRecord, IncidentUpdate, MaintenanceRecord};
use vpsbox::store::sla::{self as downtime, OpenDowntime};
use vpsbox::store::tables::{META, META_METERED_UNTIL, MONTH_LINES, OPEN_DOWNTIME};

/// 2027-04-01 00:00 UTC (April has 30 days).
const START: i64 = 1_806_537_600;
const MONTH: i64 = 30 * 86_400;

/// A small deterministic generator (xorshift), so every run measures the same month.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: i64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as i64
    }
}

#[tokio::main]
async fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
    let clock = ManualClock::new(Timestamp::from_secs(START));
    let c: Arc<dyn Clock> = Arc::new(clock.clone());
    let hv = Arc::new(HvLink::connect("test:///default", false, c.clone()));
    let store = Arc::new(Store::open(&cfg.store_path()).unwrap());
    let svc = Services::new(store.clone(), c, &cfg, hv);
    let at = |s: i64| Timestamp::from_secs(START + s);
    let month = billing::month_of(billing::hour_of(at(0)), &jiff::tz::TimeZone::UTC);
    let (_, next_hour) = billing::hours_of_month(month, &jiff::tz::TimeZone::UTC);

    // The month's events and charges, written as metering and monitoring would have.
    let mut rng = Rng(0x5eed);
    let tx = store.write().unwrap();
    let mut spans = 0;
    for id in 1..=n {
        let owner = UserId(10_000 + (id - 1) / 10);
        vpsbox::store::vms::put(&tx, &common::ready_vm(id, owner, PlanId(1), 1, at(0))).unwrap();
        for k in 0..10 {
            let from = rng.next(MONTH - 7200);
            let len = 60 + rng.next(if k == 0 { 8 * 3600 } else { 1800 });
            let cause = [Cause::Platform, Cause::HostDown, Cause::Customer][k % 3];
            downtime::add(&tx, VmId(id), owner, Span::new(at(from), at(from + len)), cause, "seen").unwrap();
            spans += 1;
        }
        if id % 100 == 0 {
            let open =
                OpenDowntime { owner, from: at(MONTH - 3600), cause: Cause::Platform, note: "open".into() };
            downtime::open(&tx, VmId(id), &open).unwrap();
        }
        let line = MonthLine { item: Item::Plan(PlanId(1)), qty: 1, hours: 720, amount: Money(500_000) };
        tx.open_table(MONTH_LINES)
            .unwrap()
            .insert(
                (owner.0, month, format!("vm:{id}").as_str()),
                vpsbox::store::codec::encode(&line).unwrap().as_slice(),
            )
            .unwrap();
    }
    for i in 0..20 {
        let from = rng.next(MONTH - 86_400);
        let scope = if i % 4 == 0 {
            Scope::Host
        } else {
            Scope::Vms((0..50).map(|k| VmId(1 + (i * 50 + k) % n)).collect())
        };
        let rec = IncidentRecord {
            id: 0,
            severity: if i % 5 == 0 { Severity::Degradation } else { Severity::Outage },
            scope,
            title: format!("incident {i}"),
            started: at(from),
            ended: Some(at(from + 600 + rng.next(7200))),
            blame: if i % 7 == 0 { Blame::ForceMajeure } else { Blame::Provider },
            request: None,
            reported_by: None,
            updates: vec![IncidentUpdate { at: at(from), text: "declared".into(), told: None }],
        };
        incidents::add_incident(&tx, rec).unwrap();
    }
    for w in 0..10 {
        let from = rng.next(MONTH - 86_400);
        let rec = MaintenanceRecord {
            id: 0,
            scope: if w % 2 == 0 { Scope::Host } else { Scope::Vms((1..=n).step_by(7).map(VmId).collect()) },
            starts: at(from),
            ends: at(from + 3600),
            description: format!("window {w}"),
            announced_at: at(from - 4 * 86_400),
            by: None,
            notified: true,
            cancelled: false,
        };
        incidents::add_window(&tx, rec).unwrap();
    }
    tx.open_table(META).unwrap().insert(META_METERED_UNTIL, next_hour).unwrap();
    tx.commit().unwrap();
    assert_eq!(store.read().unwrap().open_table(OPEN_DOWNTIME).unwrap().len().unwrap(), n / 100);

    clock.set(at(MONTH + 600));
    let vms = svc.vms.records().unwrap();
    let mut times = Vec::new();
    let mut below = 0;
    for _ in 0..5 {
        let t = Stopwatch::start();
        let list = svc.sla.availability_of(&vms, month).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        below = list.iter().filter(|a| a.credit_percent > 0).count();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "availability of {n} VMs for a month ({spans} downtime spans, 20 incidents, 10 windows): median {:.0} ms, worst {:.0} ms; {below} below 99.9% (target < 1000 ms)",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    let t = Stopwatch::start();
    let booked = svc.sla.book_credits().await.unwrap();
    let total: i64 = booked.iter().map(|(_, m)| m.0).sum();
    println!(
        "month's credits booked for {n} VMs in one transaction: {:.0} ms; {} accounts credited {} in all (target < 1000 ms)",
        t.elapsed().as_secs_f64() * 1000.0,
        booked.len(),
        Money(total)
    );
}
