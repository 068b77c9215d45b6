//! The `[http]` section: request body limit and shutdown grace.

use serde::{Deserialize, Serialize};

/// HTTP limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Largest request body accepted, bytes; larger bodies get a 413 page.
    pub body_limit_bytes: usize,
    /// Seconds in-flight requests get to finish on SIGTERM before connections are closed.
    pub shutdown_grace_secs: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self { body_limit_bytes: 64 * 1024, shutdown_grace_secs: 20 }
    }
}

impl HttpConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.body_limit_bytes < 1024 {
            return Err("http.body_limit_bytes must be at least 1024".into());
        }
        Ok(())
    }
}
