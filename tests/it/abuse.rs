//! Usage history and the abuse rule on the real libvirtd with QEMU (TCG): a running guest's
//! statistics become usage points and `/metrics` counters that rise while the guest writes, and
//! an admin's CPU cap reaches the guest's cgroup at once (read from the kernel's own files), is
//! lifted, and a customer can do none of it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use vpsbox::clock::Clock;
use vpsbox::domain::usage::Range;
use vpsbox::hv::Hypervisor;

use crate::common::*;

/// The CFS quota of a domain's first vCPU, in microseconds (-1: none), from its cgroup (v1
/// `cpu.cfs_quota_us` or v2 `cpu.max`) found by the domain's UUID in the directory's name.
fn vcpu0_quota(uuid: &uuid::Uuid) -> i64 {
    fn find(dir: &Path, needle: &str, depth: u32) -> Option<PathBuf> {
        for e in std::fs::read_dir(dir).ok()?.flatten() {
            let p = e.path();
            if !p.is_dir() {
                continue;
            }
            if p.file_name()?.to_string_lossy().contains(needle) && p.join("vcpu0").is_dir() {
                return Some(p.join("vcpu0"));
            }
            if depth > 0
                && let Some(found) = find(&p, needle, depth - 1)
            {
                return Some(found);
            }
        }
        None
    }
    let short = &uuid.simple().to_string()[..8];
    // cgroup v1 keeps the CPU controller in a hierarchy of its own; v2 has one tree.
    for (root, file) in [
        ("/sys/fs/cgroup/cpu", "cpu.cfs_quota_us"),
        ("/sys/fs/cgroup/cpu,cpuacct", "cpu.cfs_quota_us"),
        ("/sys/fs/cgroup", "cpu.max"),
    ] {
        let Some(vcpu) = find(Path::new(root), short, 4) else { continue };
        let Ok(text) = std::fs::read_to_string(vcpu.join(file)) else { continue };
        return match text.split_whitespace().next().unwrap() {
            "max" => -1,
            q => q.parse().unwrap(),
        };
    }
    panic!("no cgroup of the guest {uuid} with a CPU quota");
}

#[tokio::test]
async fn a_running_guest_is_sampled_and_its_cpu_capped_and_lifted_live() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let (d, customer, vm_path, vm) = crate::e2e::running_tiny_vm("abuse@example.com", "busy-guest").await;
    let hv = vpsbox::hv::libvirt::Libvirt::connect("qemu:///system").unwrap();

    // Two readings of the real guest, a (test clock's) minute apart, make a usage point.
    let usage = &d.svc().usage;
    usage.record(hv.domain_stats().unwrap()).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    d.clock.advance_secs(60);
    let round = usage.record(hv.domain_stats().unwrap()).await.unwrap();
    assert_eq!(round.servers, 1, "only our server is booked, not other tests' guests");
    let s = usage.series(vm.id, Range::Day).unwrap();
    let u = s.total();
    assert!(u.cpu_ns > 0 && u.vcpu_ns == 60_000_000_000, "{u:?}");
    let page = customer.get(d.url(&vm_path)).send().await.unwrap().text().await.unwrap();
    let drawn = page.contains("<polyline") || page.contains("<circle");
    assert!(page.contains("CPU over 24 hours: average") && drawn, "{page}");

    // /metrics shows the guest's CPU seconds rising and its disk written while the guest writes
    // 4 MiB (commanded through the serial console; past the boot partition).
    let admin = admin_client(&d).await;
    let admin_id = d.accounts().user_by_email("root@example.com").unwrap().id.0;
    let (_, metrics_token) = crate::api::token(&d, admin_id, "metrics", "", "").await;
    let scrape = || async {
        let text = client()
            .get(d.url("/metrics"))
            .bearer_auth(&metrics_token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let labels = format!("{{vm=\"{}\",hostname=\"busy-guest\",owner=\"{}\"}}", vm.id, vm.owner.0);
        let value = |family: &str| -> f64 {
            let prefix = format!("{family}{labels} ");
            let line =
                text.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("{prefix}: {text}"));
            line[prefix.len()..].parse().unwrap()
        };
        (value("vpsbox_vm_cpu_seconds_total"), value("vpsbox_vm_disk_write_bytes_total"))
    };
    let (cpu0, written0) = scrape().await;
    let cmd = "dd if=/dev/zero of=/dev/vda bs=64k count=64 seek=2000 conv=fsync; echo WROTE-$((40+2))";
    crate::console::serial_shell(&d, "abuse@example.com", &vm_path, cmd, "WROTE-42").await;
    let (cpu1, written1) = scrape().await;
    assert!(cpu1 > cpu0 && cpu0 > 0.0, "CPU seconds {cpu0} then {cpu1}");
    assert!(written1 - written0 >= 4.0 * 1024.0 * 1024.0, "bytes written {written0} then {written1}");

    // The rule flags it (as a six-hour streak would); a customer cannot act on the case.
    {
        let tx = d.svc().accounts.store().write().unwrap();
        let rule = vpsbox::config::AbuseConfig::default();
        assert!(vpsbox::service::abuse::flag_in(&tx, d.clock.now(), vm.id, &rule).unwrap());
        tx.commit().unwrap();
    }
    let r = submit(&customer, &d, &vm_path, &format!("{vm_path}/abuse/cap"), &[("percent", "10")]).await;
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(vcpu0_quota(&vm.uuid), -1, "not capped");

    // An admin caps it at 30%: the running guest's vCPU gets a 30 ms quota per 100 ms at once.
    let admin_page = format!("/admin/vms/{}", vm.id);
    let page = admin.get(d.url(&admin_page)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Abuse rule") && page.contains("Open: nothing done yet"), "{page}");
    let r = submit(&admin, &d, &admin_page, &format!("{admin_page}/abuse/cap"), &[("percent", "30")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(vcpu0_quota(&vm.uuid), 30_000, "the kernel's quota of the running guest");
    let live = hv.domain_xml(&vm.uuid, false).unwrap().unwrap();
    let kept = hv.domain_xml(&vm.uuid, true).unwrap().unwrap();
    assert!(live.contains("<quota>30000</quota>") && kept.contains("<quota>30000</quota>"), "{live}\n{kept}");
    let page = customer.get(d.url(&vm_path)).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("limited this server&#39;s CPU to 30%")
            || page.contains("limited this server's CPU to 30%"),
        "{page}"
    );
    let out = Command::new("virsh")
        .args(["-c", "qemu:///system", "schedinfo", &vm.uuid.to_string()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("vcpu_quota     : 30000"), "{out:?}");

    // Lifted: no quota on the running guest, none in its definition.
    let r = submit(&admin, &d, &admin_page, &format!("{admin_page}/abuse/lift"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(vcpu0_quota(&vm.uuid), -1, "lifted on the running guest");
    assert!(!hv.domain_xml(&vm.uuid, true).unwrap().unwrap().contains("<quota>"));
    let r = submit(&admin, &d, &admin_page, &format!("{admin_page}/abuse/close"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let list = admin.get(d.url("/admin/abuse")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("busy-guest") && list.contains("Closed"), "{list}");

    let r = submit(&customer, &d, &vm_path, &format!("{vm_path}/delete"), &[("confirm", "busy-guest")]).await;
    assert_eq!(r.status().as_u16(), 303);
    for _ in 0..600 {
        if hv.state(&vm.uuid).unwrap().is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    d.stop().await;
}
