//! The `[accounts]` section: sign-up, the first admin, sessions, password hashing.

use serde::{Deserialize, Serialize};

/// Accounts and sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    /// Whether customers may sign up themselves at first start; admins can change it later on
    /// the admin page (the stored setting wins from then on).
    pub signup: bool,
    /// E-mail of the admin created at first start when no admin exists.
    pub bootstrap_admin_email: String,
    /// A session ends after this many minutes without a request.
    pub session_idle_minutes: u32,
    /// A session ends this many hours after login, whatever the activity.
    pub session_absolute_hours: u32,
    /// Concurrent password hashes (argon2id, ~19 MiB each). 0: number of CPU cores.
    pub hash_concurrency: usize,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            signup: true,
            bootstrap_admin_email: "admin@localhost".into(),
            session_idle_minutes: 120,
            session_absolute_hours: 24 * 7,
            hash_concurrency: 0,
        }
    }
}

impl AccountsConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.session_idle_minutes == 0 || self.session_absolute_hours == 0 {
            return Err("accounts.session_idle_minutes and session_absolute_hours must be above 0".into());
        }
        if crate::domain::account::Email::parse(&self.bootstrap_admin_email).is_err() {
            return Err(format!(
                "accounts.bootstrap_admin_email {:?} is not an e-mail address",
                self.bootstrap_admin_email
            ));
        }
        Ok(())
    }
}
