//! Golden files of the domain, network and filter XML, checked by libvirt's own schemas.

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
        rescue: None,
        cdrom: None,
    }
}

fn with_public_nic(mut s: VmSpec) -> VmSpec {
    s.nics = vec![NicSpec {
        mac: "02:76:00:00:00:07".into(),
        link: NicLink::Bridge("br0".into()),
        filter: Some(FilterSpec::name_of(&s.uuid)),
        speed: None,
        shape: crate::domain::vm::ShapeWays::BOTH,
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
        speed: None,
        shape: crate::domain::vm::ShapeWays::BOTH,
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
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/hv/testdata").join(format!("{name}.xml"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(actual, expected, "{name}.xml differs; rerun with UPDATE_GOLDEN=1 if the change is intended");
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
        let kind =
            ["domain", "network", "filter"].into_iter().find(|k| text.starts_with(&format!("<{k}"))).unwrap();
        let schema = if kind == "filter" { "nwfilter" } else { kind };
        let out = std::process::Command::new("virt-xml-validate").arg(&path).arg(schema).output().unwrap();
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
fn a_port_speed_shapes_the_public_interface_both_ways() {
    let mut s = with_public_nic(spec(DomainKind::Qemu, true));
    s.nics[0].speed = crate::domain::vm::PortSpeed::new(100);
    let x = domain_xml(&s);
    golden("qemu-port-speed", &x);
    assert!(x.contains("<inbound average='12500' peak='12500' burst='1250'/>"), "{x}");
    assert!(x.contains("<outbound average='12500' peak='12500' burst='1250'/>"), "{x}");
    assert_eq!(crate::domain::vm::PortSpeed::new(0), None);
    assert_eq!(
        crate::domain::vm::PortSpeed::new(1).map(|p| p.burst_kbytes()),
        Some(64),
        "a floor for slow ports"
    );
    // On a kernel that cannot shape inbound (no sch_sfq), what the server sends only; on one
    // that can do neither, no <bandwidth> at all.
    s.nics[0].shape.inbound = false;
    let x = domain_xml(&s);
    golden("qemu-port-speed-outbound", &x);
    assert!(!x.contains("<inbound") && x.contains("<outbound average='12500'"), "{x}");
    s.nics[0].shape = crate::domain::vm::ShapeWays::NONE;
    assert!(!domain_xml(&s).contains("<bandwidth>"));
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
fn a_server_in_rescue_boots_the_rescue_disk_and_keeps_its_own() {
    let mut s = with_private_nic_and_disks(spec(DomainKind::Qemu, true));
    s.seed = Some(PathBuf::from("/var/lib/vpsbox/seeds/6f1c1f0e-rescue.img"));
    s.rescue = Some(PathBuf::from("/var/lib/vpsbox/disks/6f1c1f0e-rescue.qcow2"));
    let x = domain_xml(&s);
    golden("qemu-rescue", &x);
    assert!(!x.contains("<boot dev="), "a device's boot order excludes <boot dev>: {x}");
    let rescue = x.find("6f1c1f0e-rescue.qcow2").unwrap();
    assert!(x[rescue..].find("<target dev='vdz'").unwrap() < x[rescue..].find("<boot order='1'/>").unwrap());
    assert_eq!(x.matches("<boot order=").count(), 1, "{x}");
    assert!(x.contains("<source file='/var/lib/vpsbox/disks/6f1c1f0e.qcow2'/>\n      <target dev='vda'"));
    s.rescue = None;
    assert!(domain_xml(&s).contains("<boot dev='hd'/>"));
}

#[test]
fn qemu_domain_with_public_nic_matches_golden() {
    golden("qemu-public-nic", &domain_xml(&with_public_nic(spec(DomainKind::Qemu, true))));
}

#[test]
fn qemu_domain_with_private_nic_and_disks_matches_golden() {
    golden("qemu-private-nic-disks", &domain_xml(&with_private_nic_and_disks(spec(DomainKind::Qemu, true))));
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

#[test]
fn the_agent_state_is_read_from_the_live_channel() {
    let live = |state: &str| {
        format!(
            "<domain><devices><channel type='unix'>\n<source mode='bind' path='/run/x.sock'/>\n\
             <target type='virtio' name='org.qemu.guest_agent.0'{state}/>\n</channel></devices></domain>"
        )
    };
    assert_eq!(agent_connected(&live(" state='connected'")), Some(true));
    assert_eq!(agent_connected(&live(" state='disconnected'")), Some(false));
    assert_eq!(agent_connected(&live("")), None);
    assert_eq!(agent_connected("<domain><devices/></domain>"), None);
}

#[test]
fn an_iso_to_boot_from_comes_before_the_system_disk_and_rescue_before_both() {
    let mut s = with_public_nic(spec(DomainKind::Qemu, true));
    s.cdrom =
        Some(crate::domain::vm::CdRom { path: PathBuf::from("/var/lib/vpsbox/isos/iso-1.iso"), boot: true });
    let x = domain_xml(&s);
    golden("qemu-iso-boot", &x);
    assert!(!x.contains("<boot dev="), "{x}");
    let cd = x.find("device='cdrom'").unwrap();
    assert!(x[cd..].find("<boot order='1'/>").unwrap() < x[cd..].find("</disk>").unwrap(), "{x}");
    let vda = x.find("<target dev='vda'").unwrap();
    assert!(x[vda..].starts_with("<target dev='vda' bus='virtio'/>\n      <boot order='2'/>"), "{x}");
    // Attached, not booted from: the disk boots as ever.
    s.cdrom =
        Some(crate::domain::vm::CdRom { path: PathBuf::from("/var/lib/vpsbox/isos/iso-1.iso"), boot: false });
    let x = domain_xml(&s);
    assert!(
        x.contains("<boot dev='hd'/>") && x.contains("device='cdrom'") && !x.contains("<boot order"),
        "{x}"
    );
    // In rescue the rescue disk boots; the ISO stays in the drive.
    s.cdrom =
        Some(crate::domain::vm::CdRom { path: PathBuf::from("/var/lib/vpsbox/isos/iso-1.iso"), boot: true });
    s.rescue = Some(PathBuf::from("/var/lib/vpsbox/disks/6f1c1f0e-rescue.qcow2"));
    let x = domain_xml(&s);
    assert_eq!(x.matches("<boot order=").count(), 1, "{x}");
    assert!(x.contains("<target dev='vdz' bus='virtio'/>\n      <boot order='1'/>"), "{x}");
}
