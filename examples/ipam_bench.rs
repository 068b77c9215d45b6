//! `make bench` figures for IP address management: a pool of 65,536 addresses (an IPv6 /112 of
//! the documentation prefix, handed out as single addresses: the allocator works on unit
//! indices and is the same for IPv4), filled to 90% with scattered holes, then allocations
//! one write transaction each on a real redb file, with a release between them to stay at 90%.
//! Prints p50/p99 of the allocation inside its transaction and of allocation plus durable
//! commit, and the sequential rate. Usage: ipam_bench [ALLOCATIONS]

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark, not product code

use std::sync::Arc;
use std::time::Duration;

use vpsbox::clock::{Clock, ManualClock, Stopwatch};
use vpsbox::domain::account::UserId;
use vpsbox::domain::ipam::{Cidr, PoolSpec, Unit};
use vpsbox::domain::time::Timestamp;
use vpsbox::domain::vm::VmId;
use vpsbox::service::ipam::{Ipam, allocate_in, release_in};
use vpsbox::store::Store;

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let n: usize = std::env::args().nth(1).map(|a| a.parse().unwrap()).unwrap_or(2000);
    let dir = std::env::temp_dir().join(format!("vpsbox-ipambench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Arc::new(Store::open(&dir.join("bench.redb")).unwrap());
    let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let ipam = Ipam::new(store.clone(), clock.clone(), 0);
    let spec = PoolSpec {
        network: Cidr::parse("2001:db8:b::/112").unwrap(),
        gateway: "fe80::1".parse().unwrap(),
        range: None,
        excluded: vec![],
        dns: vec![],
        unit: Unit::Address,
    };
    let pool = rt.block_on(ipam.add_pool("bench", spec)).unwrap();
    let size = pool.spec.size() as usize;

    // Fill to 95%, then release a random 5% of all: 90% full with holes everywhere.
    let mut held = Vec::with_capacity(size);
    let tx = store.write().unwrap();
    for i in 0..size * 95 / 100 {
        held.push(
            allocate_in(&tx, &pool, UserId(1), Some(VmId(i as u64 % 5000 + 1)), clock.now()).unwrap().index,
        );
    }
    tx.commit().unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let tx = store.write().unwrap();
    for _ in 0..size * 5 / 100 {
        let k = rng.below(held.len());
        release_in(&tx, &pool, held.swap_remove(k), clock.now(), 0).unwrap();
    }
    tx.commit().unwrap();
    let fill = held.len() as f64 / size as f64 * 100.0;

    let (mut op, mut total) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let all = Stopwatch::start();
    for i in 0..n {
        let t = Stopwatch::start();
        let tx = store.write().unwrap();
        let lease = allocate_in(&tx, &pool, UserId(2), Some(VmId(10_000 + i as u64)), clock.now()).unwrap();
        op.push(t.elapsed());
        tx.commit().unwrap();
        total.push(t.elapsed());
        held.push(lease.index);
        // Give one back (not timed), so the pool stays 90% full.
        let k = rng.below(held.len());
        let tx = store.write().unwrap();
        release_in(&tx, &pool, held.swap_remove(k), clock.now(), 0).unwrap();
        tx.commit().unwrap();
    }
    let elapsed = all.elapsed();
    println!(
        "IP allocation, pool of {size} addresses {fill:.0}% full, {n} allocations: in-transaction p50 {} p99 {}; with durable commit p50 {} p99 {}; {:.0} allocations/s (each followed by a release)",
        us(pct(op.clone(), 0.5)),
        us(pct(op, 0.99)),
        us(pct(total.clone(), 0.5)),
        us(pct(total, 0.99)),
        n as f64 / elapsed.as_secs_f64()
    );
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}
