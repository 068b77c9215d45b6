//! The `[quotas]` section: the limits every new account gets.

use serde::{Deserialize, Serialize};

/// Default limits for new accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuotaConfig {
    /// Virtual machines.
    pub vms: u64,
    /// vCPUs over all VMs.
    pub vcpus: u64,
    /// Memory over all VMs, MiB.
    pub memory_mib: u64,
    /// Disk over all VMs, GiB.
    pub disk_gb: u64,
    /// Public IPv4 addresses.
    pub ipv4: u64,
    /// Stored backups.
    pub backups: u64,
    /// Private networks.
    pub private_networks: u64,
    /// Backup storage, GiB.
    pub backup_gb: u64,
    /// Snapshots of servers' disks (all servers together).
    pub snapshots: u64,
    /// The account's own uploaded ISO images, GiB.
    pub iso_gb: u64,
}

impl Default for QuotaConfig {
    fn default() -> Self {
        Self {
            vms: 3,
            vcpus: 4,
            memory_mib: 8192,
            disk_gb: 100,
            ipv4: 3,
            backups: 10,
            private_networks: 2,
            backup_gb: 100,
            snapshots: 3,
            iso_gb: 10,
        }
    }
}

impl QuotaConfig {
    /// As quota amounts.
    pub fn amounts(&self) -> crate::domain::quota::Amounts {
        crate::domain::quota::Amounts {
            vms: self.vms,
            vcpus: self.vcpus,
            memory_mib: self.memory_mib,
            disk_gb: self.disk_gb,
            ipv4: self.ipv4,
            backups: self.backups,
            private_networks: self.private_networks,
            backup_gb: self.backup_gb,
            snapshots: self.snapshots,
            iso_gb: self.iso_gb,
        }
    }
}
