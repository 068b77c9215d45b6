//! Devices a customer plugs into a VM after create: private network interfaces and extra disks.
//!
//! Attach records the change first, then redefines the domain (its persistent definition comes
//! from the records, see `spec_of`) and hot-plugs the device into a running guest; if the
//! hypervisor refuses, the record change is taken back. Detach unplugs from the running guest
//! first, then records and redefines, so a VM never runs with a device its records lack.

use super::network::ready_vm;
use super::{VmError, Vms};
use crate::domain::disk::{DiskId, DiskSpec, serial_of, target_of};
use crate::domain::privnet::{self, NetId};
use crate::domain::vm::{DomainKind, NicLink, NicSpec, VmId, mac_of};
use crate::hv::Device;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::disks::{self, DiskError};
use crate::service::privnets::{self, Port};
use crate::store::records::{DiskRecord, VmRecord};

impl Vms {
    /// The interface of a VM on a private network.
    pub(crate) fn private_nic(&self, vm: VmId, port: &Port) -> Result<NicSpec, VmError> {
        Ok(NicSpec {
            mac: mac_of(vm, port.slot).ok_or(VmError::MacSpace)?,
            link: NicLink::Network(privnet::network_name(port.net)),
            filter: None,
            speed: None,
            shape: self.shape,
        })
    }

    /// How an attached disk appears in the domain.
    pub(crate) fn disk_spec(&self, d: &DiskRecord) -> Option<DiskSpec> {
        let (_, slot) = d.attached?;
        Some(DiskSpec { path: self.paths.volume(d.id), target: target_of(slot), serial: serial_of(d.id) })
    }

    /// Put a VM on one of its owner's private networks; a running VM gets the interface at once,
    /// and the seed carries its address to the guest's next boot.
    pub async fn attach_network(&self, caller: &Caller, id: VmId, net: NetId) -> Result<Port, VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let (vm, port) = blocking(move || {
            let tx = store.write()?;
            let vm = ready_vm(&tx, &caller, id)?;
            let port = privnets::join_in(&tx, vm.owner, vm.id, net)?;
            let detail = format!("{} {}", port.name, port.address);
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.net_attach", &detail)?;
            tx.commit()?;
            Ok::<_, VmError>((vm, port))
        })
        .await?;
        let device = Device::Nic(self.private_nic(vm.id, &port)?);
        if let Err(e) = self.plug(&vm, device).await {
            let store = self.store.clone();
            blocking(move || {
                let tx = store.write()?;
                privnets::leave_in(&tx, id, net)?;
                tx.commit()?;
                Ok::<_, VmError>(())
            })
            .await?;
            self.redefine(&vm).await;
            return Err(e);
        }
        self.rewrite_seed(&vm).await;
        Ok(port)
    }

    /// Take a VM off a private network.
    pub async fn detach_network(&self, caller: &Caller, id: VmId, net: NetId) -> Result<(), VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let vm = self.ready_now(caller, id)?;
        let port =
            self.ports(&vm)?.into_iter().find(|p| p.net == net).ok_or(privnets::NetError::NotAttached)?;
        self.unplug(&vm, Device::Nic(self.private_nic(vm.id, &port)?)).await?;
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let vm = blocking(move || {
            let tx = store.write()?;
            let vm = ready_vm(&tx, &caller, id)?;
            privnets::leave_in(&tx, id, net)?;
            let detail = format!("{} {}", port.name, port.address);
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.net_detach", &detail)?;
            tx.commit()?;
            Ok::<_, VmError>(vm)
        })
        .await?;
        self.redefine(&vm).await;
        self.rewrite_seed(&vm).await;
        Ok(())
    }

    /// Attach one of the owner's disks to a VM; a running guest sees it at once.
    pub async fn attach_disk(&self, caller: &Caller, id: VmId, disk: DiskId) -> Result<DiskRecord, VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let (vm, rec) = blocking(move || {
            let tx = store.write()?;
            let vm = ready_vm(&tx, &caller, id)?;
            let rec = disks::attach_in(&tx, vm.owner, vm.id, disk)?;
            let device = rec.attached.map(|(_, s)| target_of(s)).unwrap_or_default();
            let detail = audit::told(
                crate::i18n::Msg::AuditDiskAttach,
                vec![("disk", rec.name.clone().into()), ("device", device.into())],
            );
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.disk_attach", detail)?;
            tx.commit()?;
            Ok::<_, VmError>((vm, rec))
        })
        .await?;
        let spec = self.disk_spec(&rec).ok_or(DiskError::NotAttached)?;
        if let Err(e) = self.plug(&vm, Device::Disk(spec)).await {
            let store = self.store.clone();
            blocking(move || {
                let tx = store.write()?;
                disks::detach_in(&tx, id, disk)?;
                tx.commit()?;
                Ok::<_, VmError>(())
            })
            .await?;
            self.redefine(&vm).await;
            return Err(e);
        }
        Ok(rec)
    }

    /// Detach a disk from a VM (a running guest is asked to release it first).
    pub async fn detach_disk(&self, caller: &Caller, id: VmId, disk: DiskId) -> Result<(), VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let vm = self.ready_now(caller, id)?;
        let rec =
            self.attached_disks(&vm)?.into_iter().find(|d| d.id == disk).ok_or(DiskError::NotAttached)?;
        let covering = self.snapshots(caller, id)?.iter().filter(|s| s.disks.contains(&disk.0)).count();
        if covering > 0 {
            return Err(VmError::HasSnapshots(covering));
        }
        let spec = self.disk_spec(&rec).ok_or(DiskError::NotAttached)?;
        self.unplug(&vm, Device::Disk(spec)).await?;
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let vm = blocking(move || {
            let tx = store.write()?;
            let vm = ready_vm(&tx, &caller, id)?;
            let rec = disks::detach_in(&tx, id, disk)?;
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.disk_detach", &rec.name)?;
            tx.commit()?;
            Ok::<_, VmError>(vm)
        })
        .await?;
        self.redefine(&vm).await;
        Ok(())
    }

    /// Grow a disk (quota checked for the growth). A disk attached to a running VM grows live
    /// and the guest sees the new size at once; otherwise the image is resized.
    pub async fn grow_disk(&self, caller: &Caller, disk: DiskId, size: &str) -> Result<DiskRecord, VmError> {
        let size_gb = crate::domain::disk::parse_size(size).map_err(DiskError::from)?;
        let current = self.disk(caller, disk)?;
        // Hold the VM's lock while the disk is attached, so no detach runs meanwhile.
        let lock = current.attached.map(|(vm, _)| self.lock_of(vm));
        let _guard = match &lock {
            Some(l) => Some(l.lock().await),
            None => None,
        };
        let (store, now, default) = (self.store.clone(), self.clock.now(), self.quota_default);
        let caller = caller.clone();
        let rec = blocking(move || {
            let tx = store.write()?;
            let rec = disks::resize_in(&tx, now, disk, size_gb, &default)?;
            if rec.owner != current.owner || rec.attached != current.attached {
                return Err(VmError::Busy("the disk changed meanwhile"));
            }
            let detail = audit::told(
                crate::i18n::Msg::AuditDiskGrow,
                vec![("disk", rec.name.clone().into()), ("gib", size_gb.into())],
            );
            audit::record(&tx, now, &caller, rec.owner, &format!("disk:{disk}"), "disk.grow", detail)?;
            tx.commit()?;
            Ok::<_, VmError>(rec)
        })
        .await?;
        let running_vm = match rec.attached {
            Some((vm, _)) => Some(self.get(&Caller::system(), vm)?),
            None => None,
        };
        let (this, rec2) = (self.clone(), rec.clone());
        blocking(move || {
            if let (Some(vm), Some(spec)) = (&running_vm, this.disk_spec(&rec2)) {
                let hv = this.hv()?;
                if this.domain_kind(hv.as_ref())? != DomainKind::Test
                    && hv.state(&vm.uuid)?.is_some_and(|s| s.is_active())
                {
                    hv.resize_disk_live(&vm.uuid, &spec.target, size_gb << 30)?;
                    return Ok(());
                }
            }
            Ok::<_, VmError>(crate::host::images::grow(&this.paths.volume(rec2.id), size_gb)?)
        })
        .await?;
        Ok(rec)
    }

    /// A VM `caller` sees that is ready for a change (checked again in the transaction
    /// that records it; this check keeps a busy VM's devices from being unplugged first).
    fn ready_now(&self, caller: &Caller, id: VmId) -> Result<VmRecord, VmError> {
        let vm = self.get(caller, id)?;
        if vm.phase != crate::store::records::VmPhase::Ready || self.intent(id)?.is_some() {
            return Err(VmError::Busy("another operation is running"));
        }
        Ok(vm)
    }

    /// One disk, if `caller` sees it.
    fn disk(&self, caller: &Caller, id: DiskId) -> Result<DiskRecord, VmError> {
        let tx = self.store.read()?;
        let t = tx.open_table(crate::store::tables::DISKS)?;
        let rec: Option<DiskRecord> =
            t.get(id.0)?.map(|v| crate::store::codec::decode(v.value())).transpose()?;
        match rec {
            Some(r) if caller.sees(r.owner) => Ok(r),
            _ => Err(DiskError::NotFound.into()),
        }
    }

    /// The private networks a VM is on, by slot.
    pub fn ports(&self, vm: &VmRecord) -> Result<Vec<Port>, VmError> {
        use crate::store::tables::{PRIVATE_NETS, VM_NETS};
        let tx = self.store.read()?;
        Ok(privnets::ports_in(&tx.open_table(VM_NETS)?, &tx.open_table(PRIVATE_NETS)?, vm.id)?)
    }

    /// The disks a backup of `vm` copies: (target, extra disk id, image) for the system disk
    /// (`vda`) and each attached extra disk.
    pub(crate) fn backup_disks(
        &self,
        vm: &VmRecord,
    ) -> Result<Vec<(String, Option<crate::domain::disk::DiskId>, std::path::PathBuf)>, VmError> {
        let mut out = vec![("vda".to_string(), None, self.paths.disk(&vm.uuid))];
        for d in self.attached_disks(vm)? {
            if let Some(s) = self.disk_spec(&d) {
                out.push((s.target, Some(d.id), s.path));
            }
        }
        Ok(out)
    }

    /// The extra disks attached to a VM, by slot.
    pub fn attached_disks(&self, vm: &VmRecord) -> Result<Vec<DiskRecord>, VmError> {
        use crate::store::tables::{DISKS, VM_DISKS};
        let tx = self.store.read()?;
        Ok(disks::attached_in(&tx.open_table(VM_DISKS)?, &tx.open_table(DISKS)?, vm.id)?)
    }

    /// Redefine the domain from the records, then plug `device` into the running guest.
    async fn plug(&self, vm: &VmRecord, device: Device) -> Result<(), VmError> {
        let (this, vm) = (self.clone(), vm.clone());
        blocking(move || {
            let hv = this.hv()?;
            this.define_vm(hv.as_ref(), &vm)?;
            let kind = this.domain_kind(hv.as_ref())?;
            if kind != DomainKind::Test && hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
                hv.attach_live(&vm.uuid, kind, &device)?;
            }
            Ok(())
        })
        .await
    }

    /// Unplug `device` from the running guest (nothing to do when it is off).
    async fn unplug(&self, vm: &VmRecord, device: Device) -> Result<(), VmError> {
        let (this, vm) = (self.clone(), vm.clone());
        blocking(move || {
            let hv = this.hv()?;
            let kind = this.domain_kind(hv.as_ref())?;
            if kind != DomainKind::Test && hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
                hv.detach_live(&vm.uuid, kind, &device)?;
            }
            Ok(())
        })
        .await
    }

    /// Write the seed again after the VM's interfaces changed, so the guest's next boot (a
    /// reboot from inside it too) takes the new network; a failure is logged, and the next start
    /// writes it again.
    async fn rewrite_seed(&self, vm: &VmRecord) {
        let (this, vm) = (self.clone(), vm.clone());
        if let Err(e) = blocking(move || this.write_seed(&vm)).await {
            tracing::warn!("rewriting the seed after a network change failed: {e}");
        }
    }

    /// Redefine the domain from the records (after a detach, or to undo a failed attach); a
    /// failure is logged, and the next define (start, reconcile) brings it in line.
    async fn redefine(&self, vm: &VmRecord) {
        let (this, vm) = (self.clone(), vm.clone());
        let done = blocking(move || {
            let hv = this.hv()?;
            this.define_vm(hv.as_ref(), &vm)
        })
        .await;
        if let Err(e) = done {
            tracing::warn!("redefining a domain after a device change failed: {e}");
        }
    }
}
