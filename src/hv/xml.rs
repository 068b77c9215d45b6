//! libvirt domain XML, built by pure functions from a [`VmSpec`] (golden-file tested).

use std::fmt::Write;

use crate::domain::disk::DiskSpec;
use crate::domain::firewall::{Action, Firewall, Protocol};
use crate::domain::privnet::{NetId, NetworkOwner, NetworkSpec};
use crate::domain::vm::{CpuLimits, DomainKind, DomainOwner, FilterSpec, NicLink, NicSpec, VmId, VmSpec};

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

/// vpsbox's `<metadata>` element (`<vpsbox:TAG xmlns:vpsbox=NS installation=… id=…/>`), read
/// back by [`domain_owner`] and [`network_owner`].
fn metadata(x: &mut String, tag: &str, ns: &str, installation: uuid::Uuid, id: u64) {
    let _ = writeln!(
        x,
        "  <metadata>\n    <vpsbox:{tag} xmlns:vpsbox='{ns}' installation='{installation}' id='{id}'/>\n  </metadata>"
    );
}

/// The domain XML for a VM.
pub fn domain_xml(spec: &VmSpec) -> String {
    let mut x = String::new();
    let kind = spec.kind.as_str();
    // `write!` into a String cannot fail.
    let _ = writeln!(x, "<domain type='{kind}'>");
    let _ = writeln!(x, "  <name>{}</name>", esc(&spec.name));
    let _ = writeln!(x, "  <uuid>{}</uuid>", spec.uuid);
    if let Some(o) = &spec.owner {
        metadata(&mut x, "vm", DomainOwner::NAMESPACE, o.installation, o.vm.0);
    }
    let _ = writeln!(x, "  <memory unit='MiB'>{}</memory>", spec.memory_mib);
    let _ = writeln!(x, "  <currentMemory unit='MiB'>{}</currentMemory>", spec.memory_mib);
    let _ = writeln!(x, "  <vcpu placement='static'>{}</vcpu>", spec.vcpus);
    if spec.cpu != CpuLimits::default() {
        x.push_str("  <cputune>\n");
        if let Some(shares) = spec.cpu.shares {
            let _ = writeln!(x, "    <shares>{shares}</shares>");
        }
        if let Some(quota) = spec.cpu.quota_us() {
            let _ = writeln!(x, "    <period>{}</period>\n    <quota>{quota}</quota>", CpuLimits::PERIOD_US);
        }
        x.push_str("  </cputune>\n");
    }
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
    for disk in &spec.disks {
        x.push_str(&disk_xml(disk, "    "));
    }
    for nic in &spec.nics {
        x.push_str(&interface_xml(spec.kind, nic, "    "));
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
        // The QEMU guest agent's port (password resets), where the guest runs one.
        x.push_str("    <channel type='unix'>\n      <target type='virtio' name='org.qemu.guest_agent.0'/>\n    </channel>\n");
        // No listening address at all: the display is reached only through libvirt
        // (virDomainOpenGraphicsFD), by the cabinet's console proxy.
        x.push_str("    <graphics type='vnc'>\n      <listen type='none'/>\n    </graphics>\n");
        x.push_str("    <memballoon model='virtio'/>\n");
        x.push_str(
            "    <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>\n",
        );
    }
    x.push_str("  </devices>\n</domain>\n");
    x
}

/// Start of the comment on every firewall rule, followed by the firewall's digest.
pub const FIREWALL_TAG: &str = "vpsbox-fw:";

/// An extra disk's `<disk>` element (in the domain, or alone for a live attach), indented by
/// `ind`.
pub fn disk_xml(d: &DiskSpec, ind: &str) -> String {
    format!(
        "{ind}<disk type='file' device='disk'>\n{ind}  <driver name='qemu' type='qcow2' discard='unmap'/>\n\
         {ind}  <source file='{}'/>\n{ind}  <target dev='{}' bus='virtio'/>\n{ind}  <serial>{}</serial>\n{ind}</disk>\n",
        esc(&d.path.to_string_lossy()),
        esc(&d.target),
        esc(&d.serial)
    )
}

/// An `<interface>` element (in the domain, or alone for a live attach), indented by `ind`.
/// The test driver has no network filters, so its interfaces get no `<filterref>`.
pub fn interface_xml(kind: DomainKind, nic: &NicSpec, ind: &str) -> String {
    let mut x = String::new();
    let (ty, source) = match &nic.link {
        NicLink::Bridge(b) => ("bridge", format!("<source bridge='{}'/>", esc(b))),
        NicLink::Network(n) => ("network", format!("<source network='{}'/>", esc(n))),
    };
    let _ = writeln!(x, "{ind}<interface type='{ty}'>");
    let _ = writeln!(x, "{ind}  <mac address='{}'/>", esc(&nic.mac));
    let _ = writeln!(x, "{ind}  {source}");
    let _ = writeln!(x, "{ind}  <model type='virtio'/>");
    if let Some(f) = nic.filter.as_ref().filter(|_| kind != DomainKind::Test) {
        let _ = writeln!(x, "{ind}  <filterref filter='{}'/>", esc(f));
    }
    let _ = writeln!(x, "{ind}</interface>");
    x
}

/// A libvirt network. A private network: a bridge of its own, no `<forward>` (no uplink, no
/// NAT) and no `<ip>` (no host address, no DHCP), so only the VMs on it can talk to each other.
/// The public network: routed, with the host's gateway addresses (no DHCP: guests get static
/// addresses from their seed).
pub fn network_xml(n: &NetworkSpec) -> String {
    let mut x = String::from("<network>\n");
    let _ = writeln!(x, "  <name>{}</name>", esc(&n.name));
    let _ = writeln!(x, "  <uuid>{}</uuid>", n.uuid);
    if let Some(o) = &n.owner {
        metadata(&mut x, "net", NetworkOwner::NAMESPACE, o.installation, o.net.0);
    }
    if n.routed {
        x.push_str("  <forward mode='route'/>\n");
    }
    let _ = writeln!(x, "  <bridge name='{}' stp='off' delay='0'/>", esc(&n.bridge));
    for (addr, len) in &n.host_addresses {
        let family = if addr.is_ipv6() { " family='ipv6'" } else { "" };
        let _ = writeln!(x, "  <ip{family} address='{addr}' prefix='{len}'/>");
    }
    x.push_str("</network>\n");
    x
}

/// The value of attribute `name` in the first tag of `tag` (either quote style: libvirt prints
/// metadata with double quotes, everything else with single ones).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    for q in ['\'', '"'] {
        let key = format!(" {name}={q}");
        if let Some(at) = tag.find(&key) {
            let rest = &tag[at + key.len()..];
            return rest.find(q).map(|end| &rest[..end]);
        }
    }
    None
}

/// The tag (from `<` to `>`) around the first mention of `needle` in `xml`.
fn tag_around<'a>(xml: &'a str, needle: &str) -> Option<&'a str> {
    let at = xml.find(needle)?;
    let start = xml[..at].rfind('<')?;
    let end = at + xml[at..].find('>')?;
    Some(&xml[start..=end])
}

/// The installation and id in vpsbox's `<metadata>` element of namespace `ns`, if any.
fn metadata_owner(xml: &str, ns: &str) -> Option<(uuid::Uuid, u64)> {
    let tag = tag_around(xml, ns)?;
    let installation = uuid::Uuid::parse_str(attr(tag, "installation")?).ok()?;
    let id = attr(tag, "id")?.parse().ok()?;
    Some((installation, id))
}

/// Who made a domain, read from its XML (see [`DomainOwner::NAMESPACE`]).
pub fn domain_owner(xml: &str) -> Option<DomainOwner> {
    metadata_owner(xml, DomainOwner::NAMESPACE)
        .map(|(installation, id)| DomainOwner { installation, vm: VmId(id) })
}

/// Who made a libvirt network, read from its XML (see [`NetworkOwner::NAMESPACE`]).
pub fn network_owner(xml: &str) -> Option<NetworkOwner> {
    metadata_owner(xml, NetworkOwner::NAMESPACE)
        .map(|(installation, id)| NetworkOwner { installation, net: NetId(id) })
}

/// Who made a network filter, read from the comment of its rules
/// (see [`DomainOwner::FILTER_MARK`]).
pub fn filter_owner(xml: &str) -> Option<DomainOwner> {
    for q in ['\'', '"'] {
        let key = format!("comment={q}{}", DomainOwner::FILTER_MARK);
        let Some(at) = xml.find(&key) else { continue };
        let rest = &xml[at + key.len()..];
        let value = &rest[..rest.find(q)?];
        let (installation, id) = value.split_once(':')?;
        return Some(DomainOwner {
            installation: uuid::Uuid::parse_str(installation).ok()?,
            vm: VmId(id.parse().ok()?),
        });
    }
    None
}

/// The files of a domain's file-backed disks, in order.
pub fn disk_files(xml: &str) -> Vec<String> {
    xml.match_indices("<source file=").filter_map(|(at, _)| attr(&xml[at..], "file")).map(unesc).collect()
}

/// Undo [`esc`].
fn unesc(s: &str) -> String {
    s.replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A VM's network filter (see [`FilterSpec`]): in the root chain, after libvirt's
/// `no-mac-spoofing`, each protocol the guest may send is accepted from its own addresses and
/// dropped otherwise; router advertisements are dropped both ways; inbound IPv4, ARP and IPv6
/// are accepted; libvirt's `qemu-announce-self`
/// lets migration announcements through; every other frame is dropped.
pub fn filter_xml(f: &FilterSpec) -> String {
    let mut x = String::new();
    let _ = writeln!(x, "<filter name='{}' chain='root'>", esc(&FilterSpec::name_of(&f.uuid)));
    // The VM's UUID: libvirt redefines a filter in place only when the UUID matches.
    let _ = writeln!(x, "  <uuid>{}</uuid>", f.uuid);
    x.push_str("  <filterref filter='no-mac-spoofing'/>\n");
    let rule = |x: &mut String, action: &str, dir: &str, prio: i32, body: &str| {
        let _ = writeln!(x, "  <rule action='{action}' direction='{dir}' priority='{prio}'>{body}</rule>");
    };
    for ip in &f.ipv4 {
        rule(&mut x, "accept", "out", -700, &format!("<ip srcipaddr='{ip}'/>"));
    }
    rule(&mut x, "drop", "out", -690, "<ip/>");
    rule(&mut x, "accept", "in", -680, "<ip/>");
    for ip in &f.ipv4 {
        rule(&mut x, "accept", "out", -600, &format!("<arp arpsrcipaddr='{ip}' arpsrcmacaddr='$MAC'/>"));
    }
    rule(&mut x, "drop", "out", -590, "<arp/>");
    rule(&mut x, "accept", "in", -580, "<arp/>");
    // Router advertisements neither reach the guest (its addresses are static: no SLAAC from
    // whatever router the uplink has) nor leave it (a customer cannot route their neighbours).
    // The rule carries the filter's owner as its comment (filters have no metadata).
    let mark = f.owner.map(|o| format!(" comment='{}'", esc(&o.filter_mark()))).unwrap_or_default();
    rule(&mut x, "drop", "inout", -510, &format!("<ipv6 protocol='icmpv6' type='134' typeend='134'{mark}/>"));
    // Link-local (neighbour discovery) and the unspecified address (duplicate detection).
    rule(&mut x, "accept", "out", -500, "<ipv6 srcipaddr='fe80::' srcipmask='10'/>");
    rule(&mut x, "accept", "out", -500, "<ipv6 srcipaddr='::' srcipmask='128'/>");
    for (net, len) in &f.ipv6 {
        rule(&mut x, "accept", "out", -500, &format!("<ipv6 srcipaddr='{net}' srcipmask='{len}'/>"));
    }
    rule(&mut x, "drop", "out", -490, "<ipv6/>");
    rule(&mut x, "accept", "in", -480, "<ipv6/>");
    x.push_str("  <filterref filter='qemu-announce-self'/>\n");
    rule(&mut x, "drop", "inout", 1000, "");
    firewall_rules(&mut x, &f.firewall);
    x.push_str("</filter>\n");
    x
}

/// The customer's inbound firewall as iptables-layer rules (libvirt adds connection tracking:
/// an accepted direction also lets its replies through). Nothing when it lets everything in.
/// Every rule carries the firewall's digest as its comment, so reconcile can tell whether the
/// filter in libvirt holds the recorded rules.
fn firewall_rules(x: &mut String, fw: &Firewall) {
    if fw.is_open() {
        return;
    }
    let tag = format!("{FIREWALL_TAG}{}", fw.digest());
    let mut rule = |action: &str, dir: &str, prio: usize, proto: &str, attrs: &str| {
        let _ = writeln!(
            x,
            "  <rule action='{action}' direction='{dir}' priority='{prio}'><{proto}{attrs} comment='{tag}'/></rule>"
        );
    };
    // What the guest opens may answer back in; neighbour discovery keeps IPv6 alive.
    rule("accept", "out", 100, "all", "");
    rule("accept", "out", 100, "all-ipv6", "");
    for t in 133..=137 {
        rule("accept", "in", 110, "icmpv6", &format!(" type='{t}'"));
    }
    for (i, r) in fw.rules.iter().enumerate() {
        let action = if r.action == Action::Allow { "accept" } else { "drop" };
        let ports = match r.ports {
            Some((a, b)) if r.protocol.has_ports() => format!(" dstportstart='{a}' dstportend='{b}'"),
            _ => String::new(),
        };
        for v4 in [true, false] {
            let src = match &r.source {
                Some(c) if c.is_v4() != v4 => continue,
                Some(c) => format!(" srcipaddr='{}' srcipmask='{}'", c.addr, c.len),
                None => String::new(),
            };
            let proto = match (r.protocol, v4) {
                (Protocol::Tcp, true) => "tcp",
                (Protocol::Udp, true) => "udp",
                (Protocol::Icmp, true) => "icmp",
                (Protocol::Any, true) => "all",
                (Protocol::Tcp, false) => "tcp-ipv6",
                (Protocol::Udp, false) => "udp-ipv6",
                (Protocol::Icmp, false) => "icmpv6",
                (Protocol::Any, false) => "all-ipv6",
            };
            rule(action, "in", 200 + i, proto, &format!("{src}{ports}"));
        }
    }
    if fw.default == Action::Deny {
        rule("drop", "in", 900, "all", "");
        rule("drop", "in", 900, "all-ipv6", "");
    }
}

/// Backup job XML (push mode): each of `job.disks` is written to its file as qcow2; disks not
/// listed take no part. Incremental against `job.incremental` when set.
pub fn backup_xml(job: &super::BackupJob) -> String {
    let mut x = String::from("<domainbackup mode='push'>\n");
    if let Some(cp) = &job.incremental {
        let _ = writeln!(x, "  <incremental>{}</incremental>", esc(cp));
    }
    x.push_str("  <disks>\n");
    for d in &job.disks {
        let _ = writeln!(
            x,
            "    <disk name='{}' backup='yes' type='file'>\n      <target file='{}'/>\n      <driver type='qcow2'/>\n    </disk>",
            esc(&d.target),
            esc(&d.file.to_string_lossy())
        );
    }
    x.push_str("  </disks>\n</domainbackup>\n");
    x
}

/// Checkpoint XML: a dirty bitmap named `name` on each of `job.disks`.
pub fn checkpoint_xml(job: &super::BackupJob, name: &str) -> String {
    let mut x = format!("<domaincheckpoint>\n  <name>{}</name>\n  <disks>\n", esc(name));
    for d in &job.disks {
        let _ = writeln!(x, "    <disk name='{}' checkpoint='bitmap'/>", esc(&d.target));
    }
    x.push_str("  </disks>\n</domaincheckpoint>\n");
    x
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::domain::vm::NicSpec;

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
            nics: vec![],
            disks: vec![],
            owner: Some(DomainOwner {
                installation: uuid::Uuid::parse_str("0b9a2c1e-5d4f-4e3a-8c7b-6a5f4e3d2c1b").unwrap(),
                vm: crate::domain::vm::VmId(7),
            }),
            cpu: Default::default(),
        }
    }

    fn with_public_nic(mut s: VmSpec) -> VmSpec {
        s.nics = vec![NicSpec {
            mac: "02:76:00:00:00:07".into(),
            link: NicLink::Bridge("br0".into()),
            filter: Some(FilterSpec::name_of(&s.uuid)),
        }];
        s
    }

    /// The public interface, a private network and two extra disks.
    fn with_private_nic_and_disks(s: VmSpec) -> VmSpec {
        let mut s = with_public_nic(s);
        s.nics.push(NicSpec {
            mac: "02:76:01:00:00:07".into(),
            link: NicLink::Network("vpsbox-net-3".into()),
            filter: None,
        });
        for (slot, id) in [(0, 5), (1, 9)] {
            s.disks.push(DiskSpec {
                path: PathBuf::from(format!("/var/lib/vpsbox/volumes/{id}.qcow2")),
                target: crate::domain::disk::target_of(slot),
                serial: crate::domain::disk::serial_of(crate::domain::disk::DiskId(id)),
            });
        }
        s
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

    /// Every golden file is valid by libvirt's own schemas (`virt-xml-validate`, from
    /// libvirt-clients, with xmllint).
    #[test]
    fn golden_files_pass_libvirts_schemas() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/hv/testdata");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let kind = ["domain", "network", "filter"]
                .into_iter()
                .find(|k| text.starts_with(&format!("<{k}")))
                .unwrap();
            let schema = if kind == "filter" { "nwfilter" } else { kind };
            let out =
                std::process::Command::new("virt-xml-validate").arg(&path).arg(schema).output().unwrap();
            assert!(
                out.status.success(),
                "{}: {}{}",
                path.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
        assert!(checked >= 10, "{checked} files");
    }

    #[test]
    fn a_capped_domain_carries_its_cputune() {
        let mut s = spec(DomainKind::Qemu, true);
        s.cpu = CpuLimits { shares: Some(512), cap_percent: Some(40) };
        golden("qemu-cpu-capped", &domain_xml(&s));
        s.cpu = CpuLimits { shares: None, cap_percent: Some(100) };
        let x = domain_xml(&s);
        assert!(
            x.contains("  <cputune>\n    <period>100000</period>\n    <quota>100000</quota>\n  </cputune>\n"),
            "{x}"
        );
        s.cpu = CpuLimits::default();
        assert!(!domain_xml(&s).contains("cputune"), "no limits, no element");
    }

    #[test]
    fn qemu_domain_with_public_nic_matches_golden() {
        golden("qemu-public-nic", &domain_xml(&with_public_nic(spec(DomainKind::Qemu, true))));
    }

    #[test]
    fn qemu_domain_with_private_nic_and_disks_matches_golden() {
        golden(
            "qemu-private-nic-disks",
            &domain_xml(&with_private_nic_and_disks(spec(DomainKind::Qemu, true))),
        );
    }

    #[test]
    fn private_network_matches_golden() {
        let uuid = uuid::Uuid::parse_str("3d0c9a52-6f2e-4b43-8f7a-2a3c1e5b9d10").unwrap();
        let installation = uuid::Uuid::parse_str("0b9a2c1e-5d4f-4e3a-8c7b-6a5f4e3d2c1b").unwrap();
        let n = NetworkSpec::of(crate::domain::privnet::NetId(3), uuid, installation);
        let x = network_xml(&n);
        assert!(!x.contains("<forward") && !x.contains("<ip"), "{x}");
        golden("private-network", &x);
        assert_eq!(network_owner(&x), n.owner, "the mark reads back");
        // libvirt prints metadata with double quotes.
        assert_eq!(network_owner(&x.replace('\'', "\"")), n.owner);
    }

    #[test]
    fn public_network_matches_golden() {
        let gws = vec![("198.51.100.1".parse().unwrap(), 24), ("2001:db8:100::1".parse().unwrap(), 48)];
        let n = NetworkSpec::public("vpsbox-public", gws);
        assert_eq!(n.uuid, NetworkSpec::public("vpsbox-public", vec![]).uuid, "the UUID follows the name");
        golden("public-network", &network_xml(&n));
    }

    #[test]
    fn live_attach_fragments_are_the_domain_elements() {
        let s = with_private_nic_and_disks(spec(DomainKind::Qemu, true));
        let full = domain_xml(&s);
        assert!(full.contains(&disk_xml(&s.disks[1], "    ")), "{full}");
        assert!(full.contains(&interface_xml(s.kind, &s.nics[1], "    ")), "{full}");
    }

    #[test]
    fn test_driver_nic_has_no_filter() {
        let x = domain_xml(&with_public_nic(spec(DomainKind::Test, true)));
        assert!(x.contains("<source bridge='br0'/>") && !x.contains("filterref"), "{x}");
    }

    #[test]
    fn vm_filter_matches_golden() {
        let s = spec(DomainKind::Qemu, false);
        let f = FilterSpec {
            uuid: s.uuid,
            ipv4: vec!["192.0.2.10".parse().unwrap(), "192.0.2.11".parse().unwrap()],
            ipv6: vec![("2001:db8:100::".parse().unwrap(), 64)],
            firewall: Firewall::default(),
            owner: s.owner,
        };
        golden("filter-v4-v6", &filter_xml(&f));
        assert_eq!(filter_owner(&filter_xml(&f)), s.owner, "the mark reads back");
        assert!(!filter_xml(&f).contains(FIREWALL_TAG), "an open firewall adds nothing");
        let none = filter_xml(&FilterSpec {
            uuid: s.uuid,
            ipv4: vec![],
            ipv6: vec![],
            firewall: Firewall::default(),
            owner: None,
        });
        assert_eq!(filter_owner(&none), None);
        assert!(
            !none.contains("srcipaddr='192")
                && none.contains("<rule action='drop' direction='out' priority='-690'><ip/></rule>"),
            "{none}"
        );
    }

    #[test]
    fn vm_filter_with_firewall_matches_golden() {
        use crate::domain::firewall::parse_rule;
        let s = spec(DomainKind::Qemu, false);
        let firewall = Firewall {
            default: Action::Deny,
            rules: vec![
                parse_rule("allow", "tcp", "22", "198.51.100.0/24").unwrap(),
                parse_rule("allow", "tcp", "80-443", "").unwrap(),
                parse_rule("deny", "udp", "53", "2001:db8::/32").unwrap(),
                parse_rule("allow", "icmp", "", "").unwrap(),
            ],
        };
        let f = FilterSpec {
            uuid: s.uuid,
            ipv4: vec!["192.0.2.10".parse().unwrap()],
            ipv6: vec![],
            firewall,
            owner: None,
        };
        let x = filter_xml(&f);
        golden("filter-firewall", &x);
        let tag = format!("comment='{FIREWALL_TAG}{}'", f.firewall.digest());
        assert_eq!(x.matches(&tag).count(), 2 + 5 + 1 + 2 + 1 + 2 + 2, "{x}");
    }

    #[test]
    fn backup_and_checkpoint_xml() {
        let job = crate::hv::BackupJob {
            disks: vec![crate::hv::BackupTarget { target: "vda".into(), file: "/b/1-vda.qcow2.part".into() }],
            incremental: Some("vpsbox-b1".into()),
            checkpoint: Some("vpsbox-b2".into()),
            reuse_files: true,
        };
        let b = backup_xml(&job);
        assert!(b.contains("<incremental>vpsbox-b1</incremental>"), "{b}");
        assert!(b.contains("<disk name='vda' backup='yes' type='file'>"), "{b}");
        assert!(b.contains("<target file='/b/1-vda.qcow2.part'/>"), "{b}");
        let c = checkpoint_xml(&job, "vpsbox-b2");
        assert!(
            c.contains("<name>vpsbox-b2</name>") && c.contains("<disk name='vda' checkpoint='bitmap'/>"),
            "{c}"
        );
        let full = crate::hv::BackupJob { incremental: None, ..job };
        assert!(!backup_xml(&full).contains("incremental"));
    }

    #[test]
    fn a_domain_mark_and_its_disks_read_back_from_libvirt_style_xml() {
        let s = with_private_nic_and_disks(spec(DomainKind::Qemu, true));
        let x = domain_xml(&s);
        assert_eq!(domain_owner(&x), s.owner);
        // As libvirt prints a definition: double quotes in metadata, attributes reordered.
        let libvirt = x.replace(
            &format!("<vpsbox:vm xmlns:vpsbox='{}' installation=", DomainOwner::NAMESPACE),
            &format!("<vpsbox:vm xmlns:vpsbox=\"{}\" installation=", DomainOwner::NAMESPACE),
        );
        let libvirt = libvirt.replace(
            &format!("installation='{}' id='7'", s.owner.unwrap().installation),
            &format!("installation=\"{}\" id=\"7\"", s.owner.unwrap().installation),
        );
        assert_eq!(domain_owner(&libvirt), s.owner, "{libvirt}");
        assert_eq!(domain_owner("<domain><name>vpsbox-x</name></domain>"), None, "no mark");
        let other = x.replace(DomainOwner::NAMESPACE, "urn:x-other:1");
        assert_eq!(domain_owner(&other), None, "another namespace is not ours");
        let files = disk_files(&x);
        assert_eq!(files[0], "/var/lib/vpsbox/disks/6f1c1f0e.qcow2");
        assert_eq!(files.len(), 2 + s.disks.len(), "{files:?}");
    }

    #[test]
    fn paths_are_escaped() {
        let mut s = spec(DomainKind::Qemu, false);
        s.disk = PathBuf::from("/tmp/a'b<c>&d.qcow2");
        let x = domain_xml(&s);
        assert!(x.contains("/tmp/a&apos;b&lt;c&gt;&amp;d.qcow2"), "{x}");
    }
}
