//! Rescue mode: the owner boots the hoster's rescue system with the server's own disks
//! attached (not mounted) and logs in as root with a one-time password, shown once, or the
//! server's SSH keys; leaving rescue boots the server's own system again.
//!
//! Entering and leaving are intents like reinstall: the rescue record is written (or removed)
//! in the transaction that begins the operation, so every definition made from then on
//! ([`Vms::spec_of`]) boots the rescue disk (or not), and a crash at any step is resumed. The
//! rescue system's disk is a fresh overlay on the current rescue image for every stay, its seed
//! a NoCloud seed with an instance id of its own, the server's addresses and the one-time
//! password: nothing of the server's own disk or seed is touched.

use super::ops::load_vm;
use super::{VmError, Vms};
use crate::domain::cloudinit::SeedInput;
use crate::domain::vm::PowerState;
use crate::domain::vm::VmId;
use crate::host::{images, seed};
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::notices::{notify_in, told};
use crate::store::notices::Audience;
use crate::store::operations::{self, OpState};
use crate::store::records::{IntentOp, VmRecord};
use crate::store::records::{IntentRecord, Step};
use crate::store::rescue::{self, RescueRecord};
use crate::store::tables::{INTENTS, VMS};
use crate::store::tables::{RESCUE_IMAGES, VM_RESCUE};
use crate::store::vms;

/// What entering rescue gave the owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RescueEntered {
    /// The operation that boots the rescue system.
    pub operation: u64,
    /// The rescue system's root password: shown once, never kept in plain text.
    pub password: String,
}

impl Vms {
    /// The rescue record of `id`, if it is in rescue.
    pub fn rescue_of(&self, id: VmId) -> Result<Option<RescueRecord>, VmError> {
        Ok(rescue::of(&self.store.read()?.open_table(VM_RESCUE)?, id)?)
    }

    /// Boot `id` into the current rescue system (powering it off first). Refused for a
    /// suspended server, one in rescue already, or where no rescue image was imported.
    pub async fn enter_rescue(&self, caller: &Caller, id: VmId) -> Result<RescueEntered, VmError> {
        let vm = self.get(caller, id)?;
        if vm.suspended {
            return Err(VmError::Suspended);
        }
        self.hv()?;
        let password = crate::service::tokens::random_password();
        let pw = password.clone();
        let hash = blocking(move || super::create::hash_root_password(&pw)).await?;
        let now = self.clock.now();
        let operation = self
            .begin(caller, id, IntentOp::Rescue, move |vm, tx| {
                if rescue::of(&tx.open_table(VM_RESCUE)?, vm.id)?.is_some() {
                    return Err(VmError::InRescue);
                }
                let image = rescue::current(&tx.open_table(RESCUE_IMAGES)?)?.ok_or(VmError::NoRescueImage)?;
                let rec = RescueRecord {
                    vm: vm.id,
                    image: image.id,
                    since: now,
                    password_hash: hash,
                    instance_id: format!("rescue-{}-{}", vm.uuid, now.as_secs()),
                };
                rescue::put(tx, &rec)?;
                Ok(audit::told(Msg::AuditRescue, vec![("image", image.id.into())]))
            })
            .await?;
        Ok(RescueEntered { operation, password })
    }

    /// Boot `id`'s own system again and remove the rescue system's disk.
    pub async fn leave_rescue(&self, caller: &Caller, id: VmId) -> Result<u64, VmError> {
        self.get(caller, id)?;
        self.hv()?;
        self.begin(caller, id, IntentOp::Unrescue, |vm, tx| {
            if tx.open_table(VM_RESCUE)?.remove(vm.id.0)?.is_none() {
                return Err(VmError::NotInRescue);
            }
            Ok(vm.hostname.clone().into())
        })
        .await
    }

    /// The rescue system's disk and seed (the `RescueDisk` step): a fresh overlay on the image
    /// the record names, and a seed with its own instance id, the server's addresses, the
    /// one-time password and the server's SSH keys for root.
    pub(super) fn make_rescue_files(&self, vm: &VmRecord) -> Result<(), VmError> {
        let tx = self.store.read()?;
        let rec = rescue::of(&tx.open_table(VM_RESCUE)?, vm.id)?.ok_or(VmError::NotInRescue)?;
        let img = rescue::image(&tx.open_table(RESCUE_IMAGES)?, rec.image)?.ok_or(VmError::NoRescueImage)?;
        drop(tx);
        images::ensure_dir(&self.paths.disks())?;
        images::ensure_dir(&self.paths.seeds())?;
        // A little room beyond the image, for what the customer copies off their disk.
        let size_gb = crate::domain::catalog::gib_ceil(img.virtual_size) + 1;
        images::create_overlay(
            &self.rescue_images.path_of(&img),
            img.format,
            &self.paths.rescue_disk(&vm.uuid),
            size_gb,
        )?;
        let input = SeedInput {
            instance_id: rec.instance_id,
            hostname: vm.hostname.clone(),
            root_password_hash: Some(rec.password_hash),
            ssh_keys: vm.ssh_keys.clone(),
            login_user: None,
            nics: self.guest_nics(vm)?,
        };
        Ok(seed::write_seed(&self.paths.rescue_seed(&vm.uuid), &input, self.clock.now())?)
    }

    /// Remove the rescue system's disk and seed (the `RemoveRescue` step; also when a server
    /// is deleted).
    pub(super) fn remove_rescue_files(&self, vm: &VmRecord) -> Result<(), VmError> {
        images::remove_if_exists(&self.paths.rescue_disk(&vm.uuid))?;
        images::remove_if_exists(&self.paths.rescue_seed(&vm.uuid))?;
        Ok(())
    }

    /// A rescue that failed: back to the server's own system before the operation ends. The
    /// rescue record goes first (so the definition is its own), then the server is defined and
    /// started on its disk (best effort: reconcile makes a missing definition again), then the
    /// intent ends. A crash in between resumes the intent, whose rescue step then fails (no
    /// record) and comes here again.
    pub(super) async fn rescue_failed(
        &self,
        intent: IntentRecord,
        code: String,
        message: String,
    ) -> Result<(), VmError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let this = self.clone();
        blocking(move || {
            let tx = store.write()?;
            let vm = load_vm(&tx.open_table(VMS)?, intent.vm)?;
            tx.open_table(crate::store::tables::VM_RESCUE)?.remove(intent.vm.0)?;
            tx.commit()?;
            for step in [Step::Stop, Step::Define, Step::Start, Step::RemoveRescue] {
                if let Err(e) = this.do_step(&vm, step) {
                    tracing::warn!(vm = %vm.id, ?step, "cleanup after failed rescue: {e}");
                }
            }
            let power = this.hv().and_then(|hv| Ok(hv.state(&vm.uuid)?)).ok().flatten();
            let tx = store.write()?;
            let mut vm = load_vm(&tx.open_table(VMS)?, intent.vm)?;
            tx.open_table(INTENTS)?.remove(intent.vm.0)?;
            let failed = OpState::Failed { code: code.clone(), message: message.clone() };
            operations::end(&tx, intent.vm, failed, now)?;
            vm.power = power.unwrap_or(PowerState::Shutoff);
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            super::log_system(&tx, now, &vm, "vm.rescue_failed", format!("{code}: {message}"))?;
            if let Some(n) = rescue_notice(IntentOp::Rescue, &vm, Some(&code)) {
                notify_in(&tx, now, Audience::User(vm.owner), n)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

/// What the owner is told when entering (`failed`: with this code) or leaving rescue ends.
pub(super) fn rescue_notice(
    op: IntentOp,
    vm: &VmRecord,
    failed: Option<&str>,
) -> Option<crate::store::notices::NewNotice<'static>> {
    let link = Some(format!("/vms/{}", vm.id));
    let host = ("hostname", vm.hostname.clone().into());
    Some(match (op, failed) {
        (IntentOp::Rescue, Some(code)) => told(
            "vm.rescue_failed",
            Msg::NoticeRescueFailed,
            None,
            vec![host, ("code", code.to_string().into())],
            link,
        ),
        (IntentOp::Rescue, None) => {
            told("vm.rescued", Msg::NoticeRescueReady, Some(Msg::NoticeRescueReadyBody), vec![host], link)
        }
        (IntentOp::Unrescue, _) => told("vm.unrescued", Msg::NoticeRescueLeft, None, vec![host], link),
        _ => return None,
    })
}
