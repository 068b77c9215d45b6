//! Rescue mode on libvirt's test driver: entering boots the rescue disk with the server's own
//! disk kept as it is, the one-time password is the one the seed carries, leaving boots the
//! server's own system and removes the rescue system; refusals carry their codes; a crash
//! mid-way is resumed and a failed start goes back to the server's own system.

use super::tests::{actor, env, notice_kinds, ready, wait_for};
use super::*;
use crate::domain::account::Role;
use crate::domain::vm::PowerState;
use crate::service::Coded;
use crate::store::records::Step;

/// A small qcow2 image to import as the rescue system.
fn rescue_image(dir: &Path) -> PathBuf {
    let p = dir.join("rescue-src.qcow2");
    let ok = std::process::Command::new("qemu-img")
        .args(["create", "-q", "-f", "qcow2"])
        .arg(&p)
        .arg("256M")
        .status()
        .unwrap()
        .success();
    assert!(ok);
    p
}

async fn settled(e: &super::tests::Env, id: VmId) {
    wait_for("the operation to end", || e.vms().intent(id).unwrap().is_none()).await;
}

fn xml(e: &super::tests::Env, vm: &VmRecord) -> String {
    e.hv.get().unwrap().domain_xml(&vm.uuid, true).unwrap().unwrap()
}

#[tokio::test]
async fn entering_boots_the_rescue_disk_and_leaving_boots_the_servers_own() {
    let e = env().await;
    let id = e.vms().create(e.owner, e.order("web1"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let paths = e.vms().paths().clone();

    // No rescue system imported yet: refused, nothing changes.
    let err = e.vms().enter_rescue(&actor(&e), id).await.unwrap_err();
    assert_eq!(err.code(), "VM0024");
    assert!(e.vms().intent(id).unwrap().is_none());

    let src_dir = tempfile::tempdir().unwrap();
    let img = e.svc.rescue_images.import(rescue_image(src_dir.path())).await.unwrap();

    // Another customer cannot see the server, so cannot rescue it.
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let stranger = Caller::customer(other, "192.0.2.11");
    assert!(matches!(e.vms().enter_rescue(&stranger, id).await, Err(VmError::NotFound)));

    let entered = e.vms().enter_rescue(&actor(&e), id).await.unwrap();
    assert_eq!(entered.password.chars().count(), 20);
    settled(&e, id).await;
    let rec = e.vms().rescue_of(id).unwrap().expect("in rescue");
    assert_eq!(rec.image, img.id);
    assert!(
        sha_crypt::sha512_check(&entered.password, &rec.password_hash).is_ok(),
        "the seed's hash is the shown password's"
    );
    assert!(rec.instance_id.starts_with(&format!("rescue-{}", vm.uuid)));
    assert!(paths.rescue_disk(&vm.uuid).exists() && paths.rescue_seed(&vm.uuid).exists());
    assert!(paths.disk(&vm.uuid).exists() && paths.seed(&vm.uuid).exists(), "its own disk and seed stay");
    let x = xml(&e, &vm);
    assert!(x.contains(&format!("{}-rescue.qcow2", vm.uuid)), "{x}");
    assert!(x.contains(&format!("{}-rescue.img", vm.uuid)), "the rescue seed, not its own: {x}");
    assert!(x.contains(&format!("disks/{}.qcow2", vm.uuid)), "its own disk is attached: {x}");
    assert_eq!(e.domain_state(&vm), Some(PowerState::Running));
    let history: Vec<String> = e.vms().history(&vm, 20).unwrap().into_iter().map(|a| a.action).collect();
    assert!(
        history.contains(&"vm.rescue".to_string()) && history.contains(&"vm.rescued".to_string()),
        "{history:?}"
    );
    assert_eq!(notice_kinds(&e.svc, e.owner, false).first().map(String::as_str), Some("vm.rescued"));

    // In rescue: no second rescue, no reinstall, no root password through the agent.
    assert_eq!(e.vms().enter_rescue(&actor(&e), id).await.unwrap_err().code(), "VM0025");
    assert_eq!(e.vms().reinstall(&actor(&e), id, e.template).await.unwrap_err().code(), "VM0025");
    assert_eq!(
        e.vms().set_root_password(&actor(&e), id, "a new password 1").await.unwrap_err().code(),
        "VM0025"
    );
    // A reboot in rescue stays in rescue (the definition boots the rescue disk).
    e.vms().power(&actor(&e), id, PowerAction::ForceOff).await.unwrap();
    e.vms().power(&actor(&e), id, PowerAction::Start).await.unwrap();
    assert!(xml(&e, &vm).contains("-rescue.qcow2"));
    assert!(matches!(e.vms().leave_rescue(&stranger, id).await, Err(VmError::NotFound)));

    e.vms().leave_rescue(&actor(&e), id).await.unwrap();
    settled(&e, id).await;
    assert_eq!(e.vms().rescue_of(id).unwrap(), None);
    assert!(!paths.rescue_disk(&vm.uuid).exists() && !paths.rescue_seed(&vm.uuid).exists());
    let x = xml(&e, &vm);
    assert!(!x.contains("-rescue") && x.contains(&format!("seeds/{}.img", vm.uuid)), "{x}");
    assert_eq!(e.domain_state(&vm), Some(PowerState::Running));
    assert_eq!(notice_kinds(&e.svc, e.owner, false).first().map(String::as_str), Some("vm.unrescued"));
    assert_eq!(e.vms().leave_rescue(&actor(&e), id).await.unwrap_err().code(), "VM0026");

    // Suspended servers get no rescue.
    e.vms().set_suspended(&Caller::system(), id, true).await.unwrap();
    assert_eq!(e.vms().enter_rescue(&actor(&e), id).await.unwrap_err().code(), "VM0012");
}

#[tokio::test]
async fn a_crash_mid_way_is_resumed_and_a_failed_start_goes_back_to_its_own_system() {
    let e = env().await;
    let id = e.vms().create(e.owner, e.order("web2"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let src_dir = tempfile::tempdir().unwrap();
    let img = e.svc.rescue_images.import(rescue_image(src_dir.path())).await.unwrap();

    // The process "dies" once the rescue disk is made; a restarted daemon finishes the job.
    e.vms().set_halt_after(Some(Step::RescueDisk));
    e.vms().enter_rescue(&actor(&e), id).await.unwrap();
    wait_for("the halt", || e.vms().intent(id).unwrap().is_some_and(|i| i.done.contains(&Step::RescueDisk)))
        .await;
    e.vms().set_halt_after(None);
    let again = e.restart();
    again.recover().await.unwrap();
    settled(&e, id).await;
    assert!(e.vms().rescue_of(id).unwrap().is_some());
    assert!(xml(&e, &vm).contains("-rescue.qcow2"));
    e.vms().leave_rescue(&actor(&e), id).await.unwrap();
    settled(&e, id).await;

    // The rescue image's file is gone: making the rescue disk fails, and the server boots its
    // own system again with nothing of the rescue system left.
    std::fs::remove_file(e.svc.rescue_images.path_of(&img)).unwrap();
    e.vms().enter_rescue(&actor(&e), id).await.unwrap();
    settled(&e, id).await;
    assert_eq!(e.vms().rescue_of(id).unwrap(), None);
    assert!(!e.vms().paths().rescue_disk(&vm.uuid).exists());
    assert!(!xml(&e, &vm).contains("-rescue"));
    assert_eq!(e.domain_state(&vm), Some(PowerState::Running), "started again on its own disk");
    assert_eq!(e.vms().get_any(id).unwrap().power, PowerState::Running);
    assert_eq!(notice_kinds(&e.svc, e.owner, false).first().map(String::as_str), Some("vm.rescue_failed"));
    let history: Vec<String> = e.vms().history(&vm, 20).unwrap().into_iter().map(|a| a.action).collect();
    assert!(history.contains(&"vm.rescue_failed".to_string()), "{history:?}");
}
