//! The state store on a full disk: the data dir on a small tmpfs the test mounts, filled to
//! the brim. Writes fail with a clear code and `/healthz` says so; once space is freed the
//! daemon takes writes again by itself, and every acknowledged write is still there.

use std::io::Write;
use std::process::Command;
use std::time::Duration;

use crate::common::*;

/// A tmpfs mounted for the test, unmounted when it ends.
/// A small tmpfs mounted on a directory of its own, unmounted and the directory removed when
/// dropped (a mount inside the daemon's temp dir would keep that dir from being removed).
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let at = tempdir();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(at.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "this test mounts a tmpfs (it runs as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(at)
    }

    fn path(&self) -> &std::path::Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0.path()).status();
    }
}

/// Fill the file system of `dir` with `filler`, leaving about `leave` bytes free.
fn fill(filler: &std::path::Path, leave: u64) {
    let mut f = std::fs::File::create(filler).unwrap();
    let chunk = vec![0xa5u8; 64 * 1024];
    while vpsbox::service::storage::free_bytes(filler.parent().unwrap()).unwrap() > leave + chunk.len() as u64
    {
        if f.write_all(&chunk).is_err() {
            break;
        }
    }
    f.sync_all().ok();
}

async fn health(c: &reqwest::Client, d: &Daemon) -> (u16, String) {
    get_text(c, &d.url("/healthz")).await
}

#[tokio::test]
async fn a_full_disk_refuses_writes_clearly_and_the_daemon_recovers_by_itself() {
    let fs = Tmpfs::mount("8m");
    let data = fs.path().to_path_buf();
    let mut cfg = test_config(&data);
    // The test fills the disk itself; the free-space floor would refuse first.
    cfg.storage.min_free_mib = 0;
    cfg.storage.warn_free_mib = 0;
    // The daemon's own temp dir holds nothing: its state is on the tmpfs.
    let d = start_daemon_with(cfg, tempdir()).await;
    let c = client();
    sign_up(&c, &d, "full@example.com").await;
    assert_eq!(health(&c, &d).await.0, 200);

    let filler = data.join("filler");
    fill(&filler, 1 << 20);
    // Support requests with a 200 KiB log each (text that does not compress) until the store
    // refuses one.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut log = String::new();
    while log.len() < 200 * 1024 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        log.push_str(&format!("{seed:016x}\n"));
    }
    let mut acknowledged = Vec::new();
    let mut refused = None;
    for i in 0..40 {
        let subject = format!("Request {i}");
        let csrf = csrf_of(&get_text(&c, &d.url("/support/new?category=other")).await.1);
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("category", "other")
            .text("subject", subject.clone())
            .text("body", "The disk fills up.")
            .part(
                "attachment",
                reqwest::multipart::Part::bytes(log.clone().into_bytes()).file_name("big.log"),
            );
        let r = c.post(d.url("/support")).multipart(form).send().await.unwrap();
        let status = r.status().as_u16();
        let to = location(&r);
        // Filed: to the request's page. Refused: back to the form, with the reason.
        if status == 303 && to.strip_prefix("/support/").is_some_and(|n| n.parse::<u64>().is_ok()) {
            acknowledged.push(subject);
            continue;
        }
        let page = if status == 303 { get_text(&c, &d.url(&to)).await.1 } else { r.text().await.unwrap() };
        refused = Some((status, page));
        break;
    }
    let (_, page) = refused.expect("the full disk never refused a write");
    assert!(!acknowledged.is_empty(), "some writes went through before the disk was full");
    assert!(page.contains("STO0008") && page.contains("cannot save changes"), "{page}");
    // Health says so (the probe runs on the request).
    let (code, text) = health(&c, &d).await;
    assert_eq!(code, 503, "{text}");
    assert!(text.contains("STO0008"), "{text}");
    // Still refused while the disk is full.
    let (code, _) = health(&c, &d).await;
    assert_eq!(code, 503);

    // Space freed: writes work again without a restart.
    std::fs::remove_file(&filler).unwrap();
    let mut up = false;
    for _ in 0..100 {
        if health(&c, &d).await.0 == 200 {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the daemon did not take writes again: {}", health(&c, &d).await.1);
    let csrf = csrf_of(&get_text(&c, &d.url("/support/new?category=other")).await.1);
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("category", "other")
        .text("subject", "After the disk was freed")
        .text("body", "Works again.");
    let r = c.post(d.url("/support")).multipart(form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert!(location(&r).starts_with("/support/"), "{}", location(&r));
    // Every acknowledged request is there, and the one filed after.
    let (_, list) = get_text(&c, &d.url("/support")).await;
    for s in acknowledged.iter().map(String::as_str).chain(["After the disk was freed"]) {
        assert!(list.contains(&format!(">{s}<")), "{s} is missing: {list}");
    }
    // The admins are told what happened.
    let notices = d
        .svc()
        .notices
        .inbox(&vpsbox::service::Caller::admin(vpsbox::domain::account::UserId(u64::MAX), "t"))
        .unwrap();
    assert!(notices.notices.iter().any(|(n, _)| n.kind == "store.recovered"), "{:?}", notices.notices);
    d.stop().await;
}
