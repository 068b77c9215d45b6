//! A real guest end to end: the Debian 12 template built from Debian packages
//! (`scripts/build-debian-template.sh`: cloud kernel, systemd, cloud-init 22.4.2, ifupdown
//! without resolvconf or net-tools, openssh-server) ordered through the cabinet with a key and
//! a root password, on the real libvirtd with QEMU (TCG). Every check runs inside the guest,
//! typed into the cabinet's serial console: root logs in with the password, the default routes
//! of both families go via the pool's gateways, resolvers, FQDN, keys, sshd taking root's
//! password (on the guest's own loopback), no router advertisements, cloud-init without errors.
//! Then an address added on the VM page arrives with a reboot (host keys unchanged), a
//! reinstall passes the same checks, the guest agent sets a new root password, and the real
//! rescue image (`scripts/build-rescue-image.sh`) boots with the server's disk attached and its
//! one-time password. The bridge has no uplink: nothing leaves the host.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use vpsbox::service::Caller;

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use vpsbox::domain::catalog::PlanSpec;
use vpsbox::domain::money::Money;
use vpsbox::service::plans::NewPlan;
use vpsbox::service::templates::ImportRequest;

use crate::common::wait_page;
use crate::common::*;
use crate::console::{Ws, session_of, ticket_of, ws_connect};
use crate::e2e::TestBridge;

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop";
const ROOT_PW: &str = "Guest-root-pass-42";
const HOST: &str = "deb-guest.example.com";

/// The cached Debian template (built by `make test`, or here when missing).
pub fn debian_template() -> PathBuf {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Path::new(root).join("target/debian-template");
    let img = out.join("debian-12.qcow2");
    if !img.exists() {
        let st = Command::new(Path::new(root).join("scripts/build-debian-template.sh"))
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success(), "building the Debian template");
    }
    img
}

/// The cached rescue image (built by `make test`, or here when missing).
pub fn rescue_image() -> PathBuf {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Path::new(root).join("target/rescue-image");
    let img = out.join("vpsbox-rescue.qcow2");
    if !img.exists() {
        let st =
            Command::new(Path::new(root).join("scripts/build-rescue-image.sh")).arg(&out).status().unwrap();
        assert!(st.success(), "building the rescue image");
    }
    img
}

/// The guest's serial console through the cabinet, as a terminal: bytes in, text out.
struct Serial {
    ws: Ws,
    seen: String,
    /// The domain's UUID and libvirt's log of its serial port, for a failure's report.
    uuid: String,
    log: PathBuf,
}

impl Serial {
    async fn open(d: &Daemon, cookie: &str, c: &reqwest::Client, vm: &str) -> Serial {
        let (ws_path, ticket) = ticket_of(c, d, &format!("{vm}/serial")).await;
        let origin = format!("https://{}", d.addr());
        let ws =
            ws_connect(d, &format!("{ws_path}?ticket={ticket}"), Some(cookie), Some(&origin)).await.unwrap();
        let id = vpsbox::domain::vm::VmId(vm.trim_start_matches("/vms/").parse().unwrap());
        let uuid = d.svc().vms.get(&Caller::system(), id).unwrap().uuid.to_string();
        let log = d.dir_path().join("logs").join(format!("{uuid}-serial.log"));
        Serial { ws, seen: String::new(), uuid, log }
    }

    /// What the guest printed last (libvirt's log of the port) and how its domain is, to tell
    /// a stalled guest from a stalled console when a wait runs out.
    fn report(&self) -> String {
        let log = std::fs::read(&self.log)
            .map(|b| String::from_utf8_lossy(&b).replace('\r', ""))
            .unwrap_or_default();
        let tail: String = log.chars().rev().take(1500).collect::<Vec<_>>().into_iter().rev().collect();
        let info = Command::new("virsh")
            .args(["-c", "qemu:///system", "dominfo", &self.uuid])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        format!("libvirt's serial log ({} bytes) ends:\n{tail}\n--- virsh dominfo:\n{info}", log.len())
    }

    async fn send(&mut self, text: &str) {
        self.ws.send(Message::Binary(text.as_bytes().to_vec().into())).await.unwrap();
    }

    /// Read until `needle` appears in what arrived after the last wait; returns that text.
    async fn wait(&mut self, needle: &str, secs: u64) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(at) = self.seen.find(needle) {
                let upto = at + needle.len();
                let text = self.seen[..upto].to_string();
                self.seen.drain(..upto);
                return text;
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.ws.next()).await {
                Ok(Some(Ok(Message::Binary(b)))) => {
                    self.seen.push_str(&String::from_utf8_lossy(&b).replace('\r', ""))
                }
                Ok(Some(Ok(_))) => {}
                other => panic!(
                    "serial console: waiting for {needle:?}: {other:?}; got:\n{}\n--- {}",
                    self.seen,
                    self.report()
                ),
            }
        }
    }

    /// Log in as root with the password at the login prompt (waiting for the boot to end).
    async fn log_in(&mut self) {
        self.log_in_with(ROOT_PW).await;
    }

    /// [`Serial::log_in`] with `password`.
    async fn log_in_with(&mut self, password: &str) {
        // Wake the prompt up in case it was printed before we connected.
        for _ in 0..60 {
            self.send("\n").await;
            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            let mut got = false;
            while tokio::time::Instant::now() < deadline {
                if self.seen.contains("login: ") {
                    got = true;
                    break;
                }
                if let Ok(Some(Ok(Message::Binary(b)))) =
                    tokio::time::timeout(Duration::from_secs(1), self.ws.next()).await
                {
                    self.seen.push_str(&String::from_utf8_lossy(&b).replace('\r', ""));
                }
            }
            if got {
                break;
            }
        }
        self.wait("login: ", 5).await;
        self.send("root\n").await;
        self.wait("Password: ", 30).await;
        self.send(&format!("{password}\n")).await;
        // login discards what is typed before the shell runs: wait for root's prompt.
        self.wait(":~# ", 60).await;
        self.send("stty -echo; PS1='# '; export TERM=dumb SYSTEMD_PAGER= PAGER=cat\n").await;
        // A marker that the echoed command line cannot contain literally.
        self.send("echo LOGGED\"\"-IN\n").await;
        self.wait("LOGGED-IN", 60).await;
    }

    /// Run a shell command line in the guest; its output (stdout and stderr).
    async fn run(&mut self, cmd: &str) -> String {
        self.send(&format!("echo @@BEG\"\"IN@@; {cmd} 2>&1; echo @@E\"\"ND@@\n")).await;
        self.wait("@@BEGIN@@\n", 60).await;
        let out = self.wait("@@END@@", 120).await;
        // Messages the guest writes to its console meanwhile (`[   42.8] cloud-init[475]: …`,
        // seen when cloud-init finished while a command ran) are not the command's output.
        out.trim_end_matches("@@END@@")
            .lines()
            .filter(|l| !is_console_message(l))
            .map(|l| format!("{l}\n"))
            .collect()
    }
}

/// A kernel or journal line on the console: `[  <seconds>.<micros>] …`.
fn is_console_message(line: &str) -> bool {
    line.trim_start().strip_prefix('[').and_then(|r| r.split_once(']')).is_some_and(|(t, _)| {
        t.trim().split_once('.').is_some_and(|(a, b)| a.parse::<u64>().is_ok() && b.parse::<u64>().is_ok())
    })
}

/// The checks every boot of the guest must pass; returns the guest's SSH host key.
async fn check_guest(sh: &mut Serial, v4: &str, v6: &str) -> String {
    // cloud-init may still be at its last stages when the login prompt comes.
    sh.run("cloud-init status --wait >/dev/null").await;
    let routes = sh.run("ip -4 route show default; ip -6 route show default").await;
    assert!(routes.contains("default via 192.0.2.1 dev eth0"), "IPv4 default route:\n{routes}");
    assert!(routes.contains("default via fe80::1 dev eth0"), "IPv6 default route:\n{routes}");
    let addrs = sh.run("ip -o addr show dev eth0").await;
    assert!(addrs.contains(&format!("inet {v4}/24")) && addrs.contains(&format!("inet6 {v6}/64")), "{addrs}");
    let global6 = addrs.lines().filter(|l| l.contains("inet6") && l.contains("scope global")).count();
    assert_eq!(global6, 1, "no address from router advertisements:\n{addrs}");
    let ra = sh.run("sysctl -n net.ipv6.conf.eth0.accept_ra net.ipv6.conf.eth0.autoconf").await;
    assert_eq!(ra.split_whitespace().collect::<Vec<_>>(), ["0", "0"], "router advertisements off: {ra}");
    let resolv = sh.run("cat /etc/resolv.conf").await;
    assert!(resolv.contains("nameserver 192.0.2.53"), "/etc/resolv.conf: {resolv}");
    let fqdn = sh.run("hostname; hostname -f").await;
    assert_eq!(fqdn.split_whitespace().collect::<Vec<_>>(), ["deb-guest", HOST], "{fqdn}");
    let keys = sh.run("cat /root/.ssh/authorized_keys").await;
    assert!(keys.contains(KEY.split(' ').nth(1).unwrap()), "root's keys: {keys}");
    // The template's login user has them too, with sudo.
    let user = sh.run("cat /home/debian/.ssh/authorized_keys; sudo -l -U debian").await;
    assert!(user.contains(KEY.split(' ').nth(1).unwrap()) && user.contains("(ALL) NOPASSWD: ALL"), "{user}");
    let sshd = sh.run("sshd -T | grep -Ei '^(permitrootlogin|passwordauthentication) '").await;
    assert!(sshd.contains("permitrootlogin yes") && sshd.contains("passwordauthentication yes"), "{sshd}");
    // sshd takes root's password: ssh run inside the guest to its own loopback.
    let ssh = sh
        .run(&format!(
            "printf '#!/bin/sh\\necho {ROOT_PW}\\n' > /root/.vpsbox-askpass && chmod 0700 /root/.vpsbox-askpass && \
             SSH_ASKPASS=/root/.vpsbox-askpass SSH_ASKPASS_REQUIRE=force setsid -w ssh -o StrictHostKeyChecking=accept-new \
             -o PubkeyAuthentication=no -o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 \
             root@127.0.0.1 echo PASSWORD-SSH-OK; rm -f /root/.vpsbox-askpass"
        ))
        .await;
    assert!(ssh.contains("PASSWORD-SSH-OK"), "ssh root@127.0.0.1 with the password: {ssh}");
    let status = sh
        .run("cloud-init status --wait --long >/root/ci-status 2>&1; echo rc=$?; cat /root/ci-status")
        .await;
    assert!(status.contains("status: done") && status.contains("rc=0"), "cloud-init: {status}");
    let log = sh.run("grep -E 'WARNING|ERROR|Traceback' /var/log/cloud-init.log | grep -v 'Unable to get zpool' | head -20").await;
    assert!(log.trim().is_empty(), "cloud-init complained:\n{log}");
    sh.run("cat /etc/ssh/ssh_host_ed25519_key.pub").await.trim().to_string()
}

/// The addresses the VM page lists from a pool's range.
fn addresses_on(html: &str, prefix: &str) -> Vec<String> {
    html.split("<code>")
        .skip(1)
        .filter_map(|s| s.split("</code>").next())
        .filter_map(|s| s.split_once('/').map(|(a, _)| a))
        .filter(|a| a.starts_with(prefix))
        .map(str::to_string)
        .fold(Vec::new(), |mut v, a| {
            if !v.contains(&a) {
                v.push(a);
            }
            v
        })
}

#[tokio::test]
async fn a_real_debian_guest_gets_network_dns_hostname_and_the_chosen_login() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let image = debian_template();
    let bridge = TestBridge::new();
    let d = crate::e2e::bridged_qemu_daemon(&bridge).await;

    let t = d
        .svc()
        .templates
        .import(
            image,
            ImportRequest {
                name: "debian-12".into(),
                os: "linux".into(),
                min_disk_gb: None,
                login_user: Some("debian".into()),
            },
        )
        .await
        .unwrap();
    let spec = PlanSpec { vcpus: 1, memory_mib: 512, disk_gb: 2, ipv4: 1 };
    let plan = d
        .svc()
        .plans
        .create(NewPlan { name: "s-1".into(), spec, monthly_price: Money(500), hourly_price: Money(1) })
        .await
        .unwrap();
    // Documentation ranges, as data only: the bridge has no uplink.
    for (name, network, gateway, dns) in [
        ("public-v4", "192.0.2.0/24", "192.0.2.1", "192.0.2.53"),
        ("public-v6", "2001:db8:100::/48", "fe80::1", "2001:db8::53"),
    ] {
        let p = vpsbox::service::ipam::PoolText {
            network: network.into(),
            gateway: gateway.into(),
            dns: dns.into(),
            ..Default::default()
        };
        d.svc().ipam.add_pool(name, p.spec().unwrap()).await.unwrap();
    }

    let c = client();
    sign_up(&c, &d, "guest@example.com").await;
    let r = submit(&c, &d, "/account/keys", "/account/keys", &[("name", "laptop"), ("key", KEY)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, form) = get_text(&c, &d.url("/vms/new")).await;
    assert!(form.contains("root logs in with it over SSH"), "the order form says how root logs in: {form}");
    let key_id = form.split("name=\"key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let once = form.split("name=\"once\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (plan, tpl) = (plan.id.0.to_string(), t.id.0.to_string());
    let r = c
        .post(d.url("/vms"))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("once", &once),
            ("plan", &plan),
            ("template", &tpl),
            ("hostname", HOST),
            ("key", &key_id),
            ("root_password", ROOT_PW),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let vm = location(&r);
    let id = vpsbox::domain::vm::VmId(vm.trim_start_matches("/vms/").parse().unwrap());
    let uuid = d.svc().vms.get(&Caller::system(), id).unwrap().uuid;
    let _domain = DomainGuard(uuid.to_string());
    let html = wait_page(&c, &d, &vm, "badge running").await;
    assert!(
        html.contains("root logs in with the password or a key"),
        "the VM page says how root logs in: {html}"
    );
    let v4 = addresses_on(&html, "192.0.2.");
    let v6 = addresses_on(&html, "2001:db8:100:");
    assert_eq!((v4.len(), v6.len()), (1, 1), "{v4:?} {v6:?}");
    // The console's tickets belong to the session that asked for them.
    let (console, cookie) = session_of(&d, "guest@example.com").await;

    // First boot.
    let mut sh = Serial::open(&d, &cookie, &console, &vm).await;
    sh.log_in().await;
    let host_key = check_guest(&mut sh, &v4[0], &v6[0]).await;
    drop(sh);

    // An extra IPv4 from the VM page; the page says when it takes effect; a reboot brings it.
    let r = submit(&c, &d, &vm, &format!("{vm}/ips"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("takes effect in the server at its next boot"), "{html}");
    let v4s = addresses_on(&html, "192.0.2.");
    assert_eq!(v4s.len(), 2, "{v4s:?}");
    // A private network (isolated, no uplink; a documentation range as data) joined on the VM
    // page arrives with the same reboot.
    let r = submit(&c, &d, "/networks", "/networks", &[("name", "lan"), ("subnet", "198.51.100.0/24")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, list) = get_text(&c, &d.url("/networks")).await;
    let net = list.split("href=\"/networks/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let _net =
        NetworkGuard(format!("vpsbox-net-{net}"), d.svc().accounts.store().installation_id().to_string());
    let r = submit(&c, &d, &vm, &format!("{vm}/networks"), &[("net", &net)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = submit(&c, &d, &vm, &format!("{vm}/power"), &[("action", "reboot")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let mut sh = Serial::open(&d, &cookie, &console, &vm).await;
    // The reboot's own login prompt, not one left over from the first boot (libvirt reboots a
    // QEMU guest by the ACPI button and starts it again when it has powered off).
    sh.wait("reboot: ", 300).await;
    sh.log_in().await;
    let addrs = sh.run("ip -o -4 addr show dev eth0").await;
    if !addrs.contains(&format!("inet {}/24", v4s[1])) {
        let why = sh
            .run("grep -E 'Allowed events|Event Denied|network config|Update datasource|Applying network' /var/log/cloud-init.log | tail -30")
            .await;
        panic!("the extra address after the reboot:\n{addrs}\ncloud-init:\n{why}");
    }
    let private = sh.run("ip -o -4 addr show dev eth1").await;
    assert!(private.contains("inet 198.51.100.1/24"), "the private network after the reboot:\n{private}");
    let defaults = sh.run("ip route show default; ip -6 route show default").await;
    assert!(!defaults.contains("eth1"), "no default route on the private interface:\n{defaults}");
    assert_eq!(check_guest(&mut sh, &v4[0], &v6[0]).await, host_key, "the first boot did not run again");
    drop(sh);

    // Reinstall: a fresh disk, the same checks.
    let r = submit(&c, &d, &vm, &format!("{vm}/reinstall"), &[("template", &tpl), ("confirm", HOST)]).await;
    assert_eq!(r.status().as_u16(), 303);
    tokio::time::sleep(Duration::from_secs(1)).await;
    wait_page(&c, &d, &vm, "badge running").await;
    let mut sh = Serial::open(&d, &cookie, &console, &vm).await;
    sh.log_in().await;
    let addrs = sh.run("ip -o -4 addr show dev eth0").await;
    assert!(addrs.contains(&format!("inet {}/24", v4s[1])), "{addrs}");
    check_guest(&mut sh, &v4[0], &v6[0]).await;

    // The page says the guest's agent answers; a new root password through the API is set
    // in the running guest by it at once.
    wait_page(&c, &d, &vm, "The guest agent answers in this server").await;
    let owner = d.svc().accounts.user_by_email("guest@example.com").unwrap().id.0;
    let (_, token) = crate::api::token(&d, owner, "customer", "", "").await;
    let body = serde_json::json!({ "password": "Another-root-pass-7" });
    let (status, _, set) =
        crate::api::call_json(&d, "post", &format!("/servers/{}/password", id.0), Some(&token), Some(body))
            .await;
    assert_eq!((status, set["applied"].as_str()), (200, Some("now")), "{set}");
    sh.send("exit\n").await;
    sh.log_in_with("Another-root-pass-7").await;
    assert!(sh.run("id -u").await.contains('0'));
    drop(sh);

    // Rescue with the real rescue image (scripts/build-rescue-image.sh): root logs in with the
    // one-time password shown on the page; the rescue system runs from its own disk, with the
    // server's addresses, and the server's disk (its root labelled debian-root too) is
    // /dev/vda, not mounted; it mounts and reads.
    d.svc().rescue_images.import(rescue_image()).await.unwrap();
    let r = submit(&c, &d, &vm, &format!("{vm}/rescue"), &[]).await;
    assert_eq!(r.status().as_u16(), 200);
    let page = r.text().await.unwrap();
    let once =
        page.split("shown only now: <code>").nth(1).unwrap().split("</code>").next().unwrap().to_string();
    let html = wait_page(&c, &d, &vm, "badge running").await;
    assert!(html.contains("This server is in rescue"), "{html}");
    let mut sh = Serial::open(&d, &cookie, &console, &vm).await;
    sh.log_in_with(&once).await;
    let rescue = sh.run("cat /etc/vpsbox-rescue; findmnt -n -o SOURCE,LABEL /; findmnt -n /dev/vda2 || echo vda2-not-mounted").await;
    assert!(rescue.contains("vpsbox rescue system") && rescue.contains("vpsbox-rescue"), "{rescue}");
    assert!(rescue.contains("vda2-not-mounted") && !rescue.contains("/dev/vda"), "{rescue}");
    let own = sh
        .run("blkid -s LABEL -o value /dev/vda2; mount /dev/vda2 /mnt && cat /mnt/etc/hostname; umount /mnt")
        .await;
    assert!(own.contains("debian-root") && own.contains("deb-guest"), "{own}");
    let addrs = sh.run("ip -o -4 addr show dev eth0").await;
    assert!(addrs.contains(&format!("inet {}/24", v4[0])), "the server's address in rescue: {addrs}");
    drop(sh);
    // Leaving boots the server's own system, with the password it had.
    let r = submit(&c, &d, &vm, &format!("{vm}/rescue/leave"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    wait_page(&c, &d, &vm, "Boot into rescue").await;
    let mut sh = Serial::open(&d, &cookie, &console, &vm).await;
    sh.log_in_with("Another-root-pass-7").await;
    let back = sh.run("cat /etc/vpsbox-rescue; findmnt -n -o LABEL /").await;
    assert!(back.contains("No such file") && back.contains("debian-root"), "{back}");
    drop(sh);

    crate::console::delete_vm(&d, id.0).await;
    let r = submit(&c, &d, "/networks", &format!("/networks/{net}/delete"), &[]).await;
    assert_eq!(r.status().as_u16(), 303, "the private network goes with its last member");
    d.stop().await;
}
