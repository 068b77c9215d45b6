//! The traffic allowance rule, run after each traffic sampling round: a server whose month's
//! transfer (in and out, UTC month) reaches 80% and then 100% of its allowance (an admin's for
//! it, else its plan's) is told once each; at 100% it is throttled to `[network] throttle_mbit`
//! (its definition and the running guest's interface), and the throttle is lifted when the
//! month ends or the allowance is raised above what it used. A plan may charge extra traffic
//! instead (a price per GiB begun past the allowance): its servers are never throttled, and
//! billing books the GiB (`service::billing::traffic`). Admins set a server's own port speed
//! and allowance ([`Vms::set_vm_limits`]).

use super::{VmError, Vms};
use crate::domain::allowance::{self, Allowance, MonthState, VmLimits};
use crate::domain::vm::{PortSpeed, VmId};
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::notices::{notify_in, told};
use crate::service::traffic::{TrafficError, month_in};
use crate::store::limits;
use crate::store::notices::Audience;
use crate::store::records::{VmPhase, VmRecord};
use crate::store::tables::{PLAN_OVERAGE, TRAFFIC_MONTH};

/// What a round of the rule did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllowanceReport {
    /// Owners told of 80% or 100%.
    pub told: usize,
    /// Servers throttled.
    pub throttled: usize,
    /// Servers whose throttle was lifted.
    pub lifted: usize,
}

/// A server's month of traffic against its allowance, as its page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrafficView {
    /// Bytes in and out this month.
    pub used: u64,
    /// Its allowance (none: unlimited).
    pub allowance: Option<Allowance>,
    /// Throttled now.
    pub throttled: bool,
    /// The speed a throttled server runs at.
    pub throttle: PortSpeed,
    /// Its plan's price of each GiB past the allowance (none: throttled instead).
    pub overage: Option<crate::domain::money::Money>,
    /// GiB past the allowance charged this month.
    pub charged_gib: u64,
}

impl From<TrafficError> for VmError {
    fn from(e: TrafficError) -> Self {
        match e {
            TrafficError::Store(e) => VmError::Store(e),
        }
    }
}

impl Vms {
    /// The speed servers past their allowance are throttled to.
    pub fn throttle_speed(&self) -> PortSpeed {
        self.throttle
    }

    /// `vm`'s traffic this month against its allowance, inside `tx` (a page's read model).
    pub fn traffic_view_in(&self, tx: &redb::ReadTransaction, vm: &VmRecord) -> Result<TrafficView, VmError> {
        let now = self.clock.now();
        let (i, o) = month_in(tx, vm.id, now)?.total();
        let month = allowance::month_index(now);
        Ok(TrafficView {
            used: i.saturating_add(o),
            allowance: limits::allowance_in(tx, vm.id, vm.plan)?,
            throttled: limits::throttled_in(tx, vm.id, month)?,
            throttle: self.throttle,
            overage: limits::plan_overage(&tx.open_table(PLAN_OVERAGE)?, vm.plan)?,
            charged_gib: limits::charged(
                &tx.open_table(crate::store::tables::TRAFFIC_CHARGED)?,
                vm.id,
                month,
            )?,
        })
    }

    /// One round of the rule over every ready server.
    pub async fn enforce_allowances(&self) -> Result<AllowanceReport, VmError> {
        let mut report = AllowanceReport::default();
        let ready: Vec<VmRecord> =
            self.records()?.into_iter().filter(|v| v.phase == VmPhase::Ready).collect();
        for vm in ready {
            let this = self.clone();
            let vm2 = vm.clone();
            let Some(step) = blocking(move || this.allowance_step(&vm2)).await? else { continue };
            report.told += usize::from(step.notify.is_some());
            if step.throttle || step.lift {
                report.throttled += usize::from(step.throttle);
                report.lifted += usize::from(step.lift);
                let lock = self.lock_of(vm.id);
                let _guard = lock.lock().await;
                let (this, id) = (self.clone(), vm.id);
                if let Err(e) = blocking(move || this.apply_limits(&vm, None)).await {
                    tracing::warn!(vm = %id, "port speed not applied now (it is at the next start): {e}");
                }
            }
        }
        Ok(report)
    }

    /// The rule for one server: decided and recorded (state, audit, notices) in one write
    /// transaction. `None` when nothing changed.
    fn allowance_step(&self, vm: &VmRecord) -> Result<Option<allowance::Step>, VmError> {
        let now = self.clock.now();
        let month = allowance::month_index(now);
        let (used, allowance, charges) = {
            let tx = self.store.read()?;
            let (i, o) = month_in(&tx, vm.id, now)?.total();
            let charges = limits::plan_overage(&tx.open_table(PLAN_OVERAGE)?, vm.plan)?.is_some();
            (i.saturating_add(o), limits::allowance_in(&tx, vm.id, vm.plan)?, charges)
        };
        let tx = self.store.write()?;
        let last = limits::month_state(&tx.open_table(TRAFFIC_MONTH)?, vm.id)?;
        if allowance.is_none() && last.is_none_or(|s| !s.throttled && s.month == month) {
            return Ok(None);
        }
        let step = allowance::step(last, month, used, allowance, charges);
        if last == Some(step.next) {
            return Ok(None);
        }
        limits::put_month_state(&tx, vm.id, step.next)?;
        let link = Some(format!("/vms/{}", vm.id));
        let gib = |b: u64| format!("{:.1}", b as f64 / allowance::GIB as f64);
        let args = |extra: Vec<(&'static str, crate::error::Arg)>| {
            let mut a = vec![
                ("hostname", vm.hostname.clone().into()),
                ("used", gib(used).into()),
                ("allowance", allowance.map_or(0, |a| a.gib).into()),
            ];
            a.extend(extra);
            a
        };
        let to = Audience::User(vm.owner);
        match step.notify {
            Some(80) => {
                notify_in(
                    &tx,
                    now,
                    to,
                    told("vm.traffic_80", Msg::NoticeTraffic80, None, args(vec![]), link.clone()),
                )?;
            }
            Some(_) => {
                // Past it: slowed down, or (the plan says so) charged per GiB begun.
                let body = if charges { Msg::NoticeTraffic100Charged } else { Msg::NoticeTraffic100Body };
                let n = told(
                    "vm.traffic_100",
                    Msg::NoticeTraffic100,
                    Some(body),
                    args(vec![("mbit", self.throttle.mbit.into())]),
                    link.clone(),
                );
                notify_in(&tx, now, to, n)?;
            }
            None => {}
        }
        if step.throttle {
            let detail = audit::told(Msg::AuditThrottle, vec![("mbit", self.throttle.mbit.into())]);
            super::log_system(&tx, now, vm, "vm.throttle", detail)?;
        }
        if step.lift {
            super::log_system(&tx, now, vm, "vm.unthrottle", vm.hostname.as_str())?;
            notify_in(
                &tx,
                now,
                to,
                told("vm.traffic_lifted", Msg::NoticeTrafficLifted, None, args(vec![]), link),
            )?;
        }
        tx.commit()?;
        Ok(Some(step))
    }

    /// An admin sets `id`'s own port speed and allowance (each `None`: the plan's); applied at
    /// once, and the rule runs for it (a raised allowance lifts a throttle).
    pub async fn set_vm_limits(&self, caller: &Caller, id: VmId, l: VmLimits) -> Result<(), VmError> {
        if !caller.is_admin() {
            return Err(VmError::NotFound);
        }
        let vm = self.get(caller, id)?;
        let (store, now, c) = (self.store.clone(), self.clock.now(), caller.clone());
        let vm2 = vm.clone();
        blocking(move || {
            let tx = store.write()?;
            limits::put_vm_limits(&tx, vm2.id, &l)?;
            let port = l.port.map_or(-1, |p| i64::from(p.mbit));
            let gib = match l.allowance {
                None => -1,
                Some(allowance::AllowanceOverride::Unlimited) => 0,
                Some(allowance::AllowanceOverride::Limited(a)) => i64::try_from(a.gib).unwrap_or(i64::MAX),
            };
            let detail = audit::told(Msg::AuditVmLimits, vec![("port", port.into()), ("gib", gib.into())]);
            audit::record(&tx, now, &c, vm2.owner, &format!("vm:{}", vm2.id), "vm.limits", detail)?;
            tx.commit()?;
            Ok::<_, VmError>(())
        })
        .await?;
        let this = self.clone();
        let vm2 = vm.clone();
        if let Some(step) = blocking(move || this.allowance_step(&vm2)).await?
            && (step.throttle || step.lift)
        {
            tracing::info!(vm = %id, throttled = step.next.throttled, "allowance re-evaluated");
        }
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let this = self.clone();
        blocking(move || this.apply_limits(&vm, None)).await
    }

    /// What an admin set for `id`.
    pub fn vm_limits(&self, id: VmId) -> Result<VmLimits, VmError> {
        Ok(limits::vm_limits_in(&self.store.read()?, id)?)
    }

    /// Month state of `id` (tests and pages).
    pub fn traffic_month(&self, id: VmId) -> Result<Option<MonthState>, VmError> {
        Ok(limits::month_state(&self.store.read()?.open_table(TRAFFIC_MONTH)?, id)?)
    }
}
