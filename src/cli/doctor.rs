//! `vpsbox doctor`: checks what VMs need on this host — the hypervisor connection and the
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
    let files = match (&cfg.tls.cert, &cfg.tls.key) {
        (Some(c), Some(_)) => (c.clone(), false),
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
        if generated { " (self-signed, made again by the daemon before it ends)" } else { "" },
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

/// Every check, in the order printed.
pub fn all_checks(cfg: &Config, now: Timestamp) -> Vec<Check> {
    let mut out = hypervisor_checks(cfg);
    out.extend(tls_checks(cfg, now));
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
