//! Availability: downtime, incidents, maintenance windows and SLA credits.

use redb::TableDefinition;

/// Downtime of VMs: (vm, id) → `DowntimeRecord`.
pub const DOWNTIME: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("downtime");

/// VM id → `OpenDowntime`: a platform fault seen and not yet over.
pub const OPEN_DOWNTIME: TableDefinition<u64, &[u8]> = TableDefinition::new("open_downtime");

/// Incidents by id → `IncidentRecord`.
pub const INCIDENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("incidents");

/// Maintenance windows by id → `MaintenanceRecord`.
pub const MAINTENANCE: TableDefinition<u64, &[u8]> = TableDefinition::new("maintenance");

/// (account, month) → `SlaCreditRecord`: the availability credits booked for a month.
pub const SLA_CREDITS: TableDefinition<(u64, u32), &[u8]> = TableDefinition::new("sla_credits");
