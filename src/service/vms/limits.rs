//! The limits a server runs with: its plan's fair-use CPU share and cap and port speed, and an
//! open abuse case's CPU cap when that is tighter. They are part of its definition (so every
//! start has them) and applied to a running guest at once when they change: its vCPU cgroups
//! and its public interface's shaping (libvirt `<cputune>` and `<bandwidth>`).

use super::{VmError, Vms};
use crate::domain::vm::{CpuLimits, DomainKind, PortSpeed, VmId};
use crate::service::blocking;
use crate::store::StoreError;
use crate::store::abuse::{self, AbuseCase};
use crate::store::records::VmRecord;
use crate::store::tables::ABUSE_CASES;

/// The CPU limits a server runs with, inside `tx`: its plan's fair-use limits, and an open
/// abuse case's cap when that is tighter.
pub fn cpu_limits_in(tx: &redb::ReadTransaction, vm: &VmRecord) -> Result<CpuLimits, StoreError> {
    Ok(plan_limits_in(tx, vm)?.0.tighter(case_limits_in(tx, vm.id)?))
}

/// The fair-use limits of `vm`'s plan: CPU and port speed (none when the plan is gone).
pub(super) fn plan_limits_in(
    tx: &redb::ReadTransaction,
    vm: &VmRecord,
) -> Result<(CpuLimits, Option<PortSpeed>), StoreError> {
    match tx.open_table(crate::store::tables::PLANS)?.get(vm.plan.0)? {
        Some(v) => {
            let plan = crate::store::codec::decode::<crate::store::records::PlanRecord>(v.value())?;
            Ok((plan.cpu, plan.port))
        }
        None => Ok((CpuLimits::default(), None)),
    }
}

/// An open abuse case's cap on `vm`.
fn case_limits_in(tx: &redb::ReadTransaction, vm: VmId) -> Result<CpuLimits, StoreError> {
    let cap = abuse::get(&tx.open_table(ABUSE_CASES)?, vm)?.filter(AbuseCase::is_open).and_then(|c| c.cap);
    Ok(CpuLimits { shares: None, cap_percent: cap })
}

impl Vms {
    /// The CPU limits and port speed `vm` runs with, read at once: the port speed an admin set
    /// for it, else its plan's; the configured throttle when it is past its traffic allowance
    /// this month (and that is slower).
    pub(crate) fn plan_limits(&self, vm: &VmRecord) -> Result<(CpuLimits, Option<PortSpeed>), VmError> {
        let tx = self.store.read()?;
        let own = crate::store::limits::vm_limits_in(&tx, vm.id)?.port;
        let mut port = own.or(plan_limits_in(&tx, vm)?.1);
        let month = crate::domain::allowance::month_index(self.clock.now());
        if crate::store::limits::throttled_in(&tx, vm.id, month)? {
            port = Some(match port {
                Some(p) if p.mbit < self.throttle.mbit => p,
                _ => self.throttle,
            });
        }
        Ok((cpu_limits_in(&tx, vm)?, port))
    }

    /// Apply every server's limits again after `plan`'s changed: their definitions, and the
    /// running guests at once. Returns how many servers took them; one that fails is logged
    /// and takes them at its next definition.
    pub async fn refresh_limits(&self, plan: crate::domain::catalog::PlanId) -> Result<usize, VmError> {
        let on_plan: Vec<VmRecord> = self
            .records()?
            .into_iter()
            .filter(|v| v.plan == plan && v.phase == crate::store::records::VmPhase::Ready)
            .collect();
        let mut done = 0;
        for vm in on_plan {
            let lock = self.lock_of(vm.id);
            let _guard = lock.lock().await;
            let this = self.clone();
            let id = vm.id;
            match blocking(move || this.apply_limits(&vm, None)).await {
                Ok(()) => done += 1,
                Err(e) => tracing::warn!(vm = %id, "limits not applied now: {e}"),
            }
        }
        Ok(done)
    }

    /// Apply a server's limits (its record's, with `cpu` instead of the recorded CPU limits
    /// when given): its definition (kept for its next start) and, while it runs on a real
    /// hypervisor, its running guest: the vCPU cgroups and the public interface's shaping.
    pub(super) fn apply_limits(&self, vm: &VmRecord, cpu: Option<CpuLimits>) -> Result<(), VmError> {
        let hv = self.hv()?;
        let kind = self.domain_kind(hv.as_ref())?;
        let mut spec = self.spec_of(vm, kind)?;
        if let Some(cpu) = cpu {
            spec.cpu = cpu;
        }
        hv.define(&spec)?;
        if kind != DomainKind::Test && hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
            hv.set_cpu_limits_live(&vm.uuid, &spec.cpu)?;
            if let Some(public) = spec.nics.iter().find(|n| n.filter.is_some()) {
                hv.update_live(&vm.uuid, kind, &crate::hv::Device::Nic(public.clone()))?;
            }
        }
        Ok(())
    }
}
