//! Each VM's guest addresses kept ready (`VM_ADDRESSES`): reading them from the lease index
//! (`VM_IPS`, a multimap of pool units) and the pools each time a page shows them cost a
//! lookup per pool. The index stays the truth; [`refresh`] rewrites a VM's entry from it, and
//! the VM's list entry (`store::vms`), in the same write transaction as every change to it
//! (the IP module calls it); the schema-9 migration built the entries for existing files.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};

use super::StoreError;
use super::codec::decode;
use super::records::PoolRecord;
use super::tables::{IP_POOLS, VM_ADDRESSES, VM_IPS};
use crate::domain::ipam::{PoolId, PoolSpec, display_order};
use crate::domain::vm::VmId;

/// Rewrite `vm`'s entry from its leases in `tx` (removed when it holds none), and its list
/// entry, which shows them. The caller must not hold `VMS` or `OWNER_VMS` open.
pub fn refresh(tx: &WriteTransaction, vm: VmId) -> Result<(), StoreError> {
    let pools = tx.open_table(IP_POOLS)?;
    let packed = build(&tx.open_multimap_table(VM_IPS)?, vm, |id| match pools.get(id)? {
        Some(v) => Ok(decode::<PoolRecord>(v.value())?.spec),
        None => Err(StoreError::Corrupt { kind: "ip pool", reason: format!("pool {id} of {vm} is missing") }),
    })?;
    drop(pools);
    write(tx, vm, &packed)?;
    super::vms::relist(tx, vm)
}

/// `vm`'s guest addresses from the lease index, IPv4 first, then by pool and unit (as the VM
/// page lists them), packed; `spec` gives a pool's definition by id (a VM holds a few
/// addresses, so a pool is looked up per address).
pub(super) fn build(
    index: &impl ReadableMultimapTable<u64, (u64, u128)>,
    vm: VmId,
    mut spec: impl FnMut(u64) -> Result<PoolSpec, StoreError>,
) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::new();
    for x in index.get(vm.0)? {
        let (pool, unit) = x?.value();
        out.push((spec(pool)?.guest_address(unit).0, pool, unit));
    }
    out.sort_by_key(|(a, pool, unit)| display_order(a, PoolId(*pool), *unit));
    let mut packed = Vec::with_capacity(out.len() * 17);
    for (a, ..) in out {
        pack(&mut packed, a);
    }
    Ok(packed)
}

/// Store `packed` as `vm`'s entry (none when empty).
pub(super) fn write(tx: &WriteTransaction, vm: VmId, packed: &[u8]) -> Result<(), StoreError> {
    let mut t = tx.open_table(VM_ADDRESSES)?;
    if packed.is_empty() {
        t.remove(vm.0)?;
    } else {
        t.insert(vm.0, packed)?;
    }
    Ok(())
}

/// Append one address: its length in bytes (4 or 16), then its octets.
fn pack(out: &mut Vec<u8>, a: IpAddr) {
    match a {
        IpAddr::V4(v4) => {
            out.push(4);
            out.extend_from_slice(&v4.octets());
        }
        IpAddr::V6(v6) => {
            out.push(16);
            out.extend_from_slice(&v6.octets());
        }
    }
}

/// Replace `out` with the addresses of a packed entry. A malformed tail (which [`refresh`]
/// never writes) ends the list rather than failing the page.
pub fn unpack_into(packed: &[u8], out: &mut Vec<IpAddr>) {
    out.clear();
    let mut rest = packed;
    while let Some((&len, tail)) = rest.split_first() {
        let (octets, next) = tail.split_at(usize::from(len).min(tail.len()));
        match (len, <[u8; 4]>::try_from(octets), <[u8; 16]>::try_from(octets)) {
            (4, Ok(v4), _) => out.push(IpAddr::V4(Ipv4Addr::from(v4))),
            (16, _, Ok(v6)) => out.push(IpAddr::V6(Ipv6Addr::from(v6))),
            _ => return,
        }
        rest = next;
    }
}

/// `vm`'s addresses from the kept-ready table of any transaction, into `out`.
pub fn read_into(
    table: &impl ReadableTable<u64, &'static [u8]>,
    vm: VmId,
    out: &mut Vec<IpAddr>,
) -> Result<(), StoreError> {
    match table.get(vm.0)? {
        Some(v) => unpack_into(v.value(), out),
        None => out.clear(),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_addresses_come_back_in_order() {
        let addrs: Vec<IpAddr> =
            ["198.51.100.7", "2001:db8:100:1::1", "0.0.0.0"].iter().map(|a| a.parse().unwrap()).collect();
        let mut packed = Vec::new();
        for a in &addrs {
            pack(&mut packed, *a);
        }
        let mut out = vec!["192.0.2.1".parse().unwrap()];
        unpack_into(&packed, &mut out);
        assert_eq!(out, addrs);
        // A cut-off entry yields what is whole and no more.
        unpack_into(&packed[..packed.len() - 1], &mut out);
        assert_eq!(out, addrs[..2]);
        unpack_into(&[], &mut out);
        assert!(out.is_empty());
    }
}
