//! The VM service on libvirt's test driver (a private instance per test), real redb and real
//! qemu-img images.

use crate::service::{Caller, Coded, ErrorKind};
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::clock::ManualClock;
use crate::config::Config;
use crate::domain::account::Role;
use crate::domain::catalog::PlanSpec;
use crate::domain::money::Money;
use crate::domain::vm::PowerState;
use crate::service::Services;
use crate::service::plans::NewPlan;
use crate::service::templates::ImportRequest;
use crate::store::records::VmPhase;

pub(crate) const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl t@x";

pub(crate) struct Env {
    pub svc: Services,
    pub hv: Arc<HvLink>,
    pub store: Arc<Store>,
    pub cfg: Config,
    pub clock: ManualClock,
    pub plan: PlanId,
    pub template: TemplateId,
    pub owner: UserId,
    pub key: u64,
    _dir: tempfile::TempDir,
}

pub(crate) async fn env() -> Env {
    env_with(|_| {}).await
}

/// [`env`] with `tune` applied to its configuration first.
pub(crate) async fn env_with(tune: impl FnOnce(&mut Config)) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("node.xml");
    std::fs::write(&node, "<node>\n</node>\n").unwrap();
    let clock = ManualClock::new(crate::domain::time::Timestamp::from_secs(1_800_000_000));
    let mut cfg = Config { data_dir: dir.path().join("data"), ..Config::default() };
    cfg.accounts.hash_concurrency = 2;
    cfg.quotas.vms = 20;
    cfg.quotas.vcpus = 40;
    cfg.quotas.memory_mib = 40 * 1024;
    cfg.quotas.disk_gb = 400;
    cfg.quotas.ipv4 = 20;
    // Port speeds shape both ways in the definitions these tests read (the test driver applies
    // nothing), whatever this machine's kernel can do.
    cfg.network.shaping = crate::config::Shaping::On;
    tune(&mut cfg);
    let clock_arc: Arc<dyn crate::clock::Clock> = Arc::new(clock.clone());
    let hv = Arc::new(HvLink::connect(&format!("test://{}", node.display()), false, clock_arc.clone()));
    let store = Arc::new(Store::open(&cfg.store_path()).unwrap());
    let svc = Services::new(store.clone(), clock_arc, &cfg, hv.clone());
    let img = dir.path().join("base.qcow2");
    assert!(
        std::process::Command::new("qemu-img")
            .args(["create", "-q", "-f", "qcow2"])
            .arg(&img)
            .arg("1G")
            .status()
            .unwrap()
            .success()
    );
    let t = svc
        .templates
        .import(
            img,
            ImportRequest { name: "tiny".into(), os: "linux".into(), min_disk_gb: None, login_user: None },
        )
        .await
        .unwrap();
    let p = svc
        .plans
        .create(NewPlan {
            name: "s-1".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 512, disk_gb: 2, ipv4: 1 },
            monthly_price: Money(500),
            hourly_price: Money(1),
        })
        .await
        .unwrap();
    let owner =
        svc.accounts.create_user("owner@example.com", "owner password 1", Role::Customer).await.unwrap();
    // Public addresses from documentation ranges (data only).
    let v4 = crate::service::ipam::PoolText {
        network: "192.0.2.0/24".into(),
        gateway: "192.0.2.1".into(),
        range: "192.0.2.10-192.0.2.29".into(),
        dns: "192.0.2.53".into(),
        ..Default::default()
    };
    svc.ipam.add_pool("public-v4", v4.spec().unwrap()).await.unwrap();
    let v6 = crate::service::ipam::PoolText {
        network: "2001:db8:100::/48".into(),
        gateway: "fe80::1".into(),
        ..Default::default()
    };
    svc.ipam.add_pool("public-v6", v6.spec().unwrap()).await.unwrap();
    let key = svc.keys.add(owner, "laptop", KEY, &Caller::system()).await.unwrap().id;
    Env { svc, hv, store, cfg, clock, plan: p.id, template: t.id, owner, key, _dir: dir }
}

impl Env {
    pub fn order(&self, hostname: &str) -> CreateVm {
        CreateVm {
            plan: self.plan,
            template: self.template,
            hostname: hostname.into(),
            key_ids: vec![self.key],
            root_password: None,
            once_key: uuid::Uuid::new_v4().to_string(),
            networks: vec![],
            restore: None,
        }
    }

    pub fn vms(&self) -> &Vms {
        &self.svc.vms
    }

    /// A fresh service over the same store and hypervisor: a daemon restart.
    pub fn restart(&self) -> Vms {
        let clock: Arc<dyn crate::clock::Clock> = Arc::new(self.clock.clone());
        Services::new(self.store.clone(), clock, &self.cfg, self.hv.clone()).vms
    }

    pub fn domain_state(&self, vm: &VmRecord) -> Option<PowerState> {
        self.hv.get().unwrap().state(&vm.uuid).unwrap()
    }
}

pub(crate) async fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    for _ in 0..500 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

pub(crate) async fn ready(e: &Env, id: VmId) -> VmRecord {
    wait_for("the VM to be ready", || {
        e.vms().get_any(id).map(|v| v.phase != VmPhase::Creating).unwrap_or(false)
    })
    .await;
    e.vms().get_any(id).unwrap()
}

/// The owner's list entries say the same as the full records, their addresses and service ids
/// (they are written together).
fn assert_list_in_step(e: &Env) {
    let tx = e.store.read().unwrap();
    let addresses = tx.open_table(crate::store::tables::VM_ADDRESSES).unwrap();
    let external = tx.open_table(crate::store::tables::VM_EXTERNAL).unwrap();
    let records: Vec<_> = e
        .vms()
        .records()
        .unwrap()
        .iter()
        .filter(|v| v.owner == e.owner)
        .map(|v| crate::store::vms::entry(&addresses, &external, v).unwrap())
        .collect();
    assert_eq!(e.vms().list(e.owner).unwrap(), records);
    let all: Vec<_> =
        e.vms().list_all().unwrap().into_iter().filter(|(o, _)| *o == e.owner).map(|(_, v)| v).collect();
    assert_eq!(all, records);
}

/// The kinds of the notices `user` sees (with the admins' when `admin`), newest first.
pub(crate) fn notice_kinds(svc: &crate::service::Services, user: UserId, admin: bool) -> Vec<String> {
    let role =
        if admin { crate::domain::account::Role::Admin } else { crate::domain::account::Role::Customer };
    svc.notices
        .inbox(&Caller::of(user, role, "t"))
        .unwrap()
        .notices
        .into_iter()
        .map(|(n, _)| n.kind)
        .collect()
}

pub(crate) fn actor(e: &Env) -> Caller {
    Caller::customer(e.owner, "192.0.2.10")
}

#[tokio::test]
async fn create_start_stop_reset_delete() {
    let e = env().await;
    let id = e.vms().create(e.owner, e.order("Web1"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    assert_eq!(
        (vm.phase.clone(), vm.power, vm.hostname.as_str()),
        (VmPhase::Ready, PowerState::Running, "web1")
    );
    assert_eq!(e.domain_state(&vm), Some(PowerState::Running));
    let addrs: Vec<String> = e
        .svc
        .ipam
        .vm_leases(id)
        .unwrap()
        .iter()
        .map(|l| format!("{}/{}", l.address.0, l.address.1))
        .collect();
    assert_eq!(addrs, ["192.0.2.10/24", "2001:db8:100::1/64"], "the plan's IPv4 and one IPv6 /64");
    let paths = e.vms().paths().clone();
    let net = crate::host::seed::read_document(&paths.seed(&vm.uuid), "network-config").unwrap();
    for want in [
        "macaddress: \"02:76:00:00:00:01\"",
        "- \"192.0.2.10/24\"",
        "- \"2001:db8:100::1/64\"",
        "gateway4: \"192.0.2.1\"",
        "gateway6: \"fe80::1\"",
        "addresses: [\"192.0.2.53\"]",
    ] {
        assert!(net.contains(want), "{want} missing from the seed's network-config:\n{net}");
    }
    assert!(paths.disk(&vm.uuid).exists() && paths.seed(&vm.uuid).exists());
    assert_eq!(
        crate::host::images::virtual_size(&paths.disk(&vm.uuid)).unwrap(),
        2 << 30,
        "grown to the plan"
    );

    let s = &Caller::customer(e.owner, "192.0.2.10");
    assert!(matches!(e.vms().power(s, id, PowerAction::Start).await, Err(VmError::WrongState(_))));
    let vm = e.vms().power(s, id, PowerAction::Reset).await.unwrap();
    assert_eq!(vm.power, PowerState::Running);
    let vm = e.vms().power(s, id, PowerAction::Shutdown).await.unwrap();
    assert_eq!(vm.power, PowerState::Shutoff, "the test driver powers off at once");
    let vm = e.vms().power(s, id, PowerAction::Start).await.unwrap();
    assert_eq!(vm.power, PowerState::Running);
    assert_list_in_step(&e);
    let shown: Vec<String> =
        e.vms().get_view(s, id).unwrap().addresses.iter().map(|a| a.to_string()).collect();
    assert_eq!(shown.len(), 2, "an IPv4 and an IPv6 address: {shown:?}");
    assert_eq!(e.vms().list(e.owner).unwrap()[0].addresses, shown.join(" "), "the list shows them");
    let vm = e.vms().power(s, id, PowerAction::ForceOff).await.unwrap();
    assert_eq!(vm.power, PowerState::Shutoff);
    assert_list_in_step(&e);
    assert_eq!(e.vms().list(e.owner).unwrap()[0].power, PowerState::Shutoff);

    assert!(matches!(e.vms().delete(s, id, "wrong").await, Err(VmError::ConfirmMismatch)));
    e.vms().delete(s, id, "WEB1").await.unwrap();
    wait_for("the VM to be gone", || matches!(e.vms().get_any(id), Err(VmError::NotFound))).await;
    assert_eq!(e.domain_state(&vm), None);
    assert!(!paths.disk(&vm.uuid).exists() && !paths.seed(&vm.uuid).exists());
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.vms, 0, "quota freed");
    assert!(e.svc.ipam.vm_leases(id).unwrap().is_empty(), "addresses taken back");
    let pools = e.svc.ipam.list().unwrap();
    assert_eq!(pools.iter().map(|p| (p.leased, p.cooling)).collect::<Vec<_>>(), [(0, 1), (0, 1)], "resting");
    assert!(e.vms().list(e.owner).unwrap().is_empty());
    assert_list_in_step(&e);
    let log: Vec<_> = e.vms().history(&vm, 50).unwrap().into_iter().map(|a| a.action).collect();
    for a in [
        "vm.create",
        "vm.created",
        "vm.reset",
        "vm.shutdown",
        "vm.start",
        "vm.force-off",
        "vm.delete",
        "vm.deleted",
    ] {
        assert!(log.iter().any(|x| x == a), "{a} missing from {log:?}");
    }
}

#[tokio::test]
async fn sixteen_concurrent_creates_against_a_limit_of_three() {
    let e = env().await;
    let mut limits = e.svc.quotas.overview(e.owner).unwrap().0;
    limits.vms = 3;
    e.svc.quotas.set_limits(e.owner, limits, &Caller::system()).await.unwrap();
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (vms, order, owner, a) = (e.vms().clone(), e.order(&format!("vm{i}")), e.owner, actor(&e));
            tokio::spawn(async move { vms.create(owner, order, &a).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(VmError::Quota(q)) => assert_eq!((q.limit, q.used), (3, 3)),
            Err(other) => panic!("unexpected {other}"),
        }
    }
    assert_eq!(ok, 3);
    assert_eq!(e.vms().list(e.owner).unwrap().len(), 3);
}

#[tokio::test]
async fn bad_orders_are_refused_with_codes_and_leave_nothing() {
    let e = env().await;
    let cases: Vec<(CreateVm, &str)> = vec![
        (CreateVm { hostname: "-bad".into(), ..e.order("") }, "VM0001"),
        (CreateVm { plan: PlanId(99), ..e.order("a") }, "VM0003"),
        (CreateVm { template: TemplateId(99), ..e.order("b") }, "VM0004"),
        (CreateVm { key_ids: vec![], root_password: None, ..e.order("c") }, "VM0006"),
        (CreateVm { key_ids: vec![], root_password: Some("short".into()), ..e.order("d") }, "VM0007"),
        (CreateVm { key_ids: vec![12345], ..e.order("e") }, "KEY0005"),
    ];
    for (order, code) in cases {
        let err = e.vms().create(e.owner, order, &actor(&e)).await.unwrap_err();
        assert_eq!(err.code(), code, "{err}");
    }
    let id = e.vms().create(e.owner, e.order("dup"), &actor(&e)).await.unwrap();
    let err = e.vms().create(e.owner, e.order("DUP"), &actor(&e)).await.unwrap_err();
    assert_eq!(err.code(), "VM0002");
    e.svc.plans.set_enabled(e.plan, false).await.unwrap();
    assert_eq!(e.vms().create(e.owner, e.order("f"), &actor(&e)).await.unwrap_err().code(), "VM0003");
    assert_eq!(e.vms().list(e.owner).unwrap().len(), 1);
    ready(&e, id).await;
    // A password instead of keys is fine.
    e.svc.plans.set_enabled(e.plan, true).await.unwrap();
    let order =
        CreateVm { key_ids: vec![], root_password: Some("a long root password".into()), ..e.order("pw") };
    let id = e.vms().create(e.owner, order, &actor(&e)).await.unwrap();
    assert!(ready(&e, id).await.root_password_hash.unwrap().starts_with("$6$"));
}

#[tokio::test]
async fn templates_and_plans_in_use_cannot_be_deleted() {
    let e = env().await;
    let id = e.vms().create(e.owner, e.order("u"), &actor(&e)).await.unwrap();
    let err = e.svc.templates.delete(e.template).await.unwrap_err();
    assert_eq!(err.code(), "TPL0005");
    assert!(err.to_string().contains("1 virtual machine"));
    assert_eq!(e.svc.plans.delete(e.plan).await.unwrap_err().code(), "PLN0005");
    ready(&e, id).await;
    e.vms().delete(&Caller::customer(e.owner, "192.0.2.10"), id, "u").await.unwrap();
    wait_for("delete", || e.vms().get_any(id).is_err()).await;
    e.svc.templates.delete(e.template).await.unwrap();
    e.svc.plans.delete(e.plan).await.unwrap();
}

#[tokio::test]
async fn domain_events_update_power_without_polling() {
    let e = env().await;
    let rx = e.hv.take_events().unwrap();
    tokio::spawn(crate::jobs::vm_sync::events(e.vms().clone(), e.hv.clone(), rx));
    let vm = ready(&e, e.vms().create(e.owner, e.order("ev"), &actor(&e)).await.unwrap()).await;
    assert_eq!(vm.power, PowerState::Running);
    // The guest halts itself: the customer's side, it stays off.
    let hv = e.hv.get().unwrap();
    hv.shutdown(&vm.uuid).unwrap();
    wait_for("the event to reach the record", || {
        e.vms().get_any(vm.id).unwrap().power == PowerState::Shutoff
    })
    .await;
    assert_list_in_step(&e);
    hv.start(&vm.uuid).unwrap();
    wait_for("running again", || e.vms().get_any(vm.id).unwrap().power == PowerState::Running).await;
    // Pulled out from under it outside vpsbox (`virsh destroy`): the provider's side, started
    // again at once with the downtime counted.
    hv.destroy(&vm.uuid).unwrap();
    wait_for("the platform fault to be noticed", || {
        let tx = e.store.read().unwrap();
        let t = tx.open_table(crate::store::tables::DOWNTIME).unwrap();
        let all = crate::domain::sla::Span::new(vm.created_at.plus_secs(-60), e.clock.now().plus_secs(60));
        !crate::store::sla::of_vm(&t, vm.id, all).unwrap().is_empty()
    })
    .await;
    wait_for("started again", || e.domain_state(&vm) == Some(PowerState::Running)).await;
    assert_eq!(e.vms().get_any(vm.id).unwrap().power, PowerState::Running);
    // vpsbox's own force-off is no fault: it stays off.
    e.vms().power(&Caller::customer(e.owner, "192.0.2.10"), vm.id, PowerAction::ForceOff).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(e.domain_state(&vm), Some(PowerState::Shutoff));
    assert_eq!(e.vms().get_any(vm.id).unwrap().power, PowerState::Shutoff);
}

#[tokio::test]
async fn the_same_form_key_makes_one_vm() {
    let e = env().await;
    let order = e.order("once");
    let a = e.vms().create(e.owner, order.clone(), &actor(&e)).await.unwrap();
    let b = e.vms().create(e.owner, order, &actor(&e)).await.unwrap();
    assert_eq!(a, b);
    assert_eq!(e.vms().list(e.owner).unwrap().len(), 1);
}

#[tokio::test]
async fn another_customer_gets_not_found_everywhere() {
    let e = env().await;
    let id = e.vms().create(e.owner, e.order("mine"), &actor(&e)).await.unwrap();
    ready(&e, id).await;
    let other =
        e.svc.accounts.create_user("b@example.com", "other password 1", Role::Customer).await.unwrap();
    let s = &Caller::customer(other, "198.51.100.1");
    assert!(matches!(e.vms().get(s, id), Err(VmError::NotFound)));
    assert!(matches!(e.vms().power(s, id, PowerAction::ForceOff).await, Err(VmError::NotFound)));
    assert!(matches!(e.vms().delete(s, id, "mine").await, Err(VmError::NotFound)));
    assert!(matches!(e.vms().rename(s, id, "x").await, Err(VmError::NotFound)));
    assert!(matches!(e.vms().reinstall(s, id, e.template).await, Err(VmError::NotFound)));
    assert!(matches!(e.vms().resize(s, id, e.plan).await, Err(VmError::NotFound)));
    assert!(e.vms().list(other).unwrap().is_empty());
    assert_eq!(e.vms().get_any(id).unwrap().power, PowerState::Running);
}

async fn halted(e: &Env, id: VmId, step: crate::store::records::Step) {
    wait_for("the operation to halt", || {
        e.vms().intent(id).unwrap().is_some_and(|i| i.done.contains(&step))
            && e.vms().lock_of(id).try_lock_owned().is_ok()
    })
    .await;
}

fn files_on_disk(e: &Env) -> Vec<String> {
    let p = e.vms().paths();
    [p.disks(), p.seeds()]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|f| f.file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test]
async fn create_recovers_after_a_crash_at_each_step() {
    use crate::store::records::Step;
    for step in [Step::Reserve, Step::Disk, Step::Seed, Step::Define, Step::Start] {
        let e = env().await;
        e.vms().set_halt_after(Some(step));
        let id = e.vms().create(e.owner, e.order("c"), &actor(&e)).await.unwrap();
        halted(&e, id, step).await;
        // A new daemon over the same state finishes the job.
        let vms = e.restart();
        let recovered = vms.recover().await.unwrap();
        assert!(recovered <= 1);
        let vm = vms.get_any(id).unwrap();
        assert_eq!((vm.phase.clone(), vm.power), (VmPhase::Ready, PowerState::Running), "after {step:?}");
        assert_eq!(e.domain_state(&vm), Some(PowerState::Running), "after {step:?}");
        assert!(vms.intent(id).unwrap().is_none());
        let mut files = files_on_disk(&e);
        files.sort();
        assert_eq!(files, [format!("{}.img", vm.uuid), format!("{}.qcow2", vm.uuid)], "after {step:?}");
        assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.vms, 1);
    }
}

#[tokio::test]
async fn delete_recovers_after_a_crash_at_each_step() {
    use crate::store::records::Step;
    for step in [Step::Stop, Step::Undefine, Step::RemoveFiles] {
        let e = env().await;
        let id = e.vms().create(e.owner, e.order("d"), &actor(&e)).await.unwrap();
        let vm = ready(&e, id).await;
        e.vms().set_halt_after(Some(step));
        e.vms().delete(&Caller::customer(e.owner, "192.0.2.10"), id, "d").await.unwrap();
        halted(&e, id, step).await;
        let vms = e.restart();
        vms.recover().await.unwrap();
        assert!(matches!(vms.get_any(id), Err(VmError::NotFound)), "after {step:?}");
        assert_eq!(e.domain_state(&vm), None, "after {step:?}");
        assert!(files_on_disk(&e).is_empty(), "after {step:?}");
        assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1, Default::default(), "after {step:?}");
    }
}

#[tokio::test]
async fn reinstall_resize_rename_suspend() {
    let e = env().await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let id = e.vms().create(e.owner, e.order("r"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let disk = e.vms().paths().disk(&vm.uuid);
    let before = std::fs::metadata(&disk).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    e.vms().reinstall(s, id, e.template).await.unwrap();
    wait_for("reinstall", || e.vms().get_any(id).map(|v| v.phase == VmPhase::Ready).unwrap_or(false)).await;
    assert_ne!(std::fs::metadata(&disk).unwrap().modified().unwrap(), before, "a fresh disk");
    assert_eq!(e.vms().get_any(id).unwrap().uuid, vm.uuid, "same identity");

    let big = e
        .svc
        .plans
        .create(NewPlan {
            name: "s-2".into(),
            spec: PlanSpec { vcpus: 2, memory_mib: 1024, disk_gb: 4, ipv4: 1 },
            monthly_price: Money(900),
            hourly_price: Money(2),
        })
        .await
        .unwrap();
    assert!(matches!(e.vms().resize(s, id, big.id).await, Err(VmError::WrongState(_))), "running");
    e.vms().power(s, id, PowerAction::ForceOff).await.unwrap();
    e.vms().resize(s, id, big.id).await.unwrap();
    wait_for("resize", || e.vms().intent(id).unwrap().is_none()).await;
    let vm = e.vms().get_any(id).unwrap();
    assert_eq!((vm.spec.vcpus, vm.plan_name.as_str()), (2, "s-2"));
    assert_eq!(crate::host::images::virtual_size(&disk).unwrap(), 4 << 30);
    let err = e.vms().resize(s, id, e.plan).await.unwrap_err();
    assert_eq!(err.code(), "VM0014", "disks only grow");

    assert_list_in_step(&e);
    let vm = e.vms().rename(s, id, "New-Name").await.unwrap();
    assert_eq!(vm.hostname, "new-name");
    assert_list_in_step(&e);
    let other = ready(&e, e.vms().create(e.owner, e.order("taken"), &actor(&e)).await.unwrap()).await;
    assert!(matches!(e.vms().rename(s, other.id, "new-name").await, Err(VmError::HostnameTaken(_))));

    e.vms().set_suspended(&Caller::system(), id, true).await.unwrap();
    assert_list_in_step(&e);
    assert!(e.vms().list(e.owner).unwrap().iter().any(|v| v.suspended && v.hostname == "new-name"));
    assert!(matches!(e.vms().power(s, id, PowerAction::Start).await, Err(VmError::Suspended)));
    e.vms().set_suspended(&Caller::system(), id, false).await.unwrap();
    assert_eq!(e.vms().power(s, id, PowerAction::Start).await.unwrap().power, PowerState::Running);
}

#[tokio::test]
async fn hypervisor_down_refuses_actions_and_changes_nothing() {
    let e = env().await;
    let id = ready(&e, e.vms().create(e.owner, e.order("h"), &actor(&e)).await.unwrap()).await.id;
    let offline = Arc::new(HvLink::offline("qemu:///system", Arc::new(e.clock.clone())));
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(e.clock.clone());
    let vms = Services::new(e.store.clone(), clock, &e.cfg, offline).vms;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let err = vms.create(e.owner, e.order("new"), &actor(&e)).await.unwrap_err();
    assert_eq!((err.code(), err.kind()), ("HV0001", ErrorKind::Unavailable));
    assert_eq!(vms.power(s, id, PowerAction::ForceOff).await.unwrap_err().code(), "HV0001");
    assert_eq!(vms.delete(s, id, "h").await.unwrap_err().code(), "HV0001");
    assert_eq!(vms.list(e.owner).unwrap().len(), 1);
    assert!(vms.intent(id).unwrap().is_none(), "nothing half-done");
    assert_eq!(vms.get_any(id).unwrap().phase, VmPhase::Ready);
}
