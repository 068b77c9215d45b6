//! Several vpsbox installations, and things nobody here made, on one real libvirtd: each
//! daemon changes only what carries its own installation's mark. Two daemons with running VMs
//! restart and reconcile over and over beside each other; a third on an empty state and a
//! domain defined by hand are left alone and listed; a domain pulled from under a daemon comes
//! back running as a platform fault.

use std::process::Command;
use std::time::Duration;

use crate::common::order;
use crate::common::*;

const CONFIG: &str =
    "[libvirt]\nuri = \"qemu:///system\"\ndomain_type = \"qemu\"\nreconcile_interval_secs = 1\n";

fn virsh(args: &[&str]) -> (bool, String) {
    let out = Command::new("virsh").args(["-c", "qemu:///system"]).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn domstate(uuid: &str) -> String {
    virsh(&["domstate", uuid]).1.trim().to_string()
}

fn uuid_of(html: &str) -> String {
    html.split("UUID</th><td><code>").nth(1).unwrap().split('<').next().unwrap().to_string()
}

/// The admin password the daemon printed when it made its state, and a client logged in with it.
async fn admin_of(p: &DaemonProcess, log: &str) -> reqwest::Client {
    let pw = log.split("with password ").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let c = client();
    assert_eq!(log_in(&c, p, "admin@localhost", &pw).await.status().as_u16(), 303);
    c
}

async fn running_vm(c: &reqwest::Client, p: &DaemonProcess, hostname: &str) -> (String, String) {
    let vm = order(c, p, hostname, 1, 1).await;
    for _ in 0..600 {
        let (_, html) = get_text(c, &p.url(&vm)).await;
        if html.contains("badge running") && !html.contains("In progress") {
            return (vm, uuid_of(&html));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{vm} never ran: {}", p.log_text());
}

async fn delete_vm(c: &reqwest::Client, p: &DaemonProcess, vm: &str, hostname: &str) {
    let r = submit(c, p, vm, &format!("{vm}/delete"), &[("confirm", hostname)]).await;
    assert_eq!(r.status().as_u16(), 303);
    for _ in 0..600 {
        if get_text(c, &p.url(vm)).await.0 == 404 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{vm} was not deleted: {}", p.log_text());
}

#[tokio::test]
async fn installations_on_one_libvirtd_leave_each_other_alone() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    // Declared first, so dropped last: after the daemons are gone (one still running would
    // start its VM again).
    let mut made: Vec<DomainGuard> = Vec::new();
    let (dir_a, dir_b, dir_c) = (tempdir(), tempdir(), tempdir());
    let (mut a, cfg_a) = qemu_process_with_plan(dir_a.path(), CONFIG).await;
    let (mut b, cfg_b) = qemu_process_with_plan(dir_b.path(), CONFIG).await;
    let (ca, cb) = (client(), client());
    sign_up(&ca, &a, "a@example.com").await;
    sign_up(&cb, &b, "b@example.com").await;
    let (vm_a, uuid_a) = running_vm(&ca, &a, "alpha").await;
    made.push(DomainGuard(uuid_a.clone()));
    let (vm_b, uuid_b) = running_vm(&cb, &b, "beta").await;
    made.push(DomainGuard(uuid_b.clone()));
    assert_ne!(uuid_a, uuid_b);

    // A domain with our prefix that nobody's state knows, defined by hand.
    let hand = uuid::Uuid::new_v4();
    let hand_name = format!("vpsbox-{hand}");
    let xml = dir_c.path().join("hand.xml");
    std::fs::write(
        &xml,
        format!(
            "<domain type='qemu'><name>{hand_name}</name><uuid>{hand}</uuid><memory unit='MiB'>64</memory>\
             <os><type arch='x86_64'>hvm</type></os></domain>"
        ),
    )
    .unwrap();
    assert!(virsh(&["define", xml.to_str().unwrap()]).0);
    made.push(DomainGuard(hand.to_string()));

    // Each restarts and reconciles (every second) several times; both keep running.
    for round in 0..3 {
        drop(a);
        a = DaemonProcess::spawn(dir_a.path(), &cfg_a);
        tokio::time::sleep(Duration::from_millis(2500)).await;
        drop(b);
        b = DaemonProcess::spawn(dir_b.path(), &cfg_b);
        tokio::time::sleep(Duration::from_millis(2500)).await;
        for uuid in [&uuid_a, &uuid_b] {
            assert_eq!(
                domstate(uuid),
                "running",
                "round {round}: {uuid}\nA: {}\nB: {}",
                a.log_text(),
                b.log_text()
            );
        }
        assert!(virsh(&["dominfo", &hand_name]).0, "round {round}: the hand-made domain is still there");
    }
    for p in [&a, &b] {
        let log = p.log_text();
        assert!(!log.contains("removing"), "{log}");
    }

    // A third daemon on an empty state: it leaves both alone and lists them with the
    // hand-made one.
    let cfg_c = dir_c.path().join("vpsbox.toml");
    std::fs::write(&cfg_c, CONFIG).unwrap();
    let c = DaemonProcess::spawn(dir_c.path(), &cfg_c);
    let admin_c = admin_of(&c, &c.log_text()).await;
    let listed = |html: &str| {
        [&uuid_a, &uuid_b, &hand.to_string()].iter().all(|u| html.contains(&format!("vpsbox-{u}")))
    };
    let mut page = String::new();
    for _ in 0..100 {
        page = get_text(&admin_c, &c.url("/admin/unmanaged")).await.1;
        if listed(&page) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(listed(&page), "{page}");
    assert!(page.contains("belongs to another vpsbox installation"), "{page}");
    assert!(page.contains("carries no vpsbox installation"), "{page}");
    assert!(page.contains("<td title=\"domain\">virtual machine</td>"), "kinds in words: {page}");
    assert!(page.contains(&format!("{uuid_a}.qcow2")), "disk paths are listed: {page}");
    // (Other tests' domains on the same libvirtd may be listed too.)
    let overview = get_text(&admin_c, &c.url("/admin")).await.1;
    let badge =
        overview.split(" unmanaged resources").next().and_then(|b| b.rsplit('>').next()).unwrap_or("");
    assert!(badge.trim().parse::<usize>().is_ok_and(|n| n >= 3), "{badge}: {overview}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    for uuid in [&uuid_a, &uuid_b] {
        assert_eq!(domstate(uuid), "running", "the empty state touched {uuid}: {}", c.log_text());
    }
    drop(c);

    // A's domain pulled from under it (undefined, then destroyed, so it is gone at once and the
    // daemon never sees a stopped domain it could read a stop reason from): back, running,
    // counted as a platform fault on its availability.
    let _ = virsh(&["undefine", &uuid_a]);
    assert!(virsh(&["destroy", &uuid_a]).0);
    for _ in 0..900 {
        if domstate(&uuid_a) == "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(domstate(&uuid_a), "running", "A's VM did not run again:\n{}", a.log_text());
    let mut html = String::new();
    for _ in 0..100 {
        html = get_text(&ca, &a.url(&vm_a)).await.1;
        if html.contains("virtualization platform fault") && html.contains("badge running") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        html.contains("virtualization platform fault") && html.contains("badge running"),
        "{html}\n{}",
        a.log_text()
    );
    assert!(
        virsh(&["dumpxml", "--inactive", &uuid_a]).1.contains("urn:x-vpsbox:domain:1"),
        "defined again, with the mark"
    );
    assert_eq!(domstate(&uuid_b), "running");

    delete_vm(&ca, &a, &vm_a, "alpha").await;
    delete_vm(&cb, &b, &vm_b, "beta").await;
    assert!(virsh(&["undefine", &hand_name]).0);
    for uuid in [&uuid_a, &uuid_b] {
        assert!(!virsh(&["dominfo", uuid]).0, "{uuid} went with its VM");
    }
}

/// The test harness's own cleanup keeps the rule: what a failed test's daemon left on the
/// system libvirtd goes, and only what carries that installation's mark.
#[tokio::test]
async fn a_failed_tests_leftovers_go_and_nothing_else() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let dir = tempdir();
    let (ours, theirs) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let ns = vpsbox::domain::vm::DomainOwner::NAMESPACE;
    let define = |installation: Option<&str>| {
        let uuid = uuid::Uuid::new_v4();
        let metadata = installation.map_or(String::new(), |i| {
            format!("<metadata><vpsbox:vm xmlns:vpsbox='{ns}' installation='{i}' id='1'/></metadata>")
        });
        let xml = dir.path().join(format!("{uuid}.xml"));
        std::fs::write(
            &xml,
            format!(
                "<domain type='qemu'><name>vpsbox-{uuid}</name><uuid>{uuid}</uuid>{metadata}\
                 <memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>"
            ),
        )
        .unwrap();
        assert!(virsh(&["define", xml.to_str().unwrap()]).0);
        uuid.to_string()
    };
    let (mine, another, unmarked) = (define(Some(&ours)), define(Some(&theirs)), define(None));
    let _cleanup = [DomainGuard(mine.clone()), DomainGuard(another.clone()), DomainGuard(unmarked.clone())];

    // A guard disarmed (the installation starts again on its state) leaves everything.
    InstallationGuard::new(ours.clone()).disarm();
    assert!(virsh(&["dominfo", &mine]).0, "kept while the installation goes on");
    drop(InstallationGuard::new(ours));
    assert!(!virsh(&["dominfo", &mine]).0, "the installation's leftover went");
    assert!(virsh(&["dominfo", &another]).0, "another installation's domain stays");
    assert!(virsh(&["dominfo", &unmarked]).0, "a domain without a mark stays");
}
