//! libvirt domain XML, built by pure functions from a [`VmSpec`] (golden-file tested).

use std::fmt::Write;

use crate::domain::vm::{DomainKind, VmSpec};

/// Escape text for an XML attribute or element.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The domain XML for a VM.
pub fn domain_xml(spec: &VmSpec) -> String {
    let mut x = String::new();
    let kind = spec.kind.as_str();
    // `write!` into a String cannot fail.
    let _ = writeln!(x, "<domain type='{kind}'>");
    let _ = writeln!(x, "  <name>{}</name>", esc(&spec.name));
    let _ = writeln!(x, "  <uuid>{}</uuid>", spec.uuid);
    let _ = writeln!(x, "  <memory unit='MiB'>{}</memory>", spec.memory_mib);
    let _ = writeln!(x, "  <currentMemory unit='MiB'>{}</currentMemory>", spec.memory_mib);
    let _ = writeln!(x, "  <vcpu placement='static'>{}</vcpu>", spec.vcpus);
    x.push_str("  <os>\n    <type arch='x86_64'>hvm</type>\n    <boot dev='hd'/>\n  </os>\n");
    x.push_str("  <features>\n    <acpi/>\n    <apic/>\n  </features>\n");
    if spec.kind == DomainKind::Kvm {
        x.push_str("  <cpu mode='host-passthrough' check='none'/>\n");
    }
    x.push_str("  <clock offset='utc'/>\n");
    x.push_str("  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n");
    x.push_str("  <on_crash>destroy</on_crash>\n");
    x.push_str("  <devices>\n");
    let _ = writeln!(
        x,
        "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2' discard='unmap'/>\n      \
         <source file='{}'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>",
        esc(&spec.disk.to_string_lossy())
    );
    if let Some(seed) = &spec.seed {
        let _ = writeln!(
            x,
            "    <disk type='file' device='disk'>\n      <driver name='qemu' type='raw'/>\n      \
             <source file='{}'/>\n      <target dev='vdb' bus='virtio'/>\n      <readonly/>\n    </disk>",
            esc(&seed.to_string_lossy())
        );
    }
    if spec.kind != DomainKind::Test {
        match &spec.serial_log {
            Some(log) => {
                let _ = writeln!(
                    x,
                    "    <serial type='pty'>\n      <log file='{}' append='off'/>\n      <target port='0'/>\n    </serial>",
                    esc(&log.to_string_lossy())
                );
            }
            None => x.push_str("    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n"),
        }
        x.push_str("    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n");
        x.push_str("    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>\n");
        x.push_str("    <memballoon model='virtio'/>\n");
        x.push_str(
            "    <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>\n",
        );
    }
    x.push_str("  </devices>\n</domain>\n");
    x
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn spec(kind: DomainKind, seed: bool) -> VmSpec {
        let uuid = uuid::Uuid::parse_str("6f1c1f0e-8d1a-4c55-9a4e-0d6d0c1e2b3a").unwrap();
        VmSpec {
            name: VmSpec::domain_name(&uuid),
            uuid,
            kind,
            vcpus: 2,
            memory_mib: 2048,
            disk: PathBuf::from("/var/lib/vpsbox/disks/6f1c1f0e.qcow2"),
            seed: seed.then(|| PathBuf::from("/var/lib/vpsbox/seeds/6f1c1f0e.img")),
            serial_log: seed.then(|| PathBuf::from("/var/lib/vpsbox/logs/6f1c1f0e-serial.log")),
        }
    }

    /// Compare with `src/hv/testdata/NAME.xml`; `UPDATE_GOLDEN=1` rewrites the file.
    fn golden(name: &str, actual: &str) {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/hv/testdata").join(format!("{name}.xml"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, actual).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            actual, expected,
            "{name}.xml differs; rerun with UPDATE_GOLDEN=1 if the change is intended"
        );
    }

    #[test]
    fn qemu_domain_with_seed_matches_golden() {
        golden("qemu-with-seed", &domain_xml(&spec(DomainKind::Qemu, true)));
    }

    #[test]
    fn kvm_domain_without_seed_matches_golden() {
        golden("kvm-no-seed", &domain_xml(&spec(DomainKind::Kvm, false)));
    }

    #[test]
    fn test_driver_domain_matches_golden() {
        golden("test-driver", &domain_xml(&spec(DomainKind::Test, true)));
    }

    #[test]
    fn paths_are_escaped() {
        let mut s = spec(DomainKind::Qemu, false);
        s.disk = PathBuf::from("/tmp/a'b<c>&d.qcow2");
        let x = domain_xml(&s);
        assert!(x.contains("/tmp/a&apos;b&lt;c&gt;&amp;d.qcow2"), "{x}");
    }
}
