//! VM backups on the real libvirtd + QEMU (TCG): live full and incremental backups of a running
//! guest that writes known data to its disk restore to images identical to the disk at backup
//! time, and the guest keeps running throughout.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use vpsbox::domain::backup::Kind;
use vpsbox::domain::schedule::{Frequency, When};
use vpsbox::domain::vm::VmId;
use vpsbox::store::backups::{BackupRecord, BackupState};

use crate::common::*;
use crate::console::{delete_vm, running_vm};
use crate::e2e::wait_serial;

/// Type `cmd` into the guest's serial shell and wait until the serial log shows `marker`
/// (made so that the echoed command line does not contain it).
async fn guest(stream: &Arc<dyn vpsbox::hv::ByteStream>, log: &Path, cmd: &str, marker: &str) {
    let line = format!("{cmd}; echo {marker}-$((40+2))\n");
    let s = stream.clone();
    tokio::task::spawn_blocking(move || s.send(line.as_bytes())).await.unwrap().unwrap();
    wait_serial(log, &format!("{marker}-42"), 1).await;
}

async fn wait_done(d: &Daemon, id: u64) -> BackupRecord {
    for _ in 0..600 {
        let b = d.svc().backups.get(&vpsbox::service::Caller::system(), id).unwrap();
        match &b.state {
            BackupState::Running { .. } => tokio::time::sleep(Duration::from_millis(100)).await,
            BackupState::Done => return b,
            BackupState::Failed { reason } => panic!("backup {id} failed: {reason}"),
        }
    }
    panic!("backup {id} did not finish");
}

fn listed_now(d: &Daemon, scope: &vpsbox::service::Caller, vm: VmId) -> Vec<u64> {
    d.svc().backups.list(scope, vm).unwrap().iter().map(|b| b.id).collect()
}

/// `qemu-img compare` of the backup (its chain flattened) with the live disk.
fn same_as_disk(d: &Daemon, b: &BackupRecord, disk: &Path) -> bool {
    let file = d.svc().backups.file_path(b, &b.files[0]);
    let out =
        std::process::Command::new("qemu-img").args(["compare", "-U"]).arg(&file).arg(disk).output().unwrap();
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stdout));
    }
    out.status.success()
}

#[tokio::test]
async fn live_full_and_incremental_backups_restore_to_the_disk_at_their_time() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let d = start_qemu_daemon().await;
    let (_page, id) = running_vm(&d, "backup@example.com", "backup-guest").await;
    let svc = d.svc();
    let vm = svc.vms.get(&vpsbox::service::Caller::system(), VmId(id)).unwrap();
    let log = svc.vms.paths().serial_log(&vm.uuid);
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    let disk = svc.vms.paths().disk(&vm.uuid);
    let serial = svc.vms.open_serial(&vpsbox::service::Caller::system(), vm.id).await.unwrap();
    let owner = &vpsbox::service::Caller::customer(vm.owner, "192.0.2.10");

    // 4 MiB of known data past the template's partition, then a full backup. (`conv=fsync`:
    // the guest's flush is what makes QEMU write the qcow2 metadata into the image file that
    // the comparison reads from outside.)
    guest(
        &serial,
        &log,
        "dd if=/dev/urandom of=/dev/vda bs=1M seek=300 count=4 conv=fsync 2>/dev/null",
        "WROTE1",
    )
    .await;
    // A schedule's backups chain ("back up now" ones are always full): start two of its runs.
    let when = When { frequency: Frequency::Daily, minute: 0, hour: 3, weekday: 1, day: 1 };
    let sched = svc.backups.add_schedule(owner, vm.id, when, 7).await.unwrap().id;
    let full = svc.backups.start(owner, vm.id, Some(sched)).await.unwrap();
    let full = wait_done(&d, full).await;
    assert_eq!((full.kind, full.live, full.parent), (Kind::Full, true, None));
    assert_eq!(full.files.len(), 1);
    assert!(same_as_disk(&d, &full, &disk), "the full backup is the disk");

    // 10 MiB more, then an incremental backup of only that.
    guest(
        &serial,
        &log,
        "dd if=/dev/urandom of=/dev/vda bs=1M seek=500 count=10 conv=fsync 2>/dev/null",
        "WROTE2",
    )
    .await;
    assert!(!same_as_disk(&d, &full, &disk), "the disk changed");
    let inc = svc.backups.start(owner, vm.id, Some(sched)).await.unwrap();
    let inc = wait_done(&d, inc).await;
    assert_eq!((inc.kind, inc.parent), (Kind::Incremental, Some(full.id)));
    assert!(same_as_disk(&d, &inc, &disk), "the incremental backup with its chain is the disk");
    let (fb, ib) = (full.bytes(), inc.bytes());
    assert!(ib < 12 << 20, "the incremental file holds about the 10 MiB changed: {ib} bytes (full {fb})");
    // The older backup still restores on its own.
    let restored = d.dir_path().join("restored.qcow2");
    let st = std::process::Command::new("qemu-img")
        .args(["convert", "-O", "qcow2"])
        .arg(svc.backups.file_path(&full, &full.files[0]))
        .arg(&restored)
        .status()
        .unwrap();
    assert!(st.success());

    // A new server from the incremental backup (its chain flattened): it boots, and its disk
    // is the backup's.
    let req = vpsbox::service::backups::RestoreAsNew {
        plan: vm.plan,
        hostname: "backup-copy".into(),
        key_ids: vec![],
        once_key: "copy-1".into(),
    };
    let copy = svc.backups.restore_as_new(owner, inc.id, req).await.unwrap();
    for _ in 0..300 {
        if svc.vms.get(&vpsbox::service::Caller::system(), copy).unwrap().phase
            == vpsbox::store::records::VmPhase::Ready
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let made = svc.vms.get(&vpsbox::service::Caller::system(), copy).unwrap();
    assert_eq!(made.phase, vpsbox::store::records::VmPhase::Ready);
    wait_serial(&svc.vms.paths().serial_log(&made.uuid), "VPSBOX-TEST: ready", 1).await;
    assert!(same_as_disk(&d, &inc, &svc.vms.paths().disk(&made.uuid)), "the new server's disk is the backup");
    delete_vm(&d, copy.0).await;

    // Restoring the full backup onto the server: it is powered off, its disk replaced, and
    // started again; the next backup of the schedule is full (the old checkpoints are gone).
    let err = svc.backups.restore_in_place(owner, full.id, "wrong-name").await.unwrap_err();
    assert_eq!(vpsbox::service::Coded::code(&err), "BKP0010");
    assert_eq!(svc.backups.restore_in_place(owner, full.id, "backup-guest").await.unwrap(), 1);
    assert_eq!(
        svc.vms.get(&vpsbox::service::Caller::system(), vm.id).unwrap().power,
        vpsbox::domain::vm::PowerState::Running
    );
    assert!(same_as_disk(&d, &full, &disk), "the disk is the full backup again");
    // The serial log starts afresh with the new QEMU process.
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    let serial = svc.vms.open_serial(&vpsbox::service::Caller::system(), vm.id).await.unwrap();
    let again = svc.backups.start(owner, vm.id, Some(sched)).await.unwrap();
    assert_eq!(wait_done(&d, again).await.kind, Kind::Full);

    // A backup another is built on cannot be deleted before it; the newest can.
    let err = svc.backups.delete(owner, full.id).await.unwrap_err();
    assert_eq!(vpsbox::service::Coded::code(&err), "BKP0012");
    svc.backups.delete(owner, again).await.unwrap();
    svc.backups.delete(owner, inc.id).await.unwrap();
    assert!(!svc.backups.file_path(&inc, &inc.files[0]).exists());
    let again = svc.backups.start(owner, vm.id, None).await.unwrap();

    // The guest runs and answers.
    guest(&serial, &log, "true", "STILL-HERE").await;
    assert_eq!(
        svc.vms.get(&vpsbox::service::Caller::system(), vm.id).unwrap().power,
        vpsbox::domain::vm::PowerState::Running
    );
    // The backups are the customer's, listed newest first; another customer sees none.
    wait_done(&d, again).await;
    assert_eq!(listed_now(&d, owner, vm.id), [again, full.id]);
    assert!(
        svc.backups
            .get(
                &vpsbox::service::Caller::customer(vpsbox::domain::account::UserId(9999), "192.0.2.10"),
                full.id
            )
            .is_err()
    );
    serial.close();
    delete_vm(&d, id).await;
}

/// The backups page through the real TLS server (test driver): back up now, schedules added
/// and removed with checked input, the account's time zone, and strangers refused.
#[tokio::test]
async fn the_backups_page_backs_up_and_manages_schedules() {
    let d = start_daemon().await;
    let (plan, tpl) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "pages@example.com").await;
    let vm = crate::common::order(&c, &d, "paged", plan, tpl).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    let r = submit(&c, &d, &vm, &format!("{vm}/power"), &[("action", "force-off")]).await;
    assert_eq!(r.status().as_u16(), 303);
    crate::common::wait_page(&c, &d, &vm, "badge stopped").await;
    let page = format!("{vm}/backups");
    assert!(
        get_text(&c, &d.url(&vm)).await.1.contains(&format!("href=\"{page}\"")),
        "the VM page links to its backups"
    );

    let (s, html) = get_text(&c, &d.url(&page)).await;
    assert_eq!(s, 200);
    assert!(html.contains("No backups yet.") && html.contains("Back up now"), "{html}");
    let r = submit(&c, &d, &page, &page, &[]).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, page.clone()));
    let html = crate::common::wait_page(&c, &d, &page, "badge ok").await;
    assert!(html.contains("full") && html.contains("back up now"), "{html}");

    // Download, whole and resumed (HTTP range), checked against the recorded checksum.
    let id = VmId(vm.trim_start_matches("/vms/").parse().unwrap());
    let b = d.svc().backups.list(&vpsbox::service::Caller::system(), id).unwrap().remove(0);
    let file = d.url(&format!("{page}/{}/vda.qcow2", b.id));
    let r = c.get(&file).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("paged-backup"));
    let whole = r.bytes().await.unwrap();
    assert_eq!(whole.len() as u64, b.files[0].bytes);
    use sha2::Digest;
    let sum: String = sha2::Sha256::digest(&whole).iter().map(|x| format!("{x:02x}")).collect();
    assert_eq!(sum, b.files[0].sha256);
    let r = c.get(&file).header("range", "bytes=4-").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 206);
    assert_eq!(r.bytes().await.unwrap(), whole.slice(4..));
    assert_eq!(&whole[..4], b"QFI\xfb", "a qcow2 image");
    // Restore onto the server, confirmed with its hostname.
    let restore = format!("{page}/{}/restore", b.id);
    submit(&c, &d, &page, &restore, &[("confirm", "not-it")]).await;
    assert!(get_text(&c, &d.url(&page)).await.1.contains("BKP0010"));
    let r = submit(&c, &d, &page, &restore, &[("confirm", "paged")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(get_text(&c, &d.url(&page)).await.1.contains("restored (1 disk)"));

    // Schedules: a good one, then bad input with its code.
    let add = format!("{page}/schedules");
    let form = [("frequency", "weekly"), ("time", "02:30"), ("weekday", "7"), ("day", "1"), ("keep", "4")];
    assert_eq!(submit(&c, &d, &page, &add, &form).await.status().as_u16(), 303);
    let html = get_text(&c, &d.url(&page)).await.1;
    assert!(html.contains("weekly on Sunday at 02:30"), "{html}");
    let bad = [("frequency", "weekly"), ("time", "25:99"), ("weekday", "7"), ("day", "1"), ("keep", "4")];
    assert_eq!(submit(&c, &d, &page, &add, &bad).await.status().as_u16(), 303);
    let html = get_text(&c, &d.url(&page)).await.1;
    assert!(html.contains("BKP0005"), "{html}");
    let bad = [("frequency", "yearly"), ("time", "02:30"), ("weekday", "7"), ("day", "1"), ("keep", "4")];
    submit(&c, &d, &page, &add, &bad).await;
    assert!(get_text(&c, &d.url(&page)).await.1.contains("BKP0009"));

    // The account's time zone shows on the page.
    let r = submit(&c, &d, "/account", "/account/timezone", &[("time_zone", "Asia/Almaty")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(get_text(&c, &d.url(&page)).await.1.contains("Asia/Almaty"));
    submit(&c, &d, "/account", "/account/timezone", &[("time_zone", "Nowhere/Special")]).await;
    assert!(get_text(&c, &d.url("/account")).await.1.contains("ACC0014"));

    // Another customer gets 404 for the page and its forms.
    let other = client();
    sign_up(&other, &d, "stranger@example.com").await;
    assert_eq!(get_text(&other, &d.url(&page)).await.0, 404);
    assert_eq!(other.get(&file).send().await.unwrap().status().as_u16(), 404);
    let (_, own) = get_text(&other, &d.url("/dashboard")).await;
    let csrf = csrf_of(&own);
    let r = other.post(d.url(&page)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);

    // Removing the schedule.
    let id = d
        .svc()
        .vms
        .get(&vpsbox::service::Caller::system(), VmId(vm.trim_start_matches("/vms/").parse().unwrap()))
        .unwrap()
        .id;
    let sched = d.svc().backups.schedules(&vpsbox::service::Caller::system(), id).unwrap()[0].id;
    let r = submit(&c, &d, &page, &format!("{page}/schedules/{sched}/delete"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(!get_text(&c, &d.url(&page)).await.1.contains("weekly on Sunday"));
}

/// The account's backups page through TLS (test driver): a new server made from a backup,
/// a deleted server's backups kept with their downloads, a failed backup reported to the
/// customer and the admins, the admins' list, and strangers refused.
#[tokio::test]
async fn the_accounts_backups_make_new_servers_and_outlive_theirs() {
    let d = start_daemon().await;
    let (plan, tpl) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "keeper@example.com").await;
    let vm = crate::common::order(&c, &d, "origin", plan, tpl).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    submit(&c, &d, &vm, &format!("{vm}/power"), &[("action", "force-off")]).await;
    crate::common::wait_page(&c, &d, &vm, "badge stopped").await;
    let page = format!("{vm}/backups");
    submit(&c, &d, &page, &page, &[]).await;
    crate::common::wait_page(&c, &d, &page, "badge ok").await;
    let id = VmId(vm.trim_start_matches("/vms/").parse().unwrap());
    let b = d.svc().backups.list(&vpsbox::service::Caller::system(), id).unwrap().remove(0);

    let (s, html) = get_text(&c, &d.url("/backups")).await;
    assert_eq!(s, 200);
    assert!(html.contains(&format!("href=\"/backups/{}/new\"", b.id)), "{html}");
    assert!(html.contains("1 of ") && html.contains(" backups, "), "{html}");
    assert!(html.contains("GiB of backup storage in use"), "{html}");

    // A new server from the backup: its page, then running with the backup's disk.
    let new = format!("/backups/{}/new", b.id);
    let (s, form) = get_text(&c, &d.url(&new)).await;
    assert_eq!(s, 200);
    assert!(form.contains("Backup of") && form.contains("origin"), "{form}");
    let once = form.split("name=\"once\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let plan_s = plan.to_string();
    let fields = [("plan", plan_s.as_str()), ("hostname", "Bad Name"), ("once", once.as_str())];
    let r = submit(&c, &d, &new, &new, &fields).await;
    assert_eq!(r.status().as_u16(), 422, "a bad hostname is refused on the form");
    assert!(r.text().await.unwrap().contains("VM0001"));
    let fields = [("plan", plan_s.as_str()), ("hostname", "copy"), ("once", once.as_str())];
    let r = submit(&c, &d, &new, &new, &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let copy = location(&r);
    assert!(copy.starts_with("/vms/"), "{copy}");
    // The same form sent twice makes one server.
    let r = submit(&c, &d, &new, &new, &fields).await;
    assert_eq!(location(&r), copy);
    crate::common::wait_page(&c, &d, &copy, "badge running").await;
    let copy_id = VmId(copy.trim_start_matches("/vms/").parse().unwrap());
    let made = d.svc().vms.get(&vpsbox::service::Caller::system(), copy_id).unwrap();
    let disk = d.svc().vms.paths().disk(&made.uuid);
    assert!(same_as_disk(&d, &b, &disk), "the new server's disk is the backup");

    // Deleting the original server keeps its backup, listed and downloadable.
    let r = submit(&c, &d, &vm, &format!("{vm}/delete"), &[("confirm", "origin")]).await;
    assert_eq!(r.status().as_u16(), 303);
    for _ in 0..100 {
        if d.svc().vms.get(&vpsbox::service::Caller::system(), id).is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let html = get_text(&c, &d.url("/backups")).await.1;
    assert!(html.contains("server deleted"), "{html}");
    let file = d.url(&format!("/backups/{}/vda.qcow2", b.id));
    let r = c.get(&file).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.bytes().await.unwrap().len() as u64, b.files[0].bytes);

    // A live backup of the running copy fails on the test driver: the customer is told.
    let copy_page = format!("{copy}/backups");
    submit(&c, &d, &copy_page, &copy_page, &[]).await;
    crate::common::wait_page(&c, &d, &copy_page, "badge error").await;
    let mut html = String::new();
    for _ in 0..100 {
        html = get_text(&c, &d.url("/notifications")).await.1;
        if html.contains("Backup of copy failed") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(html.contains("Backup of copy failed") && html.contains("class=\"count\""), "{html}");
    submit(&c, &d, "/notifications", "/notifications/read", &[]).await;
    let html = get_text(&c, &d.url("/notifications")).await.1;
    assert!(!html.contains("class=\"count\"") && html.contains("Backup of copy failed"), "{html}");

    // The admins see it too, and every backup.
    let admin = admin_client(&d).await;
    let html = get_text(&admin, &d.url("/notifications")).await.1;
    assert!(html.contains("of copy (account") && html.contains("admins"), "{html}");
    let (s, html) = get_text(&admin, &d.url("/admin/backups")).await;
    assert_eq!(s, 200);
    assert!(html.contains("1 stored") && html.contains("1 failed"), "{html}");
    assert_eq!(get_text(&c, &d.url("/admin/backups")).await.0, 403);
    // One server's backups through the admins' door: the same page, its forms under it.
    let admin_page = format!("/admin{copy_page}");
    let (s, html) = get_text(&admin, &d.url(&admin_page)).await;
    assert_eq!(s, 200);
    assert!(html.contains("Backups of copy") && html.contains("failed"), "{html}");
    assert!(html.contains(&format!("action=\"{admin_page}\"")), "{html}");
    assert!(html.contains(&format!("action=\"{admin_page}/schedules\"")), "{html}");
    assert!(
        get_text(&admin, &d.url(&format!("/admin{copy}")))
            .await
            .1
            .contains(&format!("href=\"{admin_page}\""))
    );
    assert_eq!(get_text(&c, &d.url(&admin_page)).await.0, 403);

    // Strangers get 404 for the backup's pages, forms and files.
    let other = client();
    sign_up(&other, &d, "nosy@example.com").await;
    assert_eq!(get_text(&other, &d.url(&new)).await.0, 404);
    assert_eq!(other.get(&file).send().await.unwrap().status().as_u16(), 404);
    let r = submit(&other, &d, "/backups", &format!("/backups/{}/delete", b.id), &[]).await;
    assert_eq!(r.status().as_u16(), 404);
    assert!(!get_text(&other, &d.url("/backups")).await.1.contains("origin"));

    // Deleting it frees the quota.
    let r = submit(&c, &d, "/backups", &format!("/backups/{}/delete", b.id), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(!b.files.is_empty() && !d.svc().backups.file_path(&b, &b.files[0]).exists());
    assert!(!get_text(&c, &d.url("/backups")).await.1.contains("server deleted"));
}

/// SIGKILL of the real daemon process at moments during live backups: after each restart the
/// interrupted backup is failed, no partial file stays or is listed, and the next backup of
/// the same VM succeeds.
#[tokio::test]
async fn sigkill_during_a_backup_leaves_no_partial_file_and_the_next_one_succeeds() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let dir = tempdir();
    let config = "[libvirt]\nuri = \"qemu:///system\"\ndomain_type = \"qemu\"\nreconcile_interval_secs = 2\n[quotas]\nbackups = 20\n";
    let (mut p, cfg) = qemu_process_with_plan(dir.path(), config).await;
    let c = client();
    sign_up(&c, &p, "kill@example.com").await;
    let vm = crate::common::order(&c, &p, "kill-guest", 1, 1).await;
    crate::common::wait_page(&c, &p, &vm, "badge running").await;
    let page = format!("{vm}/backups");
    let backups_dir = dir.path().join("backups");

    let mut interrupted = 0;
    for delay in [0u64, 40, 120, 300, 600] {
        let r = submit(&c, &p, &page, &page, &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        drop(p); // SIGKILL
        p = DaemonProcess::spawn(dir.path(), &cfg);
        // Recovery runs once the hypervisor answers; then nothing is left running.
        let html = crate::common::wait_page(&c, &p, &page, "Back up now").await;
        let mut html = html;
        for _ in 0..100 {
            if !html.contains("badge working") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            html = get_text(&c, &p.url(&page)).await.1;
        }
        assert!(!html.contains("badge working"), "a backup still shows as running after the restart: {html}");
        interrupted += usize::from(html.contains("Interrupted: the daemon stopped during the backup"));
        // No half-made file anywhere; every listed file exists.
        let files: Vec<String> = walk(&backups_dir);
        assert!(
            files.iter().all(|f| !f.ends_with(".job") && !f.ends_with(".partial")),
            "partial files left: {files:?}"
        );
        // Every backup listed as done has its file.
        let done = html.matches("badge ok").count();
        let on_disk = files.iter().filter(|f| f.ends_with(".qcow2")).count();
        assert_eq!(done, on_disk, "listed {done} done backups, {on_disk} files: {files:?}");
    }
    assert!(interrupted > 0, "no kill hit a running backup; the test proved nothing");
    // The next backup succeeds and its file is there.
    let before = get_text(&c, &p.url(&page)).await.1.matches("badge ok").count();
    let r = submit(&c, &p, &page, &page, &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    for _ in 0..300 {
        let html = get_text(&c, &p.url(&page)).await.1;
        if html.matches("badge ok").count() > before {
            let files = walk(&backups_dir);
            assert!(files.iter().any(|f| f.ends_with(".qcow2")), "{files:?}");
            let vm_id = vm.trim_start_matches("/vms/").to_string();
            let r = submit(&c, &p, &vm, &format!("{vm}/delete"), &[("confirm", "kill-guest")]).await;
            assert_eq!(r.status().as_u16(), 303, "{vm_id}");
            crate::common::wait_page(&c, &p, "/vms", "No virtual machines yet").await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the backup after the restarts did not finish: {}", p.log_text());
}

/// Every file under `dir`, as paths.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}
