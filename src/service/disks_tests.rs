//! Extra disks with real qemu-img images, real redb and libvirt's test driver: quota, slots,
//! owner isolation, grow, delete rules, image files brought in line with the records.

use crate::domain::account::Role;
use crate::domain::disk::{DiskId, serial_of};
use crate::domain::vm::DomainKind;
use crate::host::images;
use crate::service::Coded;
use crate::service::caller::Caller;
use crate::service::vms::tests::{actor, env, ready, wait_for};

#[tokio::test]
async fn create_within_the_disk_quota_with_checked_input() {
    let e = env().await;
    // The env's quota is 400 GiB of disk.
    let d = e.svc.disks.create(e.owner, "data", "390", &actor(&e)).await.unwrap();
    let path = e.svc.disks.path(d);
    assert_eq!(images::virtual_size(&path).unwrap(), 390 << 30);
    for (name, size, code) in [
        ("x", "20", "DSK0003"),
        ("bad name", "1", "DSK0001"),
        ("y", "0", "DSK0002"),
        ("y", "lots", "DSK0002"),
    ] {
        let err = e.svc.disks.create(e.owner, name, size, &actor(&e)).await.unwrap_err();
        assert_eq!(err.code(), code, "{name} {size}: {err}");
    }
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.disk_gb, 390);
    // VMs and disks share the quota: a VM's 2 GiB no longer fit next to 399 GiB of disks.
    e.svc.disks.create(e.owner, "more", "9", &actor(&e)).await.unwrap();
    assert_eq!(e.vms().create(e.owner, e.order("web"), &actor(&e)).await.unwrap_err().code(), "VM0008");
    let names: Vec<_> = e.svc.disks.list(e.owner).unwrap().into_iter().map(|d| d.name).collect();
    assert_eq!(names, ["data", "more"]);
}

#[tokio::test]
async fn attach_takes_the_lowest_free_slot_and_detach_frees_it() {
    let e = env().await;
    let vm = ready(&e, e.vms().create(e.owner, e.order("web"), &actor(&e)).await.unwrap()).await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let mut ids = Vec::new();
    for n in ["a", "b", "c"] {
        ids.push(e.svc.disks.create(e.owner, n, "1", &actor(&e)).await.unwrap());
    }
    e.vms().attach_disk(s, vm.id, ids[0]).await.unwrap();
    e.vms().attach_disk(s, vm.id, ids[1]).await.unwrap();
    let spec = e.vms().spec_of(&vm, DomainKind::Test).unwrap();
    let seen: Vec<_> = spec.disks.iter().map(|d| (d.target.as_str(), d.serial.clone())).collect();
    assert_eq!(seen, [("vdc", serial_of(ids[0])), ("vdd", serial_of(ids[1]))]);
    assert_eq!(spec.disks[0].path, e.svc.disks.path(ids[0]));
    assert_eq!(e.vms().attach_disk(s, vm.id, ids[0]).await.unwrap_err().code(), "DSK0005");
    e.vms().detach_disk(s, vm.id, ids[0]).await.unwrap();
    assert_eq!(e.vms().detach_disk(s, vm.id, ids[0]).await.unwrap_err().code(), "DSK0006");
    let rec = e.vms().attach_disk(s, vm.id, ids[2]).await.unwrap();
    assert_eq!(rec.attached, Some((vm.id, 0)), "vdc was free again");
    assert_eq!(e.svc.disks.delete(s, ids[2]).await.unwrap_err().code(), "DSK0005");

    // Deleting the VM keeps its disks, detached.
    e.vms().delete(s, vm.id, "web").await.unwrap();
    wait_for("the VM to go", || e.vms().get_any(vm.id).is_err()).await;
    assert!(e.svc.disks.list(e.owner).unwrap().iter().all(|d| d.attached.is_none()));
    e.svc.disks.delete(s, ids[2]).await.unwrap();
    assert!(!e.svc.disks.path(ids[2]).exists());
}

#[tokio::test]
async fn other_customers_disks_are_not_found() {
    let e = env().await;
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let theirs = e.svc.disks.create(other, "theirs", "1", &Caller::system()).await.unwrap();
    let vm = ready(&e, e.vms().create(e.owner, e.order("web"), &actor(&e)).await.unwrap()).await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    assert_eq!(e.vms().attach_disk(s, vm.id, theirs).await.unwrap_err().code(), "DSK0004");
    assert_eq!(e.svc.disks.get(s, theirs).unwrap_err().code(), "DSK0004");
    assert_eq!(e.svc.disks.delete(s, theirs).await.unwrap_err().code(), "DSK0004");
    assert_eq!(e.vms().grow_disk(s, theirs, "2").await.unwrap_err().code(), "DSK0004");
    assert!(e.svc.disks.path(theirs).exists());
}

#[tokio::test]
async fn grow_only_grows_within_quota() {
    let e = env().await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let d = e.svc.disks.create(e.owner, "data", "10", &actor(&e)).await.unwrap();
    assert_eq!(e.vms().grow_disk(s, d, "10").await.unwrap_err().code(), "DSK0008");
    assert_eq!(e.vms().grow_disk(s, d, "401").await.unwrap_err().code(), "DSK0003");
    let rec = e.vms().grow_disk(s, d, "12").await.unwrap();
    assert_eq!(rec.size_gb, 12);
    assert_eq!(images::virtual_size(&e.svc.disks.path(d)).unwrap(), 12 << 30);
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.disk_gb, 12);
}

#[tokio::test]
async fn image_files_are_brought_in_line_with_the_records() {
    let e = env().await;
    let d = e.svc.disks.create(e.owner, "data", "1", &actor(&e)).await.unwrap();
    let old = e.svc.disks.create(e.owner, "old", "1", &actor(&e)).await.unwrap();
    e.svc.disks.delete(&Caller::customer(e.owner, "192.0.2.10"), old).await.unwrap();
    let dir = e.vms().paths().volumes();
    std::fs::remove_file(e.svc.disks.path(d)).unwrap();
    // The deleted disk's image back (a crash between the record and the file); a leftover of
    // a recorded disk; images of numbers this state never had; a file that is not an image.
    std::fs::write(e.svc.disks.path(old), b"deleted").unwrap();
    std::fs::write(dir.join(format!("{d}.qcow2.part")), b"half").unwrap();
    std::fs::write(dir.join("3.qcow2"), b"unknown").unwrap();
    std::fs::write(dir.join("78.qcow2.part"), b"unknown").unwrap();
    std::fs::write(dir.join("notes.txt"), b"not ours").unwrap();
    // (Making the missing image clears its leftover on the way.)
    assert_eq!(e.svc.disks.reconcile_files().unwrap(), (1, 1));
    assert_eq!(images::virtual_size(&e.svc.disks.path(d)).unwrap(), 1 << 30);
    assert!(!e.svc.disks.path(old).exists() && !dir.join(format!("{d}.qcow2.part")).exists());
    assert!(dir.join("3.qcow2").exists() && dir.join("78.qcow2.part").exists(), "not provably ours");
    assert!(dir.join("notes.txt").exists());
    let listed: Vec<String> = e.vms().unmanaged().unwrap().into_iter().map(|u| u.name).collect();
    assert!(
        listed.iter().any(|n| n.ends_with("/3.qcow2"))
            && listed.iter().any(|n| n.ends_with("/78.qcow2.part")),
        "{listed:?}"
    );
    // A new disk never takes the number of an image that is there.
    assert_eq!((d, old), (DiskId(1), DiskId(2)));
    let next = e.svc.disks.create(e.owner, "new", "1", &actor(&e)).await.unwrap();
    assert_eq!(next, DiskId(4), "3 is taken by an image this state does not know");
    assert_eq!(std::fs::read(dir.join("3.qcow2")).unwrap(), b"unknown");
}

#[tokio::test]
async fn after_a_restore_unknown_images_are_kept_and_their_numbers_skipped() {
    let e = env().await;
    let dir = e.vms().paths().volumes();
    images::ensure_dir(&dir).unwrap();
    // Disks 1 and 2 were made after the copy the state is restored from.
    std::fs::write(dir.join("1.qcow2"), b"a newer customer's data").unwrap();
    std::fs::write(dir.join("2.qcow2"), b"another one").unwrap();
    {
        let store = e.svc.accounts.store();
        let tx = store.write().unwrap();
        tx.open_table(crate::store::tables::META)
            .unwrap()
            .insert(crate::store::tables::META_RESTORED_AT, 1)
            .unwrap();
        tx.commit().unwrap();
    }
    assert_eq!(e.svc.disks.reconcile_files().unwrap(), (0, 0));
    assert_eq!(std::fs::read(dir.join("1.qcow2")).unwrap(), b"a newer customer's data");
    let d = e.svc.disks.create(e.owner, "data", "1", &actor(&e)).await.unwrap();
    assert_eq!(d, DiskId(3), "numbers with an image on disk are never handed out");
    assert_eq!(std::fs::read(dir.join("2.qcow2")).unwrap(), b"another one");
}
