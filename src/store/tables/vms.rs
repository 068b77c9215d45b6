//! Servers: the records and their indexes, intents of multi-step operations, deletions, rescue, ISO and snapshot state, firewalls, limits, and traffic and CPU usage with abuse cases.

use redb::TableDefinition;

/// VMs by id → `VmRecord`.
pub const VMS: TableDefinition<u64, &[u8]> = TableDefinition::new("vms");

/// `(owner id, VM id)` → `VmListRecord`: each owner's VMs in id order, with what lists and
/// quota usage need. Written only through `store::vms`, together with [`VMS`].
pub const OWNER_VMS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("owner_vms");

/// Domain UUID (text) → VM id.
pub const VM_BY_UUID: TableDefinition<&str, u64> = TableDefinition::new("vm_by_uuid");

/// `<owner id>/<hostname>` → VM id: hostnames are unique per account.
pub const VM_HOSTNAMES: TableDefinition<&str, u64> = TableDefinition::new("vm_hostnames");

/// One-time key of a create form → the VM it made (a retried or doubled submit finds it).
pub const CREATE_KEYS: TableDefinition<&str, u64> = TableDefinition::new("create_keys");

/// VM id → `IntentRecord` of the multi-step operation in progress on it.
pub const INTENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("intents");

/// VM id → `DeletionRecord`: servers scheduled for deletion after a grace period.
pub const VM_DELETIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_deletions");

/// `(VM id, day number since 1970-01-01 UTC)` → (bytes in, bytes out) of its public interface.
pub const TRAFFIC_DAYS: TableDefinition<(u64, u32), (u64, u64)> = TableDefinition::new("traffic_days");

/// VM id → (run id, bytes in, bytes out): the interface counters last sampled.
pub const TRAFFIC_SEEN: TableDefinition<u64, (u32, u64, u64)> = TableDefinition::new("traffic_seen");

/// `(VM id, tier, slot)` → its usage over one bucket of the tier (`domain::usage`): (bucket
/// start in seconds, then `Usage::to_tuple`). One fixed ring per VM and tier: a bucket's slot is
/// overwritten when the ring comes round, so the table's size is bounded.
pub const VM_USAGE: TableDefinition<(u64, u8, u16), (i64, crate::domain::usage::Sums)> =
    TableDefinition::new("vm_usage");

/// VM id → the counters last read: (seconds, vCPUs, CPU ns, disk read, disk written, rx, tx).
pub const VM_USAGE_SEEN: TableDefinition<u64, crate::domain::usage::StoredReading> =
    TableDefinition::new("vm_usage_seen");

/// VM id → since when (seconds) its vCPUs have been busy at the abuse rule's level without a
/// break; no row while they are not.
pub const CPU_BUSY_SINCE: TableDefinition<u64, i64> = TableDefinition::new("cpu_busy_since");

/// VM id → `AbuseCase`: the abuse rule's case about it (open, capped, suspended or closed).
pub const ABUSE_CASES: TableDefinition<u64, &[u8]> = TableDefinition::new("abuse_cases");

/// VM id → `RescueRecord`: the server boots the rescue system (no row: its own disk).
pub const VM_RESCUE: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_rescue");

/// VM id → (month index, GiB charged): the extra traffic billed for the server's month.
pub const TRAFFIC_CHARGED: TableDefinition<u64, (u32, u64)> = TableDefinition::new("traffic_charged");

/// VM id → `VmLimits`: what an admin set for the server instead of its plan's port speed and
/// allowance.
pub const VM_LIMITS: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_limits");

/// VM id → `VmIso`: the ISO in the server's CD-ROM drive (no row: the drive is empty).
pub const VM_ISO: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_iso");

/// (VM id, snapshot id) → `SnapshotRecord`: the snapshots of each server's disks.
pub const SNAPSHOTS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("snapshots");

/// VM id → (month index, notice level told, throttled): the allowance rule's state of the
/// server's current month (`domain::allowance::MonthState`).
pub const TRAFFIC_MONTH: TableDefinition<u64, (u32, u8, bool)> = TableDefinition::new("traffic_month");

/// VM id → `FirewallRecord`: the VM's inbound firewall (absent: everything allowed).
pub const VM_FIREWALLS: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_firewalls");
