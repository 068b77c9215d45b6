//! `vpsbox doctor`: checks what VMs need on this host — the hypervisor connection, /dev/kvm, the
//! TLS certificate's names and end, and the public bridge (or the public libvirt network vpsbox
//! makes) — and says precisely what to fix. Changes nothing. Exit status 1 when any check fails.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Config;
use crate::domain::time::Timestamp;
use crate::host::bridge::{self, Check, Level};
use crate::hv::Hypervisor;
use crate::hv::libvirt::Libvirt;
use crate::web::tls;

fn hypervisor_checks(cfg: &Config) -> Vec<Check> {
    let uri = &cfg.libvirt.uri;
    match Libvirt::connect(uri).and_then(|lv| Ok((lv.describe()?, lv.domain_kinds()?))) {
        Ok((info, kinds)) => {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            vec![Check {
                level: Level::Ok,
                what: format!(
                    "libvirt {} at {uri} ({} {}), domain types: {}",
                    info.libvirt_version,
                    info.driver,
                    info.hypervisor_version,
                    kinds.join(", ")
                ),
                fix: None,
            }]
        }
        Err(e) => vec![Check {
            level: Level::Fail,
            what: format!("cannot reach libvirt at {uri}: {e}"),
            fix: Some(
                "start it (`systemctl enable --now libvirtd`) and make sure the vpsbox user is in group libvirt"
                    .into(),
            ),
        }],
    }
}

/// The public libvirt network vpsbox makes (`network.public_network`): there, running,
/// routed, and the host forwarding.
fn public_network_checks(cfg: &Config, proc_sys: &Path) -> Vec<Check> {
    let name = &cfg.network.public_network;
    let found = Libvirt::connect(&cfg.libvirt.uri).and_then(|lv| lv.network_xml(name));
    let check = |level, what: String, fix: Option<&str>| Check { level, what, fix: fix.map(String::from) };
    let mut out = match found {
        Err(e) => {
            return vec![check(Level::Fail, format!("cannot look up libvirt network {name}: {e}"), None)];
        }
        Ok(None) => {
            return vec![check(
                Level::Fail,
                format!("libvirt network {name} does not exist"),
                Some("start vpsbox (`systemctl start vpsbox`): it creates the network"),
            )];
        }
        Ok(Some((xml, active))) => {
            let mut out = vec![if active {
                check(Level::Ok, format!("libvirt network {name} is running"), None)
            } else {
                check(
                    Level::Fail,
                    format!("libvirt network {name} is not running"),
                    Some("start vpsbox, or `virsh net-start` it"),
                )
            }];
            out.push(if xml.contains("<forward mode='route'") {
                check(Level::Ok, format!("{name} is routed: the host is the pools' gateway"), None)
            } else {
                check(
                    Level::Warn,
                    format!("{name} is not routed, so guests reach nothing beyond the host"),
                    Some("remove it (`virsh net-destroy`, `net-undefine`) with no VM on it; vpsbox recreates it routed"),
                )
            });
            out
        }
    };
    let on = |f: &str| std::fs::read_to_string(proc_sys.join(f)).is_ok_and(|v| v.trim() == "1");
    out.push(if on("net/ipv4/ip_forward") {
        check(Level::Ok, "the host forwards IPv4".into(), None)
    } else {
        check(
            Level::Fail,
            "net.ipv4.ip_forward is 0: routed guests reach nothing".into(),
            Some("sysctl -w net.ipv4.ip_forward=1 (and in /etc/sysctl.d/)"),
        )
    });
    out
}

/// The certificate the cabinet serves: its names and end; a configured one that ends within
/// [`tls::RENEW_BEFORE_DAYS`] is a warning (the generated one is made again by the daemon).
fn tls_checks(cfg: &Config, now: Timestamp) -> Vec<Check> {
    let acme = cfg.data_dir.join("tls/acme-cert.pem");
    if cfg.tls.acme.enabled() && !acme.exists() {
        let what = format!(
            "TLS: no certificate from the ACME CA yet for {}; the self-signed one is served meanwhile",
            cfg.tls.acme.names(&cfg.public_url).join(", ")
        );
        let fix = Some(
            "start the daemon; it asks the CA at once (its log and the admins' notices tell of failures)"
                .into(),
        );
        return vec![Check { level: Level::Warn, what, fix }];
    }
    let files = match (&cfg.tls.cert, &cfg.tls.key) {
        (Some(c), Some(_)) => (c.clone(), false),
        _ if cfg.tls.acme.enabled() => (acme, true),
        _ => (cfg.data_dir.join("tls/cert.pem"), true),
    };
    let (path, generated) = files;
    if generated && !path.exists() {
        let what = "TLS: no certificate yet; the daemon generates a self-signed one at its start".to_string();
        return vec![Check { level: Level::Ok, what, fix: None }];
    }
    let info = match tls::cert_info(&path) {
        Ok(i) => i,
        Err(e) => {
            let fix = Some("point [tls] cert/key at a readable PEM certificate chain and key".to_string());
            return vec![Check { level: Level::Fail, what: format!("TLS: {e}"), fix }];
        }
    };
    let left_days = info.not_after.secs_since(now).div_euclid(86_400);
    let what = format!(
        "TLS certificate {}{}: {}; valid until {} ({left_days} days left)",
        path.display(),
        match (generated, cfg.tls.acme.enabled()) {
            (true, true) => " (from the ACME CA, renewed by the daemon at two thirds of its life)",
            (true, false) => " (self-signed, made again by the daemon before it ends)",
            _ => "",
        },
        info.names.join(", "),
        info.not_after.display_utc()
    );
    let (level, fix) = if info.not_after <= now {
        (Level::Fail, Some("renew the certificate and run `systemctl reload vpsbox`"))
    } else if !generated && left_days < tls::RENEW_BEFORE_DAYS {
        (Level::Warn, Some("renew the certificate and run `systemctl reload vpsbox`"))
    } else {
        (Level::Ok, None)
    };
    vec![Check { level, what, fix: fix.map(String::from) }]
}

/// The user libvirt runs QEMU as on Debian.
const QEMU_USER: &str = "libvirt-qemu";

/// Whether `user` (uid, primary gid, supplementary gids) may read and write a device of this
/// owner, group and mode.
fn may_open(dev: (u32, u32, u32), user: (u32, u32, &[u32])) -> bool {
    let (owner, group, mode) = dev;
    let (uid, gid, groups) = user;
    uid == 0
        || (uid == owner && mode & 0o600 == 0o600)
        || ((gid == group || groups.contains(&group)) && mode & 0o060 == 0o060)
        || mode & 0o006 == 0o006
}

/// The uid, primary gid and supplementary gids of `user` from passwd and group file contents.
fn user_ids(user: &str, passwd: &str, group: &str) -> Option<(u32, u32, Vec<u32>)> {
    let fields =
        passwd.lines().map(|l| l.split(':').collect::<Vec<_>>()).find(|f| f.first() == Some(&user))?;
    let (uid, gid) = (fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?);
    let groups = group
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .filter(|f| f.get(3).is_some_and(|m| m.split(',').any(|m| m == user)))
        .filter_map(|f| f.get(2)?.parse().ok())
        .collect();
    Some((uid, gid, groups))
}

/// With domain type `kvm` or `auto`: QEMU's user can open `/dev/kvm`. Where no udev runs the
/// device stays `root:root 0600`, and libvirt then probes QEMU again at every domain start.
fn kvm_checks(cfg: &Config, dev: &Path, passwd: &str, group: &str) -> Vec<Check> {
    use std::os::unix::fs::MetadataExt;
    if cfg.libvirt.domain_type == crate::config::DomainType::Qemu {
        return vec![];
    }
    let check = |level, what: String, fix: Option<&str>| Check { level, what, fix: fix.map(String::from) };
    let explicit = cfg.libvirt.domain_type == crate::config::DomainType::Kvm;
    let Ok(meta) = std::fs::metadata(dev) else {
        let level = if explicit { Level::Fail } else { Level::Warn };
        let what =
            format!("{} is missing: no hardware virtualisation, VMs run under TCG (slow)", dev.display());
        return vec![check(
            level,
            what,
            Some("enable virtualisation in the firmware and load kvm_intel or kvm_amd"),
        )];
    };
    let (owner, grp, mode) = (meta.uid(), meta.gid(), meta.mode() & 0o777);
    let desc = format!("{} (uid {owner}, gid {grp}, mode {mode:04o})", dev.display());
    match user_ids(QEMU_USER, passwd, group) {
        None => vec![check(Level::Warn, format!("{desc}: no user {QEMU_USER} to check it for"), None)],
        Some((uid, gid, groups)) if may_open((owner, grp, mode), (uid, gid, &groups)) => {
            vec![check(Level::Ok, format!("{desc}: {QEMU_USER} can open it"), None)]
        }
        Some(_) => vec![check(
            if explicit { Level::Fail } else { Level::Warn },
            format!("{desc}: {QEMU_USER} cannot open it, so libvirt probes QEMU again at every start"),
            Some("chgrp kvm /dev/kvm && chmod 0660 /dev/kvm (what udev's rule does; check that udev runs)"),
        )],
    }
}

/// Every check, in the order printed.
/// Which installation the configured state is (see `store::installation_file`).
fn installation_check(cfg: &Config) -> Check {
    let file = crate::store::installation_file(&cfg.store_path());
    let what = match std::fs::read_to_string(&file).ok().and_then(|t| uuid::Uuid::parse_str(t.trim()).ok()) {
        Some(id) => format!("installation {id} (state {})", cfg.store_path().display()),
        None => format!(
            "no state at {} yet: the first start makes it, with a new installation id",
            cfg.store_path().display()
        ),
    };
    Check { level: Level::Ok, what, fix: None }
}

/// Which ways port speeds shape servers' interfaces on this host (`kernel`: what its kernel
/// can, see `host::shaping`).
fn shaping_check(setting: crate::config::Shaping, kernel: crate::domain::vm::ShapeWays) -> Check {
    use crate::config::Shaping;
    let check =
        |level, what: &str, fix: Option<&str>| Check { level, what: what.into(), fix: fix.map(String::from) };
    const FIX: &str = "boot a kernel with sch_sfq and act_police (Debian's has them as modules)";
    match (setting, kernel.inbound, kernel.outbound) {
        (Shaping::Off, ..) => {
            check(Level::Ok, "port speeds are not applied (network.shaping = \"off\")", None)
        }
        (_, true, true) => check(Level::Ok, "port speeds shape what servers send and receive", None),
        (Shaping::Auto, true, false) => check(
            Level::Warn,
            "the kernel has no act_police: port speeds shape what servers receive only",
            Some(FIX),
        ),
        (Shaping::Auto, false, true) => check(
            Level::Warn,
            "the kernel has no sch_sfq: port speeds shape what servers send only",
            Some(FIX),
        ),
        (Shaping::Auto, false, false) => check(
            Level::Warn,
            "the kernel has neither sch_sfq nor act_police: port speeds are not applied",
            Some(FIX),
        ),
        (Shaping::On, ..) => check(
            Level::Fail,
            "network.shaping = \"on\" but the kernel lacks sch_sfq or act_police: servers with a port speed cannot start",
            Some("boot a kernel with sch_sfq and act_police, or set network.shaping = \"auto\""),
        ),
    }
}

pub fn all_checks(cfg: &Config, now: Timestamp) -> Vec<Check> {
    let mut out = vec![installation_check(cfg)];
    out.extend(hypervisor_checks(cfg));
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    out.extend(kvm_checks(cfg, Path::new("/dev/kvm"), &read("/etc/passwd"), &read("/etc/group")));
    out.extend(tls_checks(cfg, now));
    out.push(shaping_check(cfg.network.shaping, crate::host::shaping::detect()));
    if !cfg.network.public_network.is_empty() {
        out.extend(public_network_checks(cfg, Path::new("/proc/sys")));
        return out;
    }
    let name = cfg.network.public_bridge.as_str();
    let facts = bridge::inspect(name, Path::new("/sys/class/net"), Path::new("/proc/sys"));
    out.extend(bridge::checks(name, &facts));
    out
}

pub fn run(cfg: &Config) -> ExitCode {
    use crate::clock::{Clock, SystemClock};
    let checks = all_checks(cfg, SystemClock.now());
    for c in &checks {
        println!("[{:>4}] {}", c.level.as_str(), c.what);
        if let Some(fix) = &c.fix {
            println!("       fix: {fix}");
        }
    }
    let failed = checks.iter().filter(|c| c.level == Level::Fail).count();
    let warned = checks.iter().filter(|c| c.level == Level::Warn).count();
    println!("{failed} failed, {warned} warning(s)");
    if failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shaping_is_told_as_the_kernel_and_the_setting_allow() {
        use crate::config::Shaping::{Auto, Off, On};
        use crate::domain::vm::ShapeWays;
        let level = |s, k| shaping_check(s, k).level;
        let (both, none) = (ShapeWays::BOTH, ShapeWays::NONE);
        assert_eq!((level(Auto, both), level(On, both), level(Off, none)), (Level::Ok, Level::Ok, Level::Ok));
        assert_eq!((level(Auto, none), level(On, none)), (Level::Warn, Level::Fail));
        let out_only = shaping_check(Auto, ShapeWays { inbound: false, outbound: true });
        assert!(out_only.what.contains("no sch_sfq") && out_only.fix.unwrap().contains("act_police"));
    }

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\nlibvirt-qemu:x:64055:107:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin\n";
    const GROUP: &str = "root:x:0:\nkvm:x:107:\nlibvirt:x:113:vpsbox\nlibvirt-qemu:x:64055:libvirt-qemu\n";

    #[test]
    fn qemu_user_and_kvm_device_modes() {
        let (uid, gid, groups) = user_ids("libvirt-qemu", PASSWD, GROUP).unwrap();
        assert_eq!((uid, gid, groups.as_slice()), (64055, 107, [64055].as_slice()));
        let user = (uid, gid, groups.as_slice());
        assert!(may_open((0, 107, 0o660), user), "root:kvm 0660, as udev makes it");
        assert!(!may_open((0, 0, 0o600), user), "root:root 0600, where no udev runs");
        assert!(may_open((0, 0, 0o666), user));
        assert!(user_ids("nobody", PASSWD, GROUP).is_none());
    }

    #[test]
    fn the_kvm_device_check_says_what_to_fix() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dev = dir.path().join("kvm");
        std::fs::write(&dev, "").unwrap();
        std::fs::set_permissions(&dev, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut cfg = Config::default();
        // The file belongs to whoever runs the test, not to libvirt-qemu.
        let c = kvm_checks(&cfg, &dev, PASSWD, GROUP);
        assert_eq!(c[0].level, Level::Warn, "{:?}", c[0]);
        assert!(c[0].fix.as_deref().unwrap().contains("chmod 0660 /dev/kvm"));
        cfg.libvirt.domain_type = crate::config::DomainType::Kvm;
        assert_eq!(kvm_checks(&cfg, &dev, PASSWD, GROUP)[0].level, Level::Fail);
        std::fs::set_permissions(&dev, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert_eq!(kvm_checks(&cfg, &dev, PASSWD, GROUP)[0].level, Level::Ok);
        assert_eq!(kvm_checks(&cfg, &dir.path().join("none"), PASSWD, GROUP)[0].level, Level::Fail);
        cfg.libvirt.domain_type = crate::config::DomainType::Qemu;
        assert!(kvm_checks(&cfg, &dev, PASSWD, GROUP).is_empty(), "TCG needs no /dev/kvm");
    }
}
