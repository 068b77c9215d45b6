//! The `[log]` section: the filter and the output format.

use serde::{Deserialize, Serialize};

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable with colours on a terminal, plain lines for journald otherwise.
    Auto,
    /// Always human-readable with timestamps and colours.
    Pretty,
    /// Plain lines without timestamps (journald adds its own).
    Journald,
}

/// Logging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `RUST_LOG`-style filter, e.g. `info` or `info,vpsbox::web=debug`. The `RUST_LOG`
    /// environment variable overrides it.
    pub filter: String,
    /// Output format.
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { filter: "info".into(), format: LogFormat::Auto }
    }
}

impl LogConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if tracing_subscriber::EnvFilter::try_new(&self.filter).is_err() {
            return Err(format!("log.filter {:?} is not a valid filter", self.filter));
        }
        Ok(())
    }
}
