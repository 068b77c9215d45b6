//! OS templates through the CLI (direct and through the daemon) and the admin pages.

use crate::support::*;

fn args<'a>(cfg: &'a str, data: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["template"];
    v.extend_from_slice(rest);
    v.extend_from_slice(&["--config", cfg, "--data-dir", data]);
    v
}

#[tokio::test]
async fn cli_imports_lists_and_deletes_with_and_without_daemon() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let (c, d) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let src_dir = tempdir();
    let img = qcow2_image(src_dir.path(), "deb.qcow2", "1G");
    let img = img.to_str().unwrap();

    // No daemon: the CLI opens the state file itself.
    let out = run_bin(&args(&c, &d, &["import", "debian-12", img, "--os", "linux"]), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        text.contains("imported template debian-12 (linux, qcow2, 1.0 GiB virtual, min disk 1 GiB"),
        "{text}"
    );

    let junk = src_dir.path().join("junk.img");
    std::fs::write(&junk, "not an image").unwrap();
    let out = run_bin(&args(&c, &d, &["import", "junk", junk.to_str().unwrap()]), None);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("IMG0003"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // With the daemon running, the same commands go through its control socket.
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let out = run_bin(&args(&c, &d, &["import", "alpine", img, "--min-disk-gb", "3"]), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run_bin(&args(&c, &d, &["import", "alpine", img]), None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("TPL0002"));
    let out = run_bin(&args(&c, &d, &["disable", "alpine"]), None);
    assert!(out.status.success());
    let out = run_bin(&args(&c, &d, &["list"]), None);
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(list.contains("debian-12") && list.contains("alpine") && list.contains("disabled"), "{list}");
    let out = run_bin(&args(&c, &d, &["delete", "debian-12"]), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    drop(p);

    // Only alpine's image is left, and no staging leftovers.
    let files: Vec<String> = std::fs::read_dir(dir.path().join("templates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("tpl-") && files[0].ends_with(".qcow2"));
}

#[tokio::test]
async fn admin_page_imports_disables_and_deletes() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    let src = tempdir();
    let img = qcow2_image(src.path(), "a.qcow2", "64M");
    let r = submit(
        &admin,
        &d,
        "/admin/templates",
        "/admin/templates",
        &[("name", "Alpine-3"), ("path", img.to_str().unwrap()), ("os", "linux"), ("min_disk_gb", "")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/templates")).await;
    assert!(
        html.contains("Template alpine-3 imported") && html.contains("<strong>alpine-3</strong>"),
        "{html}"
    );
    let sha = d.svc().templates.by_name("alpine-3").unwrap().sha256;
    assert!(html.contains(&sha[..12]));

    let r = submit(
        &admin,
        &d,
        "/admin/templates",
        "/admin/templates",
        &[("name", "x"), ("path", "/nonexistent"), ("os", "linux")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("IMG0001"));

    let id = d.svc().templates.by_name("alpine-3").unwrap().id;
    let r = submit(
        &admin,
        &d,
        "/admin/templates",
        &format!("/admin/templates/{id}/status"),
        &[("enabled", "false")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(!d.svc().templates.get(id).unwrap().enabled);
    let r = submit(&admin, &d, "/admin/templates", &format!("/admin/templates/{id}/delete"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(d.svc().templates.list().unwrap().is_empty());

    let cust = client();
    sign_up(&cust, &d, "c@example.com").await;
    assert_eq!(get_text(&cust, &d.url("/admin/templates")).await.0, 403);
    d.stop().await;
}
