//! The `[console]` section: limits of the browser consoles.

use serde::{Deserialize, Serialize};

/// Browser consoles (VNC and serial through the cabinet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    /// Open console sessions one VM may have (graphical and serial together).
    pub max_per_vm: usize,
    /// Open console sessions one account may have.
    pub max_per_account: usize,
    /// Seconds without input after which a console session is closed.
    pub idle_timeout_secs: u64,
    /// Seconds a console page's one-time ticket stays valid.
    pub ticket_secs: u64,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self { max_per_vm: 4, max_per_account: 8, idle_timeout_secs: 1800, ticket_secs: 60 }
    }
}

impl ConsoleConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.max_per_vm == 0 || self.max_per_account == 0 || self.ticket_secs == 0 {
            return Err("console.max_per_vm, max_per_account and ticket_secs must be above 0".into());
        }
        Ok(())
    }
}
