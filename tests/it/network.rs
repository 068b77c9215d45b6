//! Networks: IP pools from the CLI (directly on the state file and through the running daemon).
//! Pools use documentation ranges as data only; no packet is sent to them.

use crate::common::*;

fn ip_pool(cfg: &std::path::Path, data: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["ip-pool"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--config", cfg.to_str().unwrap(), "--data-dir", data.to_str().unwrap()]);
    let out = run_bin(&all, None);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[tokio::test]
async fn ip_pool_commands_on_the_file_and_through_the_daemon() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let data = dir.path();
    let (ok, out, err) = ip_pool(
        &cfg,
        data,
        &[
            "add",
            "public-v4",
            "--network",
            "192.0.2.0/24",
            "--gateway",
            "192.0.2.1",
            "--range",
            "192.0.2.10-192.0.2.250",
            "--exclude",
            "192.0.2.20",
            "--exclude",
            "192.0.2.30-192.0.2.39",
            "--dns",
            "192.0.2.53, 198.51.100.53",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "added IP pool public-v4 (192.0.2.0/24, 230 addresses)");

    // Refusals carry their codes.
    for (args, code, words) in [
        (
            vec!["add", "x", "--network", "192.0.2.128/25", "--gateway", "192.0.2.129"],
            "IPM0004",
            "overlaps pool public-v4",
        ),
        (
            vec!["add", "x", "--network", "198.51.100.0/24", "--gateway", "203.0.113.1"],
            "IPM0003",
            "gateway 203.0.113.1",
        ),
        (
            vec!["add", "x", "--network", "198.51.100.1/24", "--gateway", "198.51.100.1"],
            "IPM0003",
            "host bits",
        ),
        (
            vec![
                "add",
                "x",
                "--network",
                "198.51.100.0/24",
                "--gateway",
                "198.51.100.1",
                "--range",
                "198.51.100.9-198.51.100.2",
            ],
            "IPM0003",
            "reversed",
        ),
        (
            vec!["add", "x", "--network", "2001:db8::/32", "--gateway", "fe80::1", "--per-vm", "48"],
            "IPM0003",
            "--per-vm 48",
        ),
        (
            vec!["add", "public-v4", "--network", "203.0.113.0/24", "--gateway", "203.0.113.1"],
            "IPM0002",
            "exists already",
        ),
        (vec!["remove", "nope"], "IPM0005", "No such IP pool"),
    ] {
        let (ok, _, err) = ip_pool(&cfg, data, &args);
        assert!(!ok && err.contains(code) && err.contains(words), "{args:?}: {err}");
    }

    // With the daemon holding the state file, the same commands go through its socket.
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let (ok, out, err) =
        ip_pool(&cfg, data, &["add", "public-v6", "--network", "2001:db8:100::/48", "--gateway", "fe80::1"]);
    assert!(ok, "{err}");
    assert!(out.contains("65536 /64s"), "{out}");
    let (ok, out, _) = ip_pool(&cfg, data, &["list"]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[1].contains("public-v4")
            && lines[1].contains("230 addresses")
            && lines[1].contains("192.0.2.53,198.51.100.53"),
        "{out}"
    );
    assert!(lines[2].contains("public-v6") && lines[2].contains("2001:db8:100::/48"), "{out}");
    let (ok, out, err) = ip_pool(&cfg, data, &["remove", "public-v6"]);
    assert!(ok && out.contains("removed IP pool public-v6"), "{err}");
    let (_, out, _) = ip_pool(&cfg, data, &["list"]);
    assert!(!out.contains("public-v6"), "{out}");
    drop(p);
}

#[tokio::test]
async fn admin_pool_pages_add_show_and_remove() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    let r = submit(
        &admin,
        &d,
        "/admin/ip-pools",
        "/admin/ip-pools",
        &[
            ("name", "Public-V4"),
            ("network", "203.0.113.0/24"),
            ("gateway", "203.0.113.1"),
            ("range", "203.0.113.10-203.0.113.19"),
            ("exclude", "203.0.113.15\n203.0.113.18-203.0.113.19"),
            ("dns", "203.0.113.53"),
            ("per_vm", ""),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/ip-pools")).await;
    assert!(html.contains("Pool public-v4 added: 7 addresses to hand out."), "{html}");
    assert!(html.contains("<code>203.0.113.0/24</code>"), "{html}");

    // Bad input: the form comes back with the values and a coded message.
    let r = submit(
        &admin,
        &d,
        "/admin/ip-pools",
        "/admin/ip-pools",
        &[("name", "v6"), ("network", "2001:db8::/32"), ("gateway", "192.0.2.1"), ("dns", "")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("IPM0003") && html.contains("value=\"2001:db8::/32\""), "{html}");

    // An address in use shows on the pool's page and keeps the pool from being removed.
    let owner = d.accounts().user_by_email("root@example.com").unwrap().id;
    let lease = d.svc().ipam.allocate("public-v4", owner, None).await.unwrap();
    assert_eq!(lease.address.0.to_string(), "203.0.113.10");
    let id = d.svc().ipam.pool("public-v4").unwrap().id;
    let (status, html) = get_text(&admin, &d.url(&format!("/admin/ip-pools/{id}"))).await;
    assert_eq!(status, 200);
    assert!(html.contains("203.0.113.10/24") && html.contains("unattached"), "{html}");
    let r = submit(&admin, &d, "/admin/ip-pools", &format!("/admin/ip-pools/{id}/remove"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/ip-pools")).await;
    assert!(html.contains("IPM0006"), "{html}");
    d.svc().ipam.release("public-v4", lease.address.0).await.unwrap();
    let r = submit(&admin, &d, "/admin/ip-pools", &format!("/admin/ip-pools/{id}/remove"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/ip-pools")).await;
    assert!(html.contains("Pool public-v4 removed."), "{html}");

    // Customers are refused the admin pages.
    let c = client();
    sign_up(&c, &d, "cust@example.com").await;
    assert_eq!(get_text(&c, &d.url("/admin/ip-pools")).await.0, 403);
    assert_eq!(get_text(&c, &d.url(&format!("/admin/ip-pools/{id}"))).await.0, 403);
    d.stop().await;
}

/// A network namespace made for one test, removed on drop. Everything the test does to
/// interfaces happens inside it.
struct Netns(String);

impl Netns {
    fn new() -> Netns {
        let name = format!("vpsbox-t{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        assert!(std::process::Command::new("ip").args(["netns", "add", &name]).status().unwrap().success());
        Netns(name)
    }

    fn run(&self, cmd: &str) {
        let ok = std::process::Command::new("ip")
            .args(["netns", "exec", &self.0, "sh", "-c", cmd])
            .status()
            .unwrap()
            .success();
        assert!(ok, "{cmd}");
    }

    /// `vpsbox doctor` inside the namespace: (exit ok, stdout).
    fn doctor(&self, cfg: &std::path::Path) -> (bool, String) {
        let out = std::process::Command::new("ip")
            .args(["netns", "exec", &self.0, env!("CARGO_BIN_EXE_vpsbox"), "doctor", "--config"])
            .arg(cfg)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).to_string())
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

#[test]
fn doctor_checks_the_public_bridge_and_says_what_to_fix() {
    let dir = tempdir();
    let cfg = dir.path().join("vpsbox.toml");
    let write = |bridge: &str| {
        std::fs::write(
            &cfg,
            format!("[libvirt]\nuri = \"test:///default\"\n[network]\npublic_bridge = \"{bridge}\"\n"),
        )
        .unwrap()
    };
    let ns = Netns::new();
    write("br0");
    let (ok, out) = ns.doctor(&cfg);
    assert!(!ok && out.contains("[FAIL] bridge br0 does not exist") && out.contains("bridge_ports"), "{out}");
    assert!(out.contains("[  ok] libvirt") && out.contains("test:///default"), "{out}");

    ns.run("ip link add br0 type bridge && ip link add eth9 type veth peer name eth9p");
    let (ok, out) = ns.doctor(&cfg);
    assert!(!ok && out.contains("[FAIL] br0 is down") && out.contains("fix: ip link set br0 up"), "{out}");

    ns.run("ip link set br0 up");
    let (ok, out) = ns.doctor(&cfg);
    assert!(ok && out.contains("[warn] br0 has no uplink port"), "{out}");

    ns.run("ip link set eth9 master br0 && ip link set eth9 up");
    let (ok, out) = ns.doctor(&cfg);
    assert!(ok && out.contains("[  ok] br0 uplink: eth9") && out.contains("0 failed"), "{out}");

    write("eth9");
    let (ok, out) = ns.doctor(&cfg);
    assert!(!ok && out.contains("eth9 exists but is not a bridge"), "{out}");

    // With a public libvirt network instead of a bridge, doctor checks that network.
    std::fs::write(
        &cfg,
        "[libvirt]\nuri = \"test:///default\"\n[network]\npublic_network = \"vpsbox-public\"\n",
    )
    .unwrap();
    let (ok, out) = ns.doctor(&cfg);
    assert!(!ok && out.contains("[FAIL] libvirt network vpsbox-public does not exist"), "{out}");
    assert!(out.contains("it creates the network") && !out.contains("bridge br0"), "{out}");
}

#[tokio::test]
async fn customers_add_and_remove_extra_ipv4_from_the_vm_page() {
    let d = start_daemon().await;
    let (plan, template) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "ips@example.com").await;
    let vm = crate::common::order(&c, &d, "ips", plan, template).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;

    let r = submit(&c, &d, &vm, &format!("{vm}/ips"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("198.51.100.3 added.") && html.contains("<code>198.51.100.3/24</code>"), "{html}");
    assert!(html.contains("Remove 198.51.100.3"), "{html}");

    // Another customer gets 404 on both routes and changes nothing.
    let other = client();
    sign_up(&other, &d, "other@example.com").await;
    let (_, page) = get_text(&other, &d.url("/dashboard")).await;
    let csrf = csrf_of(&page);
    for path in [format!("{vm}/ips"), format!("{vm}/ips/remove")] {
        let r = other
            .post(d.url(&path))
            .form(&[("csrf", csrf.as_str()), ("address", "198.51.100.3")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }

    let r = submit(&c, &d, &vm, &format!("{vm}/ips/remove"), &[("address", "198.51.100.3")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(
        html.contains("198.51.100.3 removed.") && !html.contains("<code>198.51.100.3/24</code>"),
        "{html}"
    );
    // The plan's own address stays: removing it is refused with a code.
    let r = submit(&c, &d, &vm, &format!("{vm}/ips/remove"), &[("address", "198.51.100.2")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("VM0011") && html.contains("<code>198.51.100.2/24</code>"), "{html}");
    d.stop().await;
}

#[tokio::test]
async fn reverse_dns_set_on_the_vm_page_and_exported_as_zone_lines() {
    let d = start_daemon().await;
    let (plan, template) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "ptr@example.com").await;
    let vm = crate::common::order(&c, &d, "mail", plan, template).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;

    let set = |ptr: &'static str| {
        let (c, d, vm) = (c.clone(), &d, vm.clone());
        async move {
            let r =
                submit(&c, d, &vm, &format!("{vm}/rdns"), &[("address", "198.51.100.2"), ("ptr", ptr)]).await;
            assert_eq!(r.status().as_u16(), 303);
            get_text(&c, &d.url(&vm)).await.1
        }
    };
    let html = set("Mail.Example.COM.").await;
    assert!(html.contains("Reverse DNS of 198.51.100.2 set to mail.example.com."), "{html}");
    assert!(html.contains("value=\"mail.example.com\""), "{html}");
    let html = set("not a name").await;
    assert!(html.contains("IPM0010"), "{html}");

    // An address this VM does not hold is refused with a code; another customer gets 404.
    let r =
        submit(&c, &d, &vm, &format!("{vm}/rdns"), &[("address", "198.51.100.9"), ("ptr", "x.example.com")])
            .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(get_text(&c, &d.url(&vm)).await.1.contains("VM0009"));
    let other = client();
    sign_up(&other, &d, "intruder@example.com").await;
    let csrf = csrf_of(&get_text(&other, &d.url("/dashboard")).await.1);
    let r = other
        .post(d.url(&format!("{vm}/rdns")))
        .form(&[("csrf", csrf.as_str()), ("address", "198.51.100.2"), ("ptr", "evil.example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);

    let reply = vpsbox::control::execute(d.svc(), vpsbox::control::Command::RdnsExport).await;
    let vpsbox::control::Reply::Rdns(rows) = reply else { panic!("{reply:?}") };
    let zone: String = rows.iter().map(|r| format!("{} 3600 IN PTR {}.\n", r.reverse, r.name)).collect();
    assert!(zone.contains("2.100.51.198.in-addr.arpa. 3600 IN PTR mail.example.com.\n"), "{zone}");
    assert!(!zone.contains("evil"), "{zone}");
    d.stop().await;
}

#[tokio::test]
async fn admin_moves_an_address_from_the_pool_page() {
    let d = start_daemon().await;
    let (plan, template) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "two@example.com").await;
    let first = crate::common::order(&c, &d, "first", plan, template).await;
    crate::common::wait_page(&c, &d, &first, "badge running").await;
    let second = crate::common::order(&c, &d, "second", plan, template).await;
    crate::common::wait_page(&c, &d, &second, "badge running").await;
    let second_id = second.rsplit('/').next().unwrap().to_string();

    let admin = admin_client(&d).await;
    let pool = d.svc().ipam.pool("public-v4").unwrap().id;
    let page = format!("/admin/ip-pools/{pool}");
    let (_, html) = get_text(&admin, &d.url(&page)).await;
    assert!(html.contains("198.51.100.2/24") && html.contains("198.51.100.3/24"), "{html}");
    let r =
        submit(&admin, &d, &page, &format!("{page}/move"), &[("address", "198.51.100.2"), ("vm", "x")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(get_text(&admin, &d.url(&page)).await.1.contains("WEB0400"));
    let r = submit(
        &admin,
        &d,
        &page,
        &format!("{page}/move"),
        &[("address", "198.51.100.2"), ("vm", &second_id)],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(
        get_text(&admin, &d.url(&page)).await.1.contains(&format!("198.51.100.2 moved to VM {second_id}."))
    );
    let (_, html) = get_text(&c, &d.url(&second)).await;
    assert!(
        html.contains("<code>198.51.100.2/24</code>") && html.contains("<code>198.51.100.3/24</code>"),
        "{html}"
    );
    d.stop().await;
}

#[tokio::test]
async fn traffic_is_sampled_and_shown_per_day() {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    // The test driver does not look for the bridge; its interface counters are synthetic.
    cfg.network.public_bridge = "vpsbx-none".into();
    let d = start_daemon_with(cfg, dir).await;
    let (plan, template) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "bytes@example.com").await;
    let vm = crate::common::order(&c, &d, "bytes", plan, template).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains(": in 0 B, out 0 B</p>"), "nothing sampled yet: {html}");

    vpsbox::jobs::traffic::sample_once(&d.svc().vms, &d.svc().traffic).await;
    let id = vpsbox::domain::vm::VmId(vm.rsplit('/').next().unwrap().parse().unwrap());
    let (total_in, total_out) = d.svc().traffic.this_month(id).unwrap().total();
    assert!(total_in > 0 && total_out > 0, "counters booked: {total_in} {total_out}");
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("<svg class=\"chart\"") && html.contains("Traffic per day in"), "{html}");
    assert!(!html.contains(": in 0 B, out 0 B</p>"), "{html}");

    // Powering off through vpsbox books the bytes since the last sample first.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let r = submit(&c, &d, &vm, &format!("{vm}/power"), &[("action", "force-off")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (after_in, _) = d.svc().traffic.this_month(id).unwrap().total();
    assert!(after_in > total_in, "booked at power-off: {after_in} > {total_in}");
    d.stop().await;
}
