//! SIGKILL of the real daemon process at moments during create and delete, on the real
//! libvirtd with QEMU: after a restart every VM is either complete or gone, with no orphan
//! disk, seed, domain or quota reservation.

use std::process::Command;
use std::time::Duration;

use crate::common::order;
use crate::common::*;

async fn settle(c: &reqwest::Client, p: &DaemonProcess, vm: &str) -> Option<String> {
    for _ in 0..600 {
        let (s, html) = get_text(c, &p.url(vm)).await;
        if s == 404 {
            return None;
        }
        if html.contains("badge running") && !html.contains("In progress") {
            return Some(html);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{vm} never settled: {}\n{}", get_text(c, &p.url(vm)).await.1, p.log_text());
}

fn uuid_of(html: &str) -> String {
    html.split("UUID</th><td><code>").nth(1).unwrap().split('<').next().unwrap().to_string()
}

fn restart(p: DaemonProcess, dir: &std::path::Path, cfg: &std::path::Path) -> DaemonProcess {
    drop(p); // SIGKILL (DaemonProcess kills on drop)
    DaemonProcess::spawn(dir, cfg)
}

#[tokio::test]
async fn sigkill_during_create_and_delete_leaves_no_orphans() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let dir = tempdir();
    let config = "[libvirt]\nuri = \"qemu:///system\"\ndomain_type = \"qemu\"\nreconcile_interval_secs = 2\n[quotas]\nvms = 10\nvcpus = 10\n";
    let (mut p, cfg) = qemu_process_with_plan(dir.path(), config).await;
    let c = client();
    sign_up(&c, &p, "crash@example.com").await;

    let mut alive = Vec::new();
    let mut uuids = Vec::new();
    let mut resumed = 0;
    for (i, delay) in [0u64, 20, 80, 250, 700].into_iter().enumerate() {
        let vm = order(&c, &p, &format!("crash-{i}"), 1, 1).await;
        tokio::time::sleep(Duration::from_millis(delay)).await;
        p = restart(p, dir.path(), &cfg);
        let settled = settle(&c, &p, &vm).await;
        resumed += usize::from(p.log_text().contains("resuming an unfinished operation"));
        if let Some(html) = settled {
            uuids.push(uuid_of(&html));
            alive.push((vm, format!("crash-{i}")));
        }
    }
    assert!(!alive.is_empty(), "at least the later kills come after the commit");
    for (i, (vm, hostname)) in alive.iter().enumerate() {
        let r = submit(&c, &p, vm, &format!("{vm}/delete"), &[("confirm", hostname)]).await;
        assert_eq!(r.status().as_u16(), 303);
        tokio::time::sleep(Duration::from_millis([0u64, 30, 120, 400, 800][i % 5])).await;
        p = restart(p, dir.path(), &cfg);
        assert!(settle(&c, &p, vm).await.is_none(), "{vm} is gone after the restart");
        resumed += usize::from(p.log_text().contains("resuming an unfinished operation"));
    }
    // Some kills landed in the middle of an operation (the others before or after it).
    assert!(resumed > 0, "no kill hit a running operation; the test proved nothing");
    eprintln!("{resumed} of {} restarts resumed an unfinished operation", 5 + alive.len());
    let (_, list) = get_text(&c, &p.url("/vms")).await;
    assert!(list.contains("No virtual machines yet"), "{list}");
    let (_, quota) = get_text(&c, &p.url("/quota")).await;
    assert!(quota.contains("<td>virtual machines</td><td>0</td>"), "{quota}");
    // Let a reconcile pass run, then check the host.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for uuid in &uuids {
        let out = Command::new("virsh").args(["-c", "qemu:///system", "dominfo", uuid]).output().unwrap();
        assert!(!out.status.success(), "domain {uuid} was left behind");
    }
    let names =
        Command::new("virsh").args(["-c", "qemu:///system", "list", "--all", "--name"]).output().unwrap();
    let names = String::from_utf8_lossy(&names.stdout).to_string();
    for dir_name in ["disks", "seeds", "logs"] {
        let left: Vec<_> = std::fs::read_dir(dir.path().join(dir_name))
            .map(|r| r.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "{dir_name} still has {left:?}; domains: {names}");
    }
    drop(p);
}
