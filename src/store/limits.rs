//! Per-server limits beside the plan's: an admin's port speed and allowance for one server, a
//! plan's traffic allowance and its price of extra traffic, the allowance rule's state of each
//! server's month and the extra traffic charged in it.

use redb::ReadableTable;

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{PLAN_OVERAGE, PLAN_TRAFFIC, TRAFFIC_CHARGED, TRAFFIC_MONTH, VM_LIMITS};
use crate::domain::allowance::{Allowance, AllowanceOverride, MonthState, VmLimits};
use crate::domain::catalog::PlanId;
use crate::domain::vm::VmId;

impl Record for VmLimits {
    const KIND: &'static str = "server limits";
    const VERSION: u8 = 1;
}

/// What an admin set for `vm` (the default: nothing, the plan's).
pub fn vm_limits_in(tx: &redb::ReadTransaction, vm: VmId) -> Result<VmLimits, StoreError> {
    match tx.open_table(VM_LIMITS)?.get(vm.0)? {
        Some(v) => Ok(decode(v.value())?),
        None => Ok(VmLimits::default()),
    }
}

/// Keep what an admin set for `vm` (nothing set: the row goes).
pub fn put_vm_limits(tx: &redb::WriteTransaction, vm: VmId, l: &VmLimits) -> Result<(), StoreError> {
    let mut t = tx.open_table(VM_LIMITS)?;
    if *l == VmLimits::default() {
        t.remove(vm.0)?;
    } else {
        t.insert(vm.0, encode(l)?.as_slice())?;
    }
    Ok(())
}

/// `plan`'s monthly allowance (none: unlimited).
pub fn plan_allowance(
    t: &impl ReadableTable<u64, u64>,
    plan: PlanId,
) -> Result<Option<Allowance>, StoreError> {
    Ok(t.get(plan.0)?.and_then(|v| Allowance::new(v.value())))
}

/// Set `plan`'s monthly allowance (none: unlimited).
pub fn set_plan_allowance(
    tx: &redb::WriteTransaction,
    plan: PlanId,
    a: Option<Allowance>,
) -> Result<(), StoreError> {
    let mut t = tx.open_table(PLAN_TRAFFIC)?;
    match a {
        Some(a) => t.insert(plan.0, a.gib)?,
        None => t.remove(plan.0)?,
    };
    Ok(())
}

/// The allowance `vm` on `plan` has: an admin's for it, else its plan's.
pub fn allowance_in(
    tx: &redb::ReadTransaction,
    vm: VmId,
    plan: PlanId,
) -> Result<Option<Allowance>, StoreError> {
    match vm_limits_in(tx, vm)?.allowance {
        Some(AllowanceOverride::Unlimited) => Ok(None),
        Some(AllowanceOverride::Limited(a)) => Ok(Some(a)),
        None => plan_allowance(&tx.open_table(PLAN_TRAFFIC)?, plan),
    }
}

/// The allowance rule's state of `vm`'s month.
pub fn month_state(
    t: &impl ReadableTable<u64, (u32, u8, bool)>,
    vm: VmId,
) -> Result<Option<MonthState>, StoreError> {
    Ok(t.get(vm.0)?.map(|v| {
        let (month, told, throttled) = v.value();
        MonthState { month, told, throttled }
    }))
}

/// Keep the allowance rule's state of `vm`'s month.
pub fn put_month_state(tx: &redb::WriteTransaction, vm: VmId, s: MonthState) -> Result<(), StoreError> {
    tx.open_table(TRAFFIC_MONTH)?.insert(vm.0, (s.month, s.told, s.throttled))?;
    Ok(())
}

/// Whether `vm` is throttled in `month` (a throttle of an earlier month no longer holds).
pub fn throttled_in(tx: &redb::ReadTransaction, vm: VmId, month: u32) -> Result<bool, StoreError> {
    Ok(month_state(&tx.open_table(TRAFFIC_MONTH)?, vm)?.is_some_and(|s| s.month == month && s.throttled))
}

/// Forget a deleted server's limits and month.
pub fn forget_in(tx: &redb::WriteTransaction, vm: VmId) -> Result<(), StoreError> {
    tx.open_table(VM_LIMITS)?.remove(vm.0)?;
    tx.open_table(TRAFFIC_MONTH)?.remove(vm.0)?;
    Ok(())
}

/// The price of each GiB begun past `plan`'s allowance (none: servers are throttled instead).
pub fn plan_overage(
    t: &impl ReadableTable<u64, i64>,
    plan: PlanId,
) -> Result<Option<crate::domain::money::Money>, StoreError> {
    Ok(t.get(plan.0)?.map(|v| crate::domain::money::Money(v.value())).filter(|m| m.0 > 0))
}

/// Set the price of extra traffic on `plan` (none: throttle instead).
pub fn set_plan_overage(
    tx: &redb::WriteTransaction,
    plan: PlanId,
    price: Option<crate::domain::money::Money>,
) -> Result<(), StoreError> {
    let mut t = tx.open_table(PLAN_OVERAGE)?;
    match price.filter(|m| m.0 > 0) {
        Some(m) => t.insert(plan.0, m.0)?,
        None => t.remove(plan.0)?,
    };
    Ok(())
}

/// GiB of extra traffic charged for `vm` in `month` so far.
pub fn charged(t: &impl ReadableTable<u64, (u32, u64)>, vm: VmId, month: u32) -> Result<u64, StoreError> {
    Ok(t.get(vm.0)?.map(|v| v.value()).filter(|(m, _)| *m == month).map_or(0, |(_, gib)| gib))
}

/// Record that `gib` GiB of `vm`'s extra traffic in `month` are charged.
pub fn set_charged(tx: &redb::WriteTransaction, vm: VmId, month: u32, gib: u64) -> Result<(), StoreError> {
    tx.open_table(TRAFFIC_CHARGED)?.insert(vm.0, (month, gib))?;
    Ok(())
}
