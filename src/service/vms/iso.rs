//! A server's CD-ROM drive: the owner puts one of the published ISO images in it, boots from it
//! (before its own disk, until the ISO is detached) or only has it attached, and detaches it.
//! The drive is part of the definition, so a change takes effect at the server's next start;
//! with `restart` the server is powered off and started again at once (the graphical console is
//! then how an installer is driven).

use super::{VmError, Vms};
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::isos::{self, VmIso};
use crate::store::tables::{ISOS, VM_ISO};

impl Vms {
    /// The ISO in `id`'s drive, with its record.
    pub fn iso_of(&self, id: VmId) -> Result<Option<(VmIso, crate::store::isos::IsoRecord)>, VmError> {
        let tx = self.store.read()?;
        let Some(v) = isos::of_vm(&tx.open_table(VM_ISO)?, id)? else { return Ok(None) };
        Ok(isos::get(&tx.open_table(ISOS)?, v.iso)?.map(|rec| (v, rec)))
    }

    /// Put ISO `iso` in `id`'s drive (`boot`: boot from it first); `restart`: power the server
    /// off and start it again now, if it runs.
    pub async fn attach_iso(
        &self,
        caller: &Caller,
        id: VmId,
        iso: u64,
        boot: bool,
        restart: bool,
    ) -> Result<(), VmError> {
        let vm = self.get(caller, id)?;
        self.hv()?;
        let (store, now, c) = (self.store.clone(), self.clock.now(), caller.clone());
        let owner = vm.owner;
        blocking(move || {
            let tx = store.write()?;
            let rec = isos::get(&tx.open_table(ISOS)?, iso)?.ok_or(VmError::IsoUnavailable)?;
            isos::set_vm(&tx, id, Some(VmIso { iso, boot }))?;
            let detail = audit::told(
                Msg::AuditIsoAttach,
                vec![("iso", rec.name.into()), ("boot", if boot { "yes" } else { "no" }.into())],
            );
            audit::record(&tx, now, &c, owner, &format!("vm:{id}"), "vm.iso_attach", detail)?;
            tx.commit()?;
            Ok::<_, VmError>(())
        })
        .await?;
        self.redefine_and_restart(id, restart).await
    }

    /// Empty `id`'s drive; `restart`: power the server off and start it again now, if it runs.
    pub async fn detach_iso(&self, caller: &Caller, id: VmId, restart: bool) -> Result<(), VmError> {
        let vm = self.get(caller, id)?;
        self.hv()?;
        let (store, now, c) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let Some(v) = isos::of_vm(&tx.open_table(VM_ISO)?, id)? else { return Err(VmError::NoIso) };
            let name = isos::get(&tx.open_table(ISOS)?, v.iso)?.map(|r| r.name).unwrap_or_default();
            isos::set_vm(&tx, id, None)?;
            audit::record(&tx, now, &c, vm.owner, &format!("vm:{id}"), "vm.iso_detach", name.as_str())?;
            tx.commit()?;
            Ok(())
        })
        .await?;
        self.redefine_and_restart(id, restart).await
    }

    /// Define `id` again from its record (under its lock); with `restart`, a running server is
    /// powered off and started on the new definition.
    async fn redefine_and_restart(&self, id: VmId, restart: bool) -> Result<(), VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let vm = self.get(&Caller::system(), id)?;
        let this = self.clone();
        blocking(move || {
            let hv = this.hv()?;
            this.define_vm(hv.as_ref(), &vm)?;
            if restart && hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
                this.book_final_traffic(hv.as_ref(), &vm);
                hv.destroy(&vm.uuid)?;
                hv.start(&vm.uuid)?;
            }
            Ok(())
        })
        .await
    }
}
