//! Restoring a backup onto its own VM: after the customer confirms with the hostname, the VM
//! is powered off, each disk the backup holds is replaced by the backup's image (its chain
//! flattened, written under a temporary name and renamed over the disk), the checkpoints that
//! described the old disks are forgotten, and the VM is started again if it was running.
//!
//! Or as a new VM: an ordinary VM order (plan, hostname, quota, addresses) whose system disk
//! is the backup's instead of a fresh template disk; the VM's create intent names the backup,
//! so a crash while the disk is written is rolled forward or back like any create.

use super::{BackupError, Backups};
use crate::domain::vm::VmId;
use crate::host::backup_files;
use crate::host::images;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::vms::CreateVm;
use crate::service::vms::PowerAction;
use crate::store::backups::{BackupState, RestoreSource};

/// What a customer chooses for a VM made from a backup.
#[derive(Debug, Clone)]
pub struct RestoreAsNew {
    /// Plan (its disk must hold the backup's system disk).
    pub plan: crate::domain::catalog::PlanId,
    /// Hostname of the new VM.
    pub hostname: String,
    /// Saved SSH keys to add (optional: the disk has its own).
    pub key_ids: Vec<u64>,
    /// The form's one-time key: the same key never makes a second VM.
    pub once_key: String,
}

impl Backups {
    /// Put backup `id` back onto its VM, replacing the VM's disks (confirmed by typing the
    /// VM's hostname). Returns the number of disks replaced.
    pub async fn restore_in_place(
        &self,
        caller: &Caller,
        id: u64,
        confirm: &str,
    ) -> Result<usize, BackupError> {
        let b = self.get(caller, id)?;
        let vm = self.visible_vm(caller, b.vm)?;
        if confirm.trim() != vm.hostname {
            return Err(BackupError::NotConfirmed);
        }
        if b.state != BackupState::Done {
            return Err(BackupError::NotDone);
        }
        self.vms.refuse_with_snapshots(vm.id)?;
        // No backup of this VM runs meanwhile.
        let lock = self.vm_lock(vm.id);
        let _one = lock.lock().await;
        let was_running = vm.power.is_active();
        if was_running {
            self.vms.power(caller, vm.id, PowerAction::ForceOff).await?;
        }
        let hv = self.vms.hv()?;
        let targets = {
            let (vms, v) = (self.vms.clone(), vm.clone());
            blocking(move || Ok::<_, BackupError>(vms.backup_disks(&v)?)).await?
        };
        let mut replaced = 0;
        {
            // Power operations wait while the disks are replaced.
            let op = self.vms.lock_of(vm.id);
            let _op = op.lock().await;
            let (h, uuid) = (hv.clone(), vm.uuid);
            if blocking(move || Ok::<_, BackupError>(h.state(&uuid)?)).await?.is_some_and(|s| s.is_active()) {
                return Err(BackupError::VmBusy);
            }
            // A snapshot taken while the server was being powered off.
            self.vms.refuse_with_snapshots(vm.id)?;
            for f in &b.files {
                // The disk the file was taken from, if the VM still has it.
                let Some((_, _, disk)) = targets.iter().find(|(t, d, _)| *t == f.target && *d == f.disk)
                else {
                    tracing::warn!(
                        backup = id,
                        target = f.target,
                        "the VM no longer has this disk; not restored"
                    );
                    continue;
                };
                let (src, disk) = (self.file_path(&b, f), disk.clone());
                blocking(move || {
                    let staged = backup_files::Names::of(&disk).partial;
                    backup_files::flatten(&src, &staged)?;
                    images::prepare_disk_file(&staged)?;
                    std::fs::rename(&staged, &disk)
                        .map_err(|source| images::ImageError::Io { path: disk.clone(), source })?;
                    Ok::<_, BackupError>(())
                })
                .await?;
                replaced += 1;
            }
            // The checkpoints described bitmaps of the old disks.
            let (h, uuid) = (hv.clone(), vm.uuid);
            blocking(move || {
                for cp in h.checkpoints(&uuid)? {
                    h.delete_checkpoint(&uuid, &cp, true)?;
                }
                Ok::<_, BackupError>(())
            })
            .await?;
        }
        let (store, now, who, vmid, owner) =
            (self.store.clone(), self.clock.now(), caller.clone(), vm.id, vm.owner);
        blocking(move || {
            let tx = store.write()?;
            let detail = audit::told(
                crate::i18n::Msg::AuditRestored,
                vec![("backup", id.into()), ("disks", replaced.into())],
            );
            audit::record(&tx, now, &who, owner, &format!("vm:{vmid}"), "backup.restore", detail)?;
            tx.commit()?;
            Ok::<_, BackupError>(())
        })
        .await?;
        if was_running {
            self.vms.power(caller, vm.id, PowerAction::Start).await?;
        }
        Ok(replaced)
    }
}

impl Backups {
    /// Make a new VM of the backup's owner from backup `id`: its system disk is the backup's
    /// (other disks are not restored; their files can be downloaded), within the owner's quota
    /// like any order. Returns the new VM's id; it is made in the background.
    pub async fn restore_as_new(
        &self,
        caller: &Caller,
        id: u64,
        req: RestoreAsNew,
    ) -> Result<VmId, BackupError> {
        let b = self.get(caller, id)?;
        if b.state != BackupState::Done {
            return Err(BackupError::NotDone);
        }
        let system = b.files.iter().find(|f| f.disk.is_none()).ok_or(BackupError::NoSystemDisk)?;
        let file = self.file_path(&b, system);
        let size = {
            let f = file.clone();
            blocking(move || Ok::<_, BackupError>(images::virtual_size(&f)?)).await?
        };
        let restore = RestoreSource {
            backup: b.id,
            file: file.to_string_lossy().into_owned(),
            template: b.template,
            template_name: if b.template_name.is_empty() {
                format!("backup {}", b.id)
            } else {
                b.template_name.clone()
            },
            min_disk_gb: crate::domain::quota::gib_ceil(size),
        };
        let order = CreateVm {
            plan: req.plan,
            template: b.template,
            hostname: req.hostname,
            key_ids: req.key_ids,
            root_password: None,
            once_key: req.once_key,
            networks: Vec::new(),
            restore: Some(restore),
        };
        Ok(self.vms.create(b.owner, order, caller).await?)
    }
}
