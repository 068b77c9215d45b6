//! Rescue mode. On the real libvirtd with QEMU (TCG): a tiny server writes a marker to its own
//! disk and wipes its boot code; rescue still boots (the rescue system's disk comes first), the
//! marker reads back from the server's disk there, the boot code is repaired from the rescue
//! system, and leaving rescue boots the server's own system again. The
//! CLI imports rescue images with and without the daemon; another customer gets 404s.

use std::time::Duration;

use crate::common::*;
use crate::e2e::{test_template, wait_serial};

fn args<'a>(cfg: &'a str, data: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    cli_args("rescue", cfg, data, rest)
}

#[tokio::test]
async fn the_cli_imports_rescue_images_with_and_without_the_daemon() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let (c, d) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let src_dir = tempdir();
    let img = qcow2_image(src_dir.path(), "rescue.qcow2", "1G");
    let img = img.to_str().unwrap();

    let out = run_bin(&args(&c, &d, &["list"]), None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("no rescue image"), "{out:?}");
    let out = run_bin(&args(&c, &d, &["import", img]), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported rescue image 1 (qcow2, 1.0 GiB virtual"));
    let junk = src_dir.path().join("junk.img");
    std::fs::write(&junk, "not an image").unwrap();
    let out = run_bin(&args(&c, &d, &["import", junk.to_str().unwrap()]), None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("IMG0003"), "{out:?}");

    // Through the running daemon: a second image becomes the current one, the first (used by
    // no server) goes.
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let out = run_bin(&args(&c, &d, &["import", img]), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run_bin(&args(&c, &d, &["list"]), None);
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(list.starts_with("2\tqcow2") && list.contains("current") && list.lines().count() == 1, "{list}");
    drop(p);
    let files: Vec<String> = std::fs::read_dir(dir.path().join("rescue"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.len() == 1 && files[0].starts_with("rescue-"), "{files:?}");
}

#[tokio::test]
async fn a_server_in_rescue_reads_its_own_disk_and_boots_it_again_on_leaving() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let email = "rescue@example.com";
    let (d, c, vm_path, vm) = crate::e2e::running_tiny_vm(email, "rescue-guest").await;
    let log = d.svc().vms.paths().serial_log(&vm.uuid);
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;

    // No rescue system imported: the page says so and offers no button.
    let page = c.get(d.url(&vm_path)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("this host has no rescue system yet") && !page.contains("/rescue\""), "{page}");
    // The tiny guest runs no agent: the page says a new password would wait for a reinstall.
    assert!(page.contains("The guest agent does not answer in this server"), "{page}");

    // A marker on the server's own disk (past its boot partition), written from its own
    // system, which then breaks its own boot: the boot code in its MBR is wiped.
    let cmd = "echo VPSBOX-MARK-$((6*7)) | dd of=/dev/vda bs=1M seek=100 conv=fsync 2>/dev/null; \
               dd if=/dev/zero of=/dev/vda bs=440 count=1 conv=notrunc,fsync 2>/dev/null; echo WROTE-$((40+2))";
    crate::console::serial_shell(&d, email, &vm_path, cmd, "WROTE-42").await;

    // The tiny image is the rescue system here; another customer cannot start it.
    d.svc().rescue_images.import(test_template()).await.unwrap();
    let stranger = client();
    sign_up(&stranger, &d, "stranger@example.com").await;
    let r = submit(&stranger, &d, "/vms", &format!("{vm_path}/rescue"), &[]).await;
    assert_eq!(r.status().as_u16(), 404);

    // The answer to the form is the page with the one-time password, kept by no cache.
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/rescue"), &[]).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let page = r.text().await.unwrap();
    let password = page
        .split("shown only now: <code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .unwrap_or_else(|| panic!("no password on {page}"))
        .to_string();
    assert_eq!(password.chars().count(), 20);
    let rec = d.svc().vms.rescue_of(vm.id).unwrap().unwrap();
    assert!(sha_crypt::sha512_check(&password, &rec.password_hash).is_ok());

    // The rescue system boots from its own disk (the server's cannot boot now), with the
    // rescue seed, and the server's disk attached as /dev/vda: the marker reads back from it.
    // The customer repairs the boot code from the rescue system's disk (the guest's vdc: 2 GiB,
    // the 64 MiB image and room to work).
    let text = wait_serial(&log, &format!("instance-id={}", rec.instance_id), 1).await;
    assert!(text.contains("hostname=rescue-guest"), "{text}");
    wait_serial(&log, "VPSBOX-TEST: ready", 1).await;
    wait_page(&c, &d, &vm_path, "This server is in rescue").await;
    let console = c.get(d.url(&format!("{vm_path}/serial"))).send().await.unwrap().text().await.unwrap();
    assert!(console.contains("This server is in rescue"), "the console says so too");
    let text = wait_serial(&log, "VPSBOX-TEST: disk+ vdc sectors=4194304", 1).await;
    assert!(!text.contains("disk+ vdd"), "the server's disk, the seed and the rescue disk only: {text}");
    let cmd = "dd if=/dev/vda bs=1M skip=100 count=1 2>/dev/null | head -c 14; echo; \
               dd if=/dev/vdc of=/dev/vda bs=440 count=1 conv=notrunc,fsync 2>/dev/null; echo READ-$((40+2))";
    let out = crate::console::serial_shell(&d, email, &vm_path, cmd, "READ-42").await;
    assert!(out.contains("VPSBOX-MARK-42"), "{out}");

    // Leaving: the server's own (repaired) system boots with its own seed, the rescue files go.
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/rescue/leave"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let text = wait_serial(&log, &format!("instance-id={}", vm.uuid), 1).await;
    assert!(!text.contains("instance-id=rescue-"), "{text}");
    for _ in 0..200 {
        if d.svc().vms.intent(vm.id).unwrap().is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(d.svc().vms.rescue_of(vm.id).unwrap().is_none());
    assert!(!d.svc().vms.paths().rescue_disk(&vm.uuid).exists());
    let page = c.get(d.url(&vm_path)).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("This server is in rescue") && page.contains("Boot into rescue"), "{page}");

    crate::console::delete_vm(&d, vm.id.0).await;
    d.stop().await;
}
