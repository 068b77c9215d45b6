//! The `[trial]` section: the one-time free trial.

use serde::{Deserialize, Serialize};

use super::QuotaConfig;

/// The free trial: its length, whether requests are approved without an admin, and the
/// limits a trial account gets (keys left out of `[trial.quota]` take the `[quotas]` built-in
/// defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrialConfig {
    /// Days, counted from the first VM start.
    pub days: u32,
    /// Approve requests from eligible customers at once.
    pub auto_approve: bool,
    /// Limits during the trial (an admin may change them when approving).
    pub quota: QuotaConfig,
}

impl Default for TrialConfig {
    fn default() -> Self {
        Self {
            days: 3,
            auto_approve: false,
            quota: QuotaConfig {
                vms: 1,
                vcpus: 2,
                memory_mib: 2048,
                disk_gb: 20,
                ipv4: 1,
                backups: 2,
                private_networks: 1,
                backup_gb: 10,
                snapshots: 1,
                iso_gb: 2,
            },
        }
    }
}

impl TrialConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=90).contains(&self.days) {
            return Err("trial.days must be 1 to 90".into());
        }
        Ok(())
    }
}
