//! libvirt domain XML, built by pure functions from a [`VmSpec`] (golden-file tested).

use std::fmt::Write;

use crate::domain::disk::DiskSpec;
use crate::domain::firewall::{Action, Firewall, Protocol};
use crate::domain::privnet::{NetId, NetworkOwner, NetworkSpec};
use crate::domain::vm::{
    CpuLimits, DomainKind, DomainOwner, FilterSpec, NicLink, NicSpec, RESCUE_TARGET, VmId, VmSpec,
};

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
    // In rescue the rescue disk is the first to boot, else an ISO to boot from, then the
    // system disk: a device's boot order, which libvirt allows only without `<boot dev>`.
    let from_cd = spec.rescue.is_none() && spec.cdrom.as_ref().is_some_and(|c| c.boot);
    let by_device = spec.rescue.is_some() || from_cd;
    let boot = if by_device { "" } else { "\n    <boot dev='hd'/>" };
    let _ = writeln!(x, "  <os>\n    <type arch='x86_64'>hvm</type>{boot}\n  </os>");
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
         <source file='{}'/>\n      <target dev='vda' bus='virtio'/>{}\n    </disk>",
        esc(&spec.disk.to_string_lossy()),
        if from_cd { "\n      <boot order='2'/>" } else { "" }
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
    if let Some(cd) = &spec.cdrom {
        let _ = writeln!(
            x,
            "    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n      \
             <source file='{}'/>\n      <target dev='sda' bus='sata'/>\n      <readonly/>{}\n    </disk>",
            esc(&cd.path.to_string_lossy()),
            if from_cd { "\n      <boot order='1'/>" } else { "" }
        );
    }
    if let Some(rescue) = &spec.rescue {
        let _ = writeln!(
            x,
            "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2' discard='unmap'/>\n      \
             <source file='{}'/>\n      <target dev='{RESCUE_TARGET}' bus='virtio'/>\n      <boot order='1'/>\n    </disk>",
            esc(&rescue.to_string_lossy())
        );
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
    if let Some(s) = nic.speed.filter(|_| nic.shape != crate::domain::vm::ShapeWays::NONE) {
        let (rate, burst) = (s.kbytes_per_sec(), s.burst_kbytes());
        let _ = writeln!(x, "{ind}  <bandwidth>");
        for (way, on) in [("inbound", nic.shape.inbound), ("outbound", nic.shape.outbound)] {
            if on {
                let _ = writeln!(x, "{ind}    <{way} average='{rate}' peak='{rate}' burst='{burst}'/>");
            }
        }
        let _ = writeln!(x, "{ind}  </bandwidth>");
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

/// Whether the QEMU guest agent answers on its port, from a running domain's live XML (libvirt
/// sets the channel target's `state` to `connected` while the agent in the guest holds it).
/// `None` when the domain has no agent port or libvirt does not say.
pub fn agent_connected(live_xml: &str) -> Option<bool> {
    let tag = tag_around(live_xml, "name='org.qemu.guest_agent.0'")
        .or_else(|| tag_around(live_xml, "name=\"org.qemu.guest_agent.0\""))?;
    attr(tag, "state").map(|s| s == "connected")
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
#[path = "xml_tests.rs"]
mod tests;
