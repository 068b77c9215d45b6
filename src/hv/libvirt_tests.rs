//! Tests of the libvirt implementation, on libvirt's test driver.

use super::*;
use crate::error::Coded;

#[test]
fn stop_reasons_follow_the_responsibility_split() {
    use virt::domain::{DomainCrashedReason as C, DomainShutoffReason as S, DomainStateReason as R};
    let off = |r: S| stop_reason_of(Enum::Known(R::Shutoff(Enum::Known(r))));
    let crashed = |r: C| stop_reason_of(Enum::Known(R::Crashed(Enum::Known(r))));
    assert_eq!(off(S::Shutdown), StopReason::Guest, "the guest powered itself off");
    assert_eq!(crashed(C::Panicked), StopReason::Guest, "the guest kernel panicked");
    for r in [S::Crashed, S::Failed, S::Daemon] {
        assert_eq!(off(r), StopReason::Platform, "{r:?}");
    }
    assert_eq!(crashed(C::Unknown), StopReason::Platform);
    assert_eq!(off(S::Destroyed), StopReason::Destroyed, "vpsbox's force-off, or someone else's");
    for r in [S::Saved, S::Migrated, S::Unknown, S::FromSnapshot] {
        assert_eq!(off(r), StopReason::Other, "{r:?}");
    }
}

#[test]
fn test_driver_describes_itself() {
    let hv = Libvirt::connect(TEST_URI).unwrap();
    let info = hv.describe().unwrap();
    assert_eq!(info.driver, "TEST");
    assert_eq!(info.uri, TEST_URI);
    assert!(info.libvirt_version.starts_with(|c: char| c.is_ascii_digit()));
}

fn spec() -> VmSpec {
    let uuid = Uuid::new_v4();
    VmSpec {
        name: VmSpec::domain_name(&uuid),
        uuid,
        kind: DomainKind::Test,
        vcpus: 1,
        memory_mib: 256,
        disk: "/nonexistent/disk.qcow2".into(),
        seed: None,
        serial_log: None,
        nics: vec![],
        disks: vec![],
        owner: None,
        cpu: Default::default(),
        rescue: None,
        cdrom: None,
    }
}

#[test]
fn a_domain_carries_its_installation_and_vm_in_libvirt_metadata() {
    let hv = Libvirt::connect(TEST_URI).unwrap();
    let installation = Uuid::new_v4();
    let s = VmSpec {
        owner: Some(crate::domain::vm::DomainOwner { installation, vm: crate::domain::vm::VmId(42) }),
        ..spec()
    };
    hv.define(&s).unwrap();
    let xml = hv.domain(&s.uuid).unwrap().xml_desc(0).unwrap();
    let ours =
        xml.lines().find(|l| l.contains(crate::domain::vm::DomainOwner::NAMESPACE)).unwrap_or_default();
    assert!(ours.contains(&installation.to_string()) && ours.contains("42"), "libvirt kept it:\n{xml}");
    hv.undefine(&s.uuid).unwrap();
}

#[test]
fn lifecycle_on_the_test_driver() {
    let hv = Libvirt::connect(TEST_URI).unwrap();
    assert!(hv.domain_kinds().unwrap().contains(&DomainKind::Test));
    let s = spec();
    assert_eq!(hv.state(&s.uuid).unwrap(), None);
    hv.define(&s).unwrap();
    hv.define(&s).unwrap(); // idempotent
    assert_eq!(hv.state(&s.uuid).unwrap(), Some(PowerState::Shutoff));
    hv.start(&s.uuid).unwrap();
    assert_eq!(hv.state(&s.uuid).unwrap(), Some(PowerState::Running));
    let again = hv.start(&s.uuid);
    assert!(again.is_err(), "starting a running domain fails");
    hv.reset(&s.uuid).unwrap();
    hv.reboot(&s.uuid).unwrap();
    assert!(hv.list("vpsbox-").unwrap().iter().any(|d| d.uuid == s.uuid && d.state == PowerState::Running));
    hv.shutdown(&s.uuid).unwrap();
    assert_eq!(hv.state(&s.uuid).unwrap(), Some(PowerState::Shutoff));
    hv.start(&s.uuid).unwrap();
    hv.destroy(&s.uuid).unwrap();
    assert_eq!(hv.stop_reason(&s.uuid).unwrap(), Some(StopReason::Destroyed));
    hv.undefine(&s.uuid).unwrap();
    assert_eq!(hv.state(&s.uuid).unwrap(), None);
    assert!(matches!(hv.start(&s.uuid), Err(HvError::NoDomain(_))));
}

#[test]
fn every_domains_statistics_in_one_call() {
    let hv = Libvirt::connect(TEST_URI).unwrap();
    let s = spec();
    hv.define(&s).unwrap();
    hv.start(&s.uuid).unwrap();
    let ours = |hv: &Libvirt| hv.domain_stats().unwrap().into_iter().find(|d| d.uuid == s.uuid);
    assert!(ours(&hv).expect("the domain is listed").running);
    hv.destroy(&s.uuid).unwrap();
    assert!(!ours(&hv).expect("a stopped domain too").running);
    hv.undefine(&s.uuid).unwrap();
    assert!(ours(&hv).is_none());
}

#[test]
fn bad_uri_is_a_connect_error() {
    let err = Libvirt::connect("nosuchdriver:///x").err().unwrap();
    assert_eq!(err.code(), "HV0001");
}
