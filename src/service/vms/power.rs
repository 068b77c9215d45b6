//! Power actions, suspension, rename, and keeping the recorded power state in step with the
//! hypervisor.

use redb::ReadableTable;

use super::ops::hostname_key;
use super::{StateProblem, VmError, Vms};
use crate::domain::sla::{Cause, Span};
use crate::domain::vm::{PowerState, StopReason, VmId, parse_hostname};
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::notices::{notify_in, told};
use crate::store::codec::decode;
use crate::store::notices::Audience;
use crate::store::records::{VmPhase, VmRecord};
use crate::store::sla::{self as sla_rec, OpenDowntime};
use crate::store::tables::{DOWNTIME, INTENTS, OPEN_DOWNTIME, VM_BY_UUID, VM_HOSTNAMES, VMS};
use crate::store::vms;

/// Restarts after platform faults within an hour; the next fault leaves the VM off.
pub const MAX_FAULT_RESTARTS_PER_HOUR: usize = 3;

/// What a power button does (the form value is [`PowerAction::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PowerAction {
    /// Boot.
    Start,
    /// ACPI power button: the guest shuts down cleanly.
    Shutdown,
    /// Pull the plug.
    ForceOff,
    /// ACPI reboot.
    Reboot,
    /// Reset button: instant hard reset of a hung guest.
    Reset,
}

impl PowerAction {
    /// Parse the form value.
    pub fn parse(s: &str) -> Option<PowerAction> {
        Some(match s {
            "start" => PowerAction::Start,
            "shutdown" => PowerAction::Shutdown,
            "force-off" => PowerAction::ForceOff,
            "reboot" => PowerAction::Reboot,
            "reset" => PowerAction::Reset,
            _ => return None,
        })
    }

    /// Form value and audit name.
    pub fn as_str(self) -> &'static str {
        match self {
            PowerAction::Start => "start",
            PowerAction::Shutdown => "shutdown",
            PowerAction::ForceOff => "force-off",
            PowerAction::Reboot => "reboot",
            PowerAction::Reset => "reset",
        }
    }
}

impl Vms {
    /// Press a power button.
    pub async fn power(&self, caller: &Caller, id: VmId, action: PowerAction) -> Result<VmRecord, VmError> {
        let vm = self.get(caller, id)?;
        if vm.phase != VmPhase::Ready || self.intent(id)?.is_some() {
            return Err(VmError::Busy("an operation is running"));
        }
        if vm.suspended && action == PowerAction::Start {
            return Err(VmError::Suspended);
        }
        let hv = self.hv()?;
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let this = self.clone();
        let state = blocking(move || {
            let now = hv.state(&vm.uuid)?;
            let running = now.is_some_and(|s| s.is_active());
            match action {
                PowerAction::Start => {
                    if running {
                        return Err(VmError::WrongState(StateProblem::Running));
                    }
                    // The seed and the domain always reflect the records (hostname, keys,
                    // networks, disks) at boot.
                    this.write_seed(&vm)?;
                    this.define_vm(hv.as_ref(), &vm)?;
                    hv.start(&vm.uuid)?;
                }
                _ if !running => {
                    return Err(VmError::WrongState(StateProblem::NotRunning));
                }
                PowerAction::Shutdown => hv.shutdown(&vm.uuid)?,
                PowerAction::ForceOff => {
                    this.book_final_traffic(hv.as_ref(), &vm);
                    hv.destroy(&vm.uuid)?
                }
                PowerAction::Reboot => hv.reboot(&vm.uuid)?,
                PowerAction::Reset => hv.reset(&vm.uuid)?,
            }
            Ok(hv.state(&vm.uuid)?.unwrap_or(PowerState::Shutoff))
        })
        .await?;
        self.update(
            id,
            caller,
            &format!("vm.{}", action.as_str()),
            super::ops::power_detail(state),
            move |vm, now| {
                vm.power = state;
                vm.shutdown_requested_at =
                    if action == PowerAction::Shutdown && state.is_active() { Some(now) } else { None };
                Ok(())
            },
        )
        .await
    }

    /// Suspend (the VM is powered off and its owner cannot start it) or unsuspend. Admin only.
    pub async fn set_suspended(
        &self,
        caller: &Caller,
        id: VmId,
        suspended: bool,
    ) -> Result<VmRecord, VmError> {
        self.set_suspended_for(caller, id, suspended, "").await
    }

    /// [`Vms::set_suspended`] with the reason the audit log keeps (a billing system's "unpaid").
    pub async fn set_suspended_for(
        &self,
        caller: &Caller,
        id: VmId,
        suspended: bool,
        reason: &str,
    ) -> Result<VmRecord, VmError> {
        let reason = reason.trim().chars().take(200).collect::<String>();
        if !caller.is_admin() {
            return Err(VmError::NotFound);
        }
        let vm = self.get(caller, id)?;
        if !suspended && self.deletion_of(id)?.is_some() {
            return Err(VmError::DeletionPending);
        }
        let mut power = vm.power;
        // Held until the record says suspended: the stop is vpsbox's, not a fault.
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        if suspended {
            let hv = self.hv()?;
            power = blocking(move || {
                if hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
                    hv.destroy(&vm.uuid)?;
                }
                Ok::<_, VmError>(hv.state(&vm.uuid)?.unwrap_or(PowerState::Shutoff))
            })
            .await?;
        }
        let action = if suspended { "vm.suspend" } else { "vm.unsuspend" };
        self.update(id, caller, action, reason.as_str(), move |vm, _| {
            vm.suspended = suspended;
            vm.power = power;
            Ok(())
        })
        .await
    }

    /// Give a VM another hostname (unique in the account; the guest sees it at its next boot).
    pub async fn rename(&self, caller: &Caller, id: VmId, hostname: &str) -> Result<VmRecord, VmError> {
        let new = parse_hostname(hostname)?;
        let vm = self.get(caller, id)?;
        if new == vm.hostname {
            return Ok(vm);
        }
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let mut vm: VmRecord = match tx.open_table(VMS)?.get(id.0)? {
                Some(v) => decode(v.value())?,
                None => return Err(VmError::NotFound),
            };
            if !caller.sees(vm.owner) {
                return Err(VmError::NotFound);
            }
            {
                let mut names = tx.open_table(VM_HOSTNAMES)?;
                if names.get(hostname_key(vm.owner, &new).as_str())?.is_some() {
                    return Err(VmError::HostnameTaken(new));
                }
                names.remove(hostname_key(vm.owner, &vm.hostname).as_str())?;
                names.insert(hostname_key(vm.owner, &new).as_str(), id.0)?;
            }
            let detail = format!("{} → {new}", vm.hostname);
            vm.hostname = new;
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.rename", &detail)?;
            tx.commit()?;
            Ok(vm)
        })
        .await
    }

    /// Change a record and log it, in one transaction.
    pub(super) async fn update(
        &self,
        id: VmId,
        caller: &Caller,
        action: &str,
        detail: impl Into<audit::Detail>,
        change: impl FnOnce(&mut VmRecord, crate::domain::time::Timestamp) -> Result<(), VmError> + Send + 'static,
    ) -> Result<VmRecord, VmError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let (caller, action, detail) = (caller.clone(), action.to_string(), detail.into());
        blocking(move || {
            let tx = store.write()?;
            let mut vm: VmRecord = match tx.open_table(VMS)?.get(id.0)? {
                Some(v) => decode(v.value())?,
                None => return Err(VmError::NotFound),
            };
            change(&mut vm, now)?;
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), &action, detail)?;
            tx.commit()?;
            Ok(vm)
        })
        .await
    }

    /// Record a power state seen on the hypervisor (events, reconcile), with why it stopped
    /// when it did. Returns whether it changed. VMs in the middle of an operation are left to it.
    ///
    /// A VM that was meant to run and stopped for a platform fault (QEMU crashed or failed)
    /// opens a downtime span, closed when it runs again; the admins are alerted. A guest that
    /// shut itself down or panicked is the customer's and opens none.
    pub fn observe_power(
        &self,
        uuid: &uuid::Uuid,
        state: PowerState,
        reason: Option<StopReason>,
    ) -> Result<bool, VmError> {
        let tx = self.store.write()?;
        let now = self.clock.now();
        let changed = {
            let Some(id) = tx.open_table(VM_BY_UUID)?.get(uuid.to_string().as_str())?.map(|v| v.value())
            else {
                return Ok(false);
            };
            if tx.open_table(INTENTS)?.get(id)?.is_some() {
                return Ok(false);
            }
            let found = tx.open_table(VMS)?.get(id)?.map(|v| decode::<VmRecord>(v.value())).transpose()?;
            let Some(mut vm) = found else {
                return Ok(false);
            };
            if vm.power == state || vm.phase != VmPhase::Ready {
                false
            } else {
                let before = vm.power;
                let requested = vm.shutdown_requested_at.is_some();
                vm.power = state;
                if !state.is_active() {
                    vm.shutdown_requested_at = None;
                }
                vm.updated_at = now;
                vms::put(&tx, &vm)?;
                tracing::info!(vm = %vm.id, from = before.as_str(), to = state.as_str(), ?reason, "power state changed");
                // (Running again closes an open fault in `vms::put`.)
                // A destroy while one of vpsbox's own operations holds the VM is vpsbox's
                // force-off; any other is something outside vpsbox pulling the plug.
                let fault = match reason {
                    Some(StopReason::Platform) => {
                        Some("the virtualization platform stopped the server (QEMU crashed or failed)")
                    }
                    Some(StopReason::Destroyed) if self.lock_of(vm.id).try_lock().is_ok() => {
                        Some("the server was stopped on the host outside vpsbox (its domain was destroyed)")
                    }
                    _ => None,
                };
                if let Some(note) = fault
                    && !state.is_active()
                    && before.is_active()
                    && !requested
                    && !vm.suspended
                {
                    open_platform_fault(&tx, &vm, now, note)?;
                }
                true
            }
        };
        if changed {
            tx.commit()?;
        }
        Ok(changed)
    }

    /// Start `uuid`'s VM again if a platform fault stopped it (an open downtime span) and it is
    /// still meant to run. Returns whether it was started.
    pub fn restart_after_fault(&self, uuid: &uuid::Uuid) -> Result<bool, VmError> {
        let vm = {
            let tx = self.store.read()?;
            let Some(id) = tx.open_table(VM_BY_UUID)?.get(uuid.to_string().as_str())?.map(|v| v.value())
            else {
                return Ok(false);
            };
            if tx.open_table(INTENTS)?.get(id)?.is_some()
                || sla_rec::open_of(&tx.open_table(OPEN_DOWNTIME)?, VmId(id))?.is_none()
            {
                return Ok(false);
            }
            match tx.open_table(VMS)?.get(id)?.map(|v| decode::<VmRecord>(v.value())).transpose()? {
                Some(vm) if vm.phase == VmPhase::Ready && !vm.suspended && !vm.power.is_active() => vm,
                _ => return Ok(false),
            }
        };
        // A VM that keeps crashing is not started in a loop: after a few faults within an hour
        // it stays off (the downtime keeps counting) until someone looks.
        let now = self.clock.now();
        let recent = {
            let tx = self.store.read()?;
            let hour = Span::new(now.plus_secs(-3600), now.plus_secs(1));
            sla_rec::of_vm(&tx.open_table(DOWNTIME)?, vm.id, hour)?
                .iter()
                .filter(|d| d.cause == Cause::Platform)
                .count()
        };
        if recent >= MAX_FAULT_RESTARTS_PER_HOUR {
            tracing::error!(vm = %vm.id, faults = recent, "not started again: the platform stopped it repeatedly");
            let tx = self.store.write()?;
            let n = told(
                "vm.fault_loop",
                Msg::NoticeFaultLoop,
                Some(Msg::NoticeFaultLoopBody),
                vec![
                    ("vm", vm.id.0.into()),
                    ("hostname", vm.hostname.clone().into()),
                    ("faults", recent.into()),
                ],
                Some(format!("/admin/vms/{}", vm.id)),
            );
            notify_in(&tx, now, Audience::Admins, n)?;
            tx.commit()?;
            return Ok(false);
        }
        self.hv()?.start(&vm.uuid)?;
        tracing::warn!(vm = %vm.id, "started again after a platform fault");
        // Recorded at once (the domain event may come later, or not at all): the fault's
        // downtime ends now.
        let state = self.hv()?.state(&vm.uuid)?.unwrap_or(PowerState::Shutoff);
        self.observe_power(&vm.uuid, state, None)?;
        Ok(true)
    }
}

/// Open a platform-fault downtime span for `vm` inside `tx` and alert the admins, unless one is
/// open already. Returns whether it opened one.
pub(super) fn open_platform_fault(
    tx: &redb::WriteTransaction,
    vm: &VmRecord,
    now: crate::domain::time::Timestamp,
    note: &str,
) -> Result<bool, VmError> {
    let open = OpenDowntime { owner: vm.owner, from: now, cause: Cause::Platform, note: note.into() };
    if !sla_rec::open(tx, vm.id, &open)? {
        return Ok(false);
    }
    tracing::warn!(vm = %vm.id, "platform fault: downtime counted until it runs again ({note})");
    let n = told(
        "vm.platform_fault",
        Msg::NoticePlatformFault,
        Some(Msg::NoticePlatformFaultBody),
        vec![("vm", vm.id.0.into()), ("hostname", vm.hostname.clone().into()), ("note", note.into())],
        Some(format!("/admin/vms/{}", vm.id)),
    );
    notify_in(tx, now, Audience::Admins, n)?;
    Ok(true)
}
