//! Billing figures for `make bench`:
//!   billing_bench meter N            one metering tick (one hour) over N billable resources in a
//!                                    redb file (VMs with extra addresses, disks, backups over
//!                                    N/10 accounts), median and worst of 10 hours
//!   billing_bench seed DIR EMAIL PASSWORD
//!                                    an account in DIR with a year of hourly history (3 VMs, a
//!                                    disk, backups, payments): 12 statements and ~8,800 ledger
//!                                    entries, for the statement page under wrk

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark, not product code

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use vpsbox::service::Caller;

use vpsbox::clock::{Clock, ManualClock, Stopwatch};
use vpsbox::config::Config;
use vpsbox::domain::account::{Role, UserId};
use vpsbox::domain::billing::{Item, Price};
use vpsbox::domain::catalog::{PlanId, PlanSpec};
use vpsbox::domain::money::Money;
use vpsbox::domain::time::Timestamp;
use vpsbox::hv::link::HvLink;
use vpsbox::service::Services;
use vpsbox::service::plans::NewPlan;
use vpsbox::store::Store;
use vpsbox::store::holdings::{self, Kind};

/// 2027-01-01 00:00 UTC.
const START: i64 = 1_798_761_600;

async fn services(data: &Path, clock: &ManualClock) -> (Services, Arc<Store>) {
    let cfg = Config { data_dir: data.to_path_buf(), ..Config::default() };
    std::fs::create_dir_all(data).unwrap();
    let c: Arc<dyn Clock> = Arc::new(clock.clone());
    let hv = Arc::new(HvLink::connect("test:///default", false, c.clone()));
    let store = Arc::new(Store::open(&cfg.store_path()).unwrap());
    (Services::new(store.clone(), c, &cfg, hv), store)
}

async fn prices(svc: &Services) -> PlanId {
    let plan = svc
        .plans
        .create(NewPlan {
            name: "s-1".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 1024, disk_gb: 10, ipv4: 1 },
            monthly_price: Money(500_000),
            hourly_price: Money(700),
        })
        .await
        .unwrap()
        .id;
    for (item, m, h) in
        [(Item::ExtraIpv4, 150_000, 210), (Item::DiskGb, 5_000, 7), (Item::BackupGb, 2_000, 3)]
    {
        svc.billing
            .set_price(item, Price { monthly: Money(m), hourly: Money(h) }, &Caller::system())
            .await
            .unwrap();
    }
    plan
}

async fn meter(n: u64) {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(Timestamp::from_secs(START));
    let (svc, store) = services(dir.path(), &clock).await;
    let plan = prices(&svc).await;
    svc.billing.tick().await.unwrap();
    // Per account of 10 resources: 3 VMs (each a plan line and an extra-address line), 2
    // disks, 2 backups (one backup-storage line).
    let accounts = n / 10;
    let now = clock.now();
    let tx = store.write().unwrap();
    for a in 0..accounts {
        let owner = UserId(10_000 + a);
        for v in 0..3 {
            vpsbox::store::vms::put(&tx, &common::ready_vm(a * 3 + v + 1, owner, plan, 2, now)).unwrap();
        }
        for d in 0..2 {
            holdings::put(&tx, now, owner, Kind::Disk, a * 2 + d + 1, 20).unwrap();
            holdings::put(&tx, now, owner, Kind::Backup, a * 2 + d + 1, 3 << 29).unwrap();
        }
    }
    tx.commit().unwrap();
    let mut times = Vec::new();
    let mut lines = 0;
    for h in 1..=10 {
        clock.set(Timestamp::from_secs(START + h * 3600 + 60));
        let t = Stopwatch::start();
        let r = svc.billing.tick().await.unwrap();
        times.push(t.elapsed());
        assert_eq!(r.hours, 1);
        lines = r.lines;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "metering tick, {n} resources ({accounts} accounts, {lines} charge lines an hour): median {:.0} ms, worst {:.0} ms (target < 1000 ms)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}

async fn seed(data: &Path, email: &str, password: &str) {
    let clock = ManualClock::new(Timestamp::from_secs(START));
    let (svc, store) = services(data, &clock).await;
    let plan = prices(&svc).await;
    let owner = svc.accounts.create_user(email, password, Role::Customer).await.unwrap();
    svc.billing.tick().await.unwrap();
    let now = clock.now();
    let tx = store.write().unwrap();
    for v in 0..3 {
        vpsbox::store::vms::put(&tx, &common::ready_vm(v + 1, owner, plan, 2, now)).unwrap();
    }
    holdings::put(&tx, now, owner, Kind::Disk, 1, 50).unwrap();
    holdings::put(&tx, now, owner, Kind::Backup, 1, 5 << 30).unwrap();
    tx.commit().unwrap();
    let t = Stopwatch::start();
    for day in 0..365 {
        let at = START + day * 86_400;
        if day % 30 == 0 {
            clock.set(Timestamp::from_secs(at + 600));
            svc.billing
                .top_up(owner, Money(2_000_000), &format!("payment {day}"), &Caller::system())
                .await
                .unwrap();
        }
        for h in 1..=24 {
            clock.set(Timestamp::from_secs(at + h * 3600 + 60));
            svc.billing.tick().await.unwrap();
        }
    }
    let n = svc.billing.statements(owner).unwrap().len();
    let entries = svc.billing.transactions(owner, None, 100_000).unwrap().len();
    println!(
        "seeded a year for {email}: {n} statements, {entries} ledger entries in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("meter") => meter(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10_000)).await,
        Some("seed") => seed(Path::new(&args[2]), &args[3], &args[4]).await,
        _ => panic!("usage: billing_bench meter N | seed DIR EMAIL PASSWORD"),
    }
}
