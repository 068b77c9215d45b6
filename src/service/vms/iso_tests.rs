//! The CD-ROM drive on libvirt's test driver: a published ISO put in (booting from it first,
//! or only attached) and taken out reaches the definition; refusals carry their codes; an ISO
//! in a drive cannot be deleted.

use super::tests::{actor, env, ready};
use super::*;
use crate::domain::account::Role;
use crate::service::Coded;
use crate::store::isos::IsoBoot;

/// A minimal ISO 9660 file: a volume descriptor at sector 16.
fn iso_file(dir: &Path) -> PathBuf {
    let p = dir.join("test.iso");
    let mut bytes = vec![0u8; 18 * 2048];
    bytes[16 * 2048] = 1;
    bytes[16 * 2048 + 1..16 * 2048 + 6].copy_from_slice(b"CD001");
    std::fs::write(&p, bytes).unwrap();
    p
}

#[tokio::test]
async fn an_iso_goes_into_the_drive_boots_first_and_comes_out() {
    let e = env().await;
    let id = e.vms().create(e.owner, e.order("cd"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let src = tempfile::tempdir().unwrap();
    let iso = e.svc.isos.import(iso_file(src.path()), "installer".into()).await.unwrap();
    let xml = || e.hv.get().unwrap().domain_xml(&vm.uuid, true).unwrap().unwrap();

    assert_eq!(
        e.vms().attach_iso(&actor(&e), id, 999, IsoBoot::Always, false).await.unwrap_err().code(),
        "VM0028"
    );
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let stranger = Caller::customer(other, "192.0.2.11");
    assert!(matches!(
        e.vms().attach_iso(&stranger, id, iso.id, IsoBoot::Always, false).await,
        Err(VmError::NotFound)
    ));

    e.vms().attach_iso(&actor(&e), id, iso.id, IsoBoot::Always, true).await.unwrap();
    let x = xml();
    assert!(x.contains("device='cdrom'") && x.contains(&iso.file), "{x}");
    assert_eq!(x.matches("<boot order=").count(), 2, "the CD first, then the disk: {x}");
    assert_eq!(
        e.vms().iso_of(id).unwrap().unwrap().0,
        crate::store::isos::VmIso { iso: iso.id, boot: IsoBoot::Always }
    );
    assert_eq!(e.svc.isos.delete(iso.id).await.unwrap_err().code(), "ISO0005");

    // Attached only: the disk boots.
    e.vms().attach_iso(&actor(&e), id, iso.id, IsoBoot::No, false).await.unwrap();
    let x = xml();
    assert!(x.contains("device='cdrom'") && !x.contains("<boot order="), "{x}");

    e.vms().detach_iso(&actor(&e), id, true).await.unwrap();
    assert!(!xml().contains("cdrom"));
    assert_eq!(e.vms().detach_iso(&actor(&e), id, false).await.unwrap_err().code(), "VM0029");
    let history: Vec<String> = e.vms().history(&vm, 20).unwrap().into_iter().map(|a| a.action).collect();
    assert!(
        history.contains(&"vm.iso_attach".into()) && history.contains(&"vm.iso_detach".into()),
        "{history:?}"
    );
    e.svc.isos.delete(iso.id).await.unwrap();
}
