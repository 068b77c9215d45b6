//! End to end on the real libvirtd with QEMU (TCG): the tiny test template boots, reads its
//! cloud-init seed, powers off on the ACPI button, boots again after a hard reset, and delete
//! leaves nothing behind.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use vpsbox::domain::catalog::PlanSpec;
use vpsbox::store::records::VmRecord;

use crate::common::*;
use crate::common::{catalogue_with, order, wait_page};

/// The cached test template (built by `make test`, or here when missing).
pub fn test_template() -> PathBuf {
    test_image("tiny.qcow2")
}

/// The test template's ISO: the same system, booted by isolinux from a CD-ROM.
pub fn test_iso() -> PathBuf {
    test_image("tiny.iso")
}

/// `name` among what `scripts/build-test-template.sh` builds.
fn test_image(name: &str) -> PathBuf {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Path::new(root).join("target/test-template");
    let img = out.join(name);
    if !img.exists() {
        let st =
            Command::new(Path::new(root).join("scripts/build-test-template.sh")).arg(&out).status().unwrap();
        assert!(st.success(), "building the test template");
    }
    img
}

fn serial(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap_or_default()
}

pub async fn wait_serial(log: &Path, what: &str, count: usize) -> String {
    for _ in 0..1200 {
        let text = serial(log);
        if text.matches(what).count() >= count {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("serial log never showed {what:?} {count} times:\n{}", serial(log));
}

/// A daemon on the system libvirtd (QEMU, TCG) with the test template and a plan of 1 vCPU,
/// 256 MiB, 1 GiB and no address, and customer `email` whose VM `hostname` is running. Returns
/// the daemon, the customer's client, the VM's page and its record. The caller holds
/// [`crate::hv::LIBVIRTD`].
pub(crate) async fn running_tiny_vm(
    email: &str,
    hostname: &str,
) -> (Daemon, reqwest::Client, String, VmRecord) {
    running_tiny_vm_on(start_qemu_daemon().await, email, hostname).await
}

/// [`running_tiny_vm`] on daemon `d` (on the system libvirtd).
pub(crate) async fn running_tiny_vm_on(
    d: Daemon,
    email: &str,
    hostname: &str,
) -> (Daemon, reqwest::Client, String, VmRecord) {
    let (plan, tpl) = catalogue_with(
        &d,
        test_template(),
        "tiny",
        PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 0 },
    )
    .await;
    let c = client();
    sign_up(&c, &d, email).await;
    let vm_path = order(&c, &d, hostname, plan, tpl).await;
    wait_page(&c, &d, &vm_path, "badge running").await;
    let owner = d.accounts().user_by_email(email).unwrap().id;
    let id = d.svc().vms.list(owner).unwrap()[0].id;
    let vm = d.svc().vms.get(&vpsbox::service::Caller::system(), id).unwrap();
    (d, c, vm_path, vm)
}

#[tokio::test]
async fn a_vm_boots_reads_its_seed_shuts_down_resets_and_leaves_nothing() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let (d, c, vm_path, vm) = running_tiny_vm("e2e@example.com", "e2e-guest").await;
    let log = d.svc().vms.paths().serial_log(&vm.uuid);

    // Booted, and read the hostname and instance id from its cidata seed.
    let text = wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    assert!(text.contains(&format!("VPSBOX-TEST: hostname=e2e-guest instance-id={}", vm.uuid)), "{text}");

    // libvirt's bulk statistics see the running guest: CPU time rising, its disks read.
    use vpsbox::hv::Hypervisor;
    let hv = vpsbox::hv::libvirt::Libvirt::connect("qemu:///system").unwrap();
    let stats = |hv: &vpsbox::hv::libvirt::Libvirt| {
        hv.domain_stats().unwrap().into_iter().find(|s| s.uuid == vm.uuid).expect("the guest's statistics")
    };
    let first = stats(&hv);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let later = stats(&hv);
    assert!(first.running && first.vcpus == 1 && first.memory_bytes > 0, "{first:?}");
    assert!(later.cpu_seconds > first.cpu_seconds && first.cpu_seconds > 0.0, "{first:?} then {later:?}");
    assert!(later.disk.in_bytes > 0 && later.disk.in_ops > 0, "{later:?}");

    // Graceful shutdown: the guest handles the ACPI power button and powers off.
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/power"), &[("action", "shutdown")]).await;
    assert_eq!(r.status().as_u16(), 303);
    wait_serial(&log, "VPSBOX-TEST: power button", 1).await;
    wait_page(&c, &d, &vm_path, "badge stopped").await;

    // Start again, then a hard reset makes it boot once more (same QEMU process, same log).
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/power"), &[("action", "start")]).await;
    assert_eq!(r.status().as_u16(), 303);
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/power"), &[("action", "reset")]).await;
    assert_eq!(r.status().as_u16(), 303);
    wait_serial(&log, "VPSBOX-TEST: init started", 2).await;

    // Delete: domain, disk, seed and log all go.
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/delete"), &[("confirm", "e2e-guest")]).await;
    assert_eq!(r.status().as_u16(), 303);
    // (A minute: with other TCG guests booting beside it, the stop alone can take a while.)
    for _ in 0..600 {
        if c.get(d.url(&vm_path)).send().await.unwrap().status().as_u16() == 404 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(c.get(d.url(&vm_path)).send().await.unwrap().status().as_u16(), 404);
    let out = Command::new("virsh")
        .args(["-c", "qemu:///system", "dominfo", &vm.uuid.to_string()])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the domain is gone");
    let paths = d.svc().vms.paths();
    for dir in [paths.disks(), paths.seeds(), paths.logs()] {
        let left: Vec<_> =
            std::fs::read_dir(&dir).map(|r| r.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        assert!(left.is_empty(), "{} still has {left:?}", dir.display());
    }
    d.stop().await;
}

/// A bridge with no uplink in the host's namespace (where libvirt's QEMU runs), removed on drop.
pub struct TestBridge(pub String);

impl TestBridge {
    pub fn new() -> TestBridge {
        let name = format!("vpsbx{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
        for args in [vec!["link", "add", &name, "type", "bridge"], vec!["link", "set", &name, "up"]] {
            assert!(Command::new("ip").args(&args).status().unwrap().success(), "ip {args:?}");
        }
        TestBridge(name)
    }
}

impl Drop for TestBridge {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["link", "del", &self.0]).status();
    }
}

/// A daemon on the system libvirtd (QEMU, TCG) whose public interfaces join `bridge`.
pub async fn bridged_qemu_daemon(bridge: &TestBridge) -> Daemon {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.libvirt.uri = "qemu:///system".into();
    cfg.libvirt.domain_type = vpsbox::config::DomainType::Qemu;
    cfg.network.public_bridge = bridge.0.clone();
    start_daemon_with(cfg, dir).await
}

fn virsh(args: &[&str]) -> (bool, String) {
    let out = Command::new("virsh").arg("-c").arg("qemu:///system").args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// A VM with public addresses on a bridge (no uplink; the documentation addresses are data
/// only): the guest reads them from its seed, its interface joins the bridge with its MAC, and
/// libvirt guards it with a filter holding exactly its addresses, gone again after delete.
#[tokio::test]
async fn a_public_interface_gets_its_addresses_and_its_filter() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let template = test_template();
    let bridge = TestBridge::new();
    let d = bridged_qemu_daemon(&bridge).await;
    let (plan, tpl) =
        catalogue_with(&d, template, "tiny", PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 1 })
            .await;
    let v6 = vpsbox::service::ipam::PoolText {
        network: "2001:db8:100::/48".into(),
        gateway: "fe80::1".into(),
        ..Default::default()
    };
    d.svc().ipam.add_pool("public-v6", v6.spec().unwrap()).await.unwrap();
    let c = client();
    sign_up(&c, &d, "net@example.com").await;
    let vm_path = order(&c, &d, "net-guest", plan, tpl).await;
    wait_page(&c, &d, &vm_path, "badge running").await;
    let owner = d.accounts().user_by_email("net@example.com").unwrap().id;
    let id = d.svc().vms.list(owner).unwrap()[0].id;
    let vm = d.svc().vms.get(&vpsbox::service::Caller::system(), id).unwrap();
    let log = d.svc().vms.paths().serial_log(&vm.uuid);

    let text = wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    assert!(text.contains("VPSBOX-TEST: addresses=198.51.100.2/24 2001:db8:100::1/64"), "{text}");

    let (ok, ifaces) = virsh(&["domiflist", &vm.uuid.to_string()]);
    let mac = vpsbox::domain::vm::mac_of(vm.id, 0).unwrap();
    assert!(ok && ifaces.contains(&bridge.0) && ifaces.contains(&mac), "{ifaces}");
    let filter = vpsbox::domain::vm::FilterSpec::name_of(&vm.uuid);
    let (ok, xml) = virsh(&["nwfilter-dumpxml", &filter]);
    assert!(ok, "{xml}");
    assert!(xml.contains("srcipaddr='198.51.100.2'"), "{xml}");
    assert!(xml.contains("srcipaddr='2001:db8:100::'") && xml.contains("srcipmask='64'"), "{xml}");
    assert!(!xml.contains("198.51.100.3"), "only its own addresses: {xml}");
    let (_, bindings) = virsh(&["nwfilter-binding-list"]);
    assert!(bindings.contains(&filter), "the running interface is bound to it: {bindings}");

    // The customer's firewall reaches the running interface at once: stateful iptables rules
    // on its port of the bridge (no packet is sent; the rules are read back).
    {
        use vpsbox::domain::firewall::{Action, parse_rule};
        let s = &vpsbox::service::Caller::customer(owner, "192.0.2.10");
        let ssh = parse_rule("allow", "tcp", "22", "203.0.113.0/24").unwrap();
        d.svc().vms.add_firewall_rule(s, id, ssh, None).await.unwrap();
        let fw = d.svc().vms.set_firewall_default(s, id, Action::Deny).await.unwrap();
        let xml = virsh(&["nwfilter-dumpxml", &filter]).1;
        assert!(xml.contains(&format!("vpsbox-fw:{}", fw.digest())), "{xml}");
        let vnet =
            ifaces.lines().find(|l| l.contains(&mac)).and_then(|l| l.split_whitespace().next()).unwrap();
        let rules =
            String::from_utf8_lossy(&Command::new("iptables-save").output().unwrap().stdout).to_string();
        let ours: Vec<&str> = rules.lines().filter(|l| l.contains(vnet) || l.contains(&vnet[1..])).collect();
        let text = ours.join("\n");
        assert!(rules.contains("203.0.113.0/24") && rules.contains("--dport 22"), "{text}\n---\n{rules}");
        assert!(rules.lines().any(|l| l.contains("vpsbox-fw:") && l.contains("DROP")), "{rules}");
        // Back to open: the rules go.
        d.svc().vms.remove_firewall_rule(s, id, 0).await.unwrap();
        d.svc().vms.set_firewall_default(s, id, Action::Allow).await.unwrap();
        let rules =
            String::from_utf8_lossy(&Command::new("iptables-save").output().unwrap().stdout).to_string();
        assert!(!rules.contains("vpsbox-fw:") && !rules.contains("203.0.113.0/24"), "{rules}");
        assert!(!virsh(&["nwfilter-dumpxml", &filter]).1.contains("vpsbox-fw:"));
    }

    // Reconcile leaves another installation's filter alone and defines a VM's missing one
    // again.
    let stray = vpsbox::domain::vm::FilterSpec {
        uuid: uuid::Uuid::new_v4(),
        ipv4: vec![],
        ipv6: vec![],
        firewall: Default::default(),
        owner: Some(vpsbox::domain::vm::DomainOwner {
            installation: uuid::Uuid::new_v4(),
            vm: vpsbox::domain::vm::VmId(1),
        }),
    };
    let stray_file = d.dir_path().join("stray-filter.xml");
    std::fs::write(&stray_file, vpsbox::hv::xml::filter_xml(&stray)).unwrap();
    assert!(virsh(&["nwfilter-define", stray_file.to_str().unwrap()]).0);
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/power"), &[("action", "force-off")]).await;
    assert_eq!(r.status().as_u16(), 303);
    wait_page(&c, &d, &vm_path, "badge stopped").await;
    let (ok, out) = virsh(&["nwfilter-undefine", &filter]);
    assert!(ok, "not in use while stopped: {out}");
    let report = d.svc().vms.reconcile().await.unwrap();
    assert_eq!((report.removed_filters, report.filters_defined), (0, 1), "{report:?}");
    let stray_name = vpsbox::domain::vm::FilterSpec::name_of(&stray.uuid);
    assert!(virsh(&["nwfilter-dumpxml", &stray_name]).0, "another's filter is left alone");
    assert!(d.svc().vms.unmanaged().unwrap().iter().any(|u| u.name == stray_name));
    assert!(virsh(&["nwfilter-undefine", &stray_name]).0);
    assert!(virsh(&["nwfilter-dumpxml", &filter]).1.contains("198.51.100.2"));
    // A filter that holds other addresses (say a crash came between an address change and the
    // filter update) is corrected too.
    let wrong = vpsbox::domain::vm::FilterSpec {
        uuid: vm.uuid,
        ipv4: vec!["198.51.100.77".parse().unwrap()],
        ipv6: vec![],
        firewall: Default::default(),
        owner: None,
    };
    std::fs::write(&stray_file, vpsbox::hv::xml::filter_xml(&wrong)).unwrap();
    assert!(virsh(&["nwfilter-define", stray_file.to_str().unwrap()]).0);
    let report = d.svc().vms.reconcile().await.unwrap();
    assert_eq!(report.filters_defined, 1, "{report:?}");
    let xml = virsh(&["nwfilter-dumpxml", &filter]).1;
    assert!(xml.contains("198.51.100.2") && !xml.contains("198.51.100.77"), "{xml}");
    assert_eq!(d.svc().vms.reconcile().await.unwrap().filters_defined, 0, "in step now");

    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/delete"), &[("confirm", "net-guest")]).await;
    assert_eq!(r.status().as_u16(), 303);
    for _ in 0..200 {
        if d.svc().vms.get_any(id).is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(d.svc().vms.get_any(id).is_err(), "deleted");
    let (ok, _) = virsh(&["nwfilter-dumpxml", &filter]);
    assert!(!ok, "the filter went with the VM");
    // Its filter back (as a crash could leave it): the VM was this installation's and is
    // deleted, so reconcile removes it.
    assert!(virsh(&["nwfilter-define", stray_file.to_str().unwrap()]).0);
    let report = d.svc().vms.reconcile().await.unwrap();
    assert_eq!(report.removed_filters, 1, "{report:?}");
    assert!(!virsh(&["nwfilter-dumpxml", &filter]).0);
    d.stop().await;
}

fn ip(args: &[&str]) -> String {
    let out = Command::new("ip").args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// Two VMs on an isolated private network read their private addresses from the seed; the
/// network is a bridge of its own with both VMs on it and no address on the host; a disk
/// attached to a running VM appears in the guest and goes again when detached. The subnet is a
/// documentation range, data only: no packet leaves the guests' own bridge.
#[tokio::test]
async fn a_private_network_joins_two_vms_and_a_disk_is_hot_plugged() {
    use vpsbox::service::vms::CreateVm;
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let template = test_template();
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.libvirt.uri = "qemu:///system".into();
    cfg.libvirt.domain_type = vpsbox::config::DomainType::Qemu;
    let d = start_daemon_with(cfg, dir).await;
    let (plan, tpl) =
        catalogue_with(&d, template, "tiny", PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 0 })
            .await;
    let c = client();
    sign_up(&c, &d, "lan@example.com").await;
    let owner = d.accounts().user_by_email("lan@example.com").unwrap().id;
    let svc = d.svc();
    let net =
        svc.privnets.create(owner, "lan", "192.0.2.0/24", &vpsbox::service::Caller::system()).await.unwrap();
    let mut vms = Vec::new();
    for name in ["lan-a", "lan-b"] {
        let order = CreateVm {
            plan: vpsbox::domain::catalog::PlanId(plan),
            template: vpsbox::domain::catalog::TemplateId(tpl),
            hostname: name.into(),
            key_ids: vec![],
            root_password: Some("a long root password".into()),
            once_key: name.into(),
            networks: vec![net],
            restore: None,
        };
        let id = svc.vms.create(owner, order, &vpsbox::service::Caller::system()).await.unwrap();
        wait_page(&c, &d, &format!("/vms/{id}"), "badge running").await;
        vms.push(svc.vms.get(&vpsbox::service::Caller::system(), id).unwrap());
    }
    for (vm, addr) in vms.iter().zip(["192.0.2.1/24", "192.0.2.2/24"]) {
        let text = wait_serial(&svc.vms.paths().serial_log(&vm.uuid), "VPSBOX-TEST: ready", 1).await;
        assert!(text.contains(&format!("VPSBOX-TEST: addresses={addr}")), "{text}");
        let (ok, ifaces) = virsh(&["domiflist", &vm.uuid.to_string()]);
        let mac = vpsbox::domain::vm::mac_of(vm.id, 1).unwrap();
        assert!(
            ok && ifaces.contains(&vpsbox::domain::privnet::network_name(net)) && ifaces.contains(&mac),
            "{ifaces}"
        );
    }
    let bridge = vpsbox::domain::privnet::bridge_name(net);
    let ports = ip(&["-o", "link", "show", "master", &bridge]);
    assert_eq!(ports.lines().count(), 2, "both VMs and nothing else on the bridge: {ports}");
    let addrs = ip(&["-o", "-4", "addr", "show", "dev", &bridge]);
    assert!(addrs.trim().is_empty(), "the host has no address on a private network: {addrs}");
    let (_, xml) = virsh(&["net-dumpxml", &vpsbox::domain::privnet::network_name(net)]);
    assert!(!xml.contains("<forward") && !xml.contains("<ip"), "isolated: {xml}");

    // An extra disk appears in the running guest with its serial, and goes when detached.
    let a = &vms[0];
    let log = svc.vms.paths().serial_log(&a.uuid);
    let disk = svc.disks.create(owner, "data", "1", &vpsbox::service::Caller::system()).await.unwrap();
    svc.vms.attach_disk(&vpsbox::service::Caller::customer(owner, "192.0.2.10"), a.id, disk).await.unwrap();
    let text = wait_serial(&log, "VPSBOX-TEST: disk+ vdc", 1).await;
    assert!(
        text.contains(&format!("VPSBOX-TEST: disk+ vdc sectors=2097152 serial=vpsbox-d{disk}")),
        "{text}"
    );
    svc.vms.detach_disk(&vpsbox::service::Caller::customer(owner, "192.0.2.10"), a.id, disk).await.unwrap();
    wait_serial(&log, "VPSBOX-TEST: disk- vdc", 1).await;
    let (_, blk) = virsh(&["domblklist", &a.uuid.to_string()]);
    assert!(!blk.contains("vdc"), "{blk}");

    for vm in &vms {
        svc.vms.delete(&vpsbox::service::Caller::system(), vm.id, &vm.hostname).await.unwrap();
    }
    for _ in 0..200 {
        if vms.iter().all(|vm| svc.vms.get_any(vm.id).is_err()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    svc.privnets.delete(&vpsbox::service::Caller::system(), net).await.unwrap();
    assert!(!virsh(&["net-info", &vpsbox::domain::privnet::network_name(net)]).0, "the network went");
    assert!(ip(&["link", "show", &bridge]).contains("does not exist"), "and its bridge");
    d.stop().await;
}

/// QEMU killed under a running VM (as a crash of the platform would): libvirt reports the
/// domain stopped for a failure, vpsbox records a platform fault, alerts the admins, starts the
/// VM again, and closes the downtime once it runs.
#[tokio::test]
async fn a_killed_qemu_is_a_platform_fault_restarted_and_counted() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let (d, c, vm_path, vm) = running_tiny_vm("crash@example.com", "crash-guest").await;
    let id = vm.id;
    wait_serial(&d.svc().vms.paths().serial_log(&vm.uuid), "VPSBOX-TEST: ready", 1).await;

    let pid_file = format!("/run/libvirt/qemu/vpsbox-{}.pid", vm.uuid);
    let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_string();
    assert!(Command::new("kill").args(["-9", &pid]).status().unwrap().success());
    let mut closed = None;
    for _ in 0..600 {
        let (spans, open) = d.svc().sla.downtime_of(id).unwrap();
        if open.is_none() && !spans.is_empty() {
            closed = Some(spans);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let spans = closed.expect("the platform fault was recorded and closed");
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].cause, vpsbox::domain::sla::Cause::Platform, "{spans:?}");
    let new_pid = std::fs::read_to_string(&pid_file).unwrap_or_default().trim().to_string();
    assert!(!new_pid.is_empty() && new_pid != pid, "started again in a new QEMU process");
    wait_page(&c, &d, &vm_path, "badge running").await;
    let admin = d
        .svc()
        .notices
        .inbox(&vpsbox::service::Caller::admin(vpsbox::domain::account::UserId(1), "t"))
        .unwrap();
    assert!(admin.notices.iter().any(|(n, _)| n.kind == "vm.platform_fault"), "admins alerted");
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/delete"), &[("confirm", "crash-guest")]).await;
    assert_eq!(r.status().as_u16(), 303);
    d.stop().await;
}
