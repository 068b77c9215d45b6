//! Backups with real redb, real qemu-img files and libvirt's test driver: offline backups of a
//! stopped VM, a live backup the driver cannot make failing cleanly, schedules on a test clock
//! (due runs started once, downtime caught up once, the account's time zone), retention and
//! owner isolation. Live backups through QEMU are in the integration tests.

use crate::domain::account::{Role, UserId};
use crate::domain::backup::Kind;
use crate::domain::schedule::{Frequency, When};
use crate::domain::vm::VmId;
use crate::service::Coded;
use crate::service::caller::Caller;
use crate::service::vms::PowerAction;
use crate::service::vms::tests::{Env, actor, env, ready, wait_for};
use crate::store::backups::{BackupRecord, BackupState};

async fn stopped_vm(e: &Env, name: &str) -> VmId {
    let id = ready(e, e.vms().create(e.owner, e.order(name), &actor(e)).await.unwrap()).await.id;
    e.vms().power(&Caller::customer(e.owner, "192.0.2.10"), id, PowerAction::ForceOff).await.unwrap();
    id
}

async fn finished(e: &Env, id: u64) -> BackupRecord {
    wait_for("the backup to finish", || {
        e.svc
            .backups
            .get(&Caller::system(), id)
            .is_ok_and(|b| !matches!(b.state, BackupState::Running { .. }))
    })
    .await;
    e.svc.backups.get(&Caller::system(), id).unwrap()
}

fn daily(hour: u8, minute: u8) -> When {
    When { frequency: Frequency::Daily, minute, hour, weekday: 1, day: 1 }
}

#[tokio::test]
async fn a_stopped_vm_is_copied_into_a_checked_compressed_image() {
    let e = env().await;
    let vm = stopped_vm(&e, "web").await;
    let id = e.svc.backups.start(&Caller::customer(e.owner, "192.0.2.10"), vm, None).await.unwrap();
    let b = finished(&e, id).await;
    assert_eq!(b.state, BackupState::Done, "{b:?}");
    assert_eq!((b.kind, b.live, b.files.len()), (Kind::Full, false, 1));
    let file = e.svc.backups.file_path(&b, &b.files[0]);
    assert_eq!(crate::host::backup_files::sha256_of(&file).unwrap(), b.files[0].sha256);
    let disk = e.vms().paths().disk(&e.vms().get_any(vm).unwrap().uuid);
    let same = std::process::Command::new("qemu-img").arg("compare").arg(&file).arg(&disk).status().unwrap();
    assert!(same.success(), "the backup restores to the disk");
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.backups, 1);
    // Nothing half-made stays next to it.
    let names: Vec<String> = std::fs::read_dir(e.svc.backups.vm_dir(vm))
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [b.files[0].name.clone()]);
}

#[tokio::test]
async fn a_live_backup_that_fails_leaves_no_file_and_no_quota_use() {
    let e = env().await;
    let vm = ready(&e, e.vms().create(e.owner, e.order("web"), &actor(&e)).await.unwrap()).await.id;
    // The test driver's VMs run, and it has no backup jobs.
    let id = e.svc.backups.start(&Caller::customer(e.owner, "192.0.2.10"), vm, None).await.unwrap();
    let b = finished(&e, id).await;
    assert!(matches!(&b.state, BackupState::Failed { .. }), "{b:?}");
    assert!(b.files.is_empty());
    let left = std::fs::read_dir(e.svc.backups.vm_dir(vm)).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "no partial file is kept");
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.backups, 0);
    // The customer and the admins are told.
    wait_for("the failure notices", || {
        e.svc.notices.unread(&Caller::customer(e.owner, "t")).is_ok_and(|n| n == 1)
    })
    .await;
    let mine = e.svc.notices.inbox(&Caller::customer(e.owner, "t")).unwrap();
    let (n, unread) = &mine.notices[0];
    assert!(*unread);
    assert_eq!((n.kind.as_str(), n.subject.as_str()), ("backup.failed", "Backup of web failed"));
    assert_eq!(n.link.as_deref(), Some(format!("/vms/{vm}/backups").as_str()));
    // The admins' notice is written right after the owner's, in its own transaction.
    let admins = || e.svc.notices.inbox(&Caller::admin(UserId(u64::MAX), "t")).unwrap();
    wait_for("the admins' failure notice", || !admins().notices.is_empty()).await;
    let admin = admins();
    assert_eq!(admin.notices.len(), 1);
    assert!(admin.notices[0].0.subject.starts_with(&format!("Backup {id} of web (account {})", e.owner)));
}

#[tokio::test]
async fn schedules_start_due_runs_once_catch_up_once_and_keep_their_newest() {
    let e = env().await;
    let vm = stopped_vm(&e, "web").await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    // The env's clock stands at 2027-01-15 08:00 UTC.
    let sched = e.svc.backups.add_schedule(s, vm, daily(3, 0), 2).await.unwrap();
    assert!(e.svc.backups.tick().await.unwrap().is_empty(), "the first run is tomorrow 03:00");
    e.clock.advance_secs(86_400);
    let first = e.svc.backups.tick().await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(e.svc.backups.tick().await.unwrap().is_empty(), "a run starts once");
    finished(&e, first[0]).await;
    // Down for five days: one run when back.
    e.clock.advance_secs(5 * 86_400);
    let second = e.svc.backups.tick().await.unwrap();
    assert_eq!(second.len(), 1);
    finished(&e, second[0]).await;
    e.clock.advance_secs(86_400);
    let third = e.svc.backups.tick().await.unwrap();
    finished(&e, third[0]).await;
    // Keep 2: the oldest goes once the third is done.
    wait_for("retention", || e.svc.backups.list(s, vm).is_ok_and(|l| l.len() == 2)).await;
    let ids: Vec<u64> = e.svc.backups.list(s, vm).unwrap().iter().map(|b| b.id).collect();
    assert_eq!(ids, [third[0], second[0]]);
    assert!(e.svc.backups.list(s, vm).unwrap().iter().all(|b| b.schedule == Some(sched.id)));
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.backups, 2);
    // Removing the schedule keeps its backups.
    e.svc.backups.remove_schedule(s, vm, sched.id).await.unwrap();
    assert!(e.svc.backups.schedules(s, vm).unwrap().is_empty());
    assert_eq!(e.svc.backups.list(s, vm).unwrap().len(), 2);
}

#[tokio::test]
async fn schedules_follow_the_accounts_time_zone() {
    let e = env().await;
    let vm = stopped_vm(&e, "web").await;
    let err = e.svc.accounts.set_time_zone(e.owner, "Mars/Olympus").await.unwrap_err();
    assert_eq!(err.code(), "ACC0014");
    e.svc.accounts.set_time_zone(e.owner, "Asia/Almaty").await.unwrap();
    assert_eq!(e.svc.accounts.time_zone(e.owner).unwrap(), "Asia/Almaty");
    // 08:00 UTC is 13:00 in Almaty (UTC+5): 14:00 Almaty is due an hour later.
    e.svc.backups.add_schedule(&Caller::customer(e.owner, "192.0.2.10"), vm, daily(14, 0), 3).await.unwrap();
    e.clock.advance_secs(3600 - 60);
    assert!(e.svc.backups.tick().await.unwrap().is_empty());
    e.clock.advance_secs(60);
    let started = e.svc.backups.tick().await.unwrap();
    assert_eq!(started.len(), 1);
    finished(&e, started[0]).await;
}

#[tokio::test]
async fn schedule_input_and_owners_are_checked() {
    let e = env().await;
    let vm = stopped_vm(&e, "web").await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let b = &e.svc.backups;
    let bad_minute = When { minute: 60, ..daily(3, 0) };
    assert_eq!(b.add_schedule(s, vm, bad_minute, 3).await.unwrap_err().code(), "BKP0005");
    assert_eq!(b.add_schedule(s, vm, daily(3, 0), 0).await.unwrap_err().code(), "BKP0007");
    for _ in 0..super::schedules::MAX_PER_VM {
        b.add_schedule(s, vm, daily(3, 0), 3).await.unwrap();
    }
    assert_eq!(b.add_schedule(s, vm, daily(3, 0), 3).await.unwrap_err().code(), "BKP0008");
    // Another customer sees neither the VM's backups nor its schedules.
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let o = &Caller::customer(other, "192.0.2.10");
    assert_eq!(b.schedules(o, vm).unwrap_err().code(), "BKP0001");
    assert_eq!(b.list(o, vm).unwrap_err().code(), "BKP0001");
    assert_eq!(b.start(o, vm, None).await.unwrap_err().code(), "BKP0001");
    let err = b.add_schedule(o, vm, daily(3, 0), 3).await.unwrap_err();
    assert_eq!(err.code(), "BKP0001");
    let id = b.start(s, vm, None).await.unwrap();
    assert_eq!(b.get(&Caller::customer(other, "192.0.2.10"), id).unwrap_err().code(), "BKP0001");
    assert!(b.get(&Caller::customer(UserId(e.owner.0), "192.0.2.10"), id).is_ok());
    finished(&e, id).await;
}

fn as_new(e: &Env, hostname: &str) -> super::RestoreAsNew {
    super::RestoreAsNew {
        plan: e.plan,
        hostname: hostname.into(),
        key_ids: vec![],
        once_key: uuid::Uuid::new_v4().to_string(),
    }
}

#[tokio::test]
async fn a_backup_becomes_a_new_vm_within_quota_even_after_its_vm_is_deleted() {
    let e = env().await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let vm = stopped_vm(&e, "web").await;
    // Something on the disk to find again.
    let disk = e.vms().paths().disk(&e.vms().get_any(vm).unwrap().uuid);
    let w = std::process::Command::new("qemu-io")
        .args(["-f", "qcow2", "-c", "write -P 0x5a 1M 2M"])
        .arg(&disk)
        .output()
        .unwrap();
    assert!(w.status.success(), "{}", String::from_utf8_lossy(&w.stderr));
    e.svc.backups.add_schedule(s, vm, daily(3, 0), 3).await.unwrap();
    let id = e.svc.backups.start(s, vm, None).await.unwrap();
    let b = finished(&e, id).await;
    assert_eq!(b.template, e.template);

    // Deleting the VM keeps its backups with the account and drops its schedules.
    e.vms().delete(s, vm, "web").await.unwrap();
    wait_for("delete", || e.vms().get_any(vm).is_err()).await;
    let listed = e.svc.backups.list_account(e.owner).unwrap();
    assert_eq!(listed.iter().map(|(b, exists)| (b.id, *exists)).collect::<Vec<_>>(), [(id, false)]);
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.backups, 1);
    assert!(e.svc.backups.tick().await.unwrap().is_empty());
    e.clock.advance_secs(2 * 86_400);
    assert!(e.svc.backups.tick().await.unwrap().is_empty(), "the deleted VM's schedule is gone");

    // Another customer can neither see it nor make a VM of it.
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let err = e.svc.backups.restore_as_new(&Caller::customer(other, "192.0.2.10"), id, as_new(&e, "x")).await;
    assert_eq!(err.unwrap_err().code(), "BKP0001");
    assert!(e.svc.backups.list_account(other).unwrap().is_empty());

    // A crash right after the order was written: the backup cannot go meanwhile, and the
    // recovery finishes the VM from it.
    e.vms().set_halt_after(Some(crate::store::records::Step::Reserve));
    let new = e.svc.backups.restore_as_new(s, id, as_new(&e, "web2")).await.unwrap();
    e.vms().set_halt_after(None);
    assert_eq!(e.svc.backups.delete(s, id).await.unwrap_err().code(), "BKP0015");
    e.vms().recover().await.unwrap();
    let made = ready(&e, new).await;
    assert_eq!((made.owner, made.template, made.hostname.as_str()), (e.owner, e.template, "web2"));
    let new_disk = e.vms().paths().disk(&made.uuid);
    let file = e.svc.backups.file_path(&b, &b.files[0]);
    let same =
        std::process::Command::new("qemu-img").arg("compare").arg(&file).arg(&new_disk).output().unwrap();
    assert!(same.status.success(), "{}", String::from_utf8_lossy(&same.stdout));
    let size = crate::host::images::virtual_size(&new_disk).unwrap();
    assert_eq!(size, 2 << 30, "grown to the plan's disk");
    e.svc.backups.delete(s, id).await.unwrap();
    assert!(e.svc.backups.list_account(e.owner).unwrap().is_empty());
}

#[tokio::test]
async fn a_new_vm_from_a_backup_needs_quota_and_a_plan_that_holds_the_disk() {
    let e = env().await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let vm = stopped_vm(&e, "web").await;
    let id = e.svc.backups.start(s, vm, None).await.unwrap();
    finished(&e, id).await;
    // The VM's disk is the plan's 2 GiB: a plan with a smaller disk cannot hold it.
    let small = e
        .svc
        .plans
        .create(crate::service::plans::NewPlan {
            name: "xs".into(),
            spec: crate::domain::catalog::PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 1 },
            monthly_price: crate::domain::money::Money(100),
            hourly_price: crate::domain::money::Money(1),
        })
        .await
        .unwrap();
    let req = super::RestoreAsNew { plan: small.id, ..as_new(&e, "one") };
    let err = e.svc.backups.restore_as_new(s, id, req).await.unwrap_err();
    assert_eq!(err.code(), "VM0005", "{err}");
    assert!(err.to_string().contains("at least 2 GiB"), "{err}");
    let (mut limits, used) = e.svc.quotas.overview(e.owner).unwrap();
    limits.vms = used.vms;
    e.svc.quotas.set_limits(e.owner, limits, &Caller::system()).await.unwrap();
    let err = e.svc.backups.restore_as_new(s, id, as_new(&e, "two")).await.unwrap_err();
    assert_eq!(err.code(), "VM0008", "{err}");
    // Backup storage: a new backup is refused once the stored ones fill it.
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.backup_gb, 1, "a few MiB count as 1 GiB");
    limits.backup_gb = 0;
    e.svc.quotas.set_limits(e.owner, limits, &Caller::system()).await.unwrap();
    let err = e.svc.backups.start(s, vm, None).await.unwrap_err();
    assert_eq!(err.code(), "BKP0014");
    assert!(err.to_string().contains("of your 0 GiB of backup storage"), "{err}");
}
