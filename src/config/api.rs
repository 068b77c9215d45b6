//! The `[api]` section: how the automation API (`/api/v1`) treats its callers.

use serde::{Deserialize, Serialize};

/// Automation API settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// Hours a server deleted through the API stays (off and suspended, restorable) before it
    /// is deleted, unless the request names its own `grace_hours`. 0 deletes at once.
    pub deletion_grace_hours: u32,
    /// Requests each token may make per minute (a steady rate; see `rate_limit_burst`). 0: no
    /// limit.
    pub rate_limit_per_minute: u32,
    /// Requests a token may make at once above the steady rate.
    pub rate_limit_burst: u32,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self { deletion_grace_hours: 24, rate_limit_per_minute: 600, rate_limit_burst: 60 }
    }
}

impl ApiConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.deletion_grace_hours > 24 * 90 {
            return Err(format!(
                "api.deletion_grace_hours {} is more than 90 days",
                self.deletion_grace_hours
            ));
        }
        if self.rate_limit_per_minute > 0 && self.rate_limit_burst == 0 {
            return Err("api.rate_limit_burst must be at least 1 when a rate limit is set".into());
        }
        Ok(())
    }
}
