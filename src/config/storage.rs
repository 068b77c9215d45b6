//! The `[storage]` section: free space kept on the data and backup directories.

use serde::{Deserialize, Serialize};

/// Free space of the data and backup directories: below `min_free_mib` new servers, disks and
/// backups are refused (`SPC0001`); below `warn_free_mib` the admins are warned (daily).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// MiB always left free.
    pub min_free_mib: u64,
    /// MiB free below which the admins are warned.
    pub warn_free_mib: u64,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self { min_free_mib: 2048, warn_free_mib: 10240 }
    }
}

impl StorageConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.warn_free_mib < self.min_free_mib {
            return Err("storage.warn_free_mib must be at least storage.min_free_mib".into());
        }
        Ok(())
    }
}
