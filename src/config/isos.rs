//! The `[isos]` section: customers' own ISO uploads (how big one may be; how much an account
//! may keep is its `[quotas] iso_gb`).

use serde::{Deserialize, Serialize};

/// Customers' ISO uploads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IsosConfig {
    /// Whether customers may upload ISO images of their own.
    pub uploads: bool,
    /// The largest upload, MiB.
    pub max_upload_mib: u64,
}

impl Default for IsosConfig {
    fn default() -> Self {
        Self { uploads: true, max_upload_mib: 8192 }
    }
}

impl IsosConfig {
    /// The largest upload, bytes.
    pub fn max_upload_bytes(&self) -> u64 {
        self.max_upload_mib.saturating_mul(1 << 20)
    }

    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=65_536).contains(&self.max_upload_mib) {
            return Err("isos.max_upload_mib must be 1 to 65536".into());
        }
        Ok(())
    }
}
