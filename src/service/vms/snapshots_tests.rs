//! Snapshots on libvirt's test driver: taken, listed, counted against the quota and billed,
//! reverted (confirmed by the hostname), deleted; what they forbid meanwhile; a crash mid-way
//! resumed; a server deleted with its snapshots.

use super::tests::{actor, env_with, ready, wait_for};
use super::*;
use crate::domain::account::Role;
use crate::service::Coded;
use crate::store::records::Step;
use crate::store::snapshots::SnapshotState;

async fn settled(e: &super::tests::Env, id: VmId) {
    wait_for("the operation to end", || e.vms().intent(id).unwrap().is_none()).await;
}

fn libvirt_names(e: &super::tests::Env, vm: &VmRecord) -> Vec<String> {
    e.hv.get().unwrap().snapshots(&vm.uuid).unwrap()
}

fn history(e: &super::tests::Env, vm: &VmRecord) -> Vec<String> {
    e.vms().history(vm, 30).unwrap().into_iter().map(|a| a.action).collect()
}

#[tokio::test]
async fn taken_reverted_deleted_within_the_quota_and_owner_only() {
    let e = env_with(|cfg| cfg.quotas.snapshots = 2).await;
    let id = e.vms().create(e.owner, e.order("web1"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;

    // Bad names and strangers are refused before anything happens.
    let long = "x".repeat(65);
    assert_eq!(e.vms().take_snapshot(&actor(&e), id, &long).await.unwrap_err().code(), "VM0031");
    assert_eq!(e.vms().take_snapshot(&actor(&e), id, "a\nb").await.unwrap_err().code(), "VM0031");
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let stranger = Caller::customer(other, "192.0.2.11");
    assert!(matches!(e.vms().take_snapshot(&stranger, id, "mine").await, Err(VmError::NotFound)));
    assert!(matches!(e.vms().snapshots(&stranger, id), Err(VmError::NotFound)));
    assert!(e.vms().snapshots(&actor(&e), id).unwrap().is_empty());

    e.vms().take_snapshot(&actor(&e), id, " before upgrade ").await.unwrap();
    settled(&e, id).await;
    let snaps = e.vms().snapshots(&actor(&e), id).unwrap();
    assert_eq!(snaps.len(), 1);
    let s = &snaps[0];
    assert_eq!((s.label.as_str(), s.state, s.running), ("before upgrade", SnapshotState::Ready, true));
    assert!(s.bytes > 0, "billed at the disk file's size");
    assert_eq!(s.sizes_gb, vec![vm.spec.disk_gb]);
    assert_eq!(libvirt_names(&e, &vm), vec![s.libvirt_name()]);
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.snapshots, 1);
    let h = history(&e, &vm);
    assert!(h.contains(&"vm.snapshot".to_string()) && h.contains(&"vm.snapshot_taken".to_string()), "{h:?}");

    // An empty name gets one from the time; a third is over the quota of two.
    e.vms().take_snapshot(&actor(&e), id, "").await.unwrap();
    settled(&e, id).await;
    let second = e.vms().snapshots(&actor(&e), id).unwrap()[1].clone();
    assert!(second.label.starts_with("snapshot 20"), "{}", second.label);
    let err = e.vms().take_snapshot(&actor(&e), id, "third").await.unwrap_err();
    assert_eq!(err.code(), "VM0008", "{err}");
    assert!(err.to_string().contains("snapshots"), "{err}");

    // What would replace the disks they live in is refused, naming how many.
    let err = e.vms().reinstall(&actor(&e), id, e.template).await.unwrap_err();
    assert_eq!((err.code(), err.to_string().contains("2 snapshot")), ("VM0030", true), "{err}");

    // Revert: confirmed by the hostname, owner only, an unknown snapshot is a 404.
    assert_eq!(e.vms().revert_snapshot(&actor(&e), id, s.id, "wrong").await.unwrap_err().code(), "VM0013");
    assert!(matches!(e.vms().revert_snapshot(&stranger, id, s.id, "web1").await, Err(VmError::NotFound)));
    let err = e.vms().revert_snapshot(&actor(&e), id, 999, "web1").await.unwrap_err();
    assert_eq!((err.code(), err.kind()), ("VM0033", crate::service::ErrorKind::NotFound));
    e.vms().revert_snapshot(&actor(&e), id, s.id, "WEB1").await.unwrap();
    settled(&e, id).await;
    assert!(history(&e, &vm).contains(&"vm.snapshot_reverted".to_string()));
    assert_eq!(e.vms().snapshots(&actor(&e), id).unwrap()[0].state, SnapshotState::Ready);
    let def = e.hv.get().unwrap().domain_xml(&vm.uuid, true).unwrap().unwrap();
    assert!(def.contains("installation="), "defined from the records again: {def}");

    // Delete: owner only; both go, and with them the quota use and libvirt's snapshots.
    assert!(matches!(e.vms().delete_snapshot(&stranger, id, s.id).await, Err(VmError::NotFound)));
    for snap in [s.id, second.id] {
        e.vms().delete_snapshot(&actor(&e), id, snap).await.unwrap();
        settled(&e, id).await;
    }
    assert!(e.vms().snapshots(&actor(&e), id).unwrap().is_empty());
    assert!(libvirt_names(&e, &vm).is_empty());
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.snapshots, 0);
    assert!(history(&e, &vm).contains(&"vm.snapshot_deleted".to_string()));
    assert_eq!(e.vms().delete_snapshot(&actor(&e), id, s.id).await.unwrap_err().code(), "VM0033");

    // Suspended servers take none.
    e.vms().set_suspended(&Caller::system(), id, true).await.unwrap();
    assert_eq!(e.vms().take_snapshot(&actor(&e), id, "x").await.unwrap_err().code(), "VM0012");
}

#[tokio::test]
async fn a_crash_mid_way_is_resumed_and_a_deleted_server_takes_its_snapshots_along() {
    let e = env_with(|_| {}).await;
    let id = e.vms().create(e.owner, e.order("web2"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;

    // The process "dies" right after libvirt made the snapshot; a restarted daemon finishes.
    e.vms().set_halt_after(Some(Step::TakeSnapshot));
    e.vms().take_snapshot(&actor(&e), id, "halted").await.unwrap();
    wait_for("the halt", || {
        e.vms().intent(id).unwrap().is_some_and(|i| i.done.contains(&Step::TakeSnapshot))
    })
    .await;
    assert_eq!(e.vms().snapshots(&actor(&e), id).unwrap()[0].state, SnapshotState::Taking);
    e.vms().set_halt_after(None);
    let again = e.restart();
    again.recover().await.unwrap();
    settled(&e, id).await;
    let s = e.vms().snapshots(&actor(&e), id).unwrap().remove(0);
    assert_eq!(s.state, SnapshotState::Ready);
    assert_eq!(libvirt_names(&e, &vm), vec![s.libvirt_name()], "made once");

    // Deleting the server (its domain has a snapshot) removes everything and stops billing.
    e.vms().delete(&actor(&e), id, "web2").await.unwrap();
    wait_for("the server to go", || e.vms().get_any(id).is_err()).await;
    assert_eq!(e.hv.get().unwrap().state(&vm.uuid).unwrap(), None, "undefined with its snapshot");
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.snapshots, 0);
    let tx = e.store.read().unwrap();
    let t = tx.open_table(crate::store::tables::SNAPSHOTS).unwrap();
    assert!(crate::store::snapshots::of_vm(&t, id).unwrap().is_empty());
}
