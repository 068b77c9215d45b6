//! Addresses and networks: IP pools with their free, cooling and leased addresses, each server's addresses, private networks.

use redb::{MultimapTableDefinition, TableDefinition};

/// IP pools by id → `PoolRecord`.
pub const IP_POOLS: TableDefinition<u64, &[u8]> = TableDefinition::new("ip_pools");

/// Pool name → id.
pub const IP_POOL_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("ip_pool_by_name");

/// `(pool, first unit)` → last unit: the runs of units a pool can hand out now (see
/// `domain::ipam` for what a unit index is). Runs never touch or overlap.
pub const IP_FREE: TableDefinition<(u64, u128), u128> = TableDefinition::new("ip_free");

/// `(pool, rests until (ms), unit)`: released units resting before they are free again.
pub const IP_COOLING: TableDefinition<(u64, i64, u128), ()> = TableDefinition::new("ip_cooling");

/// `(pool, unit)` → `IpLeaseRecord`: who holds each handed-out unit.
pub const IP_LEASES: TableDefinition<(u64, u128), &[u8]> = TableDefinition::new("ip_leases");

/// Pool → (units leased, units cooling), kept with every change.
pub const IP_POOL_COUNTS: TableDefinition<u64, (u64, u64)> = TableDefinition::new("ip_pool_counts");

/// VM id → `(pool, unit)` of each address it holds.
pub const VM_IPS: MultimapTableDefinition<u64, (u64, u128)> = MultimapTableDefinition::new("vm_ips");

/// VM id → its guest addresses as the lists show them, packed (`store::addresses`), kept with
/// `VM_IPS`.
pub const VM_ADDRESSES: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_addresses");

/// Private networks by id → `PrivNetRecord`.
pub const PRIVATE_NETS: TableDefinition<u64, &[u8]> = TableDefinition::new("private_nets");

/// `(network, VM)` → (interface slot, host address index): the VMs on each private network.
pub const NET_MEMBERS: TableDefinition<(u64, u64), (u8, u32)> = TableDefinition::new("net_members");

/// `(VM, network)` → (interface slot, host address index): the same rows by VM.
pub const VM_NETS: TableDefinition<(u64, u64), (u8, u32)> = TableDefinition::new("vm_nets");
