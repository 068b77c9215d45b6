//! Quotas: per-account limits on what a customer may hold, and the check that a request fits.

use serde::{Deserialize, Serialize};

/// A limited resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resource {
    /// Virtual machines.
    Vms,
    /// vCPUs over all VMs.
    Vcpus,
    /// Memory over all VMs, MiB.
    MemoryMib,
    /// Disk over all VMs, GiB.
    DiskGb,
    /// Public IPv4 addresses.
    Ipv4,
    /// Stored backups.
    Backups,
    /// Private networks.
    PrivateNetworks,
    /// Stored backups' total size, GiB (rounded up).
    BackupGb,
    /// Snapshots of servers' disks.
    Snapshots,
    /// The account's own uploaded ISO images' total size, GiB (rounded up).
    IsoGb,
}

impl Resource {
    /// Every resource, in display order.
    pub const ALL: [Resource; 10] = [
        Resource::Vms,
        Resource::Vcpus,
        Resource::MemoryMib,
        Resource::DiskGb,
        Resource::Ipv4,
        Resource::PrivateNetworks,
        Resource::Backups,
        Resource::BackupGb,
        Resource::Snapshots,
        Resource::IsoGb,
    ];

    /// Name for pages and messages.
    pub fn label(self) -> &'static str {
        match self {
            Resource::Vms => "virtual machines",
            Resource::Vcpus => "vCPUs",
            Resource::MemoryMib => "memory (MiB)",
            Resource::DiskGb => "disk (GiB)",
            Resource::Ipv4 => "public IPv4 addresses",
            Resource::Backups => "backups",
            Resource::PrivateNetworks => "private networks",
            Resource::BackupGb => "backup storage (GiB)",
            Resource::Snapshots => "snapshots",
            Resource::IsoGb => "own ISO images (GiB)",
        }
    }

    /// Form field / config key.
    pub fn key(self) -> &'static str {
        match self {
            Resource::Vms => "vms",
            Resource::Vcpus => "vcpus",
            Resource::MemoryMib => "memory_mib",
            Resource::DiskGb => "disk_gb",
            Resource::Ipv4 => "ipv4",
            Resource::Backups => "backups",
            Resource::PrivateNetworks => "private_networks",
            Resource::BackupGb => "backup_gb",
            Resource::Snapshots => "snapshots",
            Resource::IsoGb => "iso_gb",
        }
    }
}

/// Amounts per resource: used for limits, usage and requests alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    /// Virtual machines.
    pub vms: u64,
    /// vCPUs.
    pub vcpus: u64,
    /// Memory, MiB.
    pub memory_mib: u64,
    /// Disk, GiB.
    pub disk_gb: u64,
    /// Public IPv4 addresses.
    pub ipv4: u64,
    /// Backups.
    pub backups: u64,
    /// Private networks.
    pub private_networks: u64,
    /// Backup storage, GiB.
    pub backup_gb: u64,
    /// Snapshots.
    pub snapshots: u64,
    /// Own ISO images, GiB.
    pub iso_gb: u64,
}

impl Amounts {
    /// One resource's amount.
    pub fn get(&self, r: Resource) -> u64 {
        match r {
            Resource::Vms => self.vms,
            Resource::Vcpus => self.vcpus,
            Resource::MemoryMib => self.memory_mib,
            Resource::DiskGb => self.disk_gb,
            Resource::Ipv4 => self.ipv4,
            Resource::Backups => self.backups,
            Resource::PrivateNetworks => self.private_networks,
            Resource::BackupGb => self.backup_gb,
            Resource::Snapshots => self.snapshots,
            Resource::IsoGb => self.iso_gb,
        }
    }

    /// Set one resource's amount.
    pub fn set(&mut self, r: Resource, v: u64) {
        match r {
            Resource::Vms => self.vms = v,
            Resource::Vcpus => self.vcpus = v,
            Resource::MemoryMib => self.memory_mib = v,
            Resource::DiskGb => self.disk_gb = v,
            Resource::Ipv4 => self.ipv4 = v,
            Resource::Backups => self.backups = v,
            Resource::PrivateNetworks => self.private_networks = v,
            Resource::BackupGb => self.backup_gb = v,
            Resource::Snapshots => self.snapshots = v,
            Resource::IsoGb => self.iso_gb = v,
        }
    }

    /// Element-wise sum (saturating).
    pub fn plus(&self, o: &Amounts) -> Amounts {
        let mut out = Amounts::default();
        for r in Resource::ALL {
            out.set(r, self.get(r).saturating_add(o.get(r)));
        }
        out
    }
}

/// A request does not fit the limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Over your quota of {}: the limit is {limit}, {used} in use, this needs {requested} more ({} over). \
     Free some up or ask for a quota increase",
    resource.label(),
    used + requested - limit
)]
pub struct QuotaExceeded {
    /// Which resource.
    pub resource: Resource,
    /// The limit.
    pub limit: u64,
    /// In use now.
    pub used: u64,
    /// Asked for.
    pub requested: u64,
}

impl QuotaExceeded {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        vec![
            ("resource", self.resource.key().into()),
            ("limit", self.limit.into()),
            ("used", self.used.into()),
            ("requested", self.requested.into()),
            ("over", (self.used + self.requested).saturating_sub(self.limit).into()),
        ]
    }
}

/// GiB (rounded up) that `bytes` of backups count as.
pub fn gib_ceil(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 30)
}

/// Check that `used + add` stays within `limits` for every resource.
pub fn check(limits: &Amounts, used: &Amounts, add: &Amounts) -> Result<(), QuotaExceeded> {
    for r in Resource::ALL {
        let (l, u, a) = (limits.get(r), used.get(r), add.get(r));
        if a > 0 && u.saturating_add(a) > l {
            return Err(QuotaExceeded { resource: r, limit: l, used: u, requested: a });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(vms: u64, vcpus: u64) -> Amounts {
        Amounts {
            vms,
            vcpus,
            memory_mib: 1024 * vcpus,
            disk_gb: 10 * vms,
            ipv4: vms,
            backups: 0,
            private_networks: 0,
            backup_gb: 0,
            snapshots: 0,
            iso_gb: 0,
        }
    }

    #[test]
    fn fits_and_overflows() {
        let limits = amounts(3, 4);
        assert!(check(&limits, &amounts(2, 2), &amounts(1, 2)).is_ok());
        let e = check(&limits, &amounts(2, 3), &amounts(1, 2)).unwrap_err();
        assert_eq!((e.resource, e.limit, e.used, e.requested), (Resource::Vcpus, 4, 3, 2));
        assert!(e.to_string().contains("vCPUs: the limit is 4, 3 in use, this needs 2 more (1 over)"), "{e}");
        let e = check(&limits, &amounts(3, 0), &amounts(1, 0)).unwrap_err();
        assert_eq!(e.resource, Resource::Vms);
        // Shrinking or zero requests always fit, even when already over.
        assert!(check(&amounts(0, 0), &amounts(5, 5), &Amounts::default()).is_ok());
    }

    #[test]
    fn get_set_plus() {
        let mut a = Amounts::default();
        for (i, r) in Resource::ALL.into_iter().enumerate() {
            a.set(r, i as u64 + 1);
            assert_eq!(a.get(r), i as u64 + 1);
        }
        assert_eq!(a.plus(&a).backups, 14);
        assert_eq!(a.plus(&a).private_networks, 12);
        assert_eq!(a.plus(&a).backup_gb, 16);
    }
}
