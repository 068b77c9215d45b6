//! Port speeds on the running guest, on the real libvirtd with QEMU (TCG): a server on a plan
//! with a port speed has the limit on its tap, read back with `tc` (no packet is sent; the
//! bridge has no uplink), and crossing its traffic allowance (synthetic counters) puts the
//! throttle's speed there at once. What the guest sends is policed on the tap's ingress queue
//! where the kernel has `act_police`, what it receives is shaped with htb and sfq where it has
//! `sch_sfq` (`host::shaping`); a way the kernel cannot shape is left out and the server still
//! starts (these machines' kernel has neither module: there the test sees the server run
//! unshaped, with no `<bandwidth>` in its definition).

use std::process::Command;

use vpsbox::domain::allowance::{Allowance, GIB};
use vpsbox::domain::catalog::{PlanId, PlanSpec};
use vpsbox::domain::vm::{CpuLimits, PortSpeed};
use vpsbox::hv::NicCounters;

use crate::common::*;
use crate::e2e::{TestBridge, bridged_qemu_daemon, test_template};

fn tc(args: &[&str]) -> String {
    let out = Command::new("tc").args(args).output().unwrap();
    assert!(out.status.success(), "tc {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn a_port_speed_and_the_throttle_are_on_the_running_guests_tap() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let bridge = TestBridge::new();
    let d = bridged_qemu_daemon(&bridge).await;
    let (plan, tpl) = catalogue_with(
        &d,
        test_template(),
        "tiny",
        PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 1 },
    )
    .await;
    d.svc().plans.set_limits(PlanId(plan), CpuLimits::default(), PortSpeed::new(100)).await.unwrap();
    d.svc().plans.set_allowance(PlanId(plan), Allowance::new(1)).await.unwrap();
    let c = client();
    sign_up(&c, &d, "shaped@example.com").await;
    let vm_path = order(&c, &d, "shaped-guest", plan, tpl).await;
    wait_page(&c, &d, &vm_path, "badge running").await;
    let owner = d.accounts().user_by_email("shaped@example.com").unwrap().id;
    let id = d.svc().vms.list(owner).unwrap()[0].id;
    let vm = d.svc().vms.get(&vpsbox::service::Caller::system(), id).unwrap();

    let out = Command::new("virsh")
        .args(["-c", "qemu:///system", "domiflist", &vm.uuid.to_string()])
        .output()
        .unwrap();
    let ifaces = String::from_utf8_lossy(&out.stdout).to_string();
    let mac = vpsbox::domain::vm::mac_of(vm.id, 0).unwrap();
    let vnet = ifaces
        .lines()
        .find(|l| l.contains(&mac))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no tap with {mac}: {ifaces}"))
        .to_string();
    // What this kernel can do decides what is on the tap; the server runs either way.
    let ways = vpsbox::host::shaping::detect();
    let qdiscs = tc(&["qdisc", "show", "dev", &vnet]);
    let police = || tc(&["filter", "show", "dev", &vnet, "parent", "ffff:"]);
    if ways.outbound {
        assert!(qdiscs.contains("qdisc ingress ffff:"), "what it sends is policed: {qdiscs}");
        let f = police();
        assert!(f.contains("police") && f.contains("rate 100Mbit"), "{f}");
    } else {
        assert!(!qdiscs.contains("ingress"), "no police action in this kernel, no ingress queue: {qdiscs}");
    }
    if ways.inbound {
        assert!(qdiscs.contains("htb") && qdiscs.contains("sfq"), "what it receives is shaped: {qdiscs}");
        let classes = tc(&["class", "show", "dev", &vnet]);
        assert!(classes.contains("rate 100Mbit"), "{classes}");
    } else {
        assert!(!qdiscs.contains("htb"), "no sfq in this kernel, no htb class: {qdiscs}");
    }
    let system = vpsbox::service::Caller::system();
    let def = d.svc().vms.domain_definition(&system, id).unwrap().unwrap();
    assert_eq!(def.contains("<outbound average='12500'"), ways.outbound, "{def}");
    assert_eq!(def.contains("<inbound average='12500'"), ways.inbound, "{def}");

    // 2 GiB against its 1 GiB allowance: throttled to 10 Mbit/s, on the running tap at once.
    let run = |rx| vec![(id, NicCounters { run: u32::MAX, rx, tx: 0 })];
    d.svc().traffic.record(run(0)).await.unwrap();
    d.svc().traffic.record(run(2 * GIB)).await.unwrap();
    assert_eq!(d.svc().vms.enforce_allowances().await.unwrap().throttled, 1);
    let def = d.svc().vms.domain_definition(&system, id).unwrap().unwrap();
    assert_eq!(def.contains("average='1250'"), ways != vpsbox::domain::vm::ShapeWays::NONE, "{def}");
    if ways.outbound {
        let f = police();
        assert!(f.contains("rate 10Mbit") && !f.contains("rate 100Mbit"), "{f}");
    }
    if ways.inbound {
        let classes = tc(&["class", "show", "dev", &vnet]);
        assert!(classes.contains("rate 10Mbit"), "{classes}");
    }

    crate::console::delete_vm(&d, id.0).await;
    d.stop().await;
}
