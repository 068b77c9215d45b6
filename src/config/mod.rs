//! Configuration: one TOML file (default `/etc/vpsbox/vpsbox.toml`). Every key has a default,
//! so an empty or missing file is valid; unknown keys are rejected with their line number.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod accounts;
mod api;
mod backup;
mod billing;
mod console;
mod http;
mod isos;
mod libvirt;
mod log;
mod mail;
mod metrics;
mod network;
mod quotas;
mod storage;
mod support;
mod tls;
mod trial;
mod ui;
mod usage;
pub use accounts::AccountsConfig;
pub use api::ApiConfig;
pub use backup::BackupConfig;
pub use billing::BillingConfig;
pub use console::ConsoleConfig;
pub use http::HttpConfig;
pub use isos::IsosConfig;
pub use libvirt::{DomainType, LibvirtConfig};
pub use log::{LogConfig, LogFormat};
pub use mail::{MailConfig, SmtpSecurity};
pub use metrics::MetricsConfig;
pub use network::{NetworkConfig, Shaping};
pub use quotas::QuotaConfig;
pub use storage::StorageConfig;
pub use support::{AlertsConfig, SlaConfig, SupportConfig, WorkingHoursConfig};
pub use tls::{AcmeChallenge, AcmeConfig, TlsConfig};
pub use trial::TrialConfig;
pub use ui::UiConfig;
pub use usage::{AbuseConfig, UsageConfig};

/// Where the daemon looks for its configuration unless `--config` says otherwise.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/vpsbox/vpsbox.toml";

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("Cannot read config file {path}: {source}")]
    Read {
        /// File that was asked for.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys or wrong types.
    #[error("Invalid config file {path}: {message}")]
    Parse {
        /// File that was read.
        path: PathBuf,
        /// The parser's message, naming the key, line and column.
        message: String,
    },
    /// A value is well-formed but not usable.
    #[error("Invalid config file {path}: {message}")]
    Value {
        /// File that was read.
        path: PathBuf,
        /// Which key and why.
        message: String,
    },
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// State directory: `vpsbox.redb`, generated TLS files, later disks and templates.
    pub data_dir: PathBuf,
    /// HTTPS listen address of the cabinet.
    pub listen: SocketAddr,
    /// Public base URL of the cabinet (`https://panel.example.com`), used in reset links. Empty:
    /// derived from the request's Host header.
    pub public_url: String,
    /// TLS settings.
    pub tls: TlsConfig,
    /// Account and session settings.
    pub accounts: AccountsConfig,
    /// HTTP limits.
    pub http: HttpConfig,
    /// Hypervisor connection.
    pub libvirt: LibvirtConfig,
    /// Limits every new account gets.
    pub quotas: QuotaConfig,
    /// Public addresses and networks.
    pub network: NetworkConfig,
    /// Browser consoles.
    pub console: ConsoleConfig,
    /// Backups of VMs and of the appliance's own state.
    pub backup: BackupConfig,
    /// Money: currency, months, low balance and suspension.
    pub billing: BillingConfig,
    /// The one-time free trial.
    pub trial: TrialConfig,
    /// E-mail copies of notices through an SMTP relay.
    pub mail: MailConfig,
    /// Service level: maintenance notices.
    pub sla: SlaConfig,
    /// Admin alerts through a Telegram bot.
    pub alerts: AlertsConfig,
    /// The customers' Telegram bot and the provider's working hours.
    pub support: SupportConfig,
    /// Logging.
    pub log: LogConfig,
    /// Free space kept on the data and backup directories.
    pub storage: StorageConfig,
    /// The cabinet's languages.
    pub ui: UiConfig,
    /// The automation API.
    pub api: ApiConfig,
    /// Usage graphs and the abuse rule.
    pub usage: UsageConfig,
    /// `/metrics` on a separate address.
    pub metrics: MetricsConfig,
    /// Customers' own ISO uploads.
    pub isos: IsosConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("/var/lib/vpsbox"),
            listen: SocketAddr::from(([0, 0, 0, 0], 8443)),
            public_url: String::new(),
            tls: TlsConfig::default(),
            accounts: AccountsConfig::default(),
            http: HttpConfig::default(),
            libvirt: LibvirtConfig::default(),
            quotas: QuotaConfig::default(),
            network: NetworkConfig::default(),
            console: ConsoleConfig::default(),
            backup: BackupConfig::default(),
            billing: BillingConfig::default(),
            trial: TrialConfig::default(),
            mail: MailConfig::default(),
            sla: SlaConfig::default(),
            alerts: AlertsConfig::default(),
            support: SupportConfig::default(),
            log: LogConfig::default(),
            storage: StorageConfig::default(),
            ui: UiConfig::default(),
            api: ApiConfig::default(),
            usage: UsageConfig::default(),
            metrics: MetricsConfig::default(),
            isos: IsosConfig::default(),
        }
    }
}

impl Config {
    /// Parse configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: describe_toml_error(text, &e),
        })?;
        cfg.validate(path)?;
        Ok(cfg)
    }

    /// Read and parse a file. A missing file at the default path means "all defaults"; a
    /// missing file that was asked for explicitly is an error.
    pub fn load(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read { path: path.to_path_buf(), source }),
        }
    }

    /// Each section checks itself; the file as a whole checks what spans sections.
    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |message: String| ConfigError::Value { path: path.to_path_buf(), message };
        if !self.public_url.is_empty() && !self.public_url.starts_with("https://") {
            return Err(bad("public_url must start with https://".into()));
        }
        self.tls.validate().map_err(bad)?;
        self.accounts.validate().map_err(bad)?;
        self.storage.validate().map_err(bad)?;
        self.http.validate().map_err(bad)?;
        self.network.validate().map_err(bad)?;
        self.console.validate().map_err(bad)?;
        self.billing.validate().map_err(bad)?;
        self.mail.validate().map_err(bad)?;
        self.trial.validate().map_err(bad)?;
        self.alerts.validate().map_err(bad)?;
        self.support.validate(&self.public_url).map_err(bad)?;
        self.sla.validate().map_err(bad)?;
        self.log.validate().map_err(bad)?;
        self.ui.validate().map_err(bad)?;
        self.api.validate().map_err(bad)?;
        self.usage.validate().map_err(bad)?;
        self.isos.validate().map_err(bad)?;
        if self.tls.acme.enabled() && self.tls.acme.names(&self.public_url).is_empty() {
            return Err(bad("tls.acme needs public_url (https://NAME) or tls.acme.names".into()));
        }
        if self.metrics.listen.is_some() && self.metrics.listen == Some(self.listen) {
            return Err(bad("metrics.listen must differ from listen".into()));
        }
        Ok(())
    }

    /// Path of the redb state file.
    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("vpsbox.redb")
    }
}

/// The toml crate's message names the key and shows the line; prefix the line number in words
/// so the first line of the message alone says where to look.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let detail = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let key = text.get(span.clone()).unwrap_or("").trim();
            if key.is_empty() {
                format!("line {line}: {detail}")
            } else {
                format!("line {line}, `{key}`: {detail}")
            }
        }
        None => detail,
    }
}

#[cfg(test)]
mod tests;
