//! `vpsbox doctor`: checks what VMs need on this host — the hypervisor connection and the
//! public bridge — and says precisely what to fix. Changes nothing. Exit status 1 when any
//! check fails.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Config;
use crate::host::bridge::{self, Check, Level};
use crate::hv::Hypervisor;
use crate::hv::libvirt::Libvirt;

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

/// Every check, in the order printed.
pub fn all_checks(cfg: &Config) -> Vec<Check> {
    let mut out = hypervisor_checks(cfg);
    let name = cfg.network.public_bridge.as_str();
    let facts = bridge::inspect(name, Path::new("/sys/class/net"), Path::new("/proc/sys"));
    out.extend(bridge::checks(name, &facts));
    out
}

pub fn run(cfg: &Config) -> ExitCode {
    let checks = all_checks(cfg);
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
