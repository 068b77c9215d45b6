use std::collections::BTreeSet;

use proptest::prelude::*;
use redb::ReadableMultimapTable;

use super::*;
use crate::clock::ManualClock;
use crate::domain::ipam::{Cidr, Unit, parse_span};
use crate::domain::time::Timestamp;
use crate::store::tables::VM_IPS;

const START: i64 = 1_800_000_000;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn env(cooldown: u64) -> (Ipam, Arc<Store>, Arc<ManualClock>) {
    let store = Arc::new(Store::in_memory().unwrap());
    let clock = Arc::new(ManualClock::new(Timestamp::from_secs(START)));
    (Ipam::new(store.clone(), clock.clone(), cooldown), store, clock)
}

fn v4(net: &str, gw: &str) -> PoolSpec {
    PoolSpec {
        network: Cidr::parse(net).unwrap(),
        gateway: ip(gw),
        range: None,
        excluded: vec![],
        dns: vec![ip("192.0.2.53")],
        unit: Unit::Address,
    }
}

/// Every unit of the pool is in exactly one of free, cooling, leased; runs never touch; the
/// counts and the VM index agree.
fn assert_partition(store: &Store, pool: &PoolRecord) {
    let tx = store.read().unwrap();
    let id = pool.id.0;
    let mut free = BTreeSet::new();
    let mut last_end: Option<u128> = None;
    for row in tx.open_table(IP_FREE).unwrap().range((id, 0)..=(id, u128::MAX)).unwrap() {
        let (k, v) = row.unwrap();
        let (a, b) = (k.value().1, v.value());
        assert!(a <= b, "run {a}..{b} reversed");
        if let Some(e) = last_end {
            assert!(e + 1 < a, "runs touch or overlap at {e}/{a}");
        }
        last_end = Some(b);
        free.extend(a..=b);
    }
    let mut cooling = BTreeSet::new();
    for row in
        tx.open_table(IP_COOLING).unwrap().range((id, i64::MIN, 0)..=(id, i64::MAX, u128::MAX)).unwrap()
    {
        assert!(cooling.insert(row.unwrap().0.value().2), "cooling twice");
    }
    let mut leased = BTreeSet::new();
    let mut on_vms = 0;
    for row in tx.open_table(IP_LEASES).unwrap().range((id, 0)..=(id, u128::MAX)).unwrap() {
        let (k, v) = row.unwrap();
        leased.insert(k.value().1);
        let rec: IpLeaseRecord = decode(v.value()).unwrap();
        if let Some(vm) = rec.vm {
            let vm_ips = tx.open_multimap_table(VM_IPS).unwrap();
            assert!(vm_ips.get(vm.0).unwrap().any(|x| x.unwrap().value() == (id, k.value().1)));
            on_vms += 1;
        }
    }
    let vm_ips_total: usize = {
        let t = tx.open_multimap_table(VM_IPS).unwrap();
        t.iter().unwrap().map(|r| r.unwrap().1.filter(|x| x.as_ref().unwrap().value().0 == id).count()).sum()
    };
    assert_eq!(vm_ips_total, on_vms);
    assert!(free.is_disjoint(&cooling) && free.is_disjoint(&leased) && cooling.is_disjoint(&leased));
    let all: BTreeSet<u128> = pool.spec.free_runs().into_iter().flat_map(|(a, b)| a..=b).collect();
    let union: BTreeSet<u128> = free.iter().chain(&cooling).chain(&leased).copied().collect();
    assert_eq!(union, all, "units lost or invented");
    let counts = tx.open_table(IP_POOL_COUNTS).unwrap().get(id).unwrap().unwrap().value();
    assert_eq!(counts, (leased.len() as u64, cooling.len() as u64));
    // The lists' kept-ready addresses agree with the index, VM by VM, in the VM page's order.
    let index = tx.open_multimap_table(VM_IPS).unwrap();
    let kept = tx.open_table(crate::store::tables::VM_ADDRESSES).unwrap();
    for row in index.iter().unwrap() {
        let vm = VmId(row.unwrap().0.value());
        let mut from_index: Vec<IpAddr> =
            vm_leases_in(&tx, vm).unwrap().into_iter().map(|l| l.address.0).collect();
        let mut listed = Vec::new();
        crate::store::addresses::read_into(&kept, vm, &mut listed).unwrap();
        assert_eq!(listed, from_index, "kept-ready addresses of {vm}");
        from_index.clear();
    }
    for row in redb::ReadableTable::iter(&kept).unwrap() {
        let vm = row.unwrap().0.value();
        assert!(index.get(vm).unwrap().next().is_some(), "addresses kept for vm {vm}, which holds none");
    }
}

#[tokio::test]
async fn pools_add_list_remove_with_clear_refusals() {
    let (ipam, store, _) = env(60);
    let p = ipam.add_pool("Public-v4", v4("192.0.2.0/24", "192.0.2.1")).await.unwrap();
    assert_eq!(p.name, "public-v4");
    assert_partition(&store, &p);
    let err = ipam.add_pool("other", v4("192.0.2.128/25", "192.0.2.129")).await.unwrap_err();
    assert_eq!(err.code(), "IPM0004");
    assert!(err.to_string().contains("overlaps pool public-v4"), "{err}");
    assert_eq!(
        ipam.add_pool("public-v4", v4("198.51.100.0/24", "198.51.100.1")).await.unwrap_err().code(),
        "IPM0002"
    );
    assert_eq!(
        ipam.add_pool("bad name", v4("198.51.100.0/24", "198.51.100.1")).await.unwrap_err().code(),
        "IPM0001"
    );
    let err = ipam.add_pool("gw", v4("198.51.100.0/24", "203.0.113.1")).await.unwrap_err();
    assert_eq!(err.code(), "IPM0003");
    assert!(err.to_string().contains("gateway 203.0.113.1"), "{err}");

    let lease = ipam.allocate("public-v4", UserId(1), Some(VmId(7))).await.unwrap();
    assert_eq!(lease.address, (ip("192.0.2.2"), 24));
    assert_eq!((lease.gateway, lease.dns.clone()), (ip("192.0.2.1"), vec![ip("192.0.2.53")]));
    let view = &ipam.list().unwrap()[0];
    assert_eq!((view.size, view.leased, view.cooling), (253, 1, 0));
    let err = ipam.remove_pool("public-v4").await.unwrap_err();
    assert_eq!(err.code(), "IPM0006");
    assert!(err.to_string().contains("1 address(es) in use"), "{err}");
    assert_eq!(ipam.release("public-v4", ip("192.0.2.3")).await.unwrap_err().code(), "IPM0008");
    ipam.release("public-v4", ip("192.0.2.2")).await.unwrap();
    assert_partition(&store, &p);
    ipam.remove_pool("public-v4").await.unwrap();
    assert!(ipam.list().unwrap().is_empty());
    let tx = store.read().unwrap();
    assert_eq!(tx.open_table(IP_FREE).unwrap().iter().unwrap().count(), 0, "nothing of the pool left");
    assert_eq!(tx.open_table(IP_COOLING).unwrap().iter().unwrap().count(), 0);
    // Its network can be used again.
    drop(tx);
    ipam.add_pool("again", v4("192.0.2.0/24", "192.0.2.1")).await.unwrap();
    assert_eq!(ipam.remove_pool("nope").await.unwrap_err().code(), "IPM0005");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_concurrent_allocations_from_ten_give_exactly_ten() {
    let (ipam, store, _) = env(60);
    let mut spec = v4("192.0.2.0/24", "192.0.2.1");
    spec.range = Some(parse_span("192.0.2.10-192.0.2.19").unwrap());
    let pool = ipam.add_pool("ten", spec).await.unwrap();
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let ipam = ipam.clone();
            tokio::spawn(async move { ipam.allocate("ten", UserId(i), Some(VmId(i + 100))).await })
        })
        .collect();
    let mut got = BTreeSet::new();
    let mut exhausted = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(lease) => assert!(got.insert(lease.address.0), "{} given twice", lease.address.0),
            Err(e) => {
                assert_eq!(e.code(), "IPM0007", "{e}");
                exhausted += 1;
            }
        }
    }
    assert_eq!((got.len(), exhausted), (10, 22));
    let expected: BTreeSet<IpAddr> = (10..=19).map(|i| ip(&format!("192.0.2.{i}"))).collect();
    assert_eq!(got, expected);
    assert_partition(&store, &pool);
}

#[tokio::test]
async fn released_addresses_rest_for_the_cooldown() {
    let (ipam, store, clock) = env(3600);
    let mut spec = v4("192.0.2.0/24", "192.0.2.1");
    spec.range = Some(parse_span("192.0.2.10-192.0.2.12").unwrap());
    let pool = ipam.add_pool("small", spec).await.unwrap();
    let a = ipam.allocate("small", UserId(1), None).await.unwrap();
    assert_eq!(a.address.0, ip("192.0.2.10"));
    ipam.release("small", a.address.0).await.unwrap();
    assert_partition(&store, &pool);
    // Resting: the next ones come from further up, and then the pool is empty.
    assert_eq!(ipam.allocate("small", UserId(2), None).await.unwrap().address.0, ip("192.0.2.11"));
    assert_eq!(ipam.allocate("small", UserId(2), None).await.unwrap().address.0, ip("192.0.2.12"));
    clock.advance_secs(3599);
    assert_eq!(ipam.allocate("small", UserId(2), None).await.unwrap_err().code(), "IPM0007");
    clock.advance_secs(1);
    assert_eq!(ipam.allocate("small", UserId(3), None).await.unwrap().address.0, ip("192.0.2.10"), "rested");
    assert_partition(&store, &pool);
    let view = &ipam.list().unwrap()[0];
    assert_eq!((view.leased, view.cooling), (3, 0));
}

#[tokio::test]
async fn v6_pools_hand_out_64s() {
    let (ipam, store, _) = env(60);
    let spec = PoolSpec {
        network: Cidr::parse("2001:db8:100::/48").unwrap(),
        gateway: ip("fe80::1"),
        range: None,
        excluded: vec![],
        dns: vec![ip("2001:db8::53")],
        unit: Unit::Prefix64,
    };
    let pool = ipam.add_pool("v6", spec).await.unwrap();
    let a = ipam.allocate("v6", UserId(1), Some(VmId(1))).await.unwrap();
    let b = ipam.allocate("v6", UserId(1), Some(VmId(2))).await.unwrap();
    assert_eq!(a.address, (ip("2001:db8:100::1"), 64));
    assert_eq!(b.address, (ip("2001:db8:100:1::1"), 64));
    // Any address inside the /64 names it.
    ipam.release("v6", ip("2001:db8:100:1:dead::beef")).await.unwrap();
    assert_partition(&store, &pool);
    assert_eq!(ipam.list().unwrap()[0].size, 65_536);
}

#[derive(Debug, Clone)]
enum Op {
    Allocate(u64),
    Release(usize),
    Wait(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u64..4).prop_map(Op::Allocate),
        2 => any::<usize>().prop_map(Op::Release),
        1 => (0u64..120).prop_map(Op::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random allocate/release/wait sequences on a small fragmented pool: no unit is ever held
    /// twice, none is lost, a released unit is not handed out before its rest ends, and the
    /// tables stay a partition of the pool.
    #[test]
    fn random_sequences_never_give_an_address_twice(ops in proptest::collection::vec(op(), 1..120)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (ipam, store, clock) = env(60);
        let mut spec = v4("198.51.100.0/26", "198.51.100.1");
        spec.excluded = vec![parse_span("198.51.100.5-198.51.100.9").unwrap(), parse_span("198.51.100.30").unwrap()];
        let pool = rt.block_on(ipam.add_pool("p", spec)).unwrap();
        let size = pool.spec.size() as usize;
        let mut held: Vec<IpAddr> = Vec::new();
        let mut resting: Vec<(IpAddr, i64)> = Vec::new();
        for op in ops {
            match op {
                Op::Allocate(vm) => match rt.block_on(ipam.allocate("p", UserId(1), Some(VmId(vm)))) {
                    Ok(lease) => {
                        let a = lease.address.0;
                        prop_assert!(!held.contains(&a), "{} handed out twice", a);
                        let now = clock.now().as_secs();
                        prop_assert!(!resting.iter().any(|(r, until)| *r == a && now < *until), "{} reused while resting", a);
                        resting.retain(|(r, _)| *r != a);
                        held.push(a);
                    }
                    Err(e) => {
                        prop_assert_eq!(e.code(), "IPM0007");
                        let now = clock.now().as_secs();
                        let rested = resting.iter().filter(|(_, until)| *until <= now).count();
                        prop_assert_eq!(held.len() + resting.len() - rested, size, "exhausted with units free");
                    }
                },
                Op::Release(k) if !held.is_empty() => {
                    let a = held.remove(k % held.len());
                    rt.block_on(ipam.release("p", a)).unwrap();
                    resting.push((a, clock.now().as_secs() + 60));
                }
                Op::Release(_) => {}
                Op::Wait(secs) => clock.advance_secs(secs as i64),
            }
            assert_partition(&store, &pool);
        }
    }
}

#[tokio::test]
async fn reverse_dns_belongs_to_the_holder_and_goes_with_the_lease() {
    let (ipam, _, _) = env(0);
    ipam.add_pool("p", v4("192.0.2.0/24", "192.0.2.1")).await.unwrap();
    let a = ipam.allocate("p", UserId(1), Some(VmId(1))).await.unwrap().address.0;
    assert_eq!(ipam.set_ptr(Some(UserId(2)), a, "x.example.com").await.unwrap_err().code(), "IPM0011");
    assert_eq!(ipam.set_ptr(Some(UserId(1)), a, "nodots").await.unwrap_err().code(), "IPM0010");
    let other = ip("198.51.100.1");
    assert_eq!(ipam.set_ptr(None, other, "x.example.com").await.unwrap_err().code(), "IPM0011");
    assert_eq!(
        ipam.set_ptr(Some(UserId(1)), a, "Web.Example.com").await.unwrap().as_deref(),
        Some("web.example.com")
    );
    assert_eq!(ipam.ptr_records().unwrap(), vec![(a, "web.example.com".to_string())]);
    assert_eq!(ipam.vm_leases(VmId(1)).unwrap()[0].ptr.as_deref(), Some("web.example.com"));
    assert_eq!(ipam.set_ptr(None, a, "").await.unwrap(), None, "admins clear any");
    ipam.set_ptr(Some(UserId(1)), a, "web.example.com").await.unwrap();
    ipam.release("p", a).await.unwrap();
    assert!(ipam.ptr_records().unwrap().is_empty(), "the next holder does not inherit it");
    let again = ipam.allocate("p", UserId(3), None).await.unwrap();
    assert_eq!((again.address.0, again.ptr), (a, None));
}
