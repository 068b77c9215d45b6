//! Snapshots on the real libvirtd with QEMU (TCG), through the cabinet's forms: a tiny server
//! writes a marker, a scheduled live backup leaves its checkpoint (a dirty bitmap in the disk),
//! a snapshot is taken, the marker is overwritten, and reverting brings the first marker back,
//! also after a cold boot (it is on the disk, not only in the restored memory). The next backup
//! of the schedule works (full: the revert dropped the checkpoints QEMU cannot load a snapshot
//! under), reinstall is refused while a snapshot exists, another customer gets 404s. A second
//! snapshot survives a plan change that grows the disk, and reverting the server while it is
//! off (its checkpoint's bitmap still in the file) runs it again, its disk grown back.

use std::time::Duration;

use vpsbox::domain::backup::Kind;
use vpsbox::domain::schedule::{Frequency, When};
use vpsbox::hv::Hypervisor;
use vpsbox::service::Caller;
use vpsbox::store::backups::{BackupRecord, BackupState};
use vpsbox::store::snapshots::SnapshotState;

use crate::common::*;
use crate::console::serial_shell;
use crate::e2e::wait_serial;

async fn backup_done(d: &Daemon, id: u64) -> BackupRecord {
    for _ in 0..600 {
        let b = d.svc().backups.get(&Caller::system(), id).unwrap();
        match &b.state {
            BackupState::Running { .. } => tokio::time::sleep(Duration::from_millis(100)).await,
            BackupState::Done => return b,
            BackupState::Failed { reason } => panic!("backup {id} failed: {reason}"),
        }
    }
    panic!("backup {id} did not finish");
}

async fn settled(d: &Daemon, vm: vpsbox::domain::vm::VmId) {
    for _ in 0..600 {
        if d.svc().vms.intent(vm).unwrap().is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the operation on server {vm} did not end");
}

/// The 16 bytes at 100 MiB into the guest's disk, read by the guest.
async fn marker(d: &Daemon, email: &str, vm_path: &str, n: u32) -> String {
    let cmd = format!(
        "dd if=/dev/vda bs=1M skip=100 count=1 2>/dev/null | head -c 16; echo; echo READ{n}-$((40+2))"
    );
    serial_shell(d, email, vm_path, &cmd, &format!("READ{n}-42")).await
}

#[tokio::test]
async fn a_reverted_snapshot_brings_back_an_overwritten_marker_and_backups_go_on() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let email = "snapshots@example.com";
    let (d, c, vm_path, vm) = crate::e2e::running_tiny_vm(email, "snap-guest").await;
    let svc = d.svc();
    let log = svc.vms.paths().serial_log(&vm.uuid);
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    let owner = &Caller::customer(vm.owner, "192.0.2.10");
    let hv = vpsbox::hv::libvirt::Libvirt::connect("qemu:///system").unwrap();

    let cmd = "echo VPSBOX-SNAP-$((6*7))-A | dd of=/dev/vda bs=1M seek=100 conv=fsync 2>/dev/null; echo WROTE1-$((40+2))";
    serial_shell(&d, email, &vm_path, cmd, "WROTE1-42").await;
    // A schedule's backup: full, live, with the checkpoint the next one starts from.
    let when = When { frequency: Frequency::Daily, minute: 0, hour: 3, weekday: 1, day: 1 };
    let sched = svc.backups.add_schedule(owner, vm.id, when, 7).await.unwrap().id;
    let first = backup_done(&d, svc.backups.start(owner, vm.id, Some(sched)).await.unwrap()).await;
    assert_eq!((first.kind, first.live), (Kind::Full, true));
    assert!(!hv.checkpoints(&vm.uuid).unwrap().is_empty(), "the backup left its checkpoint");

    // The snapshot, through the form; the page lists it with what it holds.
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/snapshots"), &[("label", "before B")]).await;
    assert_eq!(r.status().as_u16(), 303);
    settled(&d, vm.id).await;
    let snap = svc.vms.snapshots(owner, vm.id).unwrap().remove(0);
    assert_eq!((snap.state, snap.running), (SnapshotState::Ready, true));
    assert!(snap.bytes > 90 << 20, "billed at the disk file's size, its memory included: {}", snap.bytes);
    assert_eq!(hv.snapshots(&vm.uuid).unwrap(), vec![snap.libvirt_name()]);
    let page = wait_page(&c, &d, &vm_path, "before B").await;
    assert!(page.contains("disks and memory (it was running)"), "{page}");

    // Overwritten after the snapshot.
    let cmd = "echo VPSBOX-SNAP-$((6*7))-B | dd of=/dev/vda bs=1M seek=100 conv=fsync 2>/dev/null; echo WROTE2-$((40+2))";
    serial_shell(&d, email, &vm_path, cmd, "WROTE2-42").await;
    assert!(marker(&d, email, &vm_path, 1).await.contains("VPSBOX-SNAP-42-B"));

    // Another customer sees nothing; reinstall would replace the disk the snapshot lives in.
    let stranger = client();
    sign_up(&stranger, &d, "stranger@example.com").await;
    let id = snap.id.to_string();
    let revert = format!("{vm_path}/snapshots/revert");
    let r = submit(&stranger, &d, "/vms", &revert, &[("snapshot", &id), ("confirm", "snap-guest")]).await;
    assert_eq!(r.status().as_u16(), 404);
    let err = svc.vms.reinstall(owner, vm.id, vm.template).await.unwrap_err();
    assert_eq!(vpsbox::service::Coded::code(&err), "VM0030");

    // The revert: the wrong hostname is refused, the right one brings the server back.
    let r = submit(&c, &d, &vm_path, &revert, &[("snapshot", &id), ("confirm", "nope")]).await;
    assert_eq!(location(&r), vm_path);
    let (_, html) = get_text(&c, &d.url(&vm_path)).await;
    assert!(html.contains("VM0013"), "{html}");
    // A malformed snapshot id is a 400, never snapshot 0.
    let r = submit(&c, &d, &vm_path, &revert, &[("snapshot", "x1"), ("confirm", "snap-guest")]).await;
    assert_eq!(r.status().as_u16(), 400);
    let r = submit(&c, &d, &vm_path, &revert, &[("snapshot", &id), ("confirm", "snap-guest")]).await;
    assert_eq!(r.status().as_u16(), 303);
    settled(&d, vm.id).await;
    let history: Vec<String> = svc.vms.history(&vm, 20).unwrap().into_iter().map(|a| a.action).collect();
    assert!(history.contains(&"vm.snapshot_reverted".to_string()), "{history:?}");
    assert!(hv.checkpoints(&vm.uuid).unwrap().is_empty(), "the checkpoints were dropped");
    assert!(hv.state(&vm.uuid).unwrap().is_some_and(|s| s.is_active()), "running, as when it was taken");
    let def = hv.domain_xml(&vm.uuid, true).unwrap().unwrap();
    assert!(def.contains("installation="), "defined from vpsbox's records again: {def}");
    assert!(marker(&d, email, &vm_path, 2).await.contains("VPSBOX-SNAP-42-A"), "the marker is back");

    // From the disk itself: after a cold boot the marker is still the snapshot's.
    svc.vms.power(owner, vm.id, vpsbox::service::vms::PowerAction::ForceOff).await.unwrap();
    svc.vms.power(owner, vm.id, vpsbox::service::vms::PowerAction::Start).await.unwrap();
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    let out = marker(&d, email, &vm_path, 3).await;
    assert!(out.contains("VPSBOX-SNAP-42-A") && !out.contains("VPSBOX-SNAP-42-B"), "{out}");

    // The schedule's next backup works; it is full, its checkpoint a new one.
    let next = backup_done(&d, svc.backups.start(owner, vm.id, Some(sched)).await.unwrap()).await;
    assert_eq!(next.kind, Kind::Full);

    // A second snapshot of the running server, then a plan with a bigger disk while it is off
    // (the backup's new checkpoint stays in its disk). Reverting the server that is off: the
    // checkpoint's bitmap is taken out of the file, the server runs again as it was, and its
    // disk, which the revert shrank to the snapshot's size, is grown back to the new plan's.
    assert!(!hv.checkpoints(&vm.uuid).unwrap().is_empty());
    svc.vms.take_snapshot(owner, vm.id, "second").await.unwrap();
    settled(&d, vm.id).await;
    let second = svc.vms.snapshots(owner, vm.id).unwrap().remove(1);
    assert_eq!(second.state, SnapshotState::Ready);
    svc.vms.power(owner, vm.id, vpsbox::service::vms::PowerAction::ForceOff).await.unwrap();
    let bigger = vpsbox::service::plans::NewPlan {
        name: "s-2".into(),
        spec: vpsbox::domain::catalog::PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 2, ipv4: 0 },
        monthly_price: vpsbox::domain::money::Money(900),
        hourly_price: vpsbox::domain::money::Money(2),
    };
    let bigger = svc.plans.create(bigger).await.unwrap();
    svc.vms.resize(owner, vm.id, bigger.id).await.unwrap();
    settled(&d, vm.id).await;
    let disk = svc.vms.paths().disk(&vm.uuid);
    assert_eq!(vpsbox::host::images::virtual_size(&disk).unwrap(), 2 << 30, "grown with snapshots in it");
    svc.vms.revert_snapshot(owner, vm.id, second.id, "snap-guest").await.unwrap();
    settled(&d, vm.id).await;
    let history: Vec<String> = svc.vms.history(&vm, 5).unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(history.first().map(String::as_str), Some("vm.snapshot_reverted"), "{history:?}");
    assert!(hv.checkpoints(&vm.uuid).unwrap().is_empty());
    assert!(hv.state(&vm.uuid).unwrap().is_some_and(|s| s.is_active()), "running, as when it was taken");
    assert_eq!(vpsbox::host::images::virtual_size(&disk).unwrap(), 2 << 30, "grown back to the plan's");
    assert!(marker(&d, email, &vm_path, 4).await.contains("VPSBOX-SNAP-42-A"));
    let r = submit(
        &c,
        &d,
        &vm_path,
        &format!("{vm_path}/snapshots/delete"),
        &[("snapshot", &second.id.to_string())],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    settled(&d, vm.id).await;

    // Deleting the snapshot, through the form: gone from libvirt and from the page.
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/snapshots/delete"), &[("snapshot", &id)]).await;
    assert_eq!(r.status().as_u16(), 303);
    settled(&d, vm.id).await;
    assert!(hv.snapshots(&vm.uuid).unwrap().is_empty());
    assert!(svc.vms.snapshots(owner, vm.id).unwrap().is_empty());
    let page = wait_page(&c, &d, &vm_path, "No snapshots yet").await;
    assert!(!page.contains("/snapshots/revert"), "{page}");

    crate::console::delete_vm(&d, vm.id.0).await;
    d.stop().await;
}
