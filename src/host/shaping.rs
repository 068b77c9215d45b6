//! Which ways this host's kernel can shape a server's interface the way libvirt does it.
//!
//! libvirt shapes an interface's `<inbound>` (what the guest receives) with an `htb` class and
//! an `sfq` queue under it on the tap, and its `<outbound>` (what the guest sends) with the
//! tap's `ingress` queue and a filter with a `police` action. A kernel without `sch_sfq` (or
//! `act_police`) makes a domain shaped that way fail to start, so vpsbox shapes only the ways
//! the kernel can (`[network] shaping = "auto"`) and `vpsbox doctor` says what is left out.

use std::path::Path;

use crate::domain::vm::ShapeWays;

/// Whether the kernel has traffic-control module `name` (`sch_sfq`, `act_police`): loaded
/// (`/sys/module/NAME`), built in (listed in its `modules.builtin`) or loadable (a `NAME.ko*`
/// under its modules' `kernel/net/sched`), looked up under `root` (`/` on a host) for kernel
/// release `release`.
pub fn module_in(root: &Path, release: &str, name: &str) -> bool {
    if root.join("sys/module").join(name).exists() {
        return true;
    }
    let modules = root.join("lib/modules").join(release);
    let builtin = std::fs::read_to_string(modules.join("modules.builtin")).unwrap_or_default();
    let file = format!("/{name}.ko");
    if builtin.lines().any(|l| l.ends_with(&file)) {
        return true;
    }
    let prefix = format!("{name}.ko");
    std::fs::read_dir(modules.join("kernel/net/sched"))
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with(&prefix)))
        .unwrap_or(false)
}

/// The ways the running kernel can shape (under `root`, for release `release`).
pub fn detect_in(root: &Path, release: &str) -> ShapeWays {
    ShapeWays {
        inbound: module_in(root, release, "sch_sfq"),
        outbound: module_in(root, release, "act_police"),
    }
}

/// [`detect_in`] for this host's running kernel.
pub fn detect() -> ShapeWays {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    detect_in(Path::new("/"), release.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loaded_built_in_or_loadable() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        assert_eq!(detect_in(r, "6.1.0-1-amd64"), ShapeWays::NONE, "nothing says so");
        let modules = r.join("lib/modules/6.1.0-1-amd64");
        std::fs::create_dir_all(modules.join("kernel/net/sched")).unwrap();
        std::fs::write(modules.join("modules.builtin"), "kernel/net/sched/sch_htb.ko\n").unwrap();
        assert_eq!(detect_in(r, "6.1.0-1-amd64"), ShapeWays::NONE);
        std::fs::write(modules.join("kernel/net/sched/sch_sfq.ko.xz"), b"").unwrap();
        assert_eq!(detect_in(r, "6.1.0-1-amd64"), ShapeWays { inbound: true, outbound: false }, "loadable");
        assert_eq!(detect_in(r, "6.2.0"), ShapeWays::NONE, "another kernel's modules do not count");
        std::fs::create_dir_all(r.join("lib/modules/6.3.0")).unwrap();
        std::fs::write(r.join("lib/modules/6.3.0/modules.builtin"), "kernel/net/sched/act_police.ko\n")
            .unwrap();
        assert_eq!(detect_in(r, "6.3.0"), ShapeWays { inbound: false, outbound: true }, "built in");
        std::fs::create_dir_all(r.join("sys/module/sch_sfq")).unwrap();
        assert!(detect_in(r, "any").inbound, "loaded");
    }
}
