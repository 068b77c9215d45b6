//! Storage: extra disks, what each owner holds, backups with their schedules and restores.

use redb::TableDefinition;

/// Extra disks by id → `DiskRecord`.
pub const DISKS: TableDefinition<u64, &[u8]> = TableDefinition::new("disks");

/// `(VM, slot)` → disk id: the extra disks attached to each VM.
pub const VM_DISKS: TableDefinition<(u64, u8), u64> = TableDefinition::new("vm_disks");

/// `(owner, kind, id)` → amount: what an account holds besides VMs, for quota sums and lists
/// (kinds in `store::holdings`).
pub const OWNER_HOLDINGS: TableDefinition<(u64, u8, u64), u64> = TableDefinition::new("owner_holdings");

/// Backups by id (`BackupRecord`).
pub const BACKUPS: TableDefinition<u64, &[u8]> = TableDefinition::new("backups");

/// A VM's backups: (vm, backup) → ().
pub const VM_BACKUPS: TableDefinition<(u64, u64), ()> = TableDefinition::new("vm_backups");

/// Backup schedules by id (`ScheduleRecord`).
pub const BACKUP_SCHEDULES: TableDefinition<u64, &[u8]> = TableDefinition::new("backup_schedules");

/// A VM's backup schedules: (vm, schedule) → ().
pub const VM_SCHEDULES: TableDefinition<(u64, u64), ()> = TableDefinition::new("vm_schedules");

/// VMs being made from a backup: vm → `RestoreSource` (removed once the VM is made or failed).
pub const VM_RESTORES: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_restores");
