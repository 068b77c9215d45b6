//! Each VM's guest addresses kept ready for lists (`VM_ADDRESSES`): the VM list shows every
//! server's addresses, and reading them from the lease index (`VM_IPS`, a multimap of pool
//! units) and the pools for each row was a good part of a big list's cost. The index stays the
//! truth; [`refresh`] rewrites a VM's entry from it in the same write transaction as every
//! change to it (the IP module calls it), and the schema-9 migration builds the entries for
//! existing files.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use redb::{AccessGuard, Range, ReadOnlyTable, ReadableMultimapTable, ReadableTable, WriteTransaction};

use super::StoreError;
use super::codec::decode;
use super::records::PoolRecord;
use super::tables::{IP_POOLS, VM_ADDRESSES, VM_IPS};
use crate::domain::ipam::{PoolId, PoolSpec, display_order};
use crate::domain::vm::VmId;

/// Rewrite `vm`'s entry from its leases in `tx` (removed when it holds none).
pub fn refresh(tx: &WriteTransaction, vm: VmId) -> Result<(), StoreError> {
    let pools = tx.open_table(IP_POOLS)?;
    let packed = build(&tx.open_multimap_table(VM_IPS)?, vm, |id| match pools.get(id)? {
        Some(v) => Ok(decode::<PoolRecord>(v.value())?.spec),
        None => Err(StoreError::Corrupt { kind: "ip pool", reason: format!("pool {id} of {vm} is missing") }),
    })?;
    write(tx, vm, &packed)
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

/// How far a cursor of [`InOrder`] walks over other VMs' entries before it seeks afresh.
const WALK: usize = 8;

/// VMs' addresses read in ascending id order with one forward cursor: a list reads each leaf
/// of the table once instead of descending the tree for every row. Where the wanted ids are
/// far apart (one customer's VMs among many), a cursor that would walk past more than a few
/// entries starts again at the wanted id, which costs what a lookup costs.
pub struct InOrder<'t> {
    table: &'t ReadOnlyTable<u64, &'static [u8]>,
    range: Option<Range<'static, u64, &'static [u8]>>,
    /// The entry the cursor stands on; `None` once it has passed the last one.
    head: Option<(u64, AccessGuard<'static, &'static [u8]>)>,
    last: u64,
}

impl<'t> InOrder<'t> {
    /// A reader of `table` (`VM_ADDRESSES` of a read transaction).
    pub fn new(table: &'t ReadOnlyTable<u64, &'static [u8]>) -> InOrder<'t> {
        InOrder { table, range: None, head: None, last: 0 }
    }

    /// `vm`'s addresses into `out`. Ids should come in ascending order; one that does not
    /// is still read right, with a fresh cursor.
    pub fn read_into(&mut self, vm: VmId, out: &mut Vec<IpAddr>) -> Result<(), StoreError> {
        if vm.0 < self.last {
            self.range = None;
        }
        self.last = vm.0;
        let behind = |head: &Option<(u64, _)>| head.as_ref().is_some_and(|(k, _)| *k < vm.0);
        let mut steps = 0;
        while self.range.is_some() && behind(&self.head) && steps < WALK {
            self.advance()?;
            steps += 1;
        }
        if self.range.is_none() || behind(&self.head) {
            self.range = Some(self.table.range(vm.0..)?);
            self.advance()?;
        }
        match &self.head {
            Some((k, v)) if *k == vm.0 => unpack_into(v.value(), out),
            _ => out.clear(),
        }
        Ok(())
    }

    fn advance(&mut self) -> Result<(), StoreError> {
        self.head = match self.range.as_mut().and_then(|r| r.next()) {
            Some(row) => {
                let (k, v) = row?;
                Some((k.value(), v))
            }
            None => None,
        };
        Ok(())
    }
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

    #[test]
    fn a_forward_cursor_reads_what_lookups_read() {
        let store = crate::store::Store::in_memory().unwrap();
        let tx = store.write().unwrap();
        // Every third VM of 1..=300 has no entry; the rest one or two addresses.
        for id in (1u64..=300).filter(|i| i % 3 != 0) {
            let mut packed = Vec::new();
            pack(&mut packed, IpAddr::V4(Ipv4Addr::from(u32::try_from(id).unwrap())));
            if id % 2 == 0 {
                pack(&mut packed, IpAddr::V6(Ipv6Addr::from(u128::from(id))));
            }
            write(&tx, VmId(id), &packed).unwrap();
        }
        tx.commit().unwrap();
        let tx = store.read().unwrap();
        let table = tx.open_table(VM_ADDRESSES).unwrap();
        let orders: Vec<Vec<u64>> = vec![
            (0..=301).collect(),
            (1..=300).step_by(7).collect(),
            (1..=300).step_by(40).collect(),
            vec![5, 5, 6, 2, 1, 299, 300, 301, 3, 4],
            vec![],
        ];
        for order in orders {
            let mut cursor = InOrder::new(&table);
            let (mut walked, mut looked) = (vec![], vec![]);
            for id in &order {
                cursor.read_into(VmId(*id), &mut walked).unwrap();
                read_into(&table, VmId(*id), &mut looked).unwrap();
                assert_eq!(walked, looked, "vm {id} in {order:?}");
            }
        }
    }
}
