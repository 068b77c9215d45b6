//! A server's CD-ROM drive: the owner puts one of the published ISO images (or one of their
//! own, `service::iso_uploads`) in it, boots from it
//! (before its own disk: once, or until the ISO is detached) or only has it attached, and
//! detaches it. "Once": when a server that booted from the ISO reboots (libvirt's reboot
//! event: an installer finished), vpsbox powers it off and starts it on its disk.
//! The drive is part of the definition, so a change takes effect at the server's next start;
//! with `restart` the server is powered off and started again at once (the graphical console is
//! then how an installer is driven).

use super::{VmError, Vms};
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::isos::{self, IsoBoot, IsoRecord, VmIso};
use crate::store::tables::{ISO_OWNERS, ISOS, VM_ISO, VMS};

/// A server's drive as its owner sees it.
#[derive(Debug, Clone)]
pub struct Drive {
    /// The ISO in it, with how the server boots from it.
    pub loaded: Option<(VmIso, IsoRecord)>,
    /// The ISOs that may go in: the published ones, then its owner's own (`true`).
    pub offered: Vec<(IsoRecord, bool)>,
}

impl Vms {
    /// `id`'s drive as `caller` may see it, read in one transaction.
    pub fn drive(&self, caller: &Caller, id: VmId) -> Result<Drive, VmError> {
        let tx = self.store.read()?;
        let vm = super::ops::load_vm(&tx.open_table(VMS)?, id)?;
        if !caller.sees(vm.owner) {
            return Err(VmError::NotFound);
        }
        let owners = tx.open_table(ISO_OWNERS)?;
        let mut offered = Vec::new();
        for iso in isos::offered_to(isos::all(&tx.open_table(ISOS)?)?, &owners, Some(vm.owner))? {
            let own = isos::owner_of(&owners, iso.id)?.is_some();
            offered.push((iso, own));
        }
        let loaded = isos::of_vm(&tx.open_table(VM_ISO)?, id)?
            .and_then(|v| offered.iter().find(|(i, _)| i.id == v.iso).map(|(i, _)| (v, i.clone())));
        Ok(Drive { loaded, offered })
    }

    /// The ISO in `id`'s drive, with its record.
    pub fn iso_of(&self, id: VmId) -> Result<Option<(VmIso, crate::store::isos::IsoRecord)>, VmError> {
        let tx = self.store.read()?;
        let Some(v) = isos::of_vm(&tx.open_table(VM_ISO)?, id)? else { return Ok(None) };
        Ok(isos::get(&tx.open_table(ISOS)?, v.iso)?.map(|rec| (v, rec)))
    }

    /// Put ISO `iso` in `id`'s drive, booting from it as `boot` says; `restart`: power the
    /// server off and start it again now, if it runs.
    pub async fn attach_iso(
        &self,
        caller: &Caller,
        id: VmId,
        iso: u64,
        boot: IsoBoot,
        restart: bool,
    ) -> Result<(), VmError> {
        let vm = self.get(caller, id)?;
        self.hv()?;
        let (store, now, c) = (self.store.clone(), self.clock.now(), caller.clone());
        let owner = vm.owner;
        blocking(move || {
            let tx = store.write()?;
            // A published ISO, or one of the server's owner's own.
            let theirs = isos::owner_of(&tx.open_table(ISO_OWNERS)?, iso)?.is_none_or(|o| o == owner);
            let rec =
                isos::get(&tx.open_table(ISOS)?, iso)?.filter(|_| theirs).ok_or(VmError::IsoUnavailable)?;
            isos::set_vm(&tx, id, Some(VmIso { iso, boot }))?;
            let detail = audit::told(
                Msg::AuditIsoAttach,
                vec![("iso", rec.name.into()), ("boot", boot.as_str().into())],
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

    /// A domain rebooted: if it booted from an ISO meant to boot once (its live definition has
    /// the CD-ROM first), the ISO stays in the drive but boots no more, and the server is
    /// powered off and started on its disk. Returns whether it did that.
    pub async fn after_reboot(&self, uuid: &uuid::Uuid) -> Result<bool, VmError> {
        let id = {
            let tx = self.store.read()?;
            match tx.open_table(crate::store::tables::VM_BY_UUID)?.get(uuid.to_string().as_str())? {
                Some(v) => VmId(v.value()),
                None => return Ok(false),
            }
        };
        let Some((v, rec)) = self.iso_of(id)? else { return Ok(false) };
        if v.boot != IsoBoot::Once {
            return Ok(false);
        }
        let hv = self.hv()?;
        let u = *uuid;
        let live = blocking(move || Ok::<_, VmError>(hv.domain_xml(&u, false)?)).await?.unwrap_or_default();
        if !booted_from_cd(&live) {
            return Ok(false);
        }
        let (store, now, name) = (self.store.clone(), self.clock.now(), rec.name.clone());
        blocking(move || {
            let tx = store.write()?;
            isos::set_vm(&tx, id, Some(VmIso { iso: v.iso, boot: IsoBoot::No }))?;
            let vm = super::ops::load_vm(&tx.open_table(crate::store::tables::VMS)?, id)?;
            super::log_system(&tx, now, &vm, "vm.iso_once_done", name.as_str())?;
            tx.commit()?;
            Ok::<_, VmError>(())
        })
        .await?;
        self.redefine_and_restart(id, true).await?;
        tracing::info!(vm = %id, iso = rec.name, "booted the ISO once; now its disk");
        Ok(true)
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

/// Whether a running domain's live XML boots its CD-ROM first.
fn booted_from_cd(live_xml: &str) -> bool {
    live_xml.split("<disk ").any(|d| {
        let d = d.split("</disk>").next().unwrap_or("");
        (d.contains("device='cdrom'") || d.contains("device=\"cdrom\""))
            && (d.contains("<boot order='1'/>") || d.contains("<boot order=\"1\"/>"))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cd_first_in_the_live_xml_is_found() {
        let cd =
            "<devices><disk type='file' device='cdrom'>\n<source file='/x.iso'/>\n<boot order='1'/>\n</disk>";
        assert!(super::booted_from_cd(cd));
        let disk_first = "<disk type='file' device='disk'><boot order='1'/></disk><disk type='file' device='cdrom'><boot order='2'/></disk>";
        assert!(!super::booted_from_cd(disk_first));
        assert!(!super::booted_from_cd("<disk type='file' device='cdrom'></disk>"));
    }
}
