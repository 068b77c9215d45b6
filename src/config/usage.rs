//! The `[usage]` section: sampling of every server's CPU, disk and network for its usage
//! graphs, and the terms' abuse rule on top of it (`[usage.abuse]`).

use serde::{Deserialize, Serialize};

/// Usage sampling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UsageConfig {
    /// Seconds between two readings of every server's counters (one libvirt call each).
    pub sample_interval_secs: u64,
    /// The abuse rule.
    pub abuse: AbuseConfig,
}

impl Default for UsageConfig {
    fn default() -> Self {
        Self { sample_interval_secs: 60, abuse: AbuseConfig::default() }
    }
}

/// The abuse rule: a server whose vCPUs are busy at least `cpu_percent` for at least `hours`
/// without a break is flagged to the admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AbuseConfig {
    /// Whether servers are flagged at all.
    pub enabled: bool,
    /// Per cent of a server's vCPUs (50–100).
    pub cpu_percent: u8,
    /// Hours without a break (1–168).
    pub hours: u32,
}

impl Default for AbuseConfig {
    fn default() -> Self {
        Self { enabled: true, cpu_percent: 90, hours: 6 }
    }
}

impl UsageConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if !(10..=600).contains(&self.sample_interval_secs) {
            return Err("usage.sample_interval_secs must be 10 to 600".into());
        }
        if !(50..=100).contains(&self.abuse.cpu_percent) {
            return Err("usage.abuse.cpu_percent must be 50 to 100".into());
        }
        if !(1..=168).contains(&self.abuse.hours) {
            return Err("usage.abuse.hours must be 1 to 168".into());
        }
        Ok(())
    }
}
