//! Deletion after a grace period: the server is powered off and suspended at once, and
//! deleted when the period ends unless it is restored before. A provider's deletion (an admin
//! or its billing system) is restored only by the provider.

use redb::ReadableTable;

use super::{VmError, Vms};
use crate::domain::vm::{PowerState, VmId};
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::codec::encode;
use crate::store::deletions::{self, DeletionRecord};
use crate::store::operations::{self, OpState};
use crate::store::records::{IntentOp, VmPhase, VmRecord};
use crate::store::tables::{INTENTS, VM_DELETIONS, VMS};
use crate::store::vms;

impl Vms {
    /// Delete `id` when `grace_secs` have passed (at once when 0); the operation's id. The
    /// server is off and suspended meanwhile.
    pub async fn delete_after(&self, caller: &Caller, id: VmId, grace_secs: i64) -> Result<u64, VmError> {
        let vm = self.get(caller, id)?;
        if grace_secs <= 0 || matches!(vm.phase, VmPhase::Failed { .. }) {
            let hostname = vm.hostname.clone();
            return self.delete(caller, id, &hostname).await;
        }
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let hv = self.hv()?;
        let uuid = vm.uuid;
        let power = blocking(move || {
            if hv.state(&uuid)?.is_some_and(|s| s.is_active()) {
                hv.destroy(&uuid)?;
            }
            Ok::<_, VmError>(hv.state(&uuid)?.unwrap_or(PowerState::Shutoff))
        })
        .await?;
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let mut vm = super::ops::load_vm(&tx.open_table(VMS)?, id)?;
            if !caller.sees(vm.owner) {
                return Err(VmError::NotFound);
            }
            if tx.open_table(INTENTS)?.get(id.0)?.is_some() || vm.phase != VmPhase::Ready {
                return Err(VmError::Busy("another operation is running"));
            }
            if deletions::of(&tx.open_table(VM_DELETIONS)?, id)?.is_some() {
                return Err(VmError::DeletionPending);
            }
            let due = now.plus_secs(grace_secs);
            let rec = DeletionRecord {
                requested_at: now,
                due,
                was_suspended: vm.suspended,
                by_provider: caller.is_admin(),
            };
            tx.open_table(VM_DELETIONS)?.insert(id.0, encode(&rec)?.as_slice())?;
            vm.suspended = true;
            vm.power = power;
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            let operation = operations::begin(&tx, id, vm.owner, IntentOp::Delete, now)?;
            let detail = format!("{} (due {})", vm.hostname, due.rfc3339());
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.delete_scheduled", detail)?;
            tx.commit()?;
            Ok(operation)
        })
        .await
    }

    /// Call off `id`'s scheduled deletion: it stays off, suspended only if it was before.
    pub async fn restore_deleted(&self, caller: &Caller, id: VmId) -> Result<VmRecord, VmError> {
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let mut vm = super::ops::load_vm(&tx.open_table(VMS)?, id)?;
            if !caller.sees(vm.owner) {
                return Err(VmError::NotFound);
            }
            let Some(rec) = deletions::of(&tx.open_table(VM_DELETIONS)?, id)? else {
                return Err(VmError::NoDeletionPending);
            };
            if rec.by_provider && !caller.is_admin() {
                return Err(VmError::Suspended);
            }
            tx.open_table(VM_DELETIONS)?.remove(id.0)?;
            operations::end(&tx, id, OpState::Cancelled, now)?;
            vm.suspended = rec.was_suspended;
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.delete_cancelled", "")?;
            tx.commit()?;
            Ok(vm)
        })
        .await
    }

    /// When `id` is to be deleted, if it is scheduled.
    pub fn deletion_of(&self, id: VmId) -> Result<Option<DeletionRecord>, VmError> {
        Ok(deletions::of(&self.store.read()?.open_table(VM_DELETIONS)?, id)?)
    }

    /// Begin the deletions whose grace period has ended; how many began.
    pub async fn delete_due(&self) -> Result<usize, VmError> {
        let due = deletions::due(&self.store.read()?.open_table(VM_DELETIONS)?, self.clock.now())?;
        let mut begun = 0;
        for id in due {
            let hostname = self.get(&Caller::system(), id)?.hostname;
            match self.delete(&Caller::system(), id, &hostname).await {
                Ok(_) => begun += 1,
                // Tried again at the next pass.
                Err(e) => {
                    tracing::warn!(vm = %id, code = crate::service::Coded::code(&e), "scheduled delete: {e}")
                }
            }
        }
        Ok(begun)
    }
}

impl Vms {
    /// The operation `id`, if `caller` sees its server's owner.
    pub fn operation(
        &self,
        caller: &Caller,
        id: u64,
    ) -> Result<crate::store::operations::OperationRecord, VmError> {
        let tx = self.store.read()?;
        operations::get(&tx.open_table(crate::store::tables::OPERATIONS)?, id)?
            .filter(|r| caller.sees(r.owner))
            .ok_or(VmError::OperationNotFound)
    }
}
