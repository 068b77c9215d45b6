//! VM records and each owner's list beside them. Every change of a [`VmRecord`] goes through
//! [`put`] or [`remove`], which write `VMS` and `OWNER_VMS` in the caller's transaction, so the
//! two never disagree. A list entry also shows the VM's addresses and the billing system's id
//! of its service: [`relist`] rewrites it when those change (the address index calls it, and
//! [`set_external`] does). A VM's owner never changes.

use std::ops::ControlFlow;

use redb::{ReadableTable, WriteTransaction};

use super::StoreError;
use super::codec::{decode, encode};
use super::records::{VmListRecord, VmListView, VmPhase, VmRecord};
use super::tables::{EXTERNAL_SERVICES, OWNER_VMS, VM_ADDRESSES, VM_EXTERNAL, VMS};
use crate::domain::account::UserId;
use crate::domain::vm::VmId;

/// Write `vm` and its list entry. The caller must not hold `VMS`, `OWNER_VMS`,
/// `VM_ADDRESSES` or `VM_EXTERNAL` open.
pub fn put(tx: &WriteTransaction, vm: &VmRecord) -> Result<(), StoreError> {
    tx.open_table(VMS)?.insert(vm.id.0, encode(vm)?.as_slice())?;
    write_entry(tx, vm)?;
    if vm.suspended || vm.power.is_active() {
        // Running again (by any path: an event, the owner's start, a restart) or held by the
        // provider (no longer meant to run): a platform fault's downtime ends.
        super::sla::close(tx, vm.id, vm.updated_at)?;
    }
    bill(tx, vm)
}

/// Rewrite the list entry of VM `id`, if it exists, from its record, its addresses and its
/// service id (after one of the last two changed).
pub fn relist(tx: &WriteTransaction, id: VmId) -> Result<(), StoreError> {
    let vm = match tx.open_table(VMS)?.get(id.0)? {
        Some(v) => decode::<VmRecord>(v.value())?,
        None => return Ok(()),
    };
    write_entry(tx, &vm)
}

/// Give VM `id` the billing system's service id `external` (none: take it away), indexed both
/// ways, and show it in the VM's list entry.
pub fn set_external(tx: &WriteTransaction, id: VmId, external: Option<&str>) -> Result<(), StoreError> {
    let old = match external {
        Some(e) => tx.open_table(VM_EXTERNAL)?.insert(id.0, e)?.map(|v| v.value().to_string()),
        None => tx.open_table(VM_EXTERNAL)?.remove(id.0)?.map(|v| v.value().to_string()),
    };
    let mut services = tx.open_table(EXTERNAL_SERVICES)?;
    if let Some(old) = old {
        services.remove(old.as_str())?;
    }
    if let Some(e) = external {
        services.insert(e, id.0)?;
    }
    drop(services);
    relist(tx, id)
}

/// Write `vm`'s list entry from its record and what `tx` holds of its addresses and service id.
fn write_entry(tx: &WriteTransaction, vm: &VmRecord) -> Result<(), StoreError> {
    let entry = entry(&tx.open_table(VM_ADDRESSES)?, &tx.open_table(VM_EXTERNAL)?, vm)?;
    tx.open_table(OWNER_VMS)?.insert((vm.owner.0, vm.id.0), encode(&entry)?.as_slice())?;
    Ok(())
}

/// The list entry of `vm`, with its addresses and service id from those tables of any
/// transaction.
pub fn entry(
    addresses: &impl ReadableTable<u64, &'static [u8]>,
    external: &impl ReadableTable<u64, &'static str>,
    vm: &VmRecord,
) -> Result<VmListRecord, StoreError> {
    let mut found = Vec::new();
    super::addresses::read_into(addresses, vm.id, &mut found)?;
    let external = external.get(vm.id.0)?.map(|v| v.value().to_string());
    Ok(VmListRecord::of(vm, &found, external))
}

/// Start, change or stop billing `vm` (as of its `updated_at`): billed while it is ready or
/// being reinstalled, on its plan, plus the IPv4 addresses beyond those the plan includes.
fn bill(tx: &WriteTransaction, vm: &VmRecord) -> Result<(), StoreError> {
    use crate::domain::billing::Item;
    let billable = matches!(vm.phase, VmPhase::Ready | VmPhase::Reinstalling);
    let plan = billable.then_some((Item::Plan(vm.plan), 1));
    let resource = format!("vm:{}", vm.id);
    super::usage::set_usage(tx, vm.updated_at, vm.owner, &resource, plan)?;
    let extra = if billable && vm.spec.ipv4 > 0 {
        let included = match tx.open_table(super::tables::PLANS)?.get(vm.plan.0)? {
            Some(p) => decode::<super::records::PlanRecord>(p.value())?.spec.ipv4,
            None => 0,
        };
        u64::from(vm.spec.ipv4.saturating_sub(included))
    } else {
        0
    };
    super::usage::set_usage(
        tx,
        vm.updated_at,
        vm.owner,
        &format!("{resource}/ipv4"),
        Some((Item::ExtraIpv4, extra)),
    )
}

/// Remove `vm` and its list entry (its service id stays until [`set_external`] takes it).
/// The caller must not hold `VMS` or `OWNER_VMS` open.
pub fn remove(tx: &WriteTransaction, vm: &VmRecord) -> Result<(), StoreError> {
    tx.open_table(VMS)?.remove(vm.id.0)?;
    tx.open_table(OWNER_VMS)?.remove((vm.owner.0, vm.id.0))?;
    // A platform fault still open ends with the VM.
    super::sla::close(tx, vm.id, vm.updated_at)?;
    let resource = format!("vm:{}", vm.id);
    super::usage::set_usage(tx, vm.updated_at, vm.owner, &resource, None)?;
    super::usage::set_usage(tx, vm.updated_at, vm.owner, &format!("{resource}/ipv4"), None)
}

/// The list entries of `owner`'s VMs, by id, from `OWNER_VMS` opened in any transaction.
pub fn owned(
    list: &impl ReadableTable<(u64, u64), &'static [u8]>,
    owner: UserId,
) -> Result<Vec<VmListRecord>, StoreError> {
    let mut out = Vec::new();
    for row in list.range((owner.0, 0)..=(owner.0, u64::MAX))? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// Call `f` with each of `owner`'s list entries after the VM `after` (from the first if
/// `None`), read in place, by id, until `f` breaks.
pub fn visit_owned(
    list: &impl ReadableTable<(u64, u64), &'static [u8]>,
    owner: UserId,
    after: Option<VmId>,
    mut f: impl FnMut(&VmListView<'_>) -> ControlFlow<()>,
) -> Result<(), StoreError> {
    let Some(first) = after.map_or(Some(0), |a| a.0.checked_add(1)) else {
        return Ok(());
    };
    for row in list.range((owner.0, first)..=(owner.0, u64::MAX))? {
        let (_, value) = row?;
        if f(&VmListView::decode(value.value())?).is_break() {
            break;
        }
    }
    Ok(())
}

/// Every list entry with its owner, by VM id.
pub fn all(
    list: &impl ReadableTable<(u64, u64), &'static [u8]>,
) -> Result<Vec<(UserId, VmListRecord)>, StoreError> {
    let mut out = Vec::new();
    for row in list.iter()? {
        let (key, value) = row?;
        out.push((UserId(key.value().0), decode::<VmListRecord>(value.value())?));
    }
    out.sort_by_key(|(_, vm)| vm.id);
    Ok(out)
}

/// Rebuild `OWNER_VMS` from `VMS`, `VM_ADDRESSES` and `VM_EXTERNAL` (the migrations from
/// schema 1, which had only an id index, and from schema 14, whose entries had no addresses).
pub fn rebuild_list(tx: &WriteTransaction) -> Result<u64, StoreError> {
    let vms = tx.open_table(VMS)?;
    let (addresses, external) = (tx.open_table(VM_ADDRESSES)?, tx.open_table(VM_EXTERNAL)?);
    let mut list = tx.open_table(OWNER_VMS)?;
    list.retain(|_, _| false)?;
    let mut n = 0;
    for row in vms.iter()? {
        let vm: VmRecord = decode(row?.1.value())?;
        list.insert((vm.owner.0, vm.id.0), encode(&entry(&addresses, &external, &vm)?)?.as_slice())?;
        n += 1;
    }
    Ok(n)
}
