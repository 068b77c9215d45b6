//! The `[backup]` section: VM backups and the automatic copies of the state file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Backups of VMs and of the appliance's own state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {
    /// Where VM backups are written (may be a mounted remote file system); empty:
    /// `DATA_DIR/backups`.
    pub dir: PathBuf,
    /// Backups that may run at once on the host.
    pub max_concurrent: usize,
    /// Schedule frequencies customers may choose (`hourly`, `daily`, `weekly`, `monthly`).
    pub frequencies: Vec<crate::domain::schedule::Frequency>,
    /// Seconds before a failed scheduled backup is tried again (three attempts in all).
    pub retry_after_secs: u64,
    /// Hours between automatic copies of the state file under `DATA_DIR/db-backups/`; 0 turns
    /// them off.
    pub db_copy_interval_hours: u64,
    /// Automatic state copies kept (the newest).
    pub db_copies_keep: usize,
}

impl Default for BackupConfig {
    fn default() -> Self {
        Self {
            dir: PathBuf::new(),
            max_concurrent: 2,
            frequencies: crate::domain::schedule::Frequency::ALL.to_vec(),
            retry_after_secs: 300,
            db_copy_interval_hours: 24,
            db_copies_keep: 7,
        }
    }
}
