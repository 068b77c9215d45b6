//! ISO images. On the real libvirtd with QEMU (TCG): an ISO made from Debian packages
//! (`scripts/build-test-template.sh`: xorriso with isolinux and the test kernel) is published,
//! put in a running server's drive from its page with a restart, boots and says so on the
//! serial port; taking it out brings back the disk boot; booted once, the server's own reboot
//! brings back its disk. The CLI publishes, lists and deletes
//! ISOs with and without the daemon and refuses what is not ISO 9660; another customer gets 404.

use crate::common::*;
use crate::e2e::{test_iso, wait_serial};

fn args<'a>(cfg: &'a str, data: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    cli_args("iso", cfg, data, rest)
}

#[tokio::test]
async fn the_cli_publishes_lists_and_deletes_isos() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let (c, d) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let iso = test_iso();
    let out = run_bin(&args(&c, &d, &["import", "tiny-live", iso.to_str().unwrap()]), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("published ISO tiny-live"), "{out:?}");
    // A disk image is no ISO.
    let qcow = crate::e2e::test_template();
    let out = run_bin(&args(&c, &d, &["import", "disk", qcow.to_str().unwrap()]), None);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("ISO0003"), "{out:?}");

    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let out = run_bin(&args(&c, &d, &["import", "tiny-live", iso.to_str().unwrap()]), None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ISO0002"), "{out:?}");
    let out = run_bin(&args(&c, &d, &["list"]), None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("tiny-live"), "{out:?}");
    let out = run_bin(&args(&c, &d, &["delete", "tiny-live"]), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    drop(p);
    assert_eq!(std::fs::read_dir(dir.path().join("isos")).unwrap().count(), 0, "no file left");
}

#[tokio::test]
async fn a_server_boots_an_attached_iso_and_its_disk_again_without_it() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let email = "iso@example.com";
    let (d, c, vm_path, vm) = crate::e2e::running_tiny_vm(email, "iso-guest").await;
    let log = d.svc().vms.paths().serial_log(&vm.uuid);
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    let page = c.get(d.url(&vm_path)).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("name=\"iso\""), "no ISO published, none to choose: {page}");
    assert!(page.contains("href=\"/isos\""), "the link to the customer's own ISOs: {page}");

    // An admin publishes the ISO on the templates page; a file that is not one is refused.
    let admin = admin_client(&d).await;
    let qcow = crate::e2e::test_template();
    let bad = [("name", "disk"), ("path", qcow.to_str().unwrap())];
    let r = submit(&admin, &d, "/admin/templates", "/admin/templates/isos", &bad).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("ISO0003"));
    let iso = test_iso();
    let good = [("name", "tiny-live"), ("path", iso.to_str().unwrap())];
    let r = submit(&admin, &d, "/admin/templates", "/admin/templates/isos", &good).await;
    assert_eq!(r.status().as_u16(), 303);
    let id = d.svc().isos.by_name("tiny-live").unwrap().id.to_string();

    // Another customer cannot touch the server's drive.
    let stranger = client();
    sign_up(&stranger, &d, "iso-stranger@example.com").await;
    let r =
        submit(&stranger, &d, "/vms", &format!("{vm_path}/iso"), &[("iso", &id), ("boot", "always")]).await;
    assert_eq!(r.status().as_u16(), 404);

    // In, booting from it, restarted now: the ISO's system says where it came from.
    let fields = [("iso", id.as_str()), ("boot", "always"), ("restart", "on")];
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/iso"), &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let text = wait_serial(&log, "VPSBOX-TEST: booted from the ISO", 1).await;
    assert!(text.contains("VPSBOX-TEST: init started"), "{text}");
    let page = c.get(d.url(&vm_path)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("tiny-live is in the drive; the server boots from it first."), "{page}");

    // Out, restarted: the disk boots again.
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/iso/detach"), &[("restart", "on")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let text = wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    assert!(!text.contains("booted from the ISO"), "{text}");
    assert!(d.svc().vms.iso_of(vm.id).unwrap().is_none());

    // Once: the next start boots the ISO; when that system reboots (as an installer does at its
    // end), the server is started on its disk, the ISO still in the drive.
    let fields = [("iso", id.as_str()), ("boot", "once"), ("restart", "on")];
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/iso"), &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    wait_serial(&log, "VPSBOX-TEST: booted from the ISO", 1).await;
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    crate::console::serial_shell(&d, email, &vm_path, "echo REBOOTING-$((40+2)); reboot -f", "REBOOTING-42")
        .await;
    let mut text = String::new();
    for _ in 0..900 {
        text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("VPSBOX-TEST: ready") && !text.contains("booted from the ISO") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(text.contains("VPSBOX-TEST: ready") && !text.contains("booted from the ISO"), "{text}");
    let (v, _) = d.svc().vms.iso_of(vm.id).unwrap().unwrap();
    assert_eq!(v.boot, vpsbox::store::isos::IsoBoot::No, "booted once");
    let page = c.get(d.url(&vm_path)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("tiny-live is in the drive; the server boots from its own disk."), "{page}");
    let history: Vec<String> = d.svc().vms.history(&vm, 30).unwrap().into_iter().map(|a| a.action).collect();
    assert!(history.contains(&"vm.iso_once_done".to_string()), "{history:?}");
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/iso/detach"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);

    crate::console::delete_vm(&d, vm.id.0).await;
    d.stop().await;
}
