//! End to end on the real libvirtd with QEMU (TCG): the tiny test template boots, reads its
//! cloud-init seed, powers off on the ACPI button, boots again after a hard reset, and delete
//! leaves nothing behind.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use vpsbox::domain::catalog::PlanSpec;

use crate::support::*;
use crate::vms::{catalogue_with, order, wait_page};

/// The cached test template (built by `make test`, or here when missing).
pub fn test_template() -> PathBuf {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Path::new(root).join("target/test-template");
    let img = out.join("tiny.qcow2");
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

async fn wait_serial(log: &Path, what: &str, count: usize) -> String {
    for _ in 0..1200 {
        let text = serial(log);
        if text.matches(what).count() >= count {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("serial log never showed {what:?} {count} times:\n{}", serial(log));
}

#[tokio::test]
async fn a_vm_boots_reads_its_seed_shuts_down_resets_and_leaves_nothing() {
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
    sign_up(&c, &d, "e2e@example.com").await;
    let vm_path = order(&c, &d, "e2e-guest", plan, tpl).await;
    wait_page(&c, &d, &vm_path, "badge running").await;
    let owner = d.accounts().user_by_email("e2e@example.com").unwrap().id;
    let id = d.svc().vms.list(owner).unwrap()[0].id;
    let vm = d.svc().vms.get(vpsbox::service::vms::Scope::Admin, id).unwrap();
    let log = d.svc().vms.paths().serial_log(&vm.uuid);

    // Booted, and read the hostname and instance id from its cidata seed.
    let text = wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    assert!(text.contains(&format!("VPSBOX-TEST: hostname=e2e-guest instance-id={}", vm.uuid)), "{text}");

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
    for _ in 0..300 {
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
