//! The host's public bridge as `vpsbox doctor` sees it: facts read from sysfs and procfs
//! (nothing is changed), and the checks made of them, each with the exact fix.

use std::path::Path;

/// What the host says about an interface.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BridgeFacts {
    /// The interface exists.
    pub exists: bool,
    /// It is a Linux bridge.
    pub is_bridge: bool,
    /// Administratively up (`IFF_UP`).
    pub up: bool,
    /// Interfaces enslaved to it.
    pub ports: Vec<String>,
    /// `net.bridge.bridge-nf-call-iptables` (absent when `br_netfilter` is not loaded).
    pub nf_call_iptables: Option<bool>,
    /// `net.bridge.bridge-nf-call-ip6tables`.
    pub nf_call_ip6tables: Option<bool>,
}

/// Read the facts about `name` from `sys_class_net` (`/sys/class/net`) and `proc_sys`
/// (`/proc/sys`).
pub fn inspect(name: &str, sys_class_net: &Path, proc_sys: &Path) -> BridgeFacts {
    let dev = sys_class_net.join(name);
    let flag = |file: &str| {
        std::fs::read_to_string(proc_sys.join("net/bridge").join(file)).ok().map(|v| v.trim() == "1")
    };
    let flags = std::fs::read_to_string(dev.join("flags"))
        .ok()
        .and_then(|v| u32::from_str_radix(v.trim().trim_start_matches("0x"), 16).ok())
        .unwrap_or(0);
    let mut ports: Vec<String> = std::fs::read_dir(dev.join("brif"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    ports.sort();
    BridgeFacts {
        exists: !name.is_empty() && dev.exists(),
        is_bridge: dev.join("bridge").is_dir(),
        up: flags & 1 == 1,
        ports,
        nf_call_iptables: flag("bridge-nf-call-iptables"),
        nf_call_ip6tables: flag("bridge-nf-call-ip6tables"),
    }
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Fine.
    Ok,
    /// Works, but worth a look.
    Warn,
    /// VMs will not be reachable until fixed.
    Fail,
}

impl Level {
    /// `ok`, `warn`, `FAIL`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        }
    }
}

/// One finding with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Outcome.
    pub level: Level,
    /// What was found.
    pub what: String,
    /// The command or setting that fixes it.
    pub fix: Option<String>,
}

fn check(level: Level, what: String, fix: Option<String>) -> Check {
    Check { level, what, fix }
}

/// The checks for the configured public bridge `name` (empty: none configured).
pub fn checks(name: &str, f: &BridgeFacts) -> Vec<Check> {
    if name.is_empty() {
        return vec![check(
            Level::Warn,
            "no public bridge configured: VMs get their addresses but no public interface".into(),
            Some("set network.public_bridge = \"br0\" (a bridge holding the uplink) in /etc/vpsbox/vpsbox.toml".into()),
        )];
    }
    if !f.exists {
        return vec![check(
            Level::Fail,
            format!("bridge {name} does not exist"),
            Some(format!(
                "create it with the uplink in it, e.g. in /etc/network/interfaces: `auto {name}` / `iface {name} inet static` / `bridge_ports eno1` (package bridge-utils), then `ifup {name}`"
            )),
        )];
    }
    if !f.is_bridge {
        return vec![check(
            Level::Fail,
            format!("{name} exists but is not a bridge"),
            Some(format!(
                "name a Linux bridge in network.public_bridge, or make {name} one (`ip link add {name} type bridge`)"
            )),
        )];
    }
    let mut out = vec![check(Level::Ok, format!("{name} is a bridge"), None)];
    if f.up {
        out.push(check(Level::Ok, format!("{name} is up"), None));
    } else {
        out.push(check(Level::Fail, format!("{name} is down"), Some(format!("ip link set {name} up"))));
    }
    let uplinks: Vec<&String> = f.ports.iter().filter(|p| !is_vm_tap(p)).collect();
    if uplinks.is_empty() {
        out.push(check(
            Level::Warn,
            format!("{name} has no uplink port: VMs on it reach only each other and the host"),
            Some(format!(
                "add the physical interface: `ip link set eno1 master {name}` (and make it permanent)"
            )),
        ));
    } else {
        let names: Vec<&str> = uplinks.iter().map(|s| s.as_str()).collect();
        out.push(check(Level::Ok, format!("{name} uplink: {}", names.join(", ")), None));
    }
    // Customers' firewall rules are iptables rules on bridged traffic: they need br_netfilter.
    for (value, key, tool) in [
        (f.nf_call_iptables, "bridge-nf-call-iptables", "iptables"),
        (f.nf_call_ip6tables, "bridge-nf-call-ip6tables", "ip6tables"),
    ] {
        if value == Some(true) {
            out.push(check(
                Level::Ok,
                format!(
                    "net.bridge.{key} = 1: customers' firewall rules see bridged traffic (the host's {tool} FORWARD chain must let it through; Docker sets its policy to DROP)"
                ),
                None,
            ));
        } else {
            out.push(check(
                Level::Warn,
                format!("net.bridge.{key} is not 1: customers' firewall rules are not enforced"),
                Some(format!(
                    "modprobe br_netfilter && sysctl -w net.bridge.{key}=1 (make it permanent in /etc/modules-load.d/ and /etc/sysctl.d/)"
                )),
            ));
        }
    }
    out
}

/// Whether a bridge port is a VM's tap device (libvirt names them `vnetN`).
fn is_vm_tap(port: &str) -> bool {
    port.strip_prefix("vnet").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(dir: &Path, name: &str, bridge: bool, flags: &str, ports: &[&str]) {
        let dev = dir.join("net").join(name);
        std::fs::create_dir_all(&dev).unwrap();
        std::fs::write(dev.join("flags"), flags).unwrap();
        if bridge {
            std::fs::create_dir_all(dev.join("bridge")).unwrap();
            std::fs::create_dir_all(dev.join("brif")).unwrap();
            for p in ports {
                std::fs::create_dir_all(dev.join("brif").join(p)).unwrap();
            }
        }
    }

    #[test]
    fn facts_from_sysfs_and_procfs() {
        let d = tempfile::tempdir().unwrap();
        fake(d.path(), "br0", true, "0x1003\n", &["vnet3", "eno1"]);
        fake(d.path(), "eth0", false, "0x1002\n", &[]);
        std::fs::create_dir_all(d.path().join("proc/net/bridge")).unwrap();
        std::fs::write(d.path().join("proc/net/bridge/bridge-nf-call-iptables"), "1\n").unwrap();
        let (net, proc_sys) = (d.path().join("net"), d.path().join("proc"));
        let f = inspect("br0", &net, &proc_sys);
        assert_eq!(
            f,
            BridgeFacts {
                exists: true,
                is_bridge: true,
                up: true,
                ports: vec!["eno1".into(), "vnet3".into()],
                nf_call_iptables: Some(true),
                nf_call_ip6tables: None,
            }
        );
        let e = inspect("eth0", &net, &proc_sys);
        assert!(e.exists && !e.is_bridge && !e.up);
        assert!(!inspect("nope", &net, &proc_sys).exists);
    }

    #[test]
    fn each_problem_gets_its_fix() {
        let levels = |c: &[Check]| c.iter().map(|c| c.level).collect::<Vec<_>>();
        assert_eq!(levels(&checks("", &BridgeFacts::default())), [Level::Warn]);
        let missing = checks("br0", &BridgeFacts::default());
        assert_eq!(missing[0].level, Level::Fail);
        assert!(missing[0].fix.as_ref().unwrap().contains("bridge_ports"));
        let not_bridge = checks("eth0", &BridgeFacts { exists: true, ..Default::default() });
        assert!(not_bridge[0].what.contains("not a bridge"));
        let down =
            BridgeFacts { exists: true, is_bridge: true, ports: vec!["vnet0".into()], ..Default::default() };
        let c = checks("br0", &down);
        assert_eq!(levels(&c), [Level::Ok, Level::Fail, Level::Warn, Level::Warn, Level::Warn]);
        assert!(c[3].fix.as_ref().unwrap().contains("modprobe br_netfilter"), "{c:?}");
        assert_eq!(c[1].fix.as_deref(), Some("ip link set br0 up"));
        assert!(c[2].what.contains("no uplink"), "a VM tap is not an uplink");
        let good = BridgeFacts {
            exists: true,
            is_bridge: true,
            up: true,
            ports: vec!["eno1".into()],
            nf_call_iptables: Some(false),
            nf_call_ip6tables: Some(true),
        };
        let c = checks("br0", &good);
        assert_eq!(levels(&c), [Level::Ok, Level::Ok, Level::Ok, Level::Warn, Level::Ok]);
        assert!(c[3].what.contains("firewall rules are not enforced"), "{c:?}");
        assert!(c[4].what.contains("ip6tables FORWARD"), "{c:?}");
    }
}
