//! What happens to a pool's units inside the caller's write transaction: free runs, rest,
//! leases, and the per-VM index. Every function keeps the three places of a unit (see the
//! module above) an exact partition and the counts beside them.

use std::net::IpAddr;

use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};

use super::{IpamError, Lease, load};
use crate::domain::account::UserId;
use crate::domain::ipam::PoolId;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::store::codec::{decode, encode};
use crate::store::records::{IpLeaseRecord, PoolRecord};
use crate::store::tables::{IP_COOLING, IP_FREE, IP_LEASES, IP_POOL_COUNTS, IP_POOLS, VM_IPS};
use crate::store::{StoreError, addresses};

/// Add `(leased, cooling)` deltas to a pool's counts.
pub(super) fn count(
    tx: &WriteTransaction,
    pool: PoolId,
    leased: i64,
    cooling: i64,
) -> Result<(), StoreError> {
    let mut t = tx.open_table(IP_POOL_COUNTS)?;
    let (l, c) = t.get(pool.0)?.map(|v| v.value()).unwrap_or((0, 0));
    t.insert(pool.0, (l.saturating_add_signed(leased), c.saturating_add_signed(cooling)))?;
    Ok(())
}

/// Put `index` back into the pool's free runs, joining its neighbours. A unit that is already
/// free means the tables disagree: refused as corrupt rather than handed out twice later.
pub(super) fn free_insert(tx: &WriteTransaction, pool: PoolId, index: u128) -> Result<(), StoreError> {
    let mut free = tx.open_table(IP_FREE)?;
    let before = free
        .range((pool.0, 0)..=(pool.0, index))?
        .next_back()
        .transpose()?
        .map(|(k, v)| (k.value().1, v.value()));
    let after = free.get((pool.0, index.saturating_add(1)))?.map(|v| v.value());
    let corrupt = || StoreError::Corrupt {
        kind: "ip pool",
        reason: format!("unit {index} of pool {pool} is free twice"),
    };
    let mut start = index;
    if let Some((s, e)) = before {
        if e >= index {
            return Err(corrupt());
        }
        if e.checked_add(1) == Some(index) {
            start = s;
        }
    }
    let mut end = index;
    if let Some(e) = after {
        free.remove((pool.0, index + 1))?;
        end = e;
    }
    free.insert((pool.0, start), end)?;
    Ok(())
}

/// Return the pool's units whose rest ended by `now` to the free runs.
fn reclaim(tx: &WriteTransaction, pool: PoolId, now: Timestamp) -> Result<u64, StoreError> {
    let due: Vec<(i64, u128)> = {
        let t = tx.open_table(IP_COOLING)?;
        let mut due = Vec::new();
        for row in t.range((pool.0, i64::MIN, 0)..=(pool.0, now.as_millis(), u128::MAX))? {
            let (k, _) = row?;
            let (_, until, index) = k.value();
            due.push((until, index));
        }
        due
    };
    if due.is_empty() {
        return Ok(0);
    }
    {
        let mut t = tx.open_table(IP_COOLING)?;
        for (until, index) in &due {
            t.remove((pool.0, *until, *index))?;
        }
    }
    for (_, index) in &due {
        free_insert(tx, pool, *index)?;
    }
    let n = due.len() as u64;
    count(tx, pool, 0, -(n as i64))?;
    Ok(n)
}

/// Hand out the lowest free unit of `pool` to `owner` (and `vm`), inside `tx`.
pub fn allocate_in(
    tx: &WriteTransaction,
    pool: &PoolRecord,
    owner: UserId,
    vm: Option<VmId>,
    now: Timestamp,
) -> Result<Lease, IpamError> {
    reclaim(tx, pool.id, now)?;
    let index = {
        let mut free = tx.open_table(IP_FREE)?;
        let first = free
            .range((pool.id.0, 0)..=(pool.id.0, u128::MAX))?
            .next()
            .transpose()?
            .map(|(k, v)| (k.value().1, v.value()));
        let Some((start, end)) = first else {
            return Err(IpamError::Exhausted(pool.name.clone()));
        };
        free.remove((pool.id.0, start))?;
        if start < end {
            free.insert((pool.id.0, start + 1), end)?;
        }
        start
    };
    let lease = IpLeaseRecord { owner, vm, since: now, ptr: None };
    tx.open_table(IP_LEASES)?.insert((pool.id.0, index), encode(&lease)?.as_slice())?;
    if let Some(vm) = vm {
        tx.open_multimap_table(VM_IPS)?.insert(vm.0, (pool.id.0, index))?;
        addresses::refresh(tx, vm)?;
    }
    count(tx, pool.id, 1, 0)?;
    Ok(Lease::of(pool, index))
}

/// Take back unit `index` of `pool` inside `tx`: it rests for `cooldown_secs`, then is free.
pub fn release_in(
    tx: &WriteTransaction,
    pool: &PoolRecord,
    index: u128,
    now: Timestamp,
    cooldown_secs: u64,
) -> Result<IpLeaseRecord, IpamError> {
    let lease: IpLeaseRecord = match tx.open_table(IP_LEASES)?.remove((pool.id.0, index))? {
        Some(v) => decode(v.value())?,
        None => return Err(IpamError::NotLeased(pool.spec.addr_of(index), pool.name.clone())),
    };
    if let Some(vm) = lease.vm {
        tx.open_multimap_table(VM_IPS)?.remove(vm.0, (pool.id.0, index))?;
        addresses::refresh(tx, vm)?;
    }
    if cooldown_secs == 0 {
        free_insert(tx, pool.id, index)?;
        count(tx, pool.id, -1, 0)?;
    } else {
        let until = now.plus_secs(i64::try_from(cooldown_secs).unwrap_or(i64::MAX / 1000));
        tx.open_table(IP_COOLING)?.insert((pool.id.0, until.as_millis(), index), ())?;
        count(tx, pool.id, -1, 1)?;
    }
    Ok(lease)
}

/// The pool whose network holds `addr`.
pub(super) fn pool_containing(tx: &WriteTransaction, addr: IpAddr) -> Result<PoolRecord, IpamError> {
    all_pools(tx)?.into_iter().find(|p| p.spec.network.contains(&addr)).ok_or(IpamError::UnknownAddress(addr))
}

pub(super) fn all_pools(tx: &WriteTransaction) -> Result<Vec<PoolRecord>, IpamError> {
    let t = tx.open_table(IP_POOLS)?;
    let mut v = Vec::new();
    for row in t.iter()? {
        v.push(decode(row?.1.value())?);
    }
    Ok(v)
}

/// One unit of the family (`v4`) from the first of `pools` with one free, for `vm`.
fn allocate_any(
    tx: &WriteTransaction,
    pools: &[PoolRecord],
    v4: bool,
    owner: UserId,
    vm: VmId,
    now: Timestamp,
) -> Result<Lease, IpamError> {
    for pool in pools.iter().filter(|p| p.spec.network.is_v4() == v4) {
        match allocate_in(tx, pool, owner, Some(vm), now) {
            Err(IpamError::Exhausted(_)) => continue,
            other => return other,
        }
    }
    Err(IpamError::NoFreeAddress(if v4 { "IPv4" } else { "IPv6" }))
}

/// Give a new VM its public addresses inside `tx`: `ipv4` addresses from the IPv4 pools (by
/// pool id, moving on when one is full) and, when IPv6 pools exist, one IPv6 unit. Refused with
/// `NoFreeAddress` when a family cannot be served (so nothing is sold that cannot be delivered).
pub fn assign_vm_in(
    tx: &WriteTransaction,
    owner: UserId,
    vm: VmId,
    ipv4: u32,
    now: Timestamp,
) -> Result<Vec<Lease>, IpamError> {
    let pools = all_pools(tx)?;
    let mut out = Vec::new();
    for _ in 0..ipv4 {
        out.push(allocate_any(tx, &pools, true, owner, vm, now)?);
    }
    if pools.iter().any(|p| !p.spec.network.is_v4()) {
        out.push(allocate_any(tx, &pools, false, owner, vm, now)?);
    }
    Ok(out)
}

/// Bring `vm`'s IPv4 address count to `want` inside `tx`: new ones from the pools, or the most
/// recently given ones back (resting for `cooldown_secs`). Returns the addresses added.
pub fn set_ipv4_count_in(
    tx: &WriteTransaction,
    owner: UserId,
    vm: VmId,
    want: u32,
    now: Timestamp,
    cooldown_secs: u64,
) -> Result<Vec<Lease>, IpamError> {
    let mut have: Vec<Lease> = vm_leases_tx(tx, vm)?.into_iter().filter(|l| l.address.0.is_ipv4()).collect();
    let want = want as usize;
    let mut added = Vec::new();
    if have.len() < want {
        let pools = all_pools(tx)?;
        for _ in have.len()..want {
            added.push(allocate_any(tx, &pools, true, owner, vm, now)?);
        }
    }
    while have.len() > want {
        let Some(last) = have.pop() else { break };
        let pool = load(&tx.open_table(IP_POOLS)?, last.pool)?;
        release_in(tx, &pool, last.index, now, cooldown_secs)?;
    }
    Ok(added)
}

/// `vm`'s leases, IPv4 first, from the tables of any transaction.
fn leases_of(
    pools: &impl ReadableTable<u64, &'static [u8]>,
    index: &impl ReadableMultimapTable<u64, (u64, u128)>,
    leases: &impl ReadableTable<(u64, u128), &'static [u8]>,
    vm: VmId,
) -> Result<Vec<Lease>, IpamError> {
    let mut out = Vec::new();
    for x in index.get(vm.0)? {
        let (pool, unit) = x?.value();
        let mut lease = Lease::of(&load(pools, PoolId(pool))?, unit);
        if let Some(v) = leases.get((pool, unit))? {
            lease.ptr = decode::<IpLeaseRecord>(v.value())?.ptr;
        }
        out.push(lease);
    }
    out.sort_by_key(|l| crate::domain::ipam::display_order(&l.address.0, l.pool, l.index));
    Ok(out)
}

/// `vm`'s leases, IPv4 first, inside a write transaction.
pub fn vm_leases_tx(tx: &WriteTransaction, vm: VmId) -> Result<Vec<Lease>, IpamError> {
    leases_of(&tx.open_table(IP_POOLS)?, &tx.open_multimap_table(VM_IPS)?, &tx.open_table(IP_LEASES)?, vm)
}

/// Hand the unit whose guest address is `addr` to `vm` of `owner` inside `tx` (an admin's
/// move): the lease keeps its reverse DNS name only when the owner stays. Returns the VM that
/// held it.
pub fn move_in(
    tx: &WriteTransaction,
    addr: IpAddr,
    owner: UserId,
    vm: VmId,
) -> Result<Option<VmId>, IpamError> {
    let pool = pool_containing(tx, addr)?;
    let index = pool.spec.index_of(&addr);
    let mut leases = tx.open_table(IP_LEASES)?;
    let mut lease: IpLeaseRecord = match leases.get((pool.id.0, index))? {
        Some(v) => decode(v.value())?,
        None => return Err(IpamError::UnknownAddress(addr)),
    };
    let from = lease.vm;
    let mut index_table = tx.open_multimap_table(VM_IPS)?;
    if let Some(old) = from {
        index_table.remove(old.0, (pool.id.0, index))?;
    }
    index_table.insert(vm.0, (pool.id.0, index))?;
    drop(index_table);
    if lease.owner != owner {
        lease.ptr = None;
    }
    lease.owner = owner;
    lease.vm = Some(vm);
    leases.insert((pool.id.0, index), encode(&lease)?.as_slice())?;
    drop(leases);
    for v in from.into_iter().chain([vm]) {
        addresses::refresh(tx, v)?;
    }
    Ok(from)
}

/// Take back one lease inside `tx` (it rests for `cooldown_secs`).
pub fn release_lease_in(
    tx: &WriteTransaction,
    lease: &Lease,
    now: Timestamp,
    cooldown_secs: u64,
) -> Result<(), IpamError> {
    let pool = load(&tx.open_table(IP_POOLS)?, lease.pool)?;
    release_in(tx, &pool, lease.index, now, cooldown_secs).map(|_| ())
}

/// Take back every address of `vm` inside `tx` (after `cooldown_secs` of rest they are free).
pub fn release_vm_in(
    tx: &WriteTransaction,
    vm: VmId,
    now: Timestamp,
    cooldown_secs: u64,
) -> Result<usize, IpamError> {
    let held: Vec<(u64, u128)> = {
        let t = tx.open_multimap_table(VM_IPS)?;
        let mut v = Vec::new();
        for x in t.get(vm.0)? {
            v.push(x?.value());
        }
        v
    };
    for (pool, index) in &held {
        let pool = load(&tx.open_table(IP_POOLS)?, PoolId(*pool))?;
        release_in(tx, &pool, *index, now, cooldown_secs)?;
    }
    Ok(held.len())
}

/// The addresses `vm` holds, IPv4 first.
pub fn vm_leases_in(tx: &redb::ReadTransaction, vm: VmId) -> Result<Vec<Lease>, IpamError> {
    leases_of(&tx.open_table(IP_POOLS)?, &tx.open_multimap_table(VM_IPS)?, &tx.open_table(IP_LEASES)?, vm)
}
