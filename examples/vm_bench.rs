//! VM figures for `make bench`:
//!   vm_bench create TEMPLATE N     create→running and create→guest-init on qemu:///system (TCG)
//!   vm_bench reconcile N           one reconcile pass over N domains on libvirt's test driver
//!   vm_bench seed-list DIR EMAIL PASSWORD N
//!                                  an account with N VMs in DIR (for the VM list page under wrk)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark, not product code

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use redb::ReadableTable;
use vpsbox::clock::{Clock, SystemClock};
use vpsbox::config::{Config, DomainType};
use vpsbox::domain::account::Role;
use vpsbox::domain::catalog::PlanSpec;
use vpsbox::domain::money::Money;
use vpsbox::domain::vm::{DomainKind, PowerState, VmId, VmSpec};
use vpsbox::hv::link::HvLink;
use vpsbox::service::Caller;
use vpsbox::service::Services;
use vpsbox::service::ipam::{PoolText, assign_vm_in};
use vpsbox::service::plans::NewPlan;
use vpsbox::service::templates::ImportRequest;
use vpsbox::service::vms::CreateVm;
use vpsbox::store::Store;
use vpsbox::store::records::{VmPhase, VmRecord};
use vpsbox::store::tables::{META, META_LAST_VM_ID, VM_BY_UUID, VM_HOSTNAMES};

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

struct Env {
    svc: Services,
    store: Arc<Store>,
    hv: Arc<HvLink>,
}

async fn env(data: &Path, uri: &str, kind: DomainType) -> Env {
    let mut cfg = Config { data_dir: data.to_path_buf(), ..Config::default() };
    cfg.libvirt.domain_type = kind;
    cfg.quotas.vms = 100_000;
    cfg.quotas.vcpus = 100_000;
    cfg.quotas.memory_mib = 1 << 40;
    cfg.quotas.disk_gb = 1 << 30;
    cfg.quotas.ipv4 = 100_000;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let hv = Arc::new(HvLink::connect(uri, false, clock.clone()));
    let store = Arc::new(Store::open(&cfg.store_path()).unwrap());
    let svc = Services::new(store.clone(), clock, &cfg, hv.clone());
    Env { svc, store, hv }
}

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("vpsbox-vmbench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&d).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
    d
}

async fn create(template: PathBuf, n: usize) {
    let dir = tempdir();
    let e = env(&dir.join("data"), "qemu:///system", DomainType::Qemu).await;
    let t = e
        .svc
        .templates
        .import(
            template,
            ImportRequest { name: "tiny".into(), os: "linux".into(), min_disk_gb: None, login_user: None },
        )
        .await
        .unwrap();
    let spec = PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 0 };
    let p = e
        .svc
        .plans
        .create(NewPlan { name: "b".into(), spec, monthly_price: Money(1), hourly_price: Money(1) })
        .await
        .unwrap();
    let owner =
        e.svc.accounts.create_user("bench@example.com", "bench password 1", Role::Customer).await.unwrap();
    let (mut running, mut init) = (Vec::new(), Vec::new());
    for i in 0..n {
        let order = CreateVm {
            plan: p.id,
            template: t.id,
            hostname: format!("bench{i}"),
            key_ids: vec![],
            root_password: Some("bench root password".into()),
            once_key: uuid::Uuid::new_v4().to_string(),
            networks: vec![],
            restore: None,
        };
        let start = vpsbox::clock::Stopwatch::start();
        let id = e.svc.vms.create(owner, order, &Caller::system()).await.unwrap();
        let vm = loop {
            let vm = e.svc.vms.get(&Caller::system(), id).unwrap();
            if vm.phase == VmPhase::Ready {
                break vm;
            }
            assert!(!matches!(vm.phase, VmPhase::Failed { .. }), "{:?}", vm.phase);
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        assert_eq!(vm.power, PowerState::Running);
        running.push(start.elapsed());
        let log = e.svc.vms.paths().serial_log(&vm.uuid);
        while !std::fs::read_to_string(&log).unwrap_or_default().contains("VPSBOX-TEST: init started") {
            assert!(start.elapsed() < Duration::from_secs(120), "guest did not reach init");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        init.push(start.elapsed());
        e.svc.vms.delete(&Caller::system(), id, &vm.hostname).await.unwrap();
        while e.svc.vms.get(&Caller::system(), id).is_ok() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    println!(
        "create→running (overlay, seed, define, start; TCG) over {n}: p50 {}  p95 {}",
        ms(pct(running.clone(), 0.5)),
        ms(pct(running, 0.95))
    );
    println!(
        "create→guest init (boot to /init, TCG) over {n}: p50 {}  p95 {}",
        ms(pct(init.clone(), 0.5)),
        ms(pct(init, 0.95))
    );
    let _ = std::fs::remove_dir_all(dir);
}

const BENCH_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bench@example";

/// Write `n` Ready VM records for `owner` straight into the store (seeding a benchmark).
fn seed_records(store: &Store, owner: vpsbox::domain::account::UserId, n: usize) -> Vec<VmRecord> {
    let tx = store.write().unwrap();
    let mut out = Vec::new();
    {
        let mut meta = tx.open_table(META).unwrap();
        let mut by_uuid = tx.open_table(VM_BY_UUID).unwrap();
        let mut names = tx.open_table(VM_HOSTNAMES).unwrap();
        let first = meta.get(META_LAST_VM_ID).unwrap().map(|v| v.value()).unwrap_or(0);
        let now = SystemClock.now();
        for i in 0..n as u64 {
            let id = first + i + 1;
            let vm = VmRecord {
                id: VmId(id),
                uuid: uuid::Uuid::new_v4(),
                owner,
                hostname: format!("node{id}.bench.example"),
                plan: vpsbox::domain::catalog::PlanId(1),
                plan_name: "s-1".into(),
                spec: PlanSpec { vcpus: 1, memory_mib: 512, disk_gb: 10, ipv4: 1 },
                template: vpsbox::domain::catalog::TemplateId(1),
                template_name: "debian-12".into(),
                // Like a real order: a key and a root password hash, so records have their size.
                ssh_keys: vec![vpsbox::domain::ssh::SshKey::parse(BENCH_KEY).unwrap()],
                root_password_hash: Some(format!("$6$rounds=5000$benchsalt{id}${}", "x".repeat(86))),
                phase: VmPhase::Ready,
                power: PowerState::Running,
                suspended: false,
                shutdown_requested_at: None,
                created_at: now,
                updated_at: now,
            };
            by_uuid.insert(vm.uuid.to_string().as_str(), id).unwrap();
            names.insert(format!("{}/{}", owner.0, vm.hostname).as_str(), id).unwrap();
            out.push(vm);
        }
        meta.insert(META_LAST_VM_ID, first + n as u64).unwrap();
    }
    for vm in &out {
        vpsbox::store::vms::put(&tx, vm).unwrap();
    }
    tx.commit().unwrap();
    out
}

async fn reconcile(n: usize) {
    let dir = tempdir();
    let node = dir.join("node.xml");
    std::fs::write(&node, "<node/>").unwrap();
    let e = env(&dir.join("data"), &format!("test://{}", node.display()), DomainType::Auto).await;
    let owner =
        e.svc.accounts.create_user("bench@example.com", "bench password 1", Role::Customer).await.unwrap();
    let vms = seed_records(&e.store, owner, n);
    let hv = e.hv.get().unwrap();
    for vm in &vms {
        let spec = VmSpec {
            name: VmSpec::domain_name(&vm.uuid),
            uuid: vm.uuid,
            kind: DomainKind::Test,
            vcpus: 1,
            memory_mib: 512,
            disk: format!("/nonexistent/{}.qcow2", vm.uuid).into(),
            seed: None,
            serial_log: None,
            nics: vec![],
            disks: vec![],
            owner: Some(vpsbox::domain::vm::DomainOwner {
                installation: e.store.installation_id(),
                vm: vm.id,
            }),
            cpu: Default::default(),
            rescue: None,
            cdrom: None,
        };
        hv.define(&spec).unwrap();
        hv.start(&vm.uuid).unwrap();
    }
    let mut times = Vec::new();
    for _ in 0..3 {
        let start = vpsbox::clock::Stopwatch::start();
        let r = e.svc.vms.reconcile().await.unwrap();
        times.push(start.elapsed());
        assert_eq!(r.domains, n);
        assert!(!r.repaired(), "{r:?}");
    }
    println!(
        "reconcile of {n} domains (test driver): best {}  worst {}",
        ms(pct(times.clone(), 0.0)),
        ms(pct(times, 1.0))
    );
    let _ = std::fs::remove_dir_all(dir);
}

async fn seed_list(dir: PathBuf, email: String, password: String, n: usize) {
    let e = env(&dir, "test:///default", DomainType::Auto).await;
    let owner = e.svc.accounts.create_user(&email, &password, Role::Customer).await.unwrap();
    let vms = seed_records(&e.store, owner, n);
    // Public addresses as a real order gets them (documentation ranges, data only).
    for (name, network, gateway) in
        [("bench-v4", "198.51.100.0/24", "198.51.100.1"), ("bench-v6", "2001:db8:100::/48", "fe80::1")]
    {
        let text = PoolText { network: network.into(), gateway: gateway.into(), ..Default::default() };
        e.svc.ipam.add_pool(name, text.spec().unwrap()).await.unwrap();
    }
    let tx = e.store.write().unwrap();
    for vm in &vms {
        assign_vm_in(&tx, owner, vm.id, 1, SystemClock.now()).unwrap();
    }
    tx.commit().unwrap();
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("create") => create(PathBuf::from(&args[1]), args[2].parse().unwrap()).await,
        Some("reconcile") => reconcile(args[1].parse().unwrap()).await,
        Some("seed-list") => {
            seed_list(PathBuf::from(&args[1]), args[2].clone(), args[3].clone(), args[4].parse().unwrap())
                .await
        }
        _ => panic!("usage: vm_bench create TEMPLATE N | reconcile N | seed-list DIR EMAIL PASSWORD N"),
    }
}
