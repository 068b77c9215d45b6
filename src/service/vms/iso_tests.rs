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

/// Upload `bytes` as `owner`'s ISO `name` through the streaming path, in chunks.
async fn upload(e: &super::tests::Env, owner: UserId, name: &str, bytes: &[u8]) -> Result<u64, String> {
    let isos = &e.svc.isos;
    let mut up = isos.begin_upload(owner).await.map_err(|e| e.code().to_string())?;
    for chunk in bytes.chunks(4096) {
        if let Err(err) = up.write(chunk).await {
            up.abort().await;
            return Err(err.code().to_string());
        }
    }
    isos.finish_upload(up, owner, name).await.map(|r| r.id).map_err(|e| e.code().to_string())
}

#[tokio::test]
async fn own_isos_are_checked_counted_and_only_their_owners() {
    let e = super::tests::env_with(|cfg| {
        cfg.isos.max_upload_mib = 1;
        cfg.quotas.iso_gb = 1;
    })
    .await;
    let id = e.vms().create(e.owner, e.order("own-cd"), &actor(&e)).await.unwrap();
    ready(&e, id).await;
    let src = tempfile::tempdir().unwrap();
    let good = std::fs::read(iso_file(src.path())).unwrap();

    // What is no ISO, too large or unnamed is refused, and nothing of it stays.
    assert_eq!(upload(&e, e.owner, "junk", &[7u8; 40_000]).await.unwrap_err(), "ISO0003");
    assert_eq!(upload(&e, e.owner, "big", &vec![0u8; (1 << 20) + 1]).await.unwrap_err(), "ISO0007");
    assert_eq!(upload(&e, e.owner, "bad name!", &good).await.unwrap_err(), "ISO0001");
    assert_eq!(upload(&e, e.owner, "empty", &[]).await.unwrap_err(), "ISO0009");
    let isos_dir = e.cfg.data_dir.join("isos");
    assert_eq!(std::fs::read_dir(&isos_dir).unwrap().count(), 0, "no staged file left");

    let mine = upload(&e, e.owner, "My-Installer", &good).await.unwrap();
    assert_eq!(upload(&e, e.owner, "my-installer", &good).await.unwrap_err(), "ISO0002");
    let own = e.svc.isos.own(e.owner).unwrap();
    assert_eq!((own.len(), own[0].0.name.as_str(), own[0].0.size), (1, "my-installer", good.len() as u64));
    assert!(e.svc.isos.list().unwrap().is_empty(), "the hoster's list shows published ISOs only");
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.iso_gb, 1, "36 KiB count as 1 GiB");

    // Another customer neither sees nor attaches nor deletes it; they have their own room.
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    assert!(e.svc.isos.own(other).unwrap().is_empty());
    assert_eq!(e.svc.isos.delete_own(other, mine).await.unwrap_err().code(), "ISO0004");
    let order =
        CreateVm { key_ids: vec![], root_password: Some("their password 1".into()), ..e.order("their-cd") };
    let theirs = e.vms().create(other, order, &Caller::customer(other, "192.0.2.11")).await.unwrap();
    ready(&e, theirs).await;
    let c = Caller::customer(other, "192.0.2.11");
    assert_eq!(
        e.vms().attach_iso(&c, theirs, mine, IsoBoot::Always, false).await.unwrap_err().code(),
        "VM0028"
    );

    // Its owner attaches it; in a drive it cannot go.
    e.vms().attach_iso(&actor(&e), id, mine, IsoBoot::Always, false).await.unwrap();
    assert_eq!(e.svc.isos.delete_own(e.owner, mine).await.unwrap_err().code(), "ISO0005");
    e.vms().detach_iso(&actor(&e), id, false).await.unwrap();

    // The quota: a second small one fits in the same GiB; with the limit lowered to none left,
    // the next is refused before a byte is written.
    let second = upload(&e, e.owner, "second", &good).await.unwrap();
    let mut limits = e.svc.quotas.overview(e.owner).unwrap().0;
    limits.iso_gb = 0;
    e.svc.quotas.set_limits(e.owner, limits, &Caller::system()).await.unwrap();
    assert_eq!(upload(&e, e.owner, "third", &good).await.unwrap_err(), "ISO0008");
    e.svc.isos.delete_own(e.owner, second).await.unwrap();

    e.svc.isos.delete_own(e.owner, mine).await.unwrap();
    assert!(e.svc.isos.own(e.owner).unwrap().is_empty());
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.iso_gb, 0);
    assert_eq!(std::fs::read_dir(&isos_dir).unwrap().count(), 0, "its file went");
}
