//! Customers' own ISO images through the real TLS server: uploaded as `multipart/form-data`
//! (the CSRF token first), refused with their codes when not ISO 9660, past the size limit or
//! past the quota, listed only for their owner, and the real ISO made from Debian packages
//! (`scripts/build-test-template.sh`) boots a server on the system libvirtd (QEMU, TCG) from
//! its CD-ROM drive. Another customer gets 404s; an ISO in a drive is not deleted.

use reqwest::multipart::{Form, Part};

use crate::common::*;
use crate::e2e::{test_iso, wait_serial};

/// Post the upload form of `/isos` with `fields` in that order (`file`: the bytes).
async fn post_upload(
    c: &reqwest::Client,
    d: &Daemon,
    fields: &[(&str, &str)],
    file: Option<Vec<u8>>,
) -> reqwest::Response {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some(bytes) = file {
        form = form.part("file", Part::bytes(bytes).file_name("upload.iso"));
    }
    c.post(d.url("/isos")).multipart(form).send().await.unwrap()
}

/// The CSRF token of `/isos` for `c`.
async fn csrf(c: &reqwest::Client, d: &Daemon) -> String {
    let (s, html) = get_text(c, &d.url("/isos")).await;
    assert_eq!(s, 200);
    csrf_of(&html)
}

/// Upload `bytes` as `name`; the `/isos` page shown after it.
async fn upload(c: &reqwest::Client, d: &Daemon, name: &str, bytes: Vec<u8>) -> String {
    let token = csrf(c, d).await;
    let r = post_upload(c, d, &[("csrf", &token), ("name", name)], Some(bytes)).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert_eq!(location(&r), "/isos");
    get_text(c, &d.url("/isos")).await.1
}

#[tokio::test]
async fn customers_upload_their_own_iso_and_boot_a_server_from_it() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let d = start_qemu_daemon_tuned(|cfg| cfg.isos.max_upload_mib = 20).await;
    let email = "uploads@example.com";
    let (d, c, vm_path, vm) = crate::e2e::running_tiny_vm_on(d, email, "upload-guest").await;
    let log = d.svc().vms.paths().serial_log(&vm.uuid);
    let isos_dir = d.dir_path().join("isos");

    let (_, page) = get_text(&c, &d.url("/isos")).await;
    assert!(
        page.contains("You have no ISO images of your own yet") && page.contains("at most 20 MiB"),
        "{page}"
    );
    let (_, page) = get_text(&c, &d.url(&vm_path)).await;
    assert!(page.contains("href=\"/isos\""), "the server's page links to them: {page}");

    // Refused, with nothing left behind: not an ISO, too large, fields out of order, no file.
    let page = upload(&c, &d, "junk", vec![7u8; 1 << 20]).await;
    assert!(page.contains("ISO0003"), "{page}");
    let page = upload(&c, &d, "big", vec![0u8; (20 << 20) + (100 << 10)]).await;
    assert!(page.contains("ISO0007") && page.contains("at most 20 MiB"), "{page}");
    let token = csrf(&c, &d).await;
    let r = post_upload(&c, &d, &[("name", "x"), ("csrf", &token)], Some(vec![1u8; 4096])).await;
    assert_eq!(r.status().as_u16(), 400, "the token comes first");
    let r = post_upload(&c, &d, &[("csrf", "forged"), ("name", "x")], Some(vec![1u8; 4096])).await;
    assert_eq!(r.status().as_u16(), 403, "a wrong token writes nothing");
    let r = post_upload(&c, &d, &[("csrf", &token), ("name", "x")], None).await;
    assert_eq!(location(&r), "/isos");
    assert!(get_text(&c, &d.url("/isos")).await.1.contains("ISO0009"));
    // A body far past the limit is refused before the handler reads it.
    let r = post_upload(&c, &d, &[("csrf", &token), ("name", "huge")], Some(vec![0u8; 30 << 20])).await;
    assert_eq!(r.status().as_u16(), 413);
    assert_eq!(std::fs::read_dir(&isos_dir).map(|r| r.count()).unwrap_or(0), 0, "nothing staged is left");

    // The real ISO: listed for its owner, counted against the quota, not on the hoster's list.
    let page = upload(&c, &d, "My-Live", std::fs::read(test_iso()).unwrap()).await;
    assert!(page.contains("my-live is uploaded") && page.contains("1 of 10 GiB"), "{page}");
    let owner = d.accounts().user_by_email(email).unwrap().id;
    let own = d.svc().isos.own(owner).unwrap();
    assert_eq!(own.len(), 1);
    let (iso, _) = &own[0];
    assert_eq!(iso.size, std::fs::metadata(test_iso()).unwrap().len());
    assert!(d.svc().isos.list().unwrap().is_empty());
    let page = upload(&c, &d, "my-live", std::fs::read(test_iso()).unwrap()).await;
    assert!(page.contains("ISO0002"), "{page}");

    // Another customer: not on their list, not theirs to delete.
    let stranger = client();
    sign_up(&stranger, &d, "upload-stranger@example.com").await;
    let (_, page) = get_text(&stranger, &d.url("/isos")).await;
    assert!(!page.contains("my-live"), "{page}");
    let delete = format!("/isos/{}/delete", iso.id);
    let r = submit(&stranger, &d, "/isos", &delete, &[]).await;
    assert_eq!(r.status().as_u16(), 404);

    // In the owner's server's drive, booting from it: its system says where it came from.
    let id = iso.id.to_string();
    let fields = [("iso", id.as_str()), ("boot", "always"), ("restart", "on")];
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/iso"), &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    wait_serial(&log, "VPSBOX-TEST: booted from the ISO", 1).await;
    let r = submit(&c, &d, "/isos", &delete, &[]).await;
    assert_eq!(location(&r), "/isos");
    assert!(get_text(&c, &d.url("/isos")).await.1.contains("ISO0005"), "in a drive, it stays");
    let r = submit(&c, &d, &vm_path, &format!("{vm_path}/iso/detach"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = submit(&c, &d, "/isos", &delete, &[]).await;
    assert_eq!(location(&r), "/isos");
    let (_, page) = get_text(&c, &d.url("/isos")).await;
    assert!(page.contains("my-live is deleted") && page.contains("0 of 10 GiB"), "{page}");
    assert_eq!(std::fs::read_dir(&isos_dir).unwrap().count(), 0, "its file went");

    crate::console::delete_vm(&d, vm.id.0).await;
    d.stop().await;
}
