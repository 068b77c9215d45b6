//! OS templates through the CLI (direct and through the daemon) and the admin pages.

use crate::common::*;
use vpsbox::service::Caller;

fn args<'a>(cfg: &'a str, data: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    cli_args("template", cfg, data, rest)
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
        &[
            ("name", "Alpine-3"),
            ("path", img.to_str().unwrap()),
            ("os", "linux"),
            ("min_disk_gb", ""),
            ("login_user", "alpine"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/templates")).await;
    assert!(
        html.contains("Template alpine-3 imported") && html.contains("<strong>alpine-3</strong>"),
        "{html}"
    );
    assert!(html.contains("<td>root, <code>alpine</code></td>"), "the login user is listed: {html}");
    let r = submit(
        &admin,
        &d,
        "/admin/templates",
        "/admin/templates",
        &[("name", "bad"), ("path", img.to_str().unwrap()), ("os", "linux"), ("login_user", "Root Admin")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("TPL0008"));
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

/// The shapes the published cloud images come in, made from the real Debian template: Debian's
/// and Alma/Rocky's genericcloud qcow2 (compat 1.1; zlib or zstd compressed clusters), Ubuntu's
/// `.img` (qcow2 compat 0.10, compressed) and a raw disk. `vpsbox template import` takes each as
/// it is, with the image's login user, and a VM's disk is made from each.
#[tokio::test]
async fn cloud_image_shapes_import_as_they_are() {
    let debian = crate::guest::debian_template();
    let src = tempdir();
    let shape = |name: &str, args: &[&str]| {
        let out = src.path().join(name);
        let st = std::process::Command::new("qemu-img")
            .args(["convert", "-W", "-m", "4"])
            .args(args)
            .arg(&debian)
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success(), "qemu-img convert to {name}");
        out
    };
    let images = [
        ("debian-12", "debian", shape("debian-12-genericcloud-amd64.qcow2", &["-O", "qcow2", "-c"])),
        (
            "ubuntu-24.04",
            "ubuntu",
            shape("noble-server-cloudimg-amd64.img", &["-O", "qcow2", "-c", "-o", "compat=0.10"]),
        ),
        (
            "almalinux-9",
            "almalinux",
            shape(
                "AlmaLinux-9-GenericCloud-latest.x86_64.qcow2",
                &["-O", "qcow2", "-c", "-o", "compression_type=zstd"],
            ),
        ),
        ("raw-disk", "root", shape("disk.raw", &["-O", "raw"])),
    ];

    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let (c, d) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    for (name, user, file) in &images {
        let out =
            run_bin(&args(&c, &d, &["import", name, file.to_str().unwrap(), "--login-user", user]), None);
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {text}");
        let login =
            if *user == "root" { "login root,".to_string() } else { format!("login root and {user},") };
        assert!(
            text.contains(&format!("imported template {name} (linux, ")) && text.contains(&login),
            "{text}"
        );
    }
    let out = run_bin(
        &args(&c, &d, &["import", "bad-user", images[0].2.to_str().unwrap(), "--login-user", "Debian!"]),
        None,
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("TPL0008"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Each becomes a VM's disk (an overlay on the template, on the test driver).
    let d = start_daemon_with(test_config(dir.path()), dir).await;
    let spec = vpsbox::domain::catalog::PlanSpec { vcpus: 1, memory_mib: 512, disk_gb: 2, ipv4: 0 };
    let plan = vpsbox::service::plans::NewPlan {
        name: "s-1".into(),
        spec,
        monthly_price: vpsbox::domain::money::Money(500),
        hourly_price: vpsbox::domain::money::Money(1),
    };
    let plan = d.svc().plans.create(plan).await.unwrap();
    let cl = client();
    sign_up(&cl, &d, "images@example.com").await;
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop";
    let r = submit(&cl, &d, "/account/keys", "/account/keys", &[("name", "laptop"), ("key", key)]).await;
    assert_eq!(r.status().as_u16(), 303);
    for t in d.svc().templates.list().unwrap() {
        let vm =
            crate::common::order(&cl, &d, &format!("from-{}", t.name.replace('.', "-")), plan.id.0, t.id.0)
                .await;
        crate::common::wait_page(&cl, &d, &vm, "badge running").await;
        let id = vpsbox::domain::vm::VmId(vm.trim_start_matches("/vms/").parse().unwrap());
        let rec = d.svc().vms.get(&Caller::system(), id).unwrap();
        let disk = d.svc().vms.paths().disk(&rec.uuid);
        let info = std::process::Command::new("qemu-img")
            .args(["info", "--output=json", "-U"])
            .arg(&disk)
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&info.stdout).to_string();
        assert!(
            info.contains("\"virtual-size\": 2147483648") && info.contains("backing-filename"),
            "{}: {info}",
            t.name
        );
        let seed =
            vpsbox::host::seed::read_document(&d.svc().vms.paths().seed(&rec.uuid), "user-data").unwrap();
        match &t.login_user {
            Some(u) => assert!(
                seed.contains(&format!("  - name: \"{u}\"\n    shell: \"/bin/bash\"")),
                "{}: {seed}",
                t.name
            ),
            None => assert_eq!(t.name, "raw-disk", "root as the login user is root only"),
        }
        assert_eq!(seed.matches("me@laptop").count(), if t.login_user.is_some() { 2 } else { 1 }, "{seed}");
        crate::console::delete_vm(&d, id.0).await;
    }
    d.stop().await;
}
