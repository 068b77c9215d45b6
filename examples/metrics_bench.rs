//! Metrics and usage figures for `make bench`:
//!   metrics_bench N    N servers (10 per account) running as domains of a private libvirt
//!                      test driver; then `/metrics` as its handler makes it (libvirt's bulk
//!                      statistics of every domain in one call, the snapshot, the OpenMetrics
//!                      text) and a round of the usage sampling job (the same call, booked into
//!                      every server's usage rings and the abuse rule's streaks), each timed,
//!                      and the size of a month of usage history per server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark, not product code

mod common;

use std::sync::Arc;
use std::time::Duration;

use redb::ReadableTableMetadata;

use vpsbox::clock::{Clock, ManualClock, Stopwatch};
use vpsbox::config::Config;
use vpsbox::domain::account::UserId;
use vpsbox::domain::catalog::PlanId;
use vpsbox::domain::time::Timestamp;
use vpsbox::domain::vm::{DomainKind, DomainOwner, VmSpec};
use vpsbox::hv::link::HvLink;
use vpsbox::service::Services;
use vpsbox::store::Store;
use vpsbox::store::tables::{VM_BY_UUID, VM_USAGE};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn summary(mut v: Vec<Duration>) -> String {
    v.sort();
    format!("p50 {}  p95 {}  worst {}", ms(v[v.len() / 2]), ms(v[v.len() * 95 / 100]), ms(v[v.len() - 1]))
}

#[tokio::main]
async fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("node.xml");
    std::fs::write(&node, "<node/>").unwrap();
    let cfg = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
    let clock = ManualClock::new(Timestamp::from_secs(1_806_537_600));
    let c: Arc<dyn Clock> = Arc::new(clock.clone());
    let link = Arc::new(HvLink::connect(&format!("test://{}", node.display()), false, c.clone()));
    let store = Arc::new(Store::open(&cfg.store_path()).unwrap());
    let svc = Services::new(store.clone(), c, &cfg, link.clone());
    let hv = link.get().unwrap();

    let tx = store.write().unwrap();
    let mut records = Vec::new();
    for id in 1..=n {
        let vm = common::ready_vm(id, UserId(10_000 + (id - 1) / 10), PlanId(1), 1, clock.now());
        vpsbox::store::vms::put(&tx, &vm).unwrap();
        tx.open_table(VM_BY_UUID).unwrap().insert(vm.uuid.to_string().as_str(), id).unwrap();
        records.push(vm);
    }
    tx.commit().unwrap();
    for vm in &records {
        let spec = VmSpec {
            name: VmSpec::domain_name(&vm.uuid),
            uuid: vm.uuid,
            kind: DomainKind::Test,
            vcpus: 1,
            memory_mib: 1024,
            disk: format!("/nonexistent/{}.qcow2", vm.uuid).into(),
            seed: None,
            serial_log: None,
            nics: vec![],
            disks: vec![],
            owner: Some(DomainOwner { installation: store.installation_id(), vm: vm.id }),
            cpu: Default::default(),
            rescue: None,
            cdrom: None,
        };
        hv.define(&spec).unwrap();
        hv.start(&vm.uuid).unwrap();
    }

    // /metrics: what its handler does, end to end but for TLS.
    let mut scrape = Vec::new();
    let mut bytes = 0;
    for _ in 0..30 {
        let t = Stopwatch::start();
        let stats = hv.domain_stats().unwrap();
        assert_eq!(stats.len() as u64, n);
        let text = vpsbox::service::metrics::scrape(&svc, stats).unwrap();
        scrape.push(t.elapsed());
        bytes = text.len();
    }
    println!(
        "/metrics scrape of {n} servers (test driver, bulk statistics + text): {}  ({} kB)",
        summary(scrape),
        bytes / 1000
    );

    // Usage sampling: a round a minute (the test clock moves a minute between rounds).
    let mut rounds = Vec::new();
    for i in 0..60 {
        clock.advance_secs(60);
        let t = Stopwatch::start();
        let stats = hv.domain_stats().unwrap();
        let r = svc.usage.record(stats).await.unwrap();
        if i > 0 {
            rounds.push(t.elapsed());
            assert_eq!(r.servers as u64, n);
        }
    }
    println!(
        "usage sampling round over {n} servers (bulk statistics + rings, one commit): {}",
        summary(rounds)
    );

    // A month of history: every server's rings full (288 five-minute + 744 hourly buckets),
    // written a day at a time as the job would have, the last bucket now.
    let now = clock.now().as_secs();
    for day in (0..31).rev() {
        let tx = store.write().unwrap();
        {
            let mut t = tx.open_table(VM_USAGE).unwrap();
            for vm in &records {
                for tier in vpsbox::domain::usage::TIERS {
                    let per_day = 86_400 / tier.step;
                    for k in 0..per_day {
                        let start = tier.bucket(now - day * 86_400 - k * tier.step);
                        if start <= now - i64::from(tier.slots) * tier.step {
                            continue;
                        }
                        let sums = (
                            tier.step as u32,
                            1u64 << 30,
                            1u64 << 32,
                            1u64 << 20,
                            1u64 << 21,
                            1u64 << 22,
                            1u64 << 23,
                        );
                        t.insert((vm.id.0, tier.id, tier.slot(start)), (start, sums)).unwrap();
                    }
                }
            }
        }
        tx.commit().unwrap();
    }
    let (rows, stats) = {
        let tx = store.write().unwrap();
        let t = tx.open_table(VM_USAGE).unwrap();
        (t.len().unwrap(), t.stats().unwrap())
    };
    let file = std::fs::metadata(cfg.store_path()).unwrap().len();
    let used = stats.stored_bytes() + stats.metadata_bytes() + stats.fragmented_bytes();
    println!(
        "usage history, full rings of {n} servers: {rows} buckets in {} MB of pages ({} kB per server); state file {} MB",
        used / 1_000_000,
        used / n / 1000,
        file / 1_000_000
    );
    let t = Stopwatch::start();
    let s = svc.usage.series(records[0].id, vpsbox::domain::usage::Range::Month).unwrap();
    println!("a server's 30-day series read back: {} ({} points)", ms(t.elapsed()), s.points.len());
}
